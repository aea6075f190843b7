"""The metric scale of gait lengths: the patient's height, or two marks on the floor.

Lengths are measured in body heights (the person's standing height in pixels per
pass, :mod:`.signals`). Metres need a scale:

- **height**: the patient's height entered; metres = body heights x height
  (stated error +-5 %, docs/gait.md);
- **floor marks**: two points of a known distance clicked on a frame (the two ends of
  a tape on the walkway, tile joints). Metres per pixel = distance / the marks' pixel
  distance; per pass, metres per body height = the pass's body height in pixels x
  metres per pixel. Its error: the clicks (+-2 px each, over the marks' pixel
  distance) and the marks' distance from the walking line (docs/gait.md).

Hostile input is refused with the reason (:func:`floor_marks`): the same point twice,
a point off the picture, a distance that is zero, negative, not a number or
implausible, marks not along the picture's horizontal (the walkway).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.errors import InputError

__all__ = [
    "CLICK_PX",
    "HEIGHT_ERROR_PCT",
    "MAX_TILT_DEG",
    "MIN_MARKS_PX",
    "FloorMarks",
    "floor_marks",
    "metres_per_body_height",
    "scale_doc",
]

#: Two marks closer than this (pixels) are the same point clicked twice.
MIN_MARKS_PX = 20.0
#: Longest plausible distance between two marks (m).
MAX_DISTANCE_M = 50.0
#: A click's uncertainty (pixels of the picture): the mark's own size and the hand.
CLICK_PX = 2.0
#: The marks must lie along the walkway, across the picture: their line at most this
#: far from the picture's horizontal (a line going into the depth has another scale).
MAX_TILT_DEG = 20.0
#: The height method's stated error (docs/gait.md).
HEIGHT_ERROR_PCT = 5.0


@dataclass(frozen=True)
class FloorMarks:
    """Two marks on the floor, ``a`` and ``b`` (picture pixels, x right, y down),
    ``distance_m`` apart."""

    a: tuple[float, float]
    b: tuple[float, float]
    distance_m: float

    @property
    def length_px(self) -> float:
        return math.hypot(self.b[0] - self.a[0], self.b[1] - self.a[1])

    @property
    def metres_per_px(self) -> float:
        return self.distance_m / self.length_px

    @property
    def tilt_deg(self) -> float:
        """The marks' line from the picture's horizontal (0-90 deg)."""
        dx, dy = abs(self.b[0] - self.a[0]), abs(self.b[1] - self.a[1])
        return math.degrees(math.atan2(dy, dx))

    @property
    def click_error_pct(self) -> float:
        """The clicks' share of the scale's error: +-:data:`CLICK_PX` on each mark."""
        return 100 * math.sqrt(2) * CLICK_PX / self.length_px

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        return (*self.a, *self.b, self.distance_m)

    def as_dict(self) -> dict:
        return dict(
            a_px=list(self.a),
            b_px=list(self.b),
            distance_m=self.distance_m,
            length_px=self.length_px,
            metres_per_px=self.metres_per_px,
            tilt_deg=self.tilt_deg,
            click_error_pct=self.click_error_pct,
        )


def _number(value, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"The {what} must be a number, got {value!r}.") from None
    if not math.isfinite(x):
        raise InputError(f"The {what} must be a finite number, got {value!r}.")
    return x


def _point(p, name: str, image_size) -> tuple[float, float]:
    try:
        x, y = p
    except (TypeError, ValueError):
        raise InputError(f"Mark {name} must be two numbers (x, y), got {p!r}.") from None
    x, y = _number(x, f"x of mark {name}"), _number(y, f"y of mark {name}")
    if image_size is not None:
        w, h = image_size
        if not (0 <= x <= w and 0 <= y <= h):
            raise InputError(
                f"Mark {name} ({x:.0f}, {y:.0f}) is off the picture ({w} x {h} pixels): "
                "click both marks on the frame."
            )
    return x, y


def floor_marks(a, b, distance_m, image_size=None) -> FloorMarks:
    """Two floor marks checked: both on the picture (``image_size`` = (width, height);
    None: not checked), at least :data:`MIN_MARKS_PX` apart, along the picture's
    horizontal within :data:`MAX_TILT_DEG`, and a distance above 0 and at most
    :data:`MAX_DISTANCE_M` metres.

    Raises
    ------
    InputError
        With the reason, for anything else.
    """
    pa, pb = _point(a, "A", image_size), _point(b, "B", image_size)
    d = _number(distance_m, "distance between the marks")
    if d <= 0:
        raise InputError(f"The distance between the marks must be above 0 m, got {d:g} m.")
    if d > MAX_DISTANCE_M:
        raise InputError(
            f"The distance between the marks ({d:g} m) is more than {MAX_DISTANCE_M:g} m: "
            "enter it in metres."
        )
    marks = FloorMarks(pa, pb, d)
    if marks.length_px < MIN_MARKS_PX:
        raise InputError(
            f"The two marks are {marks.length_px:.0f} pixels apart: the same point clicked "
            f"twice? Click two marks at least {MIN_MARKS_PX:.0f} pixels apart (further "
            "apart is more accurate)."
        )
    if marks.tilt_deg > MAX_TILT_DEG:
        raise InputError(
            f"The two marks' line is {marks.tilt_deg:.0f}° from the picture's horizontal: "
            "click two marks along the walkway, across the picture (a distance going into "
            "the depth of the picture has another scale)."
        )
    return marks


def metres_per_body_height(passes, marks: FloorMarks) -> dict[int, float]:
    """Per pass index, metres per body height: the pass's body height in pixels times
    the marks' metres per pixel."""
    return {
        p.index: float(p.stature_px) * marks.metres_per_px
        for p in passes
        if math.isfinite(p.stature_px) and p.stature_px > 0
    }


