"""Which movement a recording shows, and the measures the report prints for it.

A physiotherapist reads a squat for the knees (flexion and the frontal-plane
angle) and the hips, a lateral raise for the shoulder, a walk for its speed,
cadence and gait curves. :data:`MOVEMENTS` lists, per movement, the angle keys
the report's first page and charts show (in order); the clinician can choose
another movement and other measures (:class:`~dashboard.report.context.ReportOptions`
``movement`` and ``angles``; the app keeps a per-movement choice in its settings).
:func:`guess_movement` proposes a movement from the recording when none is given.

Pure: no UI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MOVEMENTS", "Movement", "guess_movement", "movement_keys", "movement_label"]


@dataclass(frozen=True)
class Movement:
    label: str
    keys: tuple[str, ...]
    #: What the first page says the movement is read for (plain words).
    focus: str = ""


MOVEMENTS: dict[str, Movement] = {
    "walking": Movement(
        "Walking",
        ("knee_flexion", "hip_flexion", "ankle_dorsiflexion"),
        "walking speed, cadence, step and stride, and the hip, knee and ankle over the gait cycle",
    ),
    "squat": Movement(
        "Squat",
        ("knee_flexion", "hip_flexion", "knee_valgus", "trunk_inclination"),
        "depth (knee and hip flexion) and knee alignment (frontal-plane angle)",
    ),
    "sit_to_stand": Movement(
        "Sit to stand",
        ("knee_flexion", "hip_flexion", "trunk_inclination"),
        "knee and hip flexion and trunk lean",
    ),
    "lunge": Movement(
        "Lunge",
        ("knee_flexion", "hip_flexion", "knee_valgus"),
        "knee and hip flexion and knee alignment",
    ),
    "shoulder_abduction": Movement(
        "Shoulder abduction (lateral raise)",
        ("shoulder_abduction", "elbow_flexion", "trunk_lateral_inclination", "shoulder_tilt"),
        "shoulder abduction and compensations (trunk lean, shoulder hitch)",
    ),
    "shoulder_flexion": Movement(
        "Shoulder flexion (forward raise)",
        ("shoulder_flexion", "elbow_flexion", "trunk_inclination"),
        "shoulder flexion and trunk lean",
    ),
    "other": Movement("Other (the angles that moved most)", (), "the angles that moved most"),
}


def movement_label(movement: str) -> str:
    m = MOVEMENTS.get(movement)
    return m.label if m else str(movement)


def movement_keys(movement: str) -> tuple[str, ...]:
    """The angle keys read for ``movement`` (empty for ``other``: the angles that
    moved most are chosen from the recording)."""
    m = MOVEMENTS.get(movement)
    return m.keys if m else ()


def _moved(aset, slot: int, key: str) -> float:
    """The larger robust range (5th-95th percentile) of ``key``'s sides, degrees."""
    best = 0.0
    for i, d in enumerate(aset.defs):
        if d.key != key:
            continue
        x = aset.value_deg[:, slot, i]
        x = x[np.isfinite(x)]
        if x.size >= 3:
            lo, hi = np.percentile(x, [5, 95])
            best = max(best, float(hi - lo))
    return best


def guess_movement(aset, slot: int | None, walking: bool, is_photo: bool = False) -> str:
    """A first guess of the movement (a key of :data:`MOVEMENTS`): ``walking``
    when gait analysis found walking; else from the angles that moved most
    (knee and hip flexion together: a squat; shoulder abduction or flexion: that
    raise); ``other`` when nothing fits or for a photo."""
    if walking:
        return "walking"
    if is_photo or slot is None:
        return "other"
    moved = {k: _moved(aset, slot, k) for k in dict.fromkeys(d.key for d in aset.defs)}
    knee, hip = moved.get("knee_flexion", 0.0), moved.get("hip_flexion", 0.0)
    abd, flex = moved.get("shoulder_abduction", 0.0), moved.get("shoulder_flexion", 0.0)
    if knee >= 40 and hip >= 30 and knee >= max(abd, flex) * 0.6:
        return "squat"
    if max(abd, flex) >= 60:
        return "shoulder_abduction" if abd >= flex else "shoulder_flexion"
    return "other"
