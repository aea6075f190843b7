"""Gait parameters as progress values: read from the gait analysis, each with its verdict.

The values are those of the ``parameters`` document the gait analysis writes to
``gait.json`` (:meth:`dashboard.kinematics.gait.result.GaitResult.to_dict`): the
body's values (cadence, speed, step and stride, double support, variability,
step- and stance-time symmetry) and each side's. Nothing is computed again here.

Verdicts
--------
- A value resting on fewer than :data:`~dashboard.kinematics.gait.parameters.MIN_SPREAD_N`
  strides (the gait analysis's own ``n`` for it: one side's strides, or both
  sides' for the body's) is ``caution``: a mean of one or two strides.
- A variability (``*_cv_pct``) or any value the gait analysis left empty is
  ``withheld``: no number, the reason instead ("n = 2: too few strides for a spread").
- A recording the camera-setup checks call "not suitable" makes every value ``caution``.
"""

from __future__ import annotations

import logging
import math

from dashboard.kinematics import gait
from dashboard.kinematics.gait.parameters import MIN_SPREAD_N, PARAMETER_LABELS
from dashboard.kinematics.validity import CAUTION, VALID, WITHHELD
from dashboard.library.records import Metric

log = logging.getLogger("posedash")

__all__ = ["gait_metrics", "gait_values"]

SIDES = ("left", "right")


def gait_metrics(seq, person: int = 0):
    """Gait parameters of a walking recording (slot ``person``, the session's main
    person) as :class:`~dashboard.library.records.Metric` values.

    Returns ``(status, metrics)`` with status ``"analysed"``, ``"not walking"`` or
    ``"unavailable"``. A failure of the gait analysis leaves the other values
    intact (status ``"unavailable"``).
    """
    try:
        if not gait.looks_like_walking(seq, person):
            return "not walking", []
        result = gait.analyze_gait(seq, gait.GaitSettings(), person).to_dict()
    except Exception as exc:  # never lose the session for its gait values
        log.warning("gait analysis failed (%s); saved without gait values", type(exc).__name__)
        return "unavailable", []
    if not isinstance(result, dict) or not isinstance(result.get("parameters"), dict):
        return "unavailable", []
    return "analysed", gait_values(result)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _n(params: dict, side: str, name: str) -> int | None:
    """How many strides (or steps) a value rests on: the gait analysis's own count
    for it (``stats``), else the side's strides; None when unknown."""
    stats = params.get("stats")
    doc = stats.get(side or "overall") if isinstance(stats, dict) else None
    entry = doc.get(name) if isinstance(doc, dict) else None
    n = _number(entry.get("n")) if isinstance(entry, dict) else None
    if n is None and side and isinstance(params.get(side), dict):
        n = _number(params[side].get("n_strides"))
    return None if n is None else int(n)


def _label_unit(name: str) -> tuple[str, str]:
    text = PARAMETER_LABELS.get(name, name.replace("_", " "))
    if text.endswith(")") and " (" in text:
        label, unit = text[:-1].split(" (", 1)
        return label, unit.replace("CV %", "%")
    return text, ""


def _verdict(name: str, value, n: int | None, side: str, setup: str):
    """(level, reasons) of one gait value resting on ``n`` strides."""
    few = n is not None and n < MIN_SPREAD_N
    where = f" ({side})" if side else ""
    if value is None or (name.endswith("_cv_pct") and few):
        if few:
            return WITHHELD, [f"n = {n}{where}: too few strides for a spread"]
        return WITHHELD, ["not measured in this recording"]
    level, reasons = VALID, []
    if few:
        level = CAUTION
        reasons.append(f"n = {n}{where}: a mean of fewer than {MIN_SPREAD_N} strides")
    if setup == "not suitable":
        level = CAUTION
        reasons.append("the camera set-up checks found this video not suitable for gait")
    return level, reasons


def gait_values(result: dict) -> list:
    """The progress values of one ``gait.json`` document (see the module notes)."""
    params = result["parameters"]
    setup = str((result.get("setup") or {}).get("verdict", ""))
    out = []
    items = [("", name, value) for name, value in params.items() if name in PARAMETER_LABELS]
    for side in SIDES:
        doc = params.get(side)
        if isinstance(doc, dict):
            items += [(side, n, v) for n, v in doc.items() if n in PARAMETER_LABELS]
    for side, name, raw in items:
        value = _number(raw)
        level, reasons = _verdict(name, value, _n(params, side, name), side, setup)
        label, unit = _label_unit(name)
        key = f"gait:{side}.{name}" if side else f"gait:{name}"
        out.append(
            Metric(
                key,
                f"Walking: {label[:1].lower()}{label[1:]}" + (f" ({side})" if side else ""),
                unit,
                None if level == WITHHELD else value,
                _number(result.get("confidence")),
                None,
                level,
                tuple(reasons),
            )
        )
    return out
