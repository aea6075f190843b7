"""One call from a PoseSequence to angles, range of motion and repetitions, and
their exports (``<stem>.angles.csv`` and ``<stem>.summary.json``).

This is the entry point for the CLI and the pages::

    kin = compute_kinematics(seq, KinematicsSettings())
    csv_path, json_path = write_kinematics(kin, out_dir, stem)

or, piece by piece, :func:`angles_dataframe` (the CSV table),
:func:`summary_dict` (the JSON document), ``rom_table(kin.sets)`` and
:func:`repetitions_for`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.csvtext import csv_text
from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.compute import AngleSet, compute_angles
from dashboard.kinematics.plausibility import PLAUSIBLE_RANGES, implausible_mask
from dashboard.kinematics.rom import rom_table
from dashboard.kinematics.settings import KinematicsSettings
from dashboard.kinematics.views import camera_yaw_deg, dominant_view
from dashboard.kinematics.walking_reps import walking_people, withheld_reason

__all__ = [
    "ANGLES_CSV_COLUMNS",
    "SUMMARY_SCHEMA",
    "Kinematics",
    "KinematicsSettings",
    "angles_csv",
    "angles_csv_chunks",
    "angles_dataframe",
    "compute_kinematics",
    "repetitions_for",
    "rom_of",
    "summary_dict",
    "summary_json",
    "write_kinematics",
]

#: Columns of ``<stem>.angles.csv``, in order.
ANGLES_CSV_COLUMNS = (
    "frame",
    "time_s",
    "person",
    "angle",
    "side",
    "space",
    "raw_deg",
    "value_deg",
    "confidence",
)
SUMMARY_SCHEMA = "posedash.kinematics.summary/1"


@dataclass(frozen=True)
class Kinematics:
    """Angles of one sequence in each requested space, with the settings used."""

    sets: tuple[AngleSet, ...]
    settings: KinematicsSettings
    image_size: tuple[int, int]
    camera_yaw_deg: np.ndarray  # (F, P), see dashboard.kinematics.views.camera_yaw_deg
    #: Per set, (F, P, A) True where value_deg is outside its plausible range or not
    #: meaningful in the posture (``AngleSet.not_meaningful``).
    implausible: tuple[np.ndarray, ...] = ()
    #: Per person slot: does the recording look like walking? Then no repetitions
    #: are counted for that person (:mod:`dashboard.kinematics.walking_reps`).
    #: A :class:`~dashboard.kinematics.walking_reps.PeopleWalking`: each person checked
    #: when first asked.
    walking: Sequence[bool] = ()

    def repetitions_withheld(self, slot: int, where: str | None = None) -> str | None:
        """Why person slot ``slot`` has no repetitions counted (walking), or None."""
        return (
            withheld_reason(self.walking, slot)
            if where is None
            else withheld_reason(self.walking, slot, where)
        )

    def space(self, name: str) -> AngleSet:
        for s in self.sets:
            if s.space == name:
                return s
        raise KeyError(f"space {name!r} was not computed")


def compute_kinematics(seq, settings: KinematicsSettings | None = None) -> Kinematics:
    """All catalogue angles of ``seq`` in every space of ``settings``."""
    settings = settings or KinematicsSettings()
    sets = tuple(
        compute_angles(
            seq,
            space,
            settings.min_confidence,
            settings.foreshortening_ratio,
            settings.filter,
            min_in_plane_fraction=settings.min_in_plane_fraction,
            view_tolerance_deg=settings.view_tolerance_deg,
        )
        for space in settings.spaces
    )
    with np.errstate(invalid="ignore"):
        yaw = camera_yaw_deg(seq.world_m)
    flags = tuple(
        implausible_mask(s.value_deg, [d.key for d in s.defs])
        | (s.not_meaningful & np.isfinite(s.value_deg))
        for s in sets
    )
    return Kinematics(
        sets=sets,
        settings=settings,
        image_size=tuple(seq.image_size),
        camera_yaw_deg=yaw,
        implausible=flags,
        walking=walking_people(seq),
    )


def angles_dataframe(sets: Sequence[AngleSet]) -> pd.DataFrame:
    """The long table of ``<stem>.angles.csv``: exactly :data:`ANGLES_CSV_COLUMNS`.

    One row per frame, person slot, space and angle (catalogue order), in that
    order; frames where a person was not found are kept, with NaN values.
    ``frame`` is the source frame index, ``person`` the person id, ``side`` ''
    for midline angles.
    """
    if isinstance(sets, Kinematics):
        sets = sets.sets
    sets = tuple(sets)
    if not sets:
        return pd.DataFrame(columns=list(ANGLES_CSV_COLUMNS))
    return _long_table(sets, 0, sets[0].raw_deg.shape[0])


def _long_table(sets: tuple[AngleSet, ...], f0: int, f1: int) -> pd.DataFrame:
    """Rows of frames ``f0:f1`` of :func:`angles_dataframe`, built in their order (frame,
    person slot, space, angle) without sorting: every array is (F, P, angles of every
    space one after the other), so its C order is the table's order."""
    first = sets[0]
    p = first.raw_deg.shape[1]
    f = max(0, min(f1, first.raw_deg.shape[0]) - f0)
    a = sum(len(s.defs) for s in sets)

    def cells(name: str) -> np.ndarray:
        return np.concatenate([getattr(s, name)[f0 : f0 + f] for s in sets], axis=2).ravel()

    def per_angle(values) -> np.ndarray:
        return np.tile(np.array(values, dtype=object), f * p)

    return pd.DataFrame(
        {
            "frame": np.repeat(first.frame_index[f0 : f0 + f].astype(np.int64), p * a),
            "time_s": np.repeat(first.time_s[f0 : f0 + f], p * a),
            "person": np.tile(np.repeat(first.person_ids.astype(np.int64), a), f),
            "angle": per_angle([d.key for s in sets for d in s.defs]),
            "side": per_angle([d.side for s in sets for d in s.defs]),
            "space": per_angle([s.space for s in sets for _ in s.defs]),
            "raw_deg": cells("raw_deg"),
            "value_deg": cells("value_deg"),
            "confidence": cells("confidence"),
        },
        columns=list(ANGLES_CSV_COLUMNS),
    )


