"""The values a progress chart draws, read once from the core when a session is saved.

For one session (an :class:`~dashboard.analysis.Analysis` and its angle
settings) this gives a flat list of :class:`Metric` values. **Nothing is computed
here**: every number is one the core already computed for the session's other
screens and files:

- range of motion (range, maximum, minimum) and the signed symmetry index of
  every catalogue angle in each space: the rows of ``summary.json``'s
  ``range_of_motion`` (:func:`dashboard.kinematics.rom.rom_table` through
  :func:`rom_rows`), with their verdicts;
- complete repetitions: :func:`dashboard.kinematics.summary.repetitions_for`;
- gait parameters: the gait analysis's ``parameters`` (:mod:`dashboard.library.gait_values`);
- functional tests kept with the session: their results, scored by
  :mod:`dashboard.functional` (:mod:`dashboard.library.functional_values`; block ``tests``).

Notes
-----
- **Person.** A session can hold several people; the values are those of the
  person found in the most frames (a clinical recording shows one patient).
- **Verdict.** Each value carries ``validity`` (``valid``, ``caution``,
  ``withheld``), ``reasons`` (sentences) and ``bias`` (the measured error of an
  absolute value, ``''`` when none is known), as ``summary.json`` gives them
  (:mod:`dashboard.kinematics.validity`). A withheld value has ``value`` None:
  it is never drawn or written as a number.
- **Visibility** (``confidence``, kept under its old name) is the median, over
  the frames the angle was measured in, of the lowest visibility of its
  landmarks (0-1). **Coverage** is the share of the frames with the person in
  which the range of motion's values were measured (0-1).
- **Photos** have no range: one value per angle (``angle.value``).
- **Traits** (``traits``: per space, :class:`~dashboard.kinematics.comparability.SessionTraits`
  as a dict) and ``movement`` (:func:`~dashboard.kinematics.movements.guess_movement`)
  let a progress chart use the same comparability check as Compare, and open on
  the measure that matters for the movement, without opening the session file.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from dashboard.jsonsafe import finite_float, to_jsonable
from dashboard.kinematics.catalogue import angle_def
from dashboard.kinematics.people import main_person
from dashboard.kinematics.validity import VALID, WITHHELD
from dashboard.library.gait_values import gait_metrics
from dashboard.library.records import Metric

__all__ = ["METRICS_VERSION", "Metric", "rom_rows", "session_metrics", "traits_from_doc"]

#: Version 1 (before PoseDash 2026-12) recomputed ranges from the raw angle values,
#: implausible frames included, and carried no verdict; version 2 reads the core's.
METRICS_VERSION = 2
SPACE_LABELS = {"world": "3D", "image": "2D picture"}
_ROM_STATS = (
    ("range", "range of motion", "range_deg"),
    ("max", "maximum", "max_deg"),
    ("min", "minimum", "min_deg"),
)


def rom_rows(kin) -> pd.DataFrame:
    """The range-of-motion table of ``summary.json`` for these kinematics (the one source:
    :func:`dashboard.kinematics.summary.rom_of`)."""
    from dashboard.kinematics.summary import rom_of

    return rom_of(kin)


def session_metrics(analysis, angle_settings=None, tests=()) -> dict[str, Any]:
    """Every progress value of one session (``tests``: the records of the functional
    tests kept with it, :mod:`dashboard.functional.saved`).

    Returns ``{"version", "person", "values": [Metric.as_dict()...], "gait",
    "movement", "traits"}`` (``gait``: ``"analysed"``, ``"not walking"``,
    ``"unavailable"`` or ``"photo"``). ``person`` is the person's identifier in
    the session, or None when nobody was found (then ``values`` is empty).
    """
    from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics

    seq = analysis.poses
    settings = angle_settings or KinematicsSettings()
    p = main_person(seq)
    photo = analysis.kind == "photo"
    doc: dict[str, Any] = {
        "version": METRICS_VERSION,
        "person": None,
        "values": [],
        "gait": "photo" if photo else "unavailable",
        "movement": "other",
        "traits": {},
    }
    if tests and not photo:
        from dashboard.library.functional_values import kept_metrics

        kept, doc["tests"] = kept_metrics(analysis, tests)
        doc["values"] = [m.as_dict() for m in kept]
    if p is None:
        return to_jsonable(doc)
    person_id = int(seq.person_ids[p])
    doc["person"] = person_id
    kin = compute_kinematics(seq, settings)
    rom = rom_rows(kin)
    rows = {
        (r["angle"], r["side"], r["space"]): r
        for r in rom[rom["person"] == person_id].to_dict(orient="records")
    }
    values: list[Metric] = []
    for aset in kin.sets:
        values += _angle_metrics(aset, p, rows, photo)
        values += _symmetry_metrics(aset, rows, photo)
    if not photo:
        values += _repetition_metrics(kin, person_id, p, rows)
        status, gait_values = gait_metrics(seq, p)
        doc["gait"] = status
        values += gait_values
    doc["values"] += [m.as_dict() for m in values]
    doc.update(_traits(analysis, kin, p, status_walking=doc["gait"] == "analysed"))
    return to_jsonable(doc)


def _traits(analysis, kin, slot: int, status_walking: bool) -> dict:
    """``movement`` and ``traits`` (per space) of the session's main person."""
    from dashboard.kinematics.comparability import traits_of
    from dashboard.kinematics.movements import guess_movement

    spaces = [s.space for s in kin.sets]
    # the report's rule: the picture when filmed square (front or side), else 3-D; so the
    # movement is the one the report names (a lateral raise's 3-D "flexion" misleads)
    view = kin.sets[0].view_of(slot)
    wanted = "image" if view in ("side", "front") else "world"
    moving = kin.space(wanted if wanted in spaces else spaces[0])
    walking = status_walking or (
        slot < len(kin.walking) and bool(kin.walking[slot]) and analysis.kind == "video"
    )
    movement = guess_movement(moving, slot, walking, analysis.kind == "photo")
    traits = {space: asdict(traits_of(analysis, kin, space, slot)) for space in spaces}
    return {"movement": movement, "traits": traits}


