"""The values a progress chart draws, computed once when a session is saved.

For one session (an :class:`~dashboard.analysis.Analysis` and its angle
settings) this gives a flat list of :class:`Metric` values: range of motion
(range, maximum and minimum) of every catalogue angle in each space, the
number of complete repetitions where any were found, and gait parameters when
the recording looks like walking and PoseDash has gait analysis. Each value
carries how far it can be trusted.

Notes
-----
- **Person.** A session can hold several people; the metrics are those of the
  person found in the most frames (a clinical recording shows one patient).
- **Confidence** of an angle value is the median, over the frames the value
  was measured in, of the angle's confidence (the lowest visibility of its
  landmarks, 0-1). **Coverage** is the share of the frames the person was
  found in where the angle could be measured (0-1). A range of motion over
  few frames, or from poorly visible landmarks, is a weak number even if it
  looks precise.
- **Photos** have no range: one value per angle (``angle.value``).
- **Repetitions** are counted with the session's repetition settings, complete
  repetitions only; an angle with none found has no value (not 0: the
  recording may simply not exercise it).
- **Gait** values come from :mod:`dashboard.kinematics.gait` when it is
  installed and the recording looks like walking; their confidence is the
  gait analysis's own when it gives one, else None.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from dashboard.kinematics import gait
from dashboard.kinematics.people import main_person

log = logging.getLogger("posedash")

__all__ = ["METRICS_VERSION", "Metric", "default_metric", "session_metrics"]

METRICS_VERSION = 1
SPACE_LABELS = {"world": "3D", "image": "2D picture"}
#: What a walking patient's progress chart opens on.
CADENCE = "gait:cadence_steps_per_min"
_ROM_STATS = (
    ("range", "range of motion", "range_deg"),
    ("max", "maximum", "max_deg"),
    ("min", "minimum", "min_deg"),
)


@dataclass(frozen=True)
class Metric:
    """One value of one session, as a progress chart draws it.

    key
        Stable identifier across sessions, e.g. ``rom.range:knee_flexion:left:world``.
    label, unit
        For the chart's title and axis.
    value
        The number.
    confidence
        0-1 (see the module notes), or None when the source gives none.
    coverage
        Share of the frames with the person where the value could be measured
        (0-1), or None.
    """

    key: str
    label: str
    unit: str
    value: float
    confidence: float | None = None
    coverage: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def session_metrics(analysis, angle_settings=None) -> dict[str, Any]:
    """Every progress value of one session.

    Returns ``{"version", "person", "values": [Metric.as_dict()...], "gait"}``
    (``gait``: ``"analysed"``, ``"not walking"``, ``"unavailable"`` or
    ``"photo"``). ``person`` is the person's identifier in the session, or
    None when nobody was found (then ``values`` is empty).
    """
    from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics

    seq = analysis.poses
    settings = angle_settings or KinematicsSettings()
    p = main_person(seq)
    doc: dict[str, Any] = {
        "version": METRICS_VERSION,
        "person": None,
        "values": [],
        "gait": "photo" if analysis.kind == "photo" else "unavailable",
    }
    if p is None:
        return doc
    doc["person"] = int(seq.person_ids[p])
    kin = compute_kinematics(seq, settings)
    found = max(int(seq.detected[:, p].sum()), 1)
    values: list[Metric] = []
    for aset in kin.sets:
        values += _angle_metrics(aset, p, found, photo=analysis.kind == "photo")
    if analysis.kind == "video":
        values += _repetition_metrics(kin, p, found)
        status, gait_values = gait_metrics(seq, p)
        doc["gait"] = status
        values += gait_values
    doc["values"] = [m.as_dict() for m in values]
    return doc


def _stats(aset, p: int, i: int, found: int) -> tuple[np.ndarray, float, float]:
    x = np.asarray(aset.value_deg[:, p, i], float)
    ok = np.isfinite(x)
    conf = np.asarray(aset.confidence[:, p, i], float)[ok]
    conf = conf[np.isfinite(conf)]
    confidence = float(np.median(conf)) if conf.size else float("nan")
    return x[ok], confidence, float(ok.sum()) / found


def _angle_metrics(aset, p: int, found: int, photo: bool) -> list[Metric]:
    out = []
    space = SPACE_LABELS.get(aset.space, aset.space)
    for i, d in enumerate(aset.defs):
        x, confidence, coverage = _stats(aset, p, i, found)
        if not x.size:
            continue
        base = f"{d.key}:{d.side}:{aset.space}"
        if photo:
            out.append(
                Metric(
                    f"angle.value:{base}",
                    f"{d.display}, {space}",
                    "°",
                    float(x[0]),
                    confidence,
                    coverage,
                )
            )
            continue
        stats = {
            "range_deg": float(x.max() - x.min()),
            "max_deg": float(x.max()),
            "min_deg": float(x.min()),
        }
        for short, words, field in _ROM_STATS:
            out.append(
                Metric(
                    f"rom.{short}:{base}",
                    f"{d.display}, {words}, {space}",
                    "°",
                    stats[field],
                    confidence,
                    coverage,
                )
            )
    return out


def _repetition_metrics(kin, p: int, found: int) -> list[Metric]:
    from dashboard.kinematics.summary import repetitions_for

    out = []
    person_id = None
    for entry in repetitions_for(kin):
        aset = kin.space(entry["space"])
        if person_id is None:
            person_id = int(aset.person_ids[p])
        if entry["person"] != person_id or entry["count"] < 1:
            continue
        i = aset.index(entry["angle"], entry["side"])
        d = aset.defs[i]
        _, confidence, coverage = _stats(aset, p, i, found)
        space = SPACE_LABELS.get(aset.space, aset.space)
        out.append(
            Metric(
                f"reps.count:{d.key}:{d.side}:{aset.space}",
                f"{d.display}, complete repetitions, {space}",
                "repetitions",
                float(entry["count"]),
                confidence,
                coverage,
            )
        )
    return out


def gait_metrics(seq, person: int = 0) -> tuple[str, list[Metric]]:
    """Gait parameters of a walking recording (of slot ``person``, the session's
    main person: the same person as its angles), when gait analysis is available.

    Returns ``(status, metrics)`` with status ``"analysed"``, ``"not walking"``
    or ``"unavailable"``. A failure of the gait analysis leaves the other
    metrics intact (status ``"unavailable"``).
    """
    try:
        if not gait.looks_like_walking(seq, person):
            return "not walking", []
        result = gait.analyze_gait(seq, gait.GaitSettings(), person).to_dict()
    except Exception as exc:  # gait is optional: never lose the session for it
        log.warning("gait analysis failed (%s); saved without gait values", type(exc).__name__)
        return "unavailable", []
    params = result.get("parameters") if isinstance(result, dict) else None
    if not isinstance(params, dict):
        return "unavailable", []
    confidence = _number(result.get("confidence"))
    return "analysed", list(_flatten_gait(params, "", confidence))


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if np.isfinite(value) else None


_GAIT_UNITS = (
    ("_steps_per_min", "steps/min"),
    ("_pct", "%"),
    ("_s", "s"),
    ("_m", "m"),
    ("_deg", "°"),
    ("_m_per_s", "m/s"),
)


def _flatten_gait(params: dict, prefix: str, confidence: float | None):
    local = _number(params.get("confidence"))
    confidence = local if local is not None else confidence
    for name, value in params.items():
        if name == "confidence":
            continue
        if isinstance(value, dict):
            yield from _flatten_gait(value, f"{prefix}{name}.", confidence)
            continue
        number = _number(value)
        if number is None:
            continue
        unit = next(
            (
                u
                for suffix, u in sorted(_GAIT_UNITS, key=lambda s: -len(s[0]))
                if name.endswith(suffix)
            ),
            "",
        )
        words = name.replace("_steps_per_min", "").replace("_pct", "").replace("_m_per_s", "")
        words = words.rsplit("_", 1)[0] if unit in ("s", "m", "°") else words
        side = prefix.rstrip(".").replace(".", " ")
        label = f"Gait: {words.replace('_', ' ')}" + (f" ({side})" if side else "")
        yield Metric(f"gait:{prefix}{name}", label, unit, number, confidence, None)


def default_metric(
    sessions: Sequence[dict], weak_confidence: float = 0.5, weak_coverage: float = 0.5
) -> str | None:
    """The value a patient's progress chart shows first.

    Parameters
    ----------
    sessions
        Each session's metrics, as :func:`session_metrics` returns them
        (``{"gait": ..., "values": [Metric.as_dict()...]}``).
    weak_confidence, weak_coverage
        Below either, a value is weak (see :mod:`dashboard.library.chart`).

    Returns
    -------
    str or None
        A metric key, or None when no session holds a range of motion or a
        cadence (the caller then shows its first choice).

    Notes
    -----
    - **Walking.** When at least half of the sessions were analysed as gait
      and some have a cadence, the chart opens on the cadence: the joint
      ranges of a walking recording (an elbow swinging) are not what is
      being treated.
    - **Otherwise** the range of motion found in the most sessions, then with
      the fewest weak values, then with the largest median range over its
      non-weak values (what the exercise works on). Ties keep the first key
      in alphabetical order, so the choice does not depend on storage order.
    """
    docs = [d for d in sessions if isinstance(d, dict)]
    walking = sum(d.get("gait") == "analysed" for d in docs)
    has_cadence = any(_find_value(d, CADENCE) is not None for d in docs)
    if docs and has_cadence and 2 * walking >= len(docs):
        return CADENCE
    values: dict[str, list[float]] = {}
    for d in docs:
        for m in d.get("values", []):
            key = str(m.get("key", ""))
            if not key.startswith("rom.range:") or _number(m.get("value")) is None:
                continue
            weak = (_number(m.get("confidence")) or 0.0) < weak_confidence or (
                _number(m.get("coverage")) or 0.0
            ) < weak_coverage
            values.setdefault(key, []).append(float("nan") if weak else float(m["value"]))
    if not values:
        return CADENCE if has_cadence else None

    def score(key: str):
        xs = np.asarray(values[key], float)
        good = xs[np.isfinite(xs)]
        return (len(xs), int(good.size) - len(xs), float(np.median(good)) if good.size else -1.0)

    return max(sorted(values), key=score)


def _find_value(doc: dict, key: str) -> float | None:
    for m in doc.get("values", []):
        if m.get("key") == key:
            return _number(m.get("value"))
    return None