def angles_csv_chunks(sets, float_format: str | None = None, frames: int = 2_000):
    """The CSV text of :func:`angles_dataframe` (``to_csv(index=False, float_format=...)``),
    ``frames`` frames at a time: the same text, without holding a long recording's whole
    table (10 people x 36,000 frames make 14 million rows) in memory at once."""
    if isinstance(sets, Kinematics):
        sets = sets.sets
    sets = tuple(sets)
    if not sets:
        yield angles_dataframe(sets).to_csv(index=False, float_format=float_format)
        return
    total = sets[0].raw_deg.shape[0]
    for f0 in range(0, max(total, 1), frames):
        table = _long_table(sets, f0, f0 + frames)
        yield table.to_csv(index=False, header=f0 == 0, float_format=float_format)


def rom_of(kin: Kinematics) -> pd.DataFrame:
    """The one range-of-motion and symmetry table of ``kin`` (a copy).

    Every consumer reads it: ``summary.json``'s ``range_of_motion``, the Joint
    angles page, the report, ``batch.csv`` (through ``summary.json``) and the
    patient library's progress values. It is
    :func:`dashboard.kinematics.rom.rom_table` of every space with the settings'
    ``include_implausible``, computed once per :class:`Kinematics` object.
    """
    table = kin.__dict__.get("_rom_of")
    if table is None:
        table = rom_table(kin.sets, include_implausible=kin.settings.include_implausible)
        object.__setattr__(kin, "_rom_of", table)
    return table.copy()


def _series_verdicts(kin: Kinematics) -> dict[tuple, tuple[str, tuple]]:
    """(person id, angle, side, space) -> (validity, reasons) of :func:`rom_of`."""
    rom = rom_of(kin)
    return {
        (int(r.person), r.angle, r.side, r.space): (r.validity, tuple(r.validity_reasons))
        for r in rom.itertuples()
    }


def repetitions_for(kin: Kinematics) -> list[dict]:
    """Repetitions of every selected angle, side, space and person (filtered values).

    Series whose robust range is below ``min_range_deg`` are skipped, and so
    is every person whose recording looks like walking (steps are not
    repetitions: :meth:`Kinematics.repetitions_withheld` says why). Each
    entry has the series' identity, ``count`` (complete repetitions only) and
    ``repetitions`` (dicts of :class:`~dashboard.kinematics.reps.Repetition` plus the
    source frames ``start_frame``, ``peak_frame``, ``end_frame``; -1 unknown),
    and the verdict of the series they were counted on (``validity``,
    ``validity_reasons``: its :func:`rom_of` row's). A series whose range is
    withheld is not listed: no count from values known to be wrong (the 3-D
    ankle, an angle the camera view cannot show).
    """
    keys = kin.settings.repetition_angles
    verdicts = _series_verdicts(kin)
    out = []
    for s in kin.sets:
        for person in range(s.value_deg.shape[1]):
            if kin.repetitions_withheld(person):
                continue
            for i, d in enumerate(s.defs):
                if keys is not None and d.key not in keys:
                    continue
                reps = kin.settings.repetitions.detect(s.value_deg[:, person, i], s.time_s)
                if not reps:
                    continue
                items = []
                for r in reps:
                    item = r.as_dict()
                    for name in ("start", "peak", "end"):
                        idx = item[f"{name}_index"]
                        item[f"{name}_frame"] = int(s.frame_index[idx]) if idx >= 0 else -1
                    items.append(item)
                pid = int(s.person_ids[person])
                level, reasons = verdicts.get((pid, d.key, d.side, s.space), ("valid", ()))
                if level == "withheld":  # no count from a series known to be wrong
                    continue
                out.append(
                    dict(
                        person=pid,
                        angle=d.key,
                        side=d.side,
                        space=s.space,
                        count=sum(r.complete for r in reps),
                        # how much the series moved (robust range): the side that moved
                        # most is the one a page or a report counts on first
                        movement_deg=round(float(s.movement(d.key, d.side, person)), 1),
                        repetitions=items,
                        validity=level,
                        validity_reasons=list(reasons),
                    )
                )
    return out


