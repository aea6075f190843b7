"""The camera view, frame by frame, and which angles it suits.

An image-space angle whose catalogue ``view`` is ``'side'`` or ``'front'`` is
measured only in frames filmed from that view: its body segment's left-right
line (:func:`camera_yaw_deg`) must be within :data:`VIEW_TOLERANCE_DEG` of
pointing at the camera (side) or of lying in the picture (front). Elsewhere
the value is NaN and ``AngleSet.off_view`` says why (see :func:`view_matches`).
World-space angles are not gated: they do not depend on the camera view.

:func:`dominant_view` names the view of a whole recording and
:func:`suggested_angles` the angles to show first for it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dashboard.kinematics.catalogue import ORDERED_KEYS, VIEWS, angle_def, sides
from dashboard.skeleton import INDEX

__all__ = [
    "LOWER_LIMB_FIRST",
    "MOVES_DEG",
    "VIEW_TOLERANCE_DEG",
    "CameraView",
    "camera_yaw_deg",
    "classify_view",
    "dominant_view",
    "suggested_angles",
    "view_matches",
]

#: Image space: an angle whose ``view`` is ``'side'`` is measured only in frames
#: where the body's left-right line (hips or shoulders, :func:`camera_yaw_deg`)
#: is within this many degrees of pointing straight at the camera (yaw >= 60);
#: a ``'front'`` angle only where it is within this many degrees of lying in
#: the picture (yaw <= 30). Otherwise the value is NaN (``AngleSet.off_view``).
#: The angle's plane is then at most 30 deg out of the picture: the projection
#: keeps at least cos 30 = 0.87 of its horizontal extent (an error of at most
#: about 4 deg for an angle from the vertical), and the movement in the
#: perpendicular plane leaks in at most sin 30 = 0.5 times its size. At 45 deg
#: both planes are projected alike (0.71 each): an image cannot tell a knee
#: bending forwards from a knee collapsing inwards, and the facing or left-side
#: direction that signs the angle is read from cues seen edge-on. The same
#: limits name the view (:func:`classify_view`): front <= 30, side >= 60.
#: How each camera view is named to the user (reports, pages).
VIEW_WORDS = {
    "side": "side view",
    "front": "front or back view",
    "oblique": "oblique (three-quarter) view",
    "any": "any view in which the limb moves parallel to the picture",
    "": "unknown view",
}

VIEW_TOLERANCE_DEG = 30.0


def camera_yaw_deg(world_m: np.ndarray, segment: str = "pelvis") -> np.ndarray:
    """(F, P) angle (0..90 deg) between the body's left-right line and the image plane.

    The line runs between the hips (``segment='pelvis'``) or the shoulders
    (``'thorax'``). About 0 in a front or back view (the line lies in the
    picture), about 90 in a side view (it points at the camera). World
    coordinates are camera-aligned (``z`` is depth), so this reads the view
    from the data, frame by frame, whatever the posture: it does not use the
    vertical, so a lying patient is handled. NaN where the landmarks are
    missing.
    """
    if segment not in ("pelvis", "thorax"):
        raise ValueError(f"segment must be 'pelvis' or 'thorax', got {segment!r}")
    w = np.asarray(world_m, float)
    a, b = ("left_hip", "right_hip") if segment == "pelvis" else ("left_shoulder", "right_shoulder")
    d = w[..., INDEX[a], :] - w[..., INDEX[b], :]
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(np.abs(d[..., 2]), np.hypot(d[..., 0], d[..., 1])))


def view_matches(yaw_deg, view: str, tolerance_deg: float = VIEW_TOLERANCE_DEG) -> np.ndarray:
    """Boolean array: where a frame whose yaw (:func:`camera_yaw_deg`) is
    ``yaw_deg`` suits an image-space angle of catalogue ``view``.

    ``'side'``: yaw >= 90 - tolerance (the left-right line within
    ``tolerance_deg`` of pointing at the camera, so the sagittal plane is
    within that of the picture); ``'front'``: yaw <= tolerance (the frontal
    plane within ``tolerance_deg`` of the picture, from the front or the
    back); ``'any'``: everywhere. An unknown (NaN) yaw suits only ``'any'``.
    A tolerance of 90 accepts every frame. See :data:`VIEW_TOLERANCE_DEG`.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {tuple(VIEWS)}, got {view!r}")
    yaw = np.asarray(yaw_deg, float)
    if view == "any":
        return np.ones(yaw.shape, bool)
    with np.errstate(invalid="ignore"):
        if view == "side":
            return yaw >= 90.0 - float(tolerance_deg)
        return yaw <= float(tolerance_deg)


