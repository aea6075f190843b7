"""Where a goniometer goes on the automatic landmarks: a starting point for a
measurement by hand, which the clinician then checks and drags onto the bony
landmarks they palpate or see. Pure.

Placements follow standard goniometry (Norkin & White, *Measurement of Joint
Motion*): the axis on the joint centre, one arm along the proximal segment, the
other along the distal one. MediaPipe's landmarks approximate those bony points
(knee for the lateral femoral epicondyle, hip for the greater trochanter, ankle for
the lateral malleolus, shoulder for the acromion, foot index for the fifth
metatarsal head); they are a start, not a palpation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.skeleton import INDEX

__all__ = ["PLACEMENTS", "Placement", "landmark_start"]


@dataclass(frozen=True)
class Placement:
    """A goniometer placement: ``arm1``, ``axis`` and ``arm2`` landmark parts (without
    the side), the usual ``reading`` (:data:`dashboard.manual.records.READINGS`) and
    the name of what it measures."""

    label: str
    arm1: str
    axis: str
    arm2: str
    reading: str


PLACEMENTS = {
    "knee": Placement("Knee flexion", "hip", "knee", "ankle", "from_straight"),
    "hip": Placement("Hip flexion", "shoulder", "hip", "knee", "from_straight"),
    "ankle": Placement("Ankle (shank to foot)", "knee", "ankle", "foot_index", "between"),
    "elbow": Placement("Elbow flexion", "shoulder", "elbow", "wrist", "from_straight"),
    "shoulder": Placement("Shoulder (trunk to arm)", "hip", "shoulder", "elbow", "between"),
}


def landmark_start(seq, row: int, person: int, joint: str, side: str):
    """The three landmark positions (pixels) of ``joint`` on ``side`` ('left' or
    'right') of ``person`` in analysed row ``row``, in goniometer order (arm, axis,
    arm); None when the person or one of the landmarks was not found there."""
    place = PLACEMENTS[joint]
    if side not in ("left", "right") or not (0 <= row < seq.num_frames):
        return None
    if not (0 <= person < seq.num_people):
        return None
    idx = [INDEX[f"{side}_{part}"] for part in (place.arm1, place.axis, place.arm2)]
    xy = np.asarray(seq.image_xy[row, person, idx], float)
    if not np.isfinite(xy).all():
        return None
    return [(float(x), float(y)) for x, y in xy]
