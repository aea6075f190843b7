"""Geometry of measurements made by hand on a picture. Pure functions, no UI.

Points are ``(x, y)`` in the picture's pixels, x to the right and y down (the
coordinates the click-on-frame component returns). Angles are measured in the
picture, as a goniometer held against a photograph reads them: a true joint angle
only when the joint moves in a plane square to the camera (a side view for knee,
hip and ankle flexion).

- :func:`angle_at`: the angle at a vertex between two arms (three points), 0-180°.
- :func:`segments_angle`: the angle between two segments, each drawn from its first
  point to its second, 0-180° (e.g. trunk against vertical, shank against thigh).
- :func:`distance_px` and :class:`Scale`: a distance between two points in metres once
  the picture's scale is known: from a reference of known length in the picture
  (:func:`scale_from_reference`: two floor marks, a ruler) or from the patient's
  height (:func:`scale_from_height`).
- :func:`check_points`: the points are numbers, on the picture, and distinct enough
  to measure with; otherwise an :class:`~dashboard.errors.InputError` says which
  point is wrong and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from dashboard.errors import InputError

__all__ = [
    "MIN_ARM_PX",
    "Scale",
    "angle_at",
    "check_points",
    "distance_px",
    "scale_from_height",
    "scale_from_reference",
    "segments_angle",
]

#: Arms (and reference lengths) shorter than this, in picture pixels, cannot give an
#: angle or a scale worth reading: a one-pixel error is then several degrees.
MIN_ARM_PX = 5.0
#: A reference length (m) must lie in this range.
REFERENCE_RANGE_M = (0.05, 50.0)
#: Stated uncertainty of a height-based scale: eye-height ratio +-1.5 %, posture and
#: landmark noise +-2 %, the measured points not at the person's distance +-2 %.
HEIGHT_SCALE_ERROR_PCT = 5.0
#: Stated uncertainty of a reference-based scale: one pixel at each end of the
#: reference, plus the measured points not in the reference's plane.
REFERENCE_SCALE_ERROR_PCT = 2.0

Point = Sequence[float]


def _xy(p: Point | None, name: str) -> tuple[float, float]:
    try:
        if p is None:
            raise TypeError("no point")
        x, y = float(p[0]), float(p[1])
    except (TypeError, ValueError, IndexError):
        raise InputError(f"{name} is not a point (two numbers are needed).") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InputError(f"{name} has no position (its coordinates are not numbers).")
    return x, y


def check_points(
    points: Sequence[Point | None], image_size: tuple[int, int] | None = None, names=None
) -> list[tuple[float, float]]:
    """``points`` as floats, checked: each is two finite numbers and, when
    ``image_size`` (width, height) is given, lies on the picture (edges included).

    Raises
    ------
    InputError
        Naming the point ("Point 2", or its name from ``names``) and the reason.
    """
    out = []
    for i, p in enumerate(points):
        name = names[i] if names and i < len(names) else f"Point {i + 1}"
        x, y = _xy(p, name)
        if image_size is not None:
            w, h = image_size
            if not (0 <= x <= w and 0 <= y <= h):
                raise InputError(
                    f"{name} is off the picture (at {x:.0f}, {y:.0f}; the picture is "
                    f"{w} × {h} pixels).",
                    "Place every point on the picture.",
                )
        out.append((x, y))
    return out


def distance_px(a: Point, b: Point) -> float:
    """Distance between two points, in picture pixels."""
    (ax, ay), (bx, by) = _xy(a, "The first point"), _xy(b, "The second point")
    return math.hypot(bx - ax, by - ay)


def _vector_angle(u: tuple[float, float], v: tuple[float, float]) -> float:
    """Angle between two vectors, 0-180°, stable near 0° and 180° (atan2 of the
    cross and dot products rather than acos of the cosine)."""
    cross = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1]
    return math.degrees(math.atan2(abs(cross), dot))


def angle_at(a: Point, vertex: Point, c: Point) -> float:
    """The angle at ``vertex`` between the arms to ``a`` and to ``c``, in degrees
    (0-180): what a goniometer centred on ``vertex`` reads.

    Raises InputError when an arm is shorter than :data:`MIN_ARM_PX`.

    >>> round(angle_at((10, 0), (0, 0), (0, 10)), 6)
    90.0
    """
    (ax, ay), (vx, vy), (cx, cy) = (
        _xy(a, "Point 1"),
        _xy(vertex, "Point 2 (the vertex)"),
        _xy(c, "Point 3"),
    )
    u, v = (ax - vx, ay - vy), (cx - vx, cy - vy)
    for i, arm in ((1, u), (3, v)):
        if math.hypot(*arm) < MIN_ARM_PX:
            raise InputError(
                f"Point {i} is too close to the vertex (point 2) to measure an angle.",
                f"Place the arms at least {MIN_ARM_PX:.0f} pixels long, along the limb.",
            )
    return _vector_angle(u, v)


def segments_angle(p1: Point, p2: Point, p3: Point, p4: Point) -> float:
    """The angle between segment 1 (from ``p1`` to ``p2``) and segment 2 (from ``p3``
    to ``p4``), in degrees (0-180; 0 = same direction, 180 = opposite). The segments
    need not touch.

    >>> round(segments_angle((0, 0), (10, 0), (5, 5), (5, 15)), 6)
    90.0
    """
    pts = [_xy(p, f"Point {i + 1}") for i, p in enumerate((p1, p2, p3, p4))]
    u = (pts[1][0] - pts[0][0], pts[1][1] - pts[0][1])
    v = (pts[3][0] - pts[2][0], pts[3][1] - pts[2][1])
    for i, seg in ((1, u), (2, v)):
        if math.hypot(*seg) < MIN_ARM_PX:
            raise InputError(
                f"Segment {i} is too short to give a direction.",
                f"Draw each segment at least {MIN_ARM_PX:.0f} pixels long.",
            )
    return _vector_angle(u, v)


@dataclass(frozen=True)
class Scale:
    """Metres per picture pixel, and how that was found.

    method
        ``'reference'`` (a length known in the picture) or ``'height'`` (the
        patient's height and their standing height in pixels).
    detail
        One sentence for the record, e.g. "reference of 2.00 m over 812 px".
    relative_error_pct
        Stated uncertainty of lengths measured with this scale.
    """

    metres_per_px: float
    method: str
    detail: str
    relative_error_pct: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.metres_per_px) and self.metres_per_px > 0):
            raise InputError("The scale of the picture is not a positive number.")
        if self.method not in ("reference", "height"):
            raise ValueError(f"unknown scale method {self.method!r}")

    def metres(self, a: Point, b: Point) -> float:
        """The distance between ``a`` and ``b`` in metres."""
        return distance_px(a, b) * self.metres_per_px

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw) -> Scale | None:
        """A scale from its saved dict; None when it is missing or not valid."""
        if not isinstance(raw, dict):
            return None
        try:
            return cls(
                float(raw["metres_per_px"]),
                str(raw["method"]),
                str(raw.get("detail", ""))[:200],
                float(raw.get("relative_error_pct", float("nan"))),
            )
        except (KeyError, TypeError, ValueError, InputError):
            return None


def scale_from_reference(a: Point, b: Point, length_m: float) -> Scale:
    """The scale given by two points ``length_m`` metres apart in the picture (two
    floor marks, the ends of a ruler), valid for what lies in their plane at their
    distance from the camera."""
    try:
        length = float(length_m)
    except (TypeError, ValueError):
        raise InputError("The reference length is not a number.") from None
    lo, hi = REFERENCE_RANGE_M
    if not (math.isfinite(length) and lo <= length <= hi):
        raise InputError(f"The reference length must be between {lo:g} and {hi:g} m.")
    px = distance_px(a, b)
    if px < 2 * MIN_ARM_PX:
        raise InputError(
            "The two reference points are too close together to give a scale.",
            "Click the two ends of the reference as far apart as it goes.",
        )
    return Scale(
        length / px,
        "reference",
        f"reference of {length:.2f} m over {px:.0f} pixels",
        REFERENCE_SCALE_ERROR_PCT,
    )


def scale_from_height(stature_px: float, height_m: float) -> Scale:
    """The scale given by the patient's height (m) and their standing height in
    pixels (e.g. ``Signals.stature_px`` of gait analysis: lower foot to the eyes /
    0.936). Valid only when the person stands upright, for points at their distance
    from the camera."""
    try:
        height, px = float(height_m), float(stature_px)
    except (TypeError, ValueError):
        raise InputError("The height is not a number.") from None
    if not (math.isfinite(height) and 0.5 <= height <= 2.5):
        raise InputError("The patient's height must be between 0.5 and 2.5 m.")
    if not (math.isfinite(px) and px >= 10 * MIN_ARM_PX):
        raise InputError(
            "The person's height in the picture is not known on this frame "
            "(the eyes or the feet were not found).",
            "Use a reference of known length instead (two floor marks, a ruler).",
        )
    return Scale(
        height / px,
        "height",
        f"patient's height {height:.2f} m over {px:.0f} pixels (standing height in the "
        "picture from the feet to the eyes)",
        HEIGHT_SCALE_ERROR_PCT,
    )
