"""Landmark geometry: vector helpers, body directions, and plane projections.

Functions here are vectorised over leading axes (frames, people), with the
vector in the last axis, and NaN-aware: a missing landmark gives NaN, never a
guess.

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
or right, towards or away from the camera, gets the same angles. In world
space the planes are built from the body itself (:func:`body_axes`), or from
world up for absolute angles (:func:`world_level_axes`).
"""

from __future__ import annotations

import numpy as np

from dashboard.skeleton import INDEX

__all__ = [
    "SPACES",
    "Projector",
    "body_axes",
    "dot",
    "elevation",
    "image_facing",
    "image_left_direction",
    "sign_or_nan",
    "signed_angle",
    "unit",
    "unsigned_angle",
    "world_level_axes",
    "wrap",
    "wrap_into",
]

#: The spaces angles are measured in: pixels of the picture, or metric world landmarks.
SPACES = ("image", "world")


# --------------------------------------------------------------------------
# vector helpers
# --------------------------------------------------------------------------
def dot(a, b):
    """Dot product over the last axis."""
    return np.sum(a * b, axis=-1)


def unit(v):
    """``v`` scaled to length 1 (NaN for a zero vector)."""
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, v / n, np.nan)


def signed_angle(a_pq, b_pq):
    """Signed angle (deg) rotating 2-D vector a to b; positive turns down towards +p."""
    cross = a_pq[..., 0] * b_pq[..., 1] - a_pq[..., 1] * b_pq[..., 0]
    return np.degrees(np.arctan2(cross, dot(a_pq, b_pq)))


def unsigned_angle(a, b):
    """Angle (deg, 0..180) between vectors of any dimension."""
    if a.shape[-1] == 2:
        cross = np.abs(a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0])
    else:
        cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.degrees(np.arctan2(cross, dot(a, b)))


def elevation(v_pq):
    """Angle (deg) of a vector above the horizontal, independent of its p direction."""
    return np.degrees(np.arctan2(v_pq[..., 1], np.abs(v_pq[..., 0])))


def wrap(deg, low=-90.0):
    """Wrap to [low, low + 360)."""
    return (deg - low) % 360.0 + low


def wrap_into(deg, value_range):
    """Values of a 360-deg-wide ``value_range`` brought into it; others unchanged.

    Only values outside the range move, so (-180, 180] from ``arctan2`` keeps 180.
    """
    low, high = value_range
    if high - low != 360.0:
        return deg
    with np.errstate(invalid="ignore"):
        outside = (deg < low) | (deg > high)
    return np.where(outside, wrap(deg, low), deg)


def sign_or_nan(x):
    """+1 or -1, NaN where ``x`` is 0 or NaN (undetermined)."""
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
    landmark noise, which is why side-view angles are measured only in side-on
    frames (:data:`dashboard.kinematics.views.VIEW_TOLERANCE_DEG`).
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
        total += turn(
            pt(f"{s}_knee") - pt(f"{s}_ankle"),
            pt(f"{s}_foot_index") - pt(f"{s}_heel"),
            (f"{s}_knee", f"{s}_ankle", f"{s}_heel", f"{s}_foot_index"),
        )
    mid_sh = 0.5 * (pt("left_shoulder") + pt("right_shoulder"))
    mid_ear = 0.5 * (pt("left_ear") + pt("right_ear"))
    total += turn(
        mid_ear - mid_sh,
        pt("nose") - mid_ear,
        ("left_shoulder", "right_shoulder", "left_ear", "right_ear", "nose"),
    )
    return sign_or_nan(np.round(total, 12))


def image_left_direction(image_xy: np.ndarray) -> np.ndarray:
    """(F, P) +1 where the person's left side appears towards image right, -1 left.

    From the shoulder and hip lines; NaN when undetermined. Only meaningful in
    a front or back view (side-on the two sides overlap in the picture), which
    is why front-view angles are measured only there.
    """
    xy = np.asarray(image_xy, float)
    d = (
        xy[..., INDEX["left_shoulder"], 0]
        - xy[..., INDEX["right_shoulder"], 0]
        + xy[..., INDEX["left_hip"], 0]
        - xy[..., INDEX["right_hip"], 0]
    )
    return sign_or_nan(d)


