"""The catalogue of clinical angles: what each one measures, and how.

Every angle follows the neutral-zero convention of goniometry: 0 deg is the
anatomical position (standing upright, arms by the side, palms forward, feet
flat). :data:`CATALOGUE` lists each angle with its landmarks, plane, sign
convention, zero reference, the camera view for which its image-space value is
valid, and the function that measures it (one per angle, in
:mod:`dashboard.kinematics.measures`). ``docs/angles.md`` explains every
definition in prose.

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
    from the body itself (see :func:`dashboard.kinematics.geometry.body_axes`),
    so they do not depend on the camera view; absolute angles (trunk
    inclination, pelvic obliquity, shoulder tilt) use world "up", ``-y``, which
    is gravity-aligned only if the camera was level. World landmarks are a
    model's 3-D estimate from one camera: depth is the least reliable direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from dashboard.kinematics import measures
from dashboard.kinematics.geometry import SPACES

__all__ = [
    "ANGLE_KEYS",
    "BODY_AXIS_LANDMARKS",
    "CATALOGUE",
    "MIN_IN_PLANE_FRACTION",
    "ORDERED_KEYS",
    "REGIONS",
    "SPACES",
    "VIEWS",
    "AngleDef",
    "angle_def",
    "sides",
]

#: Camera views an image-space angle can be valid for.
VIEWS = {
    "side": "side (sagittal) view: camera at 90 deg to the direction the person faces",
    "front": "front or back (frontal) view: camera facing the person, or their back",
    "any": "any view in which the limb moves in a plane parallel to the image",
}
#: Landmarks that define the body axes in world space (see
#: :func:`dashboard.kinematics.geometry.body_axes`).
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
#: out of the plane) the value is kept and flagged. See
#: :func:`dashboard.kinematics.compute.compute_angles`.
MIN_IN_PLANE_FRACTION = 0.5

#: Measures one angle of one side: (projector, side, min in-plane fraction) ->
#: (values_deg, in-plane fraction or None), each (F, P).
MeasureFn = Callable[..., tuple[np.ndarray, np.ndarray | None]]


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
        :func:`dashboard.kinematics.compute.compute_angles`).
    plane
        ``'sagittal'``, ``'frontal'`` or ``'3d'`` (the full angle between two
        segments in world space; its image-space value is a projection).
    view
        Camera view for which the image-space value is valid (:data:`VIEWS`).
        ``'side'`` and ``'front'`` image values are NaN in frames not filmed
        from that view (:func:`dashboard.kinematics.views.view_matches`); ``'any'`` is not checked.
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
        angles; see :func:`dashboard.kinematics.views.camera_yaw_deg`).
    measure
        The function of :mod:`dashboard.kinematics.measures` computing it
        (the function named like ``key``).
    """

    key: str
    label: str
    side: str
    landmarks: tuple[str, ...]
    world_landmarks: tuple[str, ...]
    segments: tuple[tuple[str, str], ...]
    plane: str
    view: str
    positive: str
    zero: str
    description: str
    value_range: tuple[float, float] = (-180.0, 180.0)
    body_segment: str = "pelvis"
    measure: MeasureFn | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """Unique name, e.g. ``'knee_flexion_left'`` or ``'trunk_inclination'``."""
        return f"{self.key}_{self.side}" if self.side else self.key

    @property
    def display(self) -> str:
        """Label with the side, e.g. ``'Knee flexion (left)'``."""
        return f"{self.label} ({self.side})" if self.side else self.label

    def landmarks_for(self, space: str) -> tuple[str, ...]:
        return self.landmarks if space == "image" else self.world_landmarks


def _measure(key: str) -> MeasureFn:
    """The measuring function registered for ``key``: ``measures.<key>``."""
    fn = getattr(measures, key, None)
    if fn is None:  # pragma: no cover - a catalogue entry without its function
        raise LookupError(f"no function measures {key!r} in dashboard.kinematics.measures")
    return fn


def _sided(
    key,
    label,
    names,
    segments,
    plane,
    view,
    positive,
    zero,
    description,
    body_axes_in_world=True,
    value_range=(-180.0, 180.0),
    body_segment="pelvis",
):
    """Left and right AngleDefs from templates using '{s}' for the side."""
    out = []
    for side in ("left", "right"):
        lms = tuple(n.format(s=side) for n in names)
        world = (
            lms + tuple(n for n in BODY_AXIS_LANDMARKS if n not in lms)
            if body_axes_in_world
            else lms
        )
        segs = tuple((a.format(s=side), b.format(s=side)) for a, b in segments)
        out.append(
            AngleDef(
                key,
                label,
                side,
                lms,
                world,
                segs,
                plane,
                view,
                positive,
                zero,
                description,
                value_range,
                body_segment,
                _measure(key),
            )
        )
    return out


