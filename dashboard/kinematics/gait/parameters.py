"""Spatiotemporal parameters and key joint-angle values, per side and overall."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from dashboard.kinematics.gait.cycles import CYCLE_PCT, Cycle, Step
from dashboard.kinematics.gait.settings import SIDES
from dashboard.kinematics.gait.words import CYCLE_WORDS

__all__ = [
    "KEY_VALUES",
    "MIN_SPREAD_N",
    "PARAMETER_LABELS",
    "body_speed",
    "key_values",
    "overall_parameters",
    "side_parameters",
    "stats",
    "symmetry_index",
    "too_few_words",
]

#: Key values of the cycle curves: (key, label, angle, phase, statistic).
KEY_VALUES = (
    (
        "knee_flexion_at_initial_contact",
        "Knee flexion at initial contact (°)",
        "knee_flexion",
        "ic",
        "value",
    ),
    ("peak_knee_flexion_swing", "Peak knee flexion in swing (°)", "knee_flexion", "swing", "max"),
    (
        "peak_hip_extension_stance",
        "Peak hip extension in stance (°, extension positive)",
        "hip_flexion",
        "stance",
        "-min",
    ),
    (
        "peak_ankle_dorsiflexion_stance",
        "Peak ankle dorsiflexion in stance (°)",
        "ankle_dorsiflexion",
        "stance",
        "max",
    ),
)

#: Labels of the parameters, for tables.
PARAMETER_LABELS = {
    "cadence_steps_per_min": "Cadence (steps/min)",
    "step_time_s": "Step time (s)",
    "stride_time_s": "Stride time (s)",
    "stance_pct": f"Stance ({CYCLE_WORDS})",
    "swing_pct": f"Swing ({CYCLE_WORDS})",
    "double_support_pct": f"Double support ({CYCLE_WORDS})",
    "stride_time_cv_pct": "Stride-time variability (CV %)",
    "step_length_body_heights": "Step length (body heights)",
    "stride_length_body_heights": "Stride length (body heights)",
    "speed_body_heights_s": "Walking speed (body heights/s)",
    "step_length_m": "Step length (m)",
    "stride_length_m": "Stride length (m)",
    "speed_m_s": "Walking speed (m/s)",
    "step_time_symmetry_pct": "Step-time symmetry index (%)",
    "stance_time_symmetry_pct": "Stance-time symmetry index (%)",
}


#: Fewest values for a spread: below it a statistic has its mean and n but no SD, and
#: no variability (two strides give an SD that says nothing about the variability).
MIN_SPREAD_N = 3


def stats(values) -> dict[str, float]:
    """``{'mean', 'sd', 'n'}`` of the finite values (SD with n - 1; NaN below
    :data:`MIN_SPREAD_N` values)."""
    v = np.asarray([x for x in values if x is not None], float)
    v = v[np.isfinite(v)]
    n = len(v)
    return dict(
        mean=float(v.mean()) if n else float("nan"),
        sd=float(v.std(ddof=1)) if n >= MIN_SPREAD_N else float("nan"),
        n=n,
    )


def too_few_words(n: int) -> str:
    """What a clinician reads instead of an SD or a variability: '' from
    :data:`MIN_SPREAD_N` values on."""
    if n >= MIN_SPREAD_N or n <= 0:
        return ""
    return f"n = {n}: too few strides for a spread"


def symmetry_index(left: float, right: float) -> float:
    """Robinson's symmetry index, ``100 |L - R| / ((L + R) / 2)``: 0 % is symmetric."""
    if not (np.isfinite(left) and np.isfinite(right)) or left + right == 0:
        return float("nan")
    return float(100 * abs(left - right) / (0.5 * (left + right)))


def _cv(values) -> float:
    s = stats(values)
    return 100 * s["sd"] / s["mean"] if s["n"] >= MIN_SPREAD_N and s["mean"] > 0 else float("nan")


def _metres(metres, pass_index: int) -> float:
    if isinstance(metres, dict):
        return float(metres.get(pass_index, np.nan))
    return float(metres) if metres else float("nan")


def body_speed(cycles: Sequence[Cycle]) -> dict[str, float]:
    """Walking speed of the body (body heights per second): the kept strides of both
    sides, total length over total time (their mean weighted by duration); SD over
    the strides' own speeds; n strides."""
    cs = [c for c in cycles if c.kept and np.isfinite(c.stride_length_bh)]
    per = stats(c.stride_length_bh / c.stride_s for c in cs)
    total = sum(c.stride_s for c in cs)
    mean = sum(c.stride_length_bh for c in cs) / total if total > 0 else float("nan")
    return dict(mean=float(mean), sd=per["sd"], n=per["n"])