def body_axes(world_m: np.ndarray, segment: str = "pelvis"):
    """Orthonormal body axes (left, up, anterior), each (F, P, 3), in world space.

    ``left`` is the unit vector from the right to the left hip (``'pelvis'``)
    or shoulder (``'thorax'``); ``up`` is the trunk direction (mid-hip to
    mid-shoulder) made perpendicular to ``left``; ``anterior = left x up``
    (right-handed, so it points the way the person faces). The sagittal plane
    is spanned by (anterior, up), the frontal plane by (left, up).
    """
    w = np.asarray(world_m, float)
    pair = ("left_hip", "right_hip") if segment == "pelvis" else ("left_shoulder", "right_shoulder")
    left = unit(w[..., INDEX[pair[0]], :] - w[..., INDEX[pair[1]], :])
    mid_hip = 0.5 * (w[..., INDEX["left_hip"], :] + w[..., INDEX["right_hip"], :])
    mid_sh = 0.5 * (w[..., INDEX["left_shoulder"], :] + w[..., INDEX["right_shoulder"], :])
    trunk = mid_sh - mid_hip
    up = unit(trunk - dot(trunk, left)[..., None] * left)
    anterior = np.cross(left, up)
    return left, up, anterior


def world_level_axes(world_m: np.ndarray):
    """(left_h, up, anterior_h): world up (-y) and the horizontal body axes."""
    w = np.asarray(world_m, float)
    left = w[..., INDEX["left_hip"], :] - w[..., INDEX["right_hip"], :]
    up = np.zeros_like(left)
    up[..., 1] = -1.0
    left_h = unit(left - dot(left, up)[..., None] * up)
    anterior_h = np.cross(left_h, up)
    return left_h, up, anterior_h


# --------------------------------------------------------------------------
# plane projections
# --------------------------------------------------------------------------
class Projector:
    """Landmark access and plane projections of one sequence in one space.

    ``sagittal`` and ``frontal`` return (..., 2) canonical ``(p, q)``
    coordinates and the in-plane fraction of the vector (world space; None in
    image space, where every vector already lies in the picture).
    """

    def __init__(self, seq, space: str):
        self.space = space
        if space == "image":
            self.pts = np.asarray(seq.image_xy, float)
            self.facing = image_facing(seq.image_xy, seq.visibility)
            self.left_dir = image_left_direction(seq.image_xy)
        elif space == "world":
            self.pts = np.asarray(seq.world_m, float)
            self.axes = {s: body_axes(self.pts, s) for s in ("pelvis", "thorax")}
            self.level = world_level_axes(self.pts)
        else:
            raise ValueError(f"space must be one of {SPACES}, got {space!r}")

    def p(self, name):
        return self.pts[..., INDEX[name], :]

    def mid(self, a, b):
        return 0.5 * (self.p(a) + self.p(b))

    def vec(self, a, b):
        return self.p(b) - self.p(a)

    def sagittal(self, v, segment="pelvis", absolute=False):
        if self.space == "image":
            return np.stack([self.facing * v[..., 0], -v[..., 1]], -1), None
        _left, up, ant = self.level if absolute else self.axes[segment]
        return self._project(v, ant, up)

    def frontal(self, v, side: str, segment="pelvis", absolute=False):
        """side: 'left', 'right', or '' (midline: p towards the person's left)."""
        s = -1.0 if side == "right" else 1.0
        if self.space == "image":
            return np.stack([s * self.left_dir * v[..., 0], -v[..., 1]], -1), None
        left, up, _ant = self.level if absolute else self.axes[segment]
        return self._project(v, s * left, up)

    @staticmethod
    def _project(v, e_p, e_q):
        pq = np.stack([dot(v, e_p), dot(v, e_q)], -1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.linalg.norm(pq, axis=-1) / np.linalg.norm(v, axis=-1)
        return pq, frac

    def vertical(self):
        shape = (*self.pts.shape[:-2], 2)
        up = np.zeros(shape)
        up[..., 1] = 1.0
        return up