def _midline(
    key,
    label,
    names,
    segments,
    plane,
    view,
    positive,
    zero,
    description,
    value_range=(-180.0, 180.0),
    body_segment="pelvis",
):
    world = tuple(names) + tuple(n for n in BODY_AXIS_LANDMARKS if n not in names)
    return [
        AngleDef(
            key,
            label,
            "",
            tuple(names),
            world,
            tuple(segments),
            plane,
            view,
            positive,
            zero,
            description,
            value_range,
            body_segment,
            _measure(key),
        )
    ]


_TRUNK = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")

CATALOGUE: tuple[AngleDef, ...] = tuple(
    _sided(
        "hip_flexion",
        "Hip flexion / extension",
        ("{s}_shoulder", "{s}_hip", "{s}_knee"),
        (("{s}_hip", "{s}_knee"), ("{s}_shoulder", "{s}_hip")),
        "sagittal",
        "side",
        "flexion (knee in front of the trunk line) positive, extension negative",
        "thigh in line with the trunk",
        "Sagittal-plane angle from the trunk line (shoulder to hip, same side) to the "
        "thigh (hip to knee).",
    )
    + _sided(
        "knee_flexion",
        "Knee flexion",
        ("{s}_hip", "{s}_knee", "{s}_ankle"),
        (("{s}_hip", "{s}_knee"), ("{s}_knee", "{s}_ankle")),
        "sagittal",
        "side",
        "flexion positive; hyperextension negative",
        "straight leg (thigh and shank in line)",
        "Angle between the thigh (hip to knee) and the shank (knee to ankle). Image: "
        "signed in the image plane. World: the full 3-D angle between the segments "
        "(the knee is a hinge), negative only when the shank is in front of the thigh "
        "line in the sagittal plane.",
    )
    + _sided(
        "ankle_dorsiflexion",
        "Ankle dorsi- / plantarflexion",
        ("{s}_knee", "{s}_ankle", "{s}_heel", "{s}_foot_index"),
        (("{s}_knee", "{s}_ankle"), ("{s}_heel", "{s}_foot_index")),
        "sagittal",
        "side",
        "dorsiflexion (toes towards the shin) positive, plantarflexion negative",
        "foot line perpendicular to the shank",
        "90 deg minus the angle between the shank (ankle to knee) and the foot line "
        "(heel to foot index). Needs no facing direction.",
        body_axes_in_world=False,
        value_range=(-90.0, 90.0),
    )
    + _sided(
        "elbow_flexion",
        "Elbow flexion",
        ("{s}_shoulder", "{s}_elbow", "{s}_wrist"),
        (("{s}_shoulder", "{s}_elbow"), ("{s}_elbow", "{s}_wrist")),
        "3d",
        "any",
        "flexion positive (unsigned: a hyperextended elbow also reads positive)",
        "straight arm",
        "Angle between the upper arm (shoulder to elbow) and the forearm (elbow to "
        "wrist). Image: valid when the arm moves parallel to the image (side view for "
        "a biceps curl). World: the full 3-D angle.",
        body_axes_in_world=False,
        value_range=(0.0, 180.0),
    )
    + _sided(
        "shoulder_flexion",
        "Shoulder flexion / extension",
        ("{s}_shoulder", "{s}_elbow", "{s}_hip"),
        (("{s}_shoulder", "{s}_elbow"), ("{s}_shoulder", "{s}_hip")),
        "sagittal",
        "side",
        "flexion (arm forwards) positive, extension (arm backwards) negative; "
        "reported from -90 to 270 deg",
        "arm by the side, along the trunk line",
        "Sagittal-plane angle from the trunk line (shoulder to hip, same side) to the "
        "upper arm (shoulder to elbow).",
        value_range=(-90.0, 270.0),
        body_segment="thorax",
    )
    + _sided(
        "shoulder_abduction",
        "Shoulder abduction",
        ("{s}_shoulder", "{s}_elbow", "left_shoulder", "right_shoulder", "left_hip", "right_hip"),
        (("{s}_shoulder", "{s}_elbow"),),
        "frontal",
        "front",
        "abduction (arm away from the body, sideways) positive, adduction across the "
        "midline negative; reported from -90 to 270 deg",
        "arm by the side, parallel to the trunk midline",
        "Frontal-plane angle from the trunk midline (mid-shoulder to mid-hip) to the "
        "upper arm (shoulder to elbow).",
        value_range=(-90.0, 270.0),
        body_segment="thorax",
    )
    + _sided(
        "knee_valgus",
        "Knee frontal-plane projection angle",
        (
            "{s}_hip",
            "{s}_knee",
            "{s}_ankle",
            "left_shoulder",
            "right_shoulder",
            "left_hip",
            "right_hip",
        ),
        (("{s}_hip", "{s}_knee"), ("{s}_knee", "{s}_ankle")),
        "frontal",
        "front",
        "valgus (knee medial to the hip-ankle line, 'knock-knee') positive, varus negative",
        "thigh and shank in line in the frontal plane",
        "Frontal-plane angle from the thigh (hip to knee) to the shank (knee to ankle): "
        "180 deg minus the interior FPPA of the literature, signed.",
    )
    + _midline(
        "trunk_inclination",
        "Trunk inclination",
        _TRUNK,
        (("left_shoulder", "left_hip"), ("right_shoulder", "right_hip")),
        "sagittal",
        "side",
        "forward lean positive, backward lean negative",
        "trunk vertical",
        "Sagittal-plane angle of the trunk (mid-hip to mid-shoulder) from vertical: "
        "image vertical in image space, world up (-y) in world space.",
    )
    + _midline(
        "trunk_lateral_inclination",
        "Trunk lateral inclination",
        _TRUNK,
        (("left_shoulder", "left_hip"), ("right_shoulder", "right_hip")),
        "frontal",
        "front",
        "lean towards the person's left positive, towards the right negative",
        "trunk vertical",
        "Frontal-plane angle of the trunk (mid-hip to mid-shoulder) from vertical.",
    )
    + _midline(
        "pelvic_obliquity",
        "Pelvic obliquity",
        ("left_hip", "right_hip"),
        (("left_hip", "right_hip"),),
        "frontal",
        "front",
        "left hip higher than the right positive (right hip higher negative)",
        "hips level",
        "Angle of the hip line (right hip to left hip) above the horizontal.",
        value_range=(-90.0, 90.0),
    )
    + _midline(
        "shoulder_tilt",
        "Shoulder tilt",
        ("left_shoulder", "right_shoulder"),
        (("left_shoulder", "right_shoulder"),),
        "frontal",
        "front",
        "left shoulder higher than the right positive (right higher negative)",
        "shoulders level",
        "Angle of the shoulder line (right shoulder to left shoulder) above the horizontal.",
        value_range=(-90.0, 90.0),
        body_segment="thorax",
    )
    + _midline(
        "neck_flexion",
        "Neck flexion / extension",
        ("left_ear", "right_ear", *_TRUNK),
        (("left_shoulder", "left_ear"), ("right_shoulder", "right_ear")),
        "sagittal",
        "side",
        "flexion (head forwards) positive, extension negative",
        "ears in line with the trunk (mid-hip to mid-shoulder)",
        "Sagittal-plane angle from the trunk line (mid-hip to mid-shoulder) to the "
        "neck line (mid-shoulder to mid-ear).",
        body_segment="thorax",
    )
)

