"""Clinical joint angles: one catalogue, computed in image space and in world space.

Every angle follows the neutral-zero convention of goniometry: 0 deg is the
anatomical position (standing upright, arms by the side, palms forward, feet
flat). :data:`CATALOGUE` lists each angle with its landmarks, plane, sign
convention, zero reference and the camera view for which its image-space
value is valid. ``docs/angles.md`` explains every definition in prose.

Two spaces
----------
``'image'``
    Pixel coordinates (``PoseSequence.image_xy``, x right, y down). Pixels are
    taken as square (true for practically every camera), so angles are right
    on non-square frames; normalised coordinates would not be. An image-space
    angle is the projection of the real angle onto the image plane: it is only
    valid when the movement happens in a plane parallel to the image (a
    sagittal angle needs a side view, a frontal angle a front or back view).
``'world'``
    MediaPipe's metric world landmarks (``PoseSequence.world_m``). Relative
    angles (between two segments) are measured in anatomical planes built
    from the body itself (see :func:`body_axes`), so they do not depend on
    the camera view; absolute angles (trunk inclination, pelvic obliquity,
    shoulder tilt) use world "up", ``-y``, which is gravity-aligned only if the
    camera was level. World landmarks are a model's 3-D estimate from one
    camera: depth is the least reliable direction.

Canonical plane coordinates
---------------------------
Every planar angle is computed from two coordinates per vector, ``p`` (the
horizontal axis of the plane) and ``q`` (up):

- sagittal plane: ``p`` = anterior (the way the person faces), ``q`` = up;
- frontal plane of one side: ``p`` = lateral, towards that side, ``q`` = up;
- frontal plane of a midline angle: ``p`` = towards the person's left.

A positive rotation is one that turns "down" towards ``p`` (down towards
anterior, or down towards lateral). In image space ``q = -y`` and ``p = ±x``,
the sign taken from which way the person faces (sagittal; see
:func:`image_facing`) or on which side of the image the person's left side
appears (frontal; see :func:`image_left_direction`), so a person facing left
or right, towards or away from the camera, gets the same angles.

Camera view, frame by frame
---------------------------
An image-space angle whose ``view`` is ``'side'`` or ``'front'`` is measured
only in frames filmed from that view: its body segment's left-right line
(:func:`camera_yaw_deg`) must be within :data:`VIEW_TOLERANCE_DEG` of
pointing at the camera (side) or of lying in the picture (front). Elsewhere
the value is NaN and ``AngleSet.off_view`` says why (see
:func:`view_matches`). World-space angles are not gated: they do not depend
on the camera view.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, Optional, Sequence, Tuple

import numpy as np

from dashboard.kinematics.filters import FilterSettings
from dashboard.skeleton import INDEX

__all__ = [
    "AngleDef",
    "AngleSet",
    "CATALOGUE",
    "ANGLE_KEYS",
    "SPACES",
    "VIEWS",
    "BODY_AXIS_LANDMARKS",
    "MIN_IN_PLANE_FRACTION",
    "VIEW_TOLERANCE_DEG",
    "MAX_STEP_DEG",
    "angle_def",
    "compute_angles",
    "image_facing",
    "image_left_direction",
    "body_axes",
    "camera_yaw_deg",
    "classify_view",
    "view_matches",
]

SPACES = ("image", "world")
#: Camera views an image-space angle can be valid for.
VIEWS = {
    "side": "side (sagittal) view: camera at 90 deg to the direction the person faces",
    "front": "front or back (frontal) view: camera facing the person, or their back",
    "any": "any view in which the limb moves in a plane parallel to the image",
}
#: Landmarks that define the body axes in world space (see :func:`body_axes`).
BODY_AXIS_LANDMARKS = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
#: A planar angle is undefined (NaN) where a vector it is measured from keeps
#: less than this fraction of its length in the angle's plane: the vector is
#: more than 60 deg (arccos 0.5) out of the plane. Its in-plane direction is
#: then set by a projection at most half as long as the segment, so landmark
#: noise moves the angle at least twice as much as for a segment lying in the
#: plane, and the angle has no clinical meaning (shoulder abduction of an arm
#: pointing forwards, the frontal-plane knee angle of a thigh pointing
#: forwards in a squat). Towards 0 the angle spins through every value and
#: wraps past +-180. Between this and ``foreshortening_ratio`` (0.7, 45 deg
#: out of the plane) the value is kept and flagged. See :func:`compute_angles`.
MIN_IN_PLANE_FRACTION = 0.5
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
VIEW_TOLERANCE_DEG = 30.0


# --------------------------------------------------------------------------
# catalogue
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class AngleDef:
    """One clinical angle of one side (or of the midline).

    key
        Machine name shared by both sides, e.g. ``'knee_flexion'``.
    label
        Human label, e.g. ``'Knee flexion'``.
    side
        ``'left'`` or ``'right'`` (the person's own side), ``''`` for midline.
    landmarks
        Landmarks the image-space angle is computed from (its confidence is
        the lowest visibility among them).
    world_landmarks
        Landmarks the world-space angle depends on: ``landmarks`` plus, for
        angles measured in body planes, :data:`BODY_AXIS_LANDMARKS`.
    segments
        Landmark pairs whose foreshortening is checked (see
        :func:`compute_angles`).
    plane
        ``'sagittal'``, ``'frontal'`` or ``'3d'`` (the full angle between two
        segments in world space; its image-space value is a projection).
    view
        Camera view for which the image-space value is valid (:data:`VIEWS`).
        ``'side'`` and ``'front'`` image values are NaN in frames not filmed
        from that view (:func:`view_matches`); ``'any'`` is not checked.
    positive
        Sign convention: what a positive value means.
    zero
        The 0 deg reference.
    description
        How it is computed, in words.
    value_range
        ``(low, high)``: the interval values are reported in. Signed planar
        angles live on a circle; each is cut where the joint cannot go
        (e.g. shoulder flexion at -90 deg, the arm horizontal behind the back),
        so that a real movement never jumps by 360 deg.
    body_segment
        ``'pelvis'`` or ``'thorax'``: the body segment whose orientation to
        the camera decides whether a frame suits ``view`` (the hip line for
        leg and trunk angles, the shoulder line for arm, neck and shoulder
        angles; see :func:`camera_yaw_deg`).
    """

    key: str
    label: str
    side: str
    landmarks: Tuple[str, ...]
    world_landmarks: Tuple[str, ...]
    segments: Tuple[Tuple[str, str], ...]
    plane: str
    view: str
    positive: str
    zero: str
    description: str
    value_range: Tuple[float, float] = (-180.0, 180.0)
    body_segment: str = "pelvis"

    @property
    def name(self) -> str:
        """Unique name, e.g. ``'knee_flexion_left'`` or ``'trunk_inclination'``."""
        return f"{self.key}_{self.side}" if self.side else self.key

    @property
    def display(self) -> str:
        """Label with the side, e.g. ``'Knee flexion (left)'``."""
        return f"{self.label} ({self.side})" if self.side else self.label

    def landmarks_for(self, space: str) -> Tuple[str, ...]:
        return self.landmarks if space == "image" else self.world_landmarks


def _sided(key, label, names, segments, plane, view, positive, zero, description,
           body_axes_in_world=True, value_range=(-180.0, 180.0), body_segment="pelvis"):
    """Left and right AngleDefs from templates using '{s}' for the side."""
    out = []
    for side in ("left", "right"):
        lms = tuple(n.format(s=side) for n in names)
        world = lms + tuple(n for n in BODY_AXIS_LANDMARKS if n not in lms) \
            if body_axes_in_world else lms
        segs = tuple((a.format(s=side), b.format(s=side)) for a, b in segments)
        out.append(AngleDef(key, label, side, lms, world, segs, plane, view, positive, zero,
                            description, value_range, body_segment))
    return out


def _midline(key, label, names, segments, plane, view, positive, zero, description,
             value_range=(-180.0, 180.0), body_segment="pelvis"):
    world = tuple(names) + tuple(n for n in BODY_AXIS_LANDMARKS if n not in names)
    return [AngleDef(key, label, "", tuple(names), world, tuple(segments), plane, view,
                     positive, zero, description, value_range, body_segment)]


_TRUNK = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")

CATALOGUE: Tuple[AngleDef, ...] = tuple(
    _sided("hip_flexion", "Hip flexion / extension",
           ("{s}_shoulder", "{s}_hip", "{s}_knee"),
           (("{s}_hip", "{s}_knee"), ("{s}_shoulder", "{s}_hip")),
           "sagittal", "side",
           "flexion (knee in front of the trunk line) positive, extension negative",
           "thigh in line with the trunk",
           "Sagittal-plane angle from the trunk line (shoulder to hip, same side) to the "
           "thigh (hip to knee).")
    + _sided("knee_flexion", "Knee flexion",
             ("{s}_hip", "{s}_knee", "{s}_ankle"),
             (("{s}_hip", "{s}_knee"), ("{s}_knee", "{s}_ankle")),
             "sagittal", "side",
             "flexion positive; hyperextension negative",
             "straight leg (thigh and shank in line)",
             "Angle between the thigh (hip to knee) and the shank (knee to ankle). Image: "
             "signed in the image plane. World: the full 3-D angle between the segments "
             "(the knee is a hinge), negative only when the shank is in front of the thigh "
             "line in the sagittal plane.")
    + _sided("ankle_dorsiflexion", "Ankle dorsi- / plantarflexion",
             ("{s}_knee", "{s}_ankle", "{s}_heel", "{s}_foot_index"),
             (("{s}_knee", "{s}_ankle"), ("{s}_heel", "{s}_foot_index")),
             "sagittal", "side",
             "dorsiflexion (toes towards the shin) positive, plantarflexion negative",
             "foot line perpendicular to the shank",
             "90 deg minus the angle between the shank (ankle to knee) and the foot line "
             "(heel to foot index). Needs no facing direction.",
             body_axes_in_world=False, value_range=(-90.0, 90.0))
    + _sided("elbow_flexion", "Elbow flexion",
             ("{s}_shoulder", "{s}_elbow", "{s}_wrist"),
             (("{s}_shoulder", "{s}_elbow"), ("{s}_elbow", "{s}_wrist")),
             "3d", "any",
             "flexion positive (unsigned: a hyperextended elbow also reads positive)",
             "straight arm",
             "Angle between the upper arm (shoulder to elbow) and the forearm (elbow to "
             "wrist). Image: valid when the arm moves parallel to the image (side view for "
             "a biceps curl). World: the full 3-D angle.",
             body_axes_in_world=False, value_range=(0.0, 180.0))
    + _sided("shoulder_flexion", "Shoulder flexion / extension",
             ("{s}_shoulder", "{s}_elbow", "{s}_hip"),
             (("{s}_shoulder", "{s}_elbow"), ("{s}_shoulder", "{s}_hip")),
             "sagittal", "side",
             "flexion (arm forwards) positive, extension (arm backwards) negative; "
             "reported from -90 to 270 deg",
             "arm by the side, along the trunk line",
             "Sagittal-plane angle from the trunk line (shoulder to hip, same side) to the "
             "upper arm (shoulder to elbow).",
             value_range=(-90.0, 270.0), body_segment="thorax")
    + _sided("shoulder_abduction", "Shoulder abduction",
             ("{s}_shoulder", "{s}_elbow", "left_shoulder", "right_shoulder", "left_hip",
              "right_hip"),
             (("{s}_shoulder", "{s}_elbow"),),
             "frontal", "front",
             "abduction (arm away from the body, sideways) positive, adduction across the "
             "midline negative; reported from -90 to 270 deg",
             "arm by the side, parallel to the trunk midline",
             "Frontal-plane angle from the trunk midline (mid-shoulder to mid-hip) to the "
             "upper arm (shoulder to elbow).",
             value_range=(-90.0, 270.0), body_segment="thorax")
    + _sided("knee_valgus", "Knee frontal-plane projection angle",
             ("{s}_hip", "{s}_knee", "{s}_ankle", "left_shoulder", "right_shoulder",
              "left_hip", "right_hip"),
             (("{s}_hip", "{s}_knee"), ("{s}_knee", "{s}_ankle")),
             "frontal", "front",
             "valgus (knee medial to the hip-ankle line, 'knock-knee') positive, varus "
             "negative",
             "thigh and shank in line in the frontal plane",
             "Frontal-plane angle from the thigh (hip to knee) to the shank (knee to ankle): "
             "180 deg minus the interior FPPA of the literature, signed.")
    + _midline("trunk_inclination", "Trunk inclination",
               _TRUNK, (("left_shoulder", "left_hip"), ("right_shoulder", "right_hip")),
               "sagittal", "side",
               "forward lean positive, backward lean negative",
               "trunk vertical",
               "Sagittal-plane angle of the trunk (mid-hip to mid-shoulder) from vertical: "
               "image vertical in image space, world up (-y) in world space.")
    + _midline("trunk_lateral_inclination", "Trunk lateral inclination",
               _TRUNK, (("left_shoulder", "left_hip"), ("right_shoulder", "right_hip")),
               "frontal", "front",
               "lean towards the person's left positive, towards the right negative",
               "trunk vertical",
               "Frontal-plane angle of the trunk (mid-hip to mid-shoulder) from vertical.")
    + _midline("pelvic_obliquity", "Pelvic obliquity",
               ("left_hip", "right_hip"), (("left_hip", "right_hip"),),
               "frontal", "front",
               "left hip higher than the right positive (right hip higher negative)",
               "hips level",
               "Angle of the hip line (right hip to left hip) above the horizontal.",
               value_range=(-90.0, 90.0))
    + _midline("shoulder_tilt", "Shoulder tilt",
               ("left_shoulder", "right_shoulder"), (("left_shoulder", "right_shoulder"),),
               "frontal", "front",
               "left shoulder higher than the right positive (right higher negative)",
               "shoulders level",
               "Angle of the shoulder line (right shoulder to left shoulder) above the "
               "horizontal.",
               value_range=(-90.0, 90.0), body_segment="thorax")
    + _midline("neck_flexion", "Neck flexion / extension",
               ("left_ear", "right_ear") + _TRUNK,
               (("left_shoulder", "left_ear"), ("right_shoulder", "right_ear")),
               "sagittal", "side",
               "flexion (head forwards) positive, extension negative",
               "ears in line with the trunk (mid-hip to mid-shoulder)",
               "Sagittal-plane angle from the trunk line (mid-hip to mid-shoulder) to the "
               "neck line (mid-shoulder to mid-ear).",
               body_segment="thorax")
)

ANGLE_KEYS: Tuple[str, ...] = tuple(dict.fromkeys(d.key for d in CATALOGUE))
_BY_KEY: Dict[Tuple[str, str], int] = {(d.key, d.side): i for i, d in enumerate(CATALOGUE)}


def angle_def(key: str, side: str = "") -> AngleDef:
    """The catalogue entry for ``key`` and ``side`` ('left', 'right' or '')."""
    try:
        return CATALOGUE[_BY_KEY[(key, side)]]
    except KeyError:
        raise KeyError(f"no angle {key!r} with side {side!r}") from None


# --------------------------------------------------------------------------
# geometry helpers (vectorised over leading axes, vectors in the last axis)
# --------------------------------------------------------------------------
def _dot(a, b):
    return np.sum(a * b, axis=-1)


def _unit(v):
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, v / n, np.nan)


def _signed(a_pq, b_pq):
    """Signed angle (deg) rotating 2-D vector a to b; positive turns down towards +p."""
    cross = a_pq[..., 0] * b_pq[..., 1] - a_pq[..., 1] * b_pq[..., 0]
    return np.degrees(np.arctan2(cross, _dot(a_pq, b_pq)))


def _unsigned(a, b):
    """Angle (deg, 0..180) between vectors of any dimension."""
    if a.shape[-1] == 2:
        cross = np.abs(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0])
    else:
        cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.degrees(np.arctan2(cross, _dot(a, b)))


def _elevation(v_pq):
    """Angle (deg) of a vector above the horizontal, independent of its p direction."""
    return np.degrees(np.arctan2(v_pq[..., 1], np.abs(v_pq[..., 0])))


def _wrap(deg, low=-90.0):
    """Wrap to [low, low + 360)."""
    return (deg - low) % 360.0 + low


def _wrap_into(deg, value_range):
    """Values of a 360-deg-wide ``value_range`` brought into it; others unchanged.

    Only values outside the range move, so (-180, 180] from ``arctan2`` keeps 180.
    """
    low, high = value_range
    if high - low != 360.0:
        return deg
    with np.errstate(invalid="ignore"):
        outside = (deg < low) | (deg > high)
    return np.where(outside, _wrap(deg, low), deg)


def _sign(x):
    s = np.sign(x)
    return np.where(s == 0, np.nan, s)


# --------------------------------------------------------------------------
# directions: facing, left, body axes
# --------------------------------------------------------------------------
def image_facing(image_xy: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """(F, P) +1 where the person faces image right (+x), -1 image left, NaN unknown.

    Evidence that does not depend on the body's overall orientation (leaning,
    lying, inverted): the turn from each shank (ankle to knee) to its foot
    (heel to foot index), which is always towards anterior, and the turn from
    the neck (mid-shoulder to mid-ear) to the face (mid-ear to nose). Each
    term is the sine of that turn, weighted by the lowest visibility of its
    landmarks; the sign of the sum decides. Only meaningful in a side view:
    seen from the front these cues point at the camera and the sign flips with
    landmark noise, which is why :func:`compute_angles` measures side-view
    angles only in side-on frames (:data:`VIEW_TOLERANCE_DEG`).
    """
    xy = np.asarray(image_xy, float)
    vis = np.nan_to_num(np.asarray(visibility, float))

    def pt(n):
        return xy[..., INDEX[n], :]

    def turn(a, b, names):
        # image y is down: negate so that the cross product is in an up frame
        a_x, a_y, b_x, b_y = a[..., 0], -a[..., 1], b[..., 0], -b[..., 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            sine = (a_x * b_y - a_y * b_x) / (np.hypot(a_x, a_y) * np.hypot(b_x, b_y))
        w = np.minimum.reduce([vis[..., INDEX[n]] for n in names])
        return np.nan_to_num(-w * sine)  # a turn clockwise (in an up frame) faces +x

    total = np.zeros(xy.shape[:2])
    for s in ("left", "right"):
        total += turn(pt(f"{s}_knee") - pt(f"{s}_ankle"),
                      pt(f"{s}_foot_index") - pt(f"{s}_heel"),
                      (f"{s}_knee", f"{s}_ankle", f"{s}_heel", f"{s}_foot_index"))
    mid_sh = 0.5 * (pt("left_shoulder") + pt("right_shoulder"))
    mid_ear = 0.5 * (pt("left_ear") + pt("right_ear"))
    total += turn(mid_ear - mid_sh, pt("nose") - mid_ear,
                  ("left_shoulder", "right_shoulder", "left_ear", "right_ear", "nose"))
    return _sign(np.round(total, 12))


def image_left_direction(image_xy: np.ndarray) -> np.ndarray:
    """(F, P) +1 where the person's left side appears towards image right, -1 left.

    From the shoulder and hip lines; NaN when undetermined. Only meaningful in
    a front or back view (side-on the two sides overlap in the picture), which
    is why :func:`compute_angles` measures front-view angles only there.
    """
    xy = np.asarray(image_xy, float)
    d = (xy[..., INDEX["left_shoulder"], 0] - xy[..., INDEX["right_shoulder"], 0]
         + xy[..., INDEX["left_hip"], 0] - xy[..., INDEX["right_hip"], 0])
    return _sign(d)


def body_axes(world_m: np.ndarray, segment: str = "pelvis"):
    """Orthonormal body axes (left, up, anterior), each (F, P, 3), in world space.

    ``left`` is the unit vector from the right to the left hip (``'pelvis'``)
    or shoulder (``'thorax'``); ``up`` is the trunk direction (mid-hip to
    mid-shoulder) made perpendicular to ``left``; ``anterior = left x up``
    (right-handed, so it points the way the person faces). The sagittal plane
    is spanned by (anterior, up), the frontal plane by (left, up).
    """
    w = np.asarray(world_m, float)
    pair = ("left_hip", "right_hip") if segment == "pelvis" else ("left_shoulder",
                                                                    "right_shoulder")
    left = _unit(w[..., INDEX[pair[0]], :] - w[..., INDEX[pair[1]], :])
    mid_hip = 0.5 * (w[..., INDEX["left_hip"], :] + w[..., INDEX["right_hip"], :])
    mid_sh = 0.5 * (w[..., INDEX["left_shoulder"], :] + w[..., INDEX["right_shoulder"], :])
    trunk = mid_sh - mid_hip
    up = _unit(trunk - _dot(trunk, left)[..., None] * left)
    anterior = np.cross(left, up)
    return left, up, anterior


def _world_level_axes(world_m: np.ndarray):
    """(left_h, up, anterior_h): world up (-y) and the horizontal body axes."""
    w = np.asarray(world_m, float)
    left = w[..., INDEX["left_hip"], :] - w[..., INDEX["right_hip"], :]
    up = np.zeros_like(left)
    up[..., 1] = -1.0
    left_h = _unit(left - _dot(left, up)[..., None] * up)
    anterior_h = np.cross(left_h, up)
    return left_h, up, anterior_h


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
    a, b = ("left_hip", "right_hip") if segment == "pelvis" else ("left_shoulder",
                                                                   "right_shoulder")
    d = w[..., INDEX[a], :] - w[..., INDEX[b], :]
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(np.abs(d[..., 2]), np.hypot(d[..., 0], d[..., 1])))


def view_matches(yaw_deg, view: str,
                 tolerance_deg: float = VIEW_TOLERANCE_DEG) -> np.ndarray:
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


# --------------------------------------------------------------------------
# computation
# --------------------------------------------------------------------------
class _Frame:
    """Landmark access and plane projections for one space."""

    def __init__(self, seq, space: str):
        self.space = space
        if space == "image":
            self.pts = np.asarray(seq.image_xy, float)
            self.facing = image_facing(seq.image_xy, seq.visibility)
            self.left_dir = image_left_direction(seq.image_xy)
        elif space == "world":
            self.pts = np.asarray(seq.world_m, float)
            self.axes = {s: body_axes(self.pts, s) for s in ("pelvis", "thorax")}
            self.level = _world_level_axes(self.pts)
        else:
            raise ValueError(f"space must be one of {SPACES}, got {space!r}")

    def p(self, name):
        return self.pts[..., INDEX[name], :]

    def mid(self, a, b):
        return 0.5 * (self.p(a) + self.p(b))

    def vec(self, a, b):
        return self.p(b) - self.p(a)

    # projections -> (..., 2) canonical (p, q) coordinates, plus in-plane fraction
    def sagittal(self, v, segment="pelvis", absolute=False):
        if self.space == "image":
            return np.stack([self.facing * v[..., 0], -v[..., 1]], -1), None
        left, up, ant = self.level if absolute else self.axes[segment]
        return self._project(v, ant, up)

    def frontal(self, v, side: str, segment="pelvis", absolute=False):
        """side: 'left', 'right', or '' (midline: p towards the person's left)."""
        s = -1.0 if side == "right" else 1.0
        if self.space == "image":
            return np.stack([s * self.left_dir * v[..., 0], -v[..., 1]], -1), None
        left, up, ant = self.level if absolute else self.axes[segment]
        return self._project(v, s * left, up)

    @staticmethod
    def _project(v, e_p, e_q):
        pq = np.stack([_dot(v, e_p), _dot(v, e_q)], -1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.linalg.norm(pq, axis=-1) / np.linalg.norm(v, axis=-1)
        return pq, frac

    def vertical(self):
        shape = self.pts.shape[:-2] + (2,)
        up = np.zeros(shape)
        up[..., 1] = 1.0
        return up


def _angle(fr: _Frame, d: AngleDef, min_in_plane: float = MIN_IN_PLANE_FRACTION):
    """(values_deg, in_plane_fraction or None) of one AngleDef, each (F, P).

    The fraction (world space only) is the smallest share of a vector's length
    left after projecting it onto the angle's plane, over the vectors used.
    """
    s = d.side
    key = d.key
    fracs = []

    def sag(v, **kw):
        pq, f = fr.sagittal(v, **kw)
        fracs.append(f)
        return pq

    def fro(v, side=s, **kw):
        pq, f = fr.frontal(v, side, **kw)
        fracs.append(f)
        return pq

    def worst():
        fs = [f for f in fracs if f is not None]
        return np.minimum.reduce(fs) if fs else None

    if key == "hip_flexion":
        trunk_down = fr.vec(f"{s}_shoulder", f"{s}_hip")
        thigh = fr.vec(f"{s}_hip", f"{s}_knee")
        return _signed(sag(trunk_down), sag(thigh)), worst()
    if key == "knee_flexion":
        thigh = fr.vec(f"{s}_hip", f"{s}_knee")
        shank = fr.vec(f"{s}_knee", f"{s}_ankle")
        planar = _signed(sag(shank), sag(thigh))
        if fr.space == "image":
            return planar, None
        # world: the full 3-D (hinge) angle, negative only when the sagittal
        # projection says hyperextension; NaN where the body axes are unknown.
        # A leg far out of the sagittal plane (abducted) has no trustworthy
        # sagittal sign: flexion is assumed there, never a noisy sign flip.
        in_plane = worst() >= min_in_plane
        sign = np.where(np.isnan(planar), np.nan,
                        np.where((planar < 0) & in_plane, -1.0, 1.0))
        return sign * _unsigned(thigh, shank), None
    if key == "ankle_dorsiflexion":
        shank_up = fr.vec(f"{s}_ankle", f"{s}_knee")
        foot = fr.vec(f"{s}_heel", f"{s}_foot_index")
        return 90.0 - _unsigned(shank_up, foot), None
    if key == "elbow_flexion":
        upper = fr.vec(f"{s}_shoulder", f"{s}_elbow")
        fore = fr.vec(f"{s}_elbow", f"{s}_wrist")
        return _unsigned(upper, fore), None
    if key == "shoulder_flexion":
        trunk_down = fr.vec(f"{s}_shoulder", f"{s}_hip")
        upper = fr.vec(f"{s}_shoulder", f"{s}_elbow")
        kw = dict(segment="thorax")
        return _wrap(_signed(sag(trunk_down, **kw), sag(upper, **kw))), worst()
    if key == "shoulder_abduction":
        trunk_down = fr.mid("left_hip", "right_hip") - fr.mid("left_shoulder", "right_shoulder")
        upper = fr.vec(f"{s}_shoulder", f"{s}_elbow")
        kw = dict(segment="thorax")
        return _wrap(_signed(fro(trunk_down, **kw), fro(upper, **kw))), worst()
    if key == "knee_valgus":
        thigh = fr.vec(f"{s}_hip", f"{s}_knee")
        shank = fr.vec(f"{s}_knee", f"{s}_ankle")
        return _signed(fro(thigh), fro(shank)), worst()
    if key in ("trunk_inclination", "trunk_lateral_inclination"):
        trunk = fr.mid("left_shoulder", "right_shoulder") - fr.mid("left_hip", "right_hip")
        proj = sag(trunk, absolute=True) if key == "trunk_inclination" \
            else fro(trunk, "", absolute=True)
        up = fr.vertical()
        return _signed(proj, up), worst()
    if key in ("pelvic_obliquity", "shoulder_tilt"):
        a, b = ("left_hip", "right_hip") if key == "pelvic_obliquity" else \
            ("left_shoulder", "right_shoulder")
        line = fr.vec(b, a)  # right to left
        if fr.space == "image":
            return _elevation(np.stack([line[..., 0], -line[..., 1]], -1)), None
        up = fr.level[1]
        height = _dot(line, up)
        horiz = np.linalg.norm(line - height[..., None] * up, axis=-1)
        return np.degrees(np.arctan2(height, horiz)), None
    if key == "neck_flexion":
        trunk = fr.mid("left_shoulder", "right_shoulder") - fr.mid("left_hip", "right_hip")
        neck = fr.mid("left_ear", "right_ear") - fr.mid("left_shoulder", "right_shoulder")
        kw = dict(segment="thorax")
        return _signed(sag(neck, **kw), sag(trunk, **kw)), worst()
    raise KeyError(key)  # pragma: no cover - every catalogue key is handled above


@dataclass(frozen=True)
class AngleSet:
    """Every catalogue angle of a :class:`~dashboard.poses.PoseSequence` in one space.

    Arrays are (F, P, A) with ``A = len(defs)``, in the order of ``defs``.

    raw_deg
        Angle as measured, within its ``AngleDef.value_range``; NaN where the
        confidence is below ``min_confidence``, a landmark is missing, or a
        segment lies too far out of the angle's plane for the angle to be
        defined (``min_in_plane_fraction``).
    value_deg
        ``raw_deg`` after ``filter`` (gap filling, then low-pass). Equal to
        ``raw_deg`` when the filter method is ``'none'`` and no gap is filled,
        and for a photo or frames whose ``time_s`` is not strictly increasing.
    confidence
        Lowest visibility (0..1) of the landmarks the angle uses in this space
        (``AngleDef.landmarks_for(space)``); NaN where nobody was detected.
    foreshortened
        True where the value is suspect because a segment is seen
        foreshortened (image space) or lies mostly out of the angle's plane
        (world space); see :func:`compute_angles`. Values whose segment is
        even further out of the plane (``min_in_plane_fraction``) are not
        flagged but NaN: the angle is undefined there.
    off_view
        Image space: True where the person was found but the frame was not
        filmed from the angle's ``view`` (:func:`view_matches` with
        ``view_tolerance_deg``), so the value is NaN, a gap, whatever its
        confidence. Always False in world space and for ``'any'`` angles.
        ``None`` when constructing means all False.
    """

    defs: Tuple[AngleDef, ...]
    space: str
    raw_deg: np.ndarray
    value_deg: np.ndarray
    confidence: np.ndarray
    foreshortened: np.ndarray
    time_s: np.ndarray
    frame_index: np.ndarray
    person_ids: np.ndarray
    min_confidence: float = 0.5
    foreshortening_ratio: float = 0.7
    filter: FilterSettings = field(default_factory=FilterSettings)
    min_in_plane_fraction: float = MIN_IN_PLANE_FRACTION
    off_view: Optional[np.ndarray] = None
    view_tolerance_deg: float = VIEW_TOLERANCE_DEG

    def __post_init__(self) -> None:
        if self.off_view is None:
            object.__setattr__(self, "off_view", np.zeros(np.shape(self.raw_deg), bool))
        for name in ("raw_deg", "value_deg", "confidence", "foreshortened", "time_s",
                     "frame_index", "person_ids", "off_view"):
            getattr(self, name).setflags(write=False)

    @property
    def names(self) -> Tuple[str, ...]:
        return tuple(d.name for d in self.defs)

    def index(self, key: str, side: str = "") -> int:
        for i, d in enumerate(self.defs):
            if d.key == key and d.side == side:
                return i
        raise KeyError(f"no angle {key!r} with side {side!r} in this set")

    def series(self, key: str, side: str = "", person: int = 0,
               filtered: bool = True) -> np.ndarray:
        """(F,) values of one angle for one person slot."""
        arr = self.value_deg if filtered else self.raw_deg
        return arr[:, person, self.index(key, side)]

    def with_filter(self, settings: FilterSettings) -> "AngleSet":
        """The same raw angles with ``value_deg`` recomputed by ``settings``."""
        return replace(self, value_deg=_apply_filter(settings, self.raw_deg, self.time_s,
                                                     self.defs),
                       filter=settings)


def compute_angles(seq, space: str = "image", min_confidence: float = 0.5,
                   foreshortening_ratio: float = 0.7,
                   filter: Optional[FilterSettings] = None,
                   defs: Sequence[AngleDef] = CATALOGUE,
                   min_in_plane_fraction: float = MIN_IN_PLANE_FRACTION,
                   view_tolerance_deg: float = VIEW_TOLERANCE_DEG) -> AngleSet:
    """Compute every angle of ``defs`` for every frame and person of ``seq``.

    Parameters
    ----------
    seq
        A :class:`~dashboard.poses.PoseSequence`.
    space
        ``'image'`` (pixel coordinates) or ``'world'`` (metric world landmarks).
    min_confidence
        Values whose confidence (the lowest visibility among the angle's
        landmarks) is below this are NaN: a gap, never an invented number.
    foreshortening_ratio
        Image space: a value is flagged when one of its segments is shorter
        than this fraction of the segment's 95th-percentile length over the
        person's confident frames (at least 5 such frames are needed;
        otherwise nothing is flagged). A thigh seen at 0.7 of its usual length
        points about 45 deg out of the image plane. World space: a planar
        value is flagged when a vector it uses keeps less than this fraction
        of its length once projected onto the angle's plane.
    min_in_plane_fraction
        Below this fraction (default :data:`MIN_IN_PLANE_FRACTION`, 0.5: more
        than 60 deg out of the plane) the value is not flagged but NaN: the
        in-plane angle of a segment pointing mostly out of the plane is
        undefined, dominated by noise, and free to wrap past +-180 deg. World
        space: the in-plane fraction of each vector the planar angle uses
        (the 3-D knee and elbow angles and the ankle angle need no plane).
        Image space: a segment's length against its 95th-percentile length,
        as for ``foreshortening_ratio`` (so not for a single photo), for
        every angle, since every image-space angle is a projection onto the
        picture.
    view_tolerance_deg
        Image space only: an angle whose catalogue ``view`` is ``'side'`` is
        NaN in every frame where its body segment's left-right line
        (``AngleDef.body_segment``, :func:`camera_yaw_deg` of the world
        landmarks) is more than this many degrees from pointing at the camera;
        a ``'front'`` angle where it is more than this from lying in the
        picture (default :data:`VIEW_TOLERANCE_DEG`, 30; 90 turns the check
        off). A frame whose view is unknown (no world landmarks) gives NaN
        too. Such values are not guessed: in the wrong view the picture shows
        the other plane's movement and the sign of the angle is read from
        cues seen edge-on. ``'any'`` angles (elbow flexion) and world space are
        not checked. ``AngleSet.off_view`` records where this applied.
    filter
        Gap filling and low-pass producing ``value_deg`` (default
        :class:`~dashboard.kinematics.filters.FilterSettings()`: zero-phase Butterworth,
        6 Hz, order 4, gaps up to 0.25 s bridged). It never runs or bridges
        across a step of more than :data:`MAX_STEP_DEG` between two valid
        samples, so a value crossing the end of its ``value_range`` is never
        smeared across 360 deg.

    Values are reported within ``AngleDef.value_range``.
    """
    if not 0.0 <= float(min_confidence) <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence}")
    if not 0.0 <= float(foreshortening_ratio) <= 1.0:
        raise ValueError("foreshortening_ratio must be between 0 and 1")
    if not 0.0 <= float(min_in_plane_fraction) <= 1.0:
        raise ValueError("min_in_plane_fraction must be between 0 and 1")
    if not 0.0 <= float(view_tolerance_deg) <= 90.0:
        raise ValueError("view_tolerance_deg must be between 0 and 90")
    filter = FilterSettings() if filter is None else filter
    defs = tuple(defs)
    fr = _Frame(seq, space)
    vis = np.asarray(seq.visibility, float)
    f, p = vis.shape[:2]
    raw = np.full((f, p, len(defs)), np.nan)
    conf = np.full((f, p, len(defs)), np.nan)
    flag = np.zeros((f, p, len(defs)), bool)
    off_view = np.zeros((f, p, len(defs)), bool)
    seg_cache: Dict[Tuple[str, str], np.ndarray] = {}
    yaw: Dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for i, d in enumerate(defs):
            values, frac = _angle(fr, d, float(min_in_plane_fraction))
            c = np.min(vis[..., [INDEX[n] for n in d.landmarks_for(space)]], axis=-1)
            conf[..., i] = c
            if space == "image":
                # in-plane fraction of an image segment: its length against its
                # robust maximum (NaN, i.e. no check, without a reference)
                ratios = []
                for seg in d.segments:
                    if seg not in seg_cache:
                        seg_cache[seg] = _length_ratio(fr, vis, seg, min_confidence)
                    ratios.append(seg_cache[seg])
                frac = np.fmin.reduce(ratios) if ratios else None
            ok = np.isfinite(c) & (c >= min_confidence) & np.isfinite(values)
            if space == "image" and d.view != "any":
                # measured only in frames filmed from the angle's view
                if d.body_segment not in yaw:
                    yaw[d.body_segment] = camera_yaw_deg(seq.world_m, d.body_segment)
                in_view = view_matches(yaw[d.body_segment], d.view, view_tolerance_deg)
                off_view[..., i] = np.isfinite(c) & ~in_view
                ok &= in_view
            if frac is not None:
                ok &= ~(frac < min_in_plane_fraction)  # NaN fraction: not checked
                flag[..., i] = ok & (frac < foreshortening_ratio)
            raw[..., i] = np.where(ok, _wrap_into(values, d.value_range), np.nan)
    value = _apply_filter(filter, raw, seq.time_s, defs)
    return AngleSet(defs=defs, space=space, raw_deg=raw, value_deg=value, confidence=conf,
                    foreshortened=flag, time_s=np.array(seq.time_s, float),
                    frame_index=np.array(seq.frame_index), person_ids=np.array(seq.person_ids),
                    min_confidence=float(min_confidence),
                    foreshortening_ratio=float(foreshortening_ratio), filter=filter,
                    min_in_plane_fraction=float(min_in_plane_fraction), off_view=off_view,
                    view_tolerance_deg=float(view_tolerance_deg))


#: A step larger than this between two consecutive valid samples of one series
#: is a discontinuity, never a movement: the filter and gap filling do not
#: cross it (on a circle, a step over 180 deg is as close to the other way round).
MAX_STEP_DEG = 180.0


def _discontinuities(x: np.ndarray) -> np.ndarray:
    """Indices i of a 1-D series where a valid sample differs from the previous
    valid one by more than :data:`MAX_STEP_DEG` (the series restarts at i)."""
    ok = np.flatnonzero(np.isfinite(x))
    if len(ok) < 2:
        return ok[:0]
    steps = np.abs(np.diff(x[ok]))
    return ok[1:][steps > MAX_STEP_DEG]


def _apply_filter(settings: FilterSettings, raw, time_s, defs=None) -> np.ndarray:
    """Gap filling and low-pass of ``raw`` (F, P, A).

    A series with a step over :data:`MAX_STEP_DEG` (a value crossing the end
    of its ``value_range``, or a sign flipping in the wrong camera view) is
    filtered piece by piece, so the filter never smears it across 360 deg and
    values stay within the range.
    """
    t = np.asarray(time_s, float)
    raw = np.array(raw, float)
    if not (len(t) > 1 and np.all(np.diff(t) > 0)):
        return raw  # a photo, or frames without usable timestamps
    out = settings.apply(raw, t)
    cols_in = raw.reshape(raw.shape[0], -1)
    cols_out = out.reshape(out.shape[0], -1)
    for c in range(cols_in.shape[1]):
        cuts = _discontinuities(cols_in[:, c])
        if not len(cuts):
            continue
        bounds = [0, *cuts.tolist(), len(t)]
        for a, b in zip(bounds[:-1], bounds[1:]):
            cols_out[a:b, c] = settings.apply(cols_in[a:b, c], t[a:b]) if b - a > 1 \
                else cols_in[a:b, c]
    out = cols_out.reshape(out.shape)
    if defs is not None:
        for i, d in enumerate(defs):
            out[..., i] = _wrap_into(out[..., i], d.value_range)
    return out


_MIN_REFERENCE_FRAMES = 5


def _length_ratio(fr: _Frame, vis, seg, min_confidence) -> np.ndarray:
    """(F, P) image length of a segment over its robust maximum (95th percentile of
    the person's confident frames); NaN where unknown or without a reference."""
    length = np.linalg.norm(fr.vec(*seg), axis=-1)
    c = np.minimum(vis[..., INDEX[seg[0]]], vis[..., INDEX[seg[1]]])
    good = np.isfinite(length) & np.isfinite(c) & (c >= min_confidence)
    out = np.full(length.shape, np.nan)
    for person in range(length.shape[1]):
        ok = good[:, person]
        if ok.sum() < _MIN_REFERENCE_FRAMES:
            continue
        ref = np.percentile(length[ok, person], 95)
        if ref > 0:
            out[ok, person] = length[ok, person] / ref
    return out


def iter_series(angle_set: AngleSet) -> Iterable[Tuple[int, int, AngleDef]]:
    """(person slot, angle column, def) for every series of a set."""
    for person in range(angle_set.raw_deg.shape[1]):
        for i, d in enumerate(angle_set.defs):
            yield person, i, d