def traits_from_doc(doc: dict, space: str = "world"):
    """The :class:`~dashboard.kinematics.comparability.SessionTraits` stored in a
    session's metrics for ``space`` (the other space when that one is absent), or
    None (metrics of an older version, nobody found)."""
    from dashboard.kinematics.comparability import SessionTraits

    stored = doc.get("traits") if isinstance(doc, dict) else None
    if not isinstance(stored, dict) or not stored:
        return None
    t = stored.get(space) or next(iter(stored.values()))
    if not isinstance(t, dict):
        return None

    def num(x) -> float:
        return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else np.nan

    return SessionTraits(
        kind=str(t.get("kind") or "video"),
        view=str(t.get("view") or ""),
        walking=bool(t.get("walking")),
        movement_deg={str(k): num(v) for k, v in (t.get("movement_deg") or {}).items()},
        n_valid={str(k): int(v or 0) for k, v in (t.get("n_valid") or {}).items()},
        frame_s=num(t.get("frame_s")),
    )


def _visibility(aset, p: int, i: int) -> float | None:
    """Median visibility over the frames the angle has a value in."""
    ok = np.isfinite(np.asarray(aset.value_deg[:, p, i], float))
    conf = np.asarray(aset.confidence[:, p, i], float)[ok]
    conf = conf[np.isfinite(conf)]
    return float(np.median(conf)) if conf.size else None


def _found(aset, p: int) -> int:
    conf = np.asarray(aset.confidence[:, p, :], float)
    return max(int(np.isfinite(conf).any(axis=-1).sum()), 1)


def _verdict_of(row: dict) -> dict:
    return dict(
        validity=str(row.get("validity") or VALID),
        reasons=tuple(str(r) for r in (row.get("validity_reasons") or ())),
        bias=str(row.get("bias") or ""),
    )


def _angle_metrics(aset, p: int, rows: dict, photo: bool) -> list[Metric]:
    """Range, maximum and minimum (photos: the angle) of every angle measured."""
    out = []
    space = SPACE_LABELS.get(aset.space, aset.space)
    found = _found(aset, p)
    for i, d in enumerate(aset.defs):
        row = rows.get((d.key, d.side, aset.space))
        if row is None or not row["n_valid"]:
            continue  # not measured in any frame (e.g. a side-view angle filmed from the front)
        verdict = _verdict_of(row)
        withheld = verdict["validity"] == WITHHELD
        visibility, coverage = _visibility(aset, p, i), row["n_valid"] / found
        base = f"{d.key}:{d.side}:{aset.space}"
        stats = (("value", "", "min_deg"),) if photo else _ROM_STATS
        for short, words, field in stats:
            kind = "angle" if photo else "rom"
            label = f"{d.display}, {words}, {space}" if words else f"{d.display}, {space}"
            value = None if withheld else finite_float(row[field])
            out.append(
                Metric(f"{kind}.{short}:{base}", label, "°", value, visibility, coverage, **verdict)
            )
    return out


def _symmetry_metrics(aset, rows: dict, photo: bool) -> list[Metric]:
    """The signed symmetry index of each two-sided angle, with its own verdict."""
    if photo:
        return []
    out = []
    space = SPACE_LABELS.get(aset.space, aset.space)
    seen = set()
    for d in aset.defs:
        if d.side != "left" or d.key in seen:
            continue
        seen.add(d.key)
        left, right = rows.get((d.key, "left", aset.space)), rows.get((d.key, "right", aset.space))
        if left is None or right is None or not (left["n_valid"] and right["n_valid"]):
            continue
        level = str(left.get("symmetry_validity") or WITHHELD)
        value = None if level == WITHHELD else finite_float(left["symmetry_index_pct"])
        out.append(
            Metric(
                f"symmetry:{d.key}::{aset.space}",
                f"{angle_def(d.key, None).label}, symmetry index (+ left larger), {space}",
                "%",
                value,
                None,
                None,
                WITHHELD if value is None else level,
                tuple(str(r) for r in (left.get("symmetry_reasons") or ()))
                or (("not measured alike on both sides",) if value is None else ()),
            )
        )
    return out


def _repetition_metrics(kin, person_id: int, p: int, rows: dict) -> list[Metric]:
    """Complete repetitions the core counted, with the verdict of the series counted on."""
    from dashboard.kinematics.summary import repetitions_for

    out = []
    for entry in repetitions_for(kin):
        if entry["person"] != person_id or entry["count"] < 1:
            continue
        aset = kin.space(entry["space"])
        i = aset.index(entry["angle"], entry["side"])
        d = aset.defs[i]
        row = rows.get((d.key, d.side, aset.space), {})
        verdict = _verdict_of(row)
        if "validity" in entry:  # the core's own verdict of the count
            verdict.update(
                validity=str(entry["validity"]),
                reasons=tuple(str(r) for r in entry.get("validity_reasons") or ()),
            )
        space = SPACE_LABELS.get(aset.space, aset.space)
        out.append(
            Metric(
                f"reps.count:{d.key}:{d.side}:{aset.space}",
                f"{d.display}, complete repetitions, {space}",
                "repetitions",
                None if verdict["validity"] == WITHHELD else float(entry["count"]),
                _visibility(aset, p, i),
                (row.get("n_valid") or 0) / _found(aset, p),
                **verdict,
            )
        )
    return out