ANGLE_KEYS: tuple[str, ...] = tuple(dict.fromkeys(d.key for d in CATALOGUE))
_BY_KEY: dict[tuple[str, str], int] = {(d.key, d.side): i for i, d in enumerate(CATALOGUE)}
_FIRST: dict[str, int] = {}
for _i, _d in enumerate(CATALOGUE):
    _FIRST.setdefault(_d.key, _i)


def angle_def(key: str, side: str | None = "") -> AngleDef:
    """The catalogue entry for ``key`` and ``side`` ('left', 'right' or '').

    ``side=None``: the first entry of ``key`` whatever its side (for what both
    sides share: label, plane, view, sign and zero).
    """
    try:
        if side is None:
            return CATALOGUE[_FIRST[key]]
        return CATALOGUE[_BY_KEY[(key, side)]]
    except KeyError:
        raise KeyError(f"no angle {key!r} with side {side!r}") from None


def sides(key: str) -> tuple[str, ...]:
    """The sides ``key`` is measured on: ('left', 'right'), or ('',) for a midline angle."""
    if key not in _FIRST:
        raise KeyError(f"no angle {key!r}")
    return tuple(d.side for d in CATALOGUE if d.key == key)


#: Body regions, in the order a physiotherapist reads them (menus, tables).
REGIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Leg", ("hip_flexion", "knee_flexion", "ankle_dorsiflexion", "knee_valgus")),
    ("Arm", ("shoulder_flexion", "shoulder_abduction", "elbow_flexion")),
    (
        "Trunk and head",
        (
            "trunk_inclination",
            "trunk_lateral_inclination",
            "pelvic_obliquity",
            "shoulder_tilt",
            "neck_flexion",
        ),
    ),
)
_REGION_OF = {key: region for region, keys in REGIONS for key in keys}
#: Angle keys by body region (legs, arms, then trunk and head).
ORDERED_KEYS: tuple[str, ...] = tuple(k for _, keys in REGIONS for k in keys) + tuple(
    k for k in ANGLE_KEYS if k not in _REGION_OF
)
