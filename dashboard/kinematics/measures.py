"""One function per catalogue angle: how its value is measured from the landmarks.

Each function takes a :class:`~dashboard.kinematics.geometry.Projector` (the
landmarks of one sequence in one space), the side (``'left'``, ``'right'`` or
``''`` for a midline angle) and the smallest in-plane fraction that leaves a
planar angle defined, and returns ``(values_deg, in_plane_fraction)``, each
(F, P). The fraction (world space only; None otherwise) is the smallest share
of a vector's length left after projecting it onto the angle's plane, over the
vectors used. :data:`dashboard.kinematics.catalogue.CATALOGUE` registers each
function with its angle's definition; ``docs/angles.md`` explains them in prose.
Values are not yet brought into the angle's ``value_range``: see
:func:`dashboard.kinematics.compute.compute_angles`.
"""

from __future__ import annotations

import numpy as np

from dashboard.kinematics.geometry import (
    Projector,
    dot,
    elevation,
    signed_angle,
    unsigned_angle,
    wrap,
)

__all__ = [
    "ankle_dorsiflexion",
    "elbow_flexion",
    "hip_flexion",
    "knee_flexion",
    "knee_valgus",
    "neck_flexion",
    "pelvic_obliquity",
    "shoulder_abduction",
    "shoulder_flexion",
    "shoulder_tilt",
    "trunk_inclination",
    "trunk_lateral_inclination",
]


class _Planes:
    """Projections onto an angle's planes, remembering each vector's in-plane fraction."""

    def __init__(self, pr: Projector, side: str):
        self.pr, self.side = pr, side
        self.fracs: list[np.ndarray | None] = []

    def sag(self, v, **kw):
        pq, f = self.pr.sagittal(v, **kw)
        self.fracs.append(f)
        return pq

    def fro(self, v, side=None, **kw):
        pq, f = self.pr.frontal(v, self.side if side is None else side, **kw)
        self.fracs.append(f)
        return pq

    def worst(self):
        fs = [f for f in self.fracs if f is not None]
        return np.minimum.reduce(fs) if fs else None


def _trunk_up(pr: Projector):
    """Mid-hip to mid-shoulder."""
    return pr.mid("left_shoulder", "right_shoulder") - pr.mid("left_hip", "right_hip")


def hip_flexion(pr: Projector, s: str, min_in_plane: float):
    """Sagittal angle from the trunk line (shoulder to hip) to the thigh."""
    pl = _Planes(pr, s)
    trunk_down = pr.vec(f"{s}_shoulder", f"{s}_hip")
    thigh = pr.vec(f"{s}_hip", f"{s}_knee")
    return signed_angle(pl.sag(trunk_down), pl.sag(thigh)), pl.worst()


def knee_flexion(pr: Projector, s: str, min_in_plane: float):
    """Thigh to shank: signed in the picture; the 3-D hinge angle in world space.

    World: negative only when the sagittal projection says hyperextension; NaN
    where the body axes are unknown. A leg far out of the sagittal plane
    (abducted) has no trustworthy sagittal sign: flexion is assumed there,
    never a noisy sign flip.
    """
    pl = _Planes(pr, s)
    thigh = pr.vec(f"{s}_hip", f"{s}_knee")
    shank = pr.vec(f"{s}_knee", f"{s}_ankle")
    planar = signed_angle(pl.sag(shank), pl.sag(thigh))
    if pr.space == "image":
        return planar, None
    in_plane = pl.worst() >= min_in_plane
    sign = np.where(np.isnan(planar), np.nan, np.where((planar < 0) & in_plane, -1.0, 1.0))
    return sign * unsigned_angle(thigh, shank), None


def ankle_dorsiflexion(pr: Projector, s: str, min_in_plane: float):
    """90 deg minus the angle between the shank (ankle to knee) and the foot line."""
    shank_up = pr.vec(f"{s}_ankle", f"{s}_knee")
    foot = pr.vec(f"{s}_heel", f"{s}_foot_index")
    return 90.0 - unsigned_angle(shank_up, foot), None