def classify_view(yaw_deg, tolerance_deg: float = VIEW_TOLERANCE_DEG) -> np.ndarray:
    """'front' (yaw <= 30 deg), 'side' (>= 60 deg), 'oblique', or '' where unknown.

    The limits are those of :func:`view_matches` (``tolerance_deg``, default
    :data:`VIEW_TOLERANCE_DEG`): a frame classified 'front' is one in which
    the image-space front-view angles are measured, 'side' the side-view ones.
    """
    yaw = np.asarray(yaw_deg, float)
    out = np.full(yaw.shape, "oblique", dtype=object)
    out[view_matches(yaw, "front", tolerance_deg)] = "front"
    out[view_matches(yaw, "side", tolerance_deg)] = "side"
    out[~np.isfinite(yaw)] = ""
    return out


class CameraView(NamedTuple):
    """The view of a whole recording for one person (:func:`dominant_view`)."""

    view: str  # 'front', 'side', 'oblique', or '' when unknown
    median_yaw_deg: float  # NaN when unknown
    share: float  # fraction of the frames with a known yaw filmed from ``view``


def dominant_view(yaw_deg, tolerance_deg: float = VIEW_TOLERANCE_DEG) -> CameraView:
    """The camera view of a recording from one person's (F,) yaw series.

    The view of the median yaw over the frames where it is known
    (:func:`classify_view`), and the share of those frames filmed from that
    view (below 0.8 the person turns during the recording). ``('', NaN, 0)``
    when the yaw is never known (no world landmarks of the hips).
    """
    yaw = np.asarray(yaw_deg, float)
    ok = np.isfinite(yaw)
    if not ok.any():
        return CameraView("", float("nan"), 0.0)
    med = float(np.nanmedian(yaw))
    view = str(classify_view(med, tolerance_deg))
    share = float(np.mean(classify_view(yaw[ok], tolerance_deg) == view))
    return CameraView(view, med, share)


#: Knee and hip flexion come first among the suggested angles when they move at
#: least :data:`MOVES_DEG`: a lower-body exercise is what most sessions are about.
LOWER_LIMB_FIRST = ("knee_flexion", "hip_flexion")
#: Robust range (5th to 95th percentile, degrees) from which an angle "moves".
MOVES_DEG = 30.0


def suggested_angles(
    angle_set, person: int, view: str, is_photo: bool, count: int = 2
) -> list[str]:
    """Angle keys to show first for a recording filmed from ``view``.

    The angles valid for the view (every angle when the view is oblique or
    unknown), in :data:`~dashboard.kinematics.catalogue.ORDERED_KEYS` order.
    For a photo, all of them; for a video the ``count`` that move most
    (``AngleSet.movement``, the larger of the two sides), knee and hip
    flexion first when they move at least :data:`MOVES_DEG`.
    """
    valid = (
        [k for k in ORDERED_KEYS if angle_def(k, None).view in (view, "any")]
        if view in ("side", "front")
        else list(ORDERED_KEYS)
    )
    if is_photo:
        return valid
    moves = {k: max(angle_set.movement(k, s, person) for s in sides(k)) for k in valid}
    ranked = sorted(valid, key=lambda k: -moves[k])
    first = [k for k in LOWER_LIMB_FIRST if k in valid and moves[k] >= MOVES_DEG]
    ranked = first + [k for k in ranked if k not in first]
    return ranked[:count] if ranked else list(LOWER_LIMB_FIRST)