def side_parameters(
    cycles: Sequence[Cycle], steps: Sequence[Step], side: str | None, metres=None
) -> dict[str, dict[str, float]]:
    """Statistics of every parameter over the kept strides and steps of ``side``
    (``None``: both sides).

    ``metres``: metres per body height, one figure (the height entered) or per pass
    index (a floor scale); lengths in metres are added with it. The walking speed
    is the body's (:func:`body_speed`): given for both sides only.
    """
    cs = [c for c in cycles if c.kept and (side is None or c.side == side)]
    ss = [s for s in steps if s.kept and (side is None or s.side == side)]
    out = {
        "step_time_s": stats(s.step_s for s in ss),
        "stride_time_s": stats(c.stride_s for c in cs),
        "cadence_steps_per_min": stats(120.0 / c.stride_s for c in cs),
        "stance_pct": stats(c.stance_pct for c in cs),
        "swing_pct": stats(100 - c.stance_pct for c in cs),
        "double_support_pct": stats(c.double_support_pct for c in cs),
        "step_length_body_heights": stats(s.length_bh for s in ss),
        "stride_length_body_heights": stats(c.stride_length_bh for c in cs),
    }
    if side is None:
        out["speed_body_heights_s"] = body_speed(cs)
    # both sides: only with 3 strides of each foot (else the pooled spread of two
    # strides per foot reads as a variability, 0.0 % on strides of equal frame counts)
    few = side is None and min(sum(c.side == k for c in cs) for k in SIDES) < MIN_SPREAD_N
    cv = float("nan") if few else _cv(c.stride_s for c in cs)
    out["stride_time_cv_pct"] = dict(mean=cv, sd=float("nan"), n=len(cs))
    if metres:
        out["step_length_m"] = stats(s.length_bh * _metres(metres, s.pass_index) for s in ss)
        out["stride_length_m"] = stats(
            c.stride_length_bh * _metres(metres, c.pass_index) for c in cs
        )
        if side is None:
            scaled = [
                dataclasses.replace(
                    c, stride_length_bh=c.stride_length_bh * _metres(metres, c.pass_index)
                )
                for c in cs
            ]
            out["speed_m_s"] = body_speed(scaled)
    return out


def overall_parameters(
    per_side: dict[str, dict[str, dict[str, float]]], cycles: Sequence[Cycle]
) -> dict[str, dict[str, float]]:
    """Symmetry indices between the sides' means (n = strides or steps used)."""
    left, right = per_side["left"], per_side["right"]

    def si(name: str, stance_time: bool = False):
        if stance_time:
            lv = stats(
                c.stride_s * c.stance_pct / 100 for c in cycles if c.kept and c.side == "left"
            )
            rv = stats(
                c.stride_s * c.stance_pct / 100 for c in cycles if c.kept and c.side == "right"
            )
        else:
            lv, rv = left[name], right[name]
        return dict(
            mean=symmetry_index(lv["mean"], rv["mean"]), sd=float("nan"), n=min(lv["n"], rv["n"])
        )

    return {
        "step_time_symmetry_pct": si("step_time_s"),
        "stance_time_symmetry_pct": si("", stance_time=True),
    }


def _phase_value(curve: np.ndarray, to_pct: float, phase: str, stat: str) -> float:
    if phase == "ic":
        return float(curve[0])
    if not np.isfinite(to_pct):
        return float("nan")
    mask = to_pct >= CYCLE_PCT if phase == "stance" else to_pct <= CYCLE_PCT
    seg = curve[mask]
    if not len(seg):
        return float("nan")
    return float(seg.max()) if stat == "max" else float(-seg.min())


def key_values(
    cycles: Sequence[Cycle], curves_by_cycle: dict[tuple[str, str], list]
) -> dict[str, dict[str, dict[str, float]]]:
    """``{key: {side: stats}}`` of :data:`KEY_VALUES`, one value per kept stride.

    ``curves_by_cycle[(side, angle)]`` is a list of (stance %, 101-point curve).
    """
    out: dict[str, dict[str, dict[str, float]]] = {}
    for key, _, angle, phase, stat in KEY_VALUES:
        out[key] = {}
        for side in SIDES:
            vals = [
                _phase_value(curve, to_pct, phase, stat)
                for to_pct, curve in curves_by_cycle.get((side, angle), [])
            ]
            out[key][side] = stats(vals)
    return out
