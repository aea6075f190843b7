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
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Sequence

import numpy as np

__all__ = ["PlausibleRange", "PLAUSIBLE_RANGES", "implausible", "implausible_mask"]


@dataclass(frozen=True)
class PlausibleRange:
    """Lowest and highest plausible value (degrees, the angle's sign convention)."""

    low: float
    high: float
    why: str

    def as_dict(self) -> dict:
        return {"low_deg": self.low, "high_deg": self.high, "why": self.why}


#: Plausible range of every catalogue angle key.
PLAUSIBLE_RANGES: Dict[str, PlausibleRange] = {
    "hip_flexion": PlausibleRange(-40.0, 150.0, "extension 30 deg, flexion 120-140 deg"),
    "knee_flexion": PlausibleRange(-15.0, 165.0, "hyperextension beyond 10-15 deg is not "
                                   "physiological; flexion 135-160 deg"),
    "ankle_dorsiflexion": PlausibleRange(-70.0, 45.0, "plantarflexion 50 deg, "
                                         "dorsiflexion 20-30 deg"),
    "elbow_flexion": PlausibleRange(0.0, 165.0, "flexion 150 deg (unsigned)"),
    "shoulder_flexion": PlausibleRange(-80.0, 200.0, "extension 60 deg, flexion 180 deg"),
    "shoulder_abduction": PlausibleRange(-60.0, 200.0, "adduction across the body 45 deg, "
                                         "abduction 180 deg"),
    "knee_valgus": PlausibleRange(-30.0, 35.0, "frontal-plane projection angle: 0-20 deg in "
                                  "landing and squat studies"),
    "trunk_inclination": PlausibleRange(-50.0, 120.0, "extension 30 deg, forward bending "
                                        "beyond horizontal"),
    "trunk_lateral_inclination": PlausibleRange(-50.0, 50.0, "lateral flexion 35 deg"),
    "pelvic_obliquity": PlausibleRange(-25.0, 25.0, "pelvic drop or hike rarely beyond "
                                       "10-15 deg"),
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
