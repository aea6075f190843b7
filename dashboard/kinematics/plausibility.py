"""Plausible ranges of the catalogue's angles, and flagging the values outside them.

A value outside its angle's plausible range (for example knee hyperextension
beyond -15 deg) is not something a body does: it is a tracking error (a
limb swap the repair missed, a landmark on the wrong object, a segment seen
end-on). Such values are *flagged implausible*, kept in the angle series, and
left out of ranges of motion by default (:func:`dashboard.kinematics.rom.rom_table`
says how many were left out, or that they were included).

Notes
-----
The ranges are deliberately wide: normal active range of motion (AAOS /
Norkin & White goniometry tables) plus a margin for hypermobile patients,
for the landmark model's error (a landmark is a visual centre, not a joint
centre) and for the projection of a movement onto the picture. They are
meant to catch errors, not to grade patients: a value inside the range can
still be wrong, and a patient may exceed a normal range without it being an
error, which is why values are flagged, not deleted. Ranges are the same in
image and world space. See docs/angles.md ("Plausible ranges").

Posture rules
-------------
Some angles are defined in every posture but mean nothing in some of them.
:data:`POSTURE_RULES` lists them: the knee frontal-plane projection angle
(FPPA) is flagged *not meaningful* where the same knee's 3-D flexion (world
landmarks, whatever the space of the FPPA) exceeds
:data:`FPPA_MAX_KNEE_FLEXION_DEG` (60 deg). Why 60: the FPPA is the thigh-shank
angle projected onto the frontal plane. A knee flexed by ``theta`` whose limb
(or the camera) is turned by ``r`` about the vertical projects to an apparent
valgus/varus of ``atan(tan(theta) sin(r))``: for r = 10 deg, 1.7 deg at 10 deg
of flexion, 10 deg at 45, 17 deg at 60 (already the whole 0-20 deg range of
the landing and squat studies), 33 deg at 75 and 90 deg at 90. Beyond about
60 deg the flexion itself, not the valgus, sets the number. The studies that
use the 2-D FPPA (single-leg squat to about 45-60 deg of knee flexion, e.g.
Willson & Davis 2008, Munro et al. 2012; drop landing) measure it at moderate
flexion with a camera square to the frontal plane. Flagged values are kept in
the series and left out of ranges of motion, like implausible ones
(``AngleSet.not_meaningful``); :func:`left_out_reason` words both. Limit: a
drop jump's deepest frame can exceed 60 deg, so its FPPA there is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FPPA_MAX_KNEE_FLEXION_DEG",
    "PLAUSIBLE_RANGES",
    "POSTURE_RULES",
    "PlausibleRange",
    "PostureRule",
    "implausible",
    "implausible_mask",
    "left_out_reason",
    "posture_mask",
]


@dataclass(frozen=True)
class PlausibleRange:
    """Lowest and highest plausible value (degrees, the angle's sign convention)."""

    low: float
    high: float
    why: str

    def as_dict(self) -> dict:
        return {"low_deg": self.low, "high_deg": self.high, "why": self.why}


#: Plausible range of every catalogue angle key.
PLAUSIBLE_RANGES: dict[str, PlausibleRange] = {
    "hip_flexion": PlausibleRange(-40.0, 150.0, "extension 30 deg, flexion 120-140 deg"),
    "knee_flexion": PlausibleRange(
        -15.0, 165.0, "hyperextension beyond 10-15 deg is not physiological; flexion 135-160 deg"
    ),
    "ankle_dorsiflexion": PlausibleRange(
        -70.0, 45.0, "plantarflexion 50 deg, dorsiflexion 20-30 deg"
    ),
    "elbow_flexion": PlausibleRange(0.0, 165.0, "flexion 150 deg (unsigned)"),
    "shoulder_flexion": PlausibleRange(-80.0, 200.0, "extension 60 deg, flexion 180 deg"),
    "shoulder_abduction": PlausibleRange(
        -60.0, 200.0, "adduction across the body 45 deg, abduction 180 deg"
    ),
    "knee_valgus": PlausibleRange(
        -30.0, 35.0, "frontal-plane projection angle: 0-20 deg in landing and squat studies"
    ),
    "trunk_inclination": PlausibleRange(
        -50.0, 120.0, "extension 30 deg, forward bending beyond horizontal"
    ),
    "trunk_lateral_inclination": PlausibleRange(-50.0, 50.0, "lateral flexion 35 deg"),
    "pelvic_obliquity": PlausibleRange(-25.0, 25.0, "pelvic drop or hike rarely beyond 10-15 deg"),
    "shoulder_tilt": PlausibleRange(-30.0, 30.0, "shoulder elevation or depression"),
    "neck_flexion": PlausibleRange(-80.0, 80.0, "extension 70 deg, flexion 60-80 deg"),
}


def implausible(values, key: str) -> np.ndarray:
    """Bool array: True where ``values`` (degrees) lie outside the range of angle ``key``.

    NaN is never implausible (it is a gap); an angle without a documented
    range is never flagged.
    """
    x = np.asarray(values, float)
    rng = PLAUSIBLE_RANGES.get(key)
    if rng is None:
        return np.zeros(x.shape, bool)
    with np.errstate(invalid="ignore"):
        return (x < rng.low) | (x > rng.high)


def implausible_mask(values: np.ndarray, keys: Sequence[str]) -> np.ndarray:
    """(F, P, A) flags for an (F, P, A) angle array whose last axis holds ``keys``
    (e.g. ``AngleSet.value_deg`` and ``[d.key for d in AngleSet.defs]``)."""
    values = np.asarray(values, float)
    out = np.zeros(values.shape, bool)
    for i, key in enumerate(keys):
        out[..., i] = implausible(values[..., i], key)
    return out


#: Knee flexion (3-D, degrees) beyond which the knee FPPA is not meaningful (module Notes).
FPPA_MAX_KNEE_FLEXION_DEG = 60.0


@dataclass(frozen=True)
class PostureRule:
    """An angle is not meaningful where ``gauge`` (an angle key of the same side,
    measured in 3-D from the world landmarks) exceeds ``max_gauge_deg``."""

    gauge: str
    max_gauge_deg: float
    why: str

    def as_dict(self) -> dict:
        return {"gauge": self.gauge, "max_gauge_deg": self.max_gauge_deg, "why": self.why}


#: Angle key -> the posture in which it is not meaningful.
POSTURE_RULES: dict[str, PostureRule] = {
    "knee_valgus": PostureRule(
        "knee_flexion",
        FPPA_MAX_KNEE_FLEXION_DEG,
        f"knee bent more than {FPPA_MAX_KNEE_FLEXION_DEG:.0f}°: the frontal-plane "
        "projection is not meaningful",
    )
}


def posture_mask(
    keys: Sequence[str],
    sides: Sequence[str],
    gauges: Mapping[tuple[str, str], np.ndarray],
    shape: tuple[int, ...],
) -> np.ndarray:
    """(F, P, A) True where an angle is not meaningful in the posture (:data:`POSTURE_RULES`).

    Parameters
    ----------
    keys, sides
        Angle key and side of each of the A angles.
    gauges
        ``(gauge key, side) -> (F, P)`` gauge values in degrees (the 3-D knee
        flexion), NaN where unknown: an unknown gauge flags nothing.
    shape
        (F, P, A).
    """
    out = np.zeros(shape, bool)
    for i, (key, side) in enumerate(zip(keys, sides, strict=False)):
        rule = POSTURE_RULES.get(key)
        gauge = gauges.get((rule.gauge, side)) if rule else None
        if rule is None or gauge is None:
            continue
        with np.errstate(invalid="ignore"):
            out[..., i] = np.asarray(gauge, float) > rule.max_gauge_deg
    return out


def left_out_reason(key: str, value: float, not_meaningful: bool = False) -> str | None:
    """Why a value of angle ``key`` is left out of ranges of motion, or None when it is not.

    Not meaningful in the posture (:data:`POSTURE_RULES`) comes first, then
    outside the plausible range (:data:`PLAUSIBLE_RANGES`).
    """
    if not_meaningful and key in POSTURE_RULES:
        return POSTURE_RULES[key].why
    if bool(implausible(value, key)):
        rng = PLAUSIBLE_RANGES[key]
        return f"implausible: outside the plausible range {rng.low:g}° to {rng.high:g}° ({rng.why})"
    return None