def summary_dict(kin: Kinematics, provenance: dict | None = None) -> dict:
    """The JSON document of ``<stem>.summary.json`` (already JSON-safe: NaN -> None).

    ``repetitions_withheld`` lists the people whose repetitions were not
    counted, each with the reason (the recording looks like walking).
    ``provenance`` (optional) is recorded as is under ``"provenance"``: which
    model and detection settings produced the landmarks.
    """
    first = kin.sets[0]
    t = first.time_s
    views = []
    for person in range(kin.camera_yaw_deg.shape[1]):
        seen = dominant_view(kin.camera_yaw_deg[:, person], kin.settings.view_tolerance_deg)
        views.append(
            dict(
                person=int(first.person_ids[person]),
                median_yaw_deg=seen.median_yaw_deg,
                view=seen.view,
            )
        )
    doc = dict(
        schema=SUMMARY_SCHEMA,
        n_frames=len(t),
        duration_s=float(t[-1] - t[0]) if len(t) else 0.0,
        image_size=list(kin.image_size),
        settings=kin.settings.as_dict(),
        camera_view=views,
        angles=[
            dict(
                angle=d.key,
                side=d.side,
                label=d.label,
                plane=d.plane,
                view=d.view,
                positive=d.positive,
                zero=d.zero,
                plausible_range=PLAUSIBLE_RANGES[d.key].as_dict()
                if d.key in PLAUSIBLE_RANGES
                else None,
            )
            for d in first.defs
        ],
        range_of_motion=rom_of(kin).to_dict(orient="records"),
        repetitions=repetitions_for(kin),
        repetitions_withheld=[
            dict(person=int(first.person_ids[p]), reason=kin.repetitions_withheld(p))
            for p in range(len(kin.walking))
            if kin.repetitions_withheld(p)
        ],
    )
    if provenance is not None:
        doc["provenance"] = provenance
    return to_jsonable(doc)


def write_kinematics(
    kin: Kinematics, out_dir, stem: str, provenance: dict | None = None
) -> tuple[Path, Path]:
    """Write ``out_dir/<stem>.angles.csv`` and ``out_dir/<stem>.summary.json``.

    Angles are rounded to 1e-4 deg, confidences to 1e-4 and times to 1e-6 s;
    missing values are empty cells in the CSV and ``null`` in the JSON.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"{stem}.angles.csv"
    json_path = out_dir / f"{stem}.summary.json"
    csv_path.write_text(angles_csv(kin))
    json_path.write_text(summary_json(kin, provenance))
    return csv_path, json_path


def angles_csv(kin: Kinematics) -> str:
    """The ``<stem>.angles.csv`` text: angles rounded to 1e-4 deg, confidences to 1e-4,
    times to 1e-6 s; gaps are empty cells."""
    df = angles_dataframe(kin.sets)
    df = df.assign(
        time_s=df["time_s"].round(6),
        raw_deg=df["raw_deg"].round(4),
        value_deg=df["value_deg"].round(4),
        confidence=df["confidence"].round(4),
    )
    return csv_text(df, None)  # df.to_csv(index=False), the same text in 60 % of the time


def summary_json(kin: Kinematics, provenance: dict | None = None) -> str:
    """The ``<stem>.summary.json`` text (NaN written as null)."""
    return json.dumps(summary_dict(kin, provenance), indent=2, allow_nan=False)


def settings_dict(settings: KinematicsSettings) -> dict:
    """JSON-safe settings (for cache keys)."""
    return to_jsonable(settings.as_dict())