#: Below this many pixels between the marks the clicks alone make more than 2 %.
GOOD_MARKS_PX = 150.0


def scale_doc(settings, passes, body_method: str, height_error_pct: float) -> dict:
    """The ``scale`` entry of gait.json: the method (``'floor_marks'``, ``'height'`` or
    ``'none'``), its words and estimated error; with floor marks, the marks and, per
    pass, the person's height they imply (a cross-check against the real height)."""
    stature = [p.stature_px for p in passes]
    doc = dict(
        method="none",
        body_heights=body_method,
        relative_error_pct=height_error_pct,
        height_m=settings.height_m,
        unit="m" if settings.metric else "body heights",
        stature_px_per_pass=stature,
    )
    if settings.floor_marks is None:
        if settings.height_m:
            doc["method"] = "height"
        return doc
    ax, ay, bx, by, d = settings.floor_marks
    marks = FloorMarks((ax, ay), (bx, by), d)
    implied = [s * marks.metres_per_px if math.isfinite(s) else None for s in stature]
    doc.update(
        method="floor_marks",
        floor_marks=marks.as_dict(),
        relative_error_pct=floor_error_pct(marks),
        implied_height_m_per_pass=implied,
        words=(
            f"Metres from two floor marks {d:g} m apart ({marks.length_px:.0f} pixels), "
            "clicked on a frame: the marks must lie on the walking line, across the picture."
        ),
    )
    return doc


#: The marks' distance from the walking line, as a share of the camera's distance,
#: assumed for the stated error (10 cm at 3 m: about 3 %).
PLANE_ERROR_PCT = 3.0


def floor_error_pct(marks: FloorMarks) -> float:
    """Estimated error of the floor-mark scale (%): the clicks plus the marks lying off
    the walking line (:data:`PLANE_ERROR_PCT`), added in quadrature, plus 1 % for the
    heel and toe landmarks' placement on the foot."""
    return float(math.hypot(marks.click_error_pct, PLANE_ERROR_PCT) + 1.0)