def elbow_flexion(pr: Projector, s: str, min_in_plane: float):
    """Angle between the upper arm and the forearm (unsigned)."""
    upper = pr.vec(f"{s}_shoulder", f"{s}_elbow")
    fore = pr.vec(f"{s}_elbow", f"{s}_wrist")
    return unsigned_angle(upper, fore), None


def shoulder_flexion(pr: Projector, s: str, min_in_plane: float):
    """Sagittal angle (thorax planes) from the trunk line to the upper arm."""
    pl = _Planes(pr, s)
    trunk_down = pr.vec(f"{s}_shoulder", f"{s}_hip")
    upper = pr.vec(f"{s}_shoulder", f"{s}_elbow")
    return wrap(
        signed_angle(pl.sag(trunk_down, segment="thorax"), pl.sag(upper, segment="thorax"))
    ), pl.worst()


def shoulder_abduction(pr: Projector, s: str, min_in_plane: float):
    """Frontal angle (thorax planes) from the trunk midline to the upper arm."""
    pl = _Planes(pr, s)
    trunk_down = pr.mid("left_hip", "right_hip") - pr.mid("left_shoulder", "right_shoulder")
    upper = pr.vec(f"{s}_shoulder", f"{s}_elbow")
    return wrap(
        signed_angle(pl.fro(trunk_down, segment="thorax"), pl.fro(upper, segment="thorax"))
    ), pl.worst()


def knee_valgus(pr: Projector, s: str, min_in_plane: float):
    """Frontal angle from the thigh to the shank (valgus positive)."""
    pl = _Planes(pr, s)
    thigh = pr.vec(f"{s}_hip", f"{s}_knee")
    shank = pr.vec(f"{s}_knee", f"{s}_ankle")
    return signed_angle(pl.fro(thigh), pl.fro(shank)), pl.worst()


def trunk_inclination(pr: Projector, s: str, min_in_plane: float):
    """Sagittal angle of the trunk from vertical (world up in world space)."""
    pl = _Planes(pr, s)
    proj = pl.sag(_trunk_up(pr), absolute=True)
    return signed_angle(proj, pr.vertical()), pl.worst()


def trunk_lateral_inclination(pr: Projector, s: str, min_in_plane: float):
    """Frontal angle of the trunk from vertical (towards the person's left positive)."""
    pl = _Planes(pr, s)
    proj = pl.fro(_trunk_up(pr), "", absolute=True)
    return signed_angle(proj, pr.vertical()), pl.worst()


def _line_tilt(pr: Projector, left: str, right: str):
    """Angle of the line from ``right`` to ``left`` above the horizontal."""
    line = pr.vec(right, left)
    if pr.space == "image":
        return elevation(np.stack([line[..., 0], -line[..., 1]], -1)), None
    up = pr.level[1]
    height = dot(line, up)
    horiz = np.linalg.norm(line - height[..., None] * up, axis=-1)
    return np.degrees(np.arctan2(height, horiz)), None


def pelvic_obliquity(pr: Projector, s: str, min_in_plane: float):
    """Hip line (right to left hip) above the horizontal."""
    return _line_tilt(pr, "left_hip", "right_hip")


def shoulder_tilt(pr: Projector, s: str, min_in_plane: float):
    """Shoulder line (right to left shoulder) above the horizontal."""
    return _line_tilt(pr, "left_shoulder", "right_shoulder")


def neck_flexion(pr: Projector, s: str, min_in_plane: float):
    """Sagittal angle (thorax planes) from the trunk line to the neck line."""
    pl = _Planes(pr, s)
    trunk = _trunk_up(pr)
    neck = pr.mid("left_ear", "right_ear") - pr.mid("left_shoulder", "right_shoulder")
    return signed_angle(pl.sag(neck, segment="thorax"), pl.sag(trunk, segment="thorax")), pl.worst()
