"""Draw measurements made by hand on a frame: angles with their arc and value,
distances with their value, pinned notes, and a "Measured by hand" mark. Pure: an
RGB array in, a new RGB array out (lines with OpenCV, text with Pillow in DejaVu
Sans, the font matplotlib ships, so accents, ° and most scripts print; nothing is
read from the system or the network)."""

from __future__ import annotations

import importlib.util
import math
import textwrap
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from dashboard.manual.records import SOURCE, ManualMeasurement, value_text

__all__ = ["ANGLE_COLOUR", "DISTANCE_COLOUR", "NOTE_COLOUR", "draw_measurements"]

ANGLE_COLOUR = (230, 0, 126)  # magenta: apart from the skeleton's orange and blue
DISTANCE_COLOUR = (255, 212, 0)  # yellow
NOTE_COLOUR = (255, 255, 255)
#: Characters of a note drawn on the picture (the whole note is in the table).
NOTE_CHARS = 120


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    return str(path) if path.is_file() else None


@lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _scale(width: int, height: int) -> float:
    return max(0.5, max(width, height) / 1000.0)


def _arc(img, vertex, a, c, colour, thick, s) -> None:
    """The arc of the angle at ``vertex`` between the arms to ``a`` and ``c``."""
    arms = [math.hypot(p[0] - vertex[0], p[1] - vertex[1]) for p in (a, c)]
    radius = int(max(6 * s, min(0.35 * min(arms), 60 * s)))
    t1 = math.degrees(math.atan2(a[1] - vertex[1], a[0] - vertex[0]))
    t2 = math.degrees(math.atan2(c[1] - vertex[1], c[0] - vertex[0]))
    sweep = (t2 - t1) % 360
    if sweep > 180:  # the arc inside the angle (the smaller one)
        t1, sweep = t2, 360 - sweep
    centre = (round(vertex[0]), round(vertex[1]))
    cv2.ellipse(img, centre, (radius, radius), 0, t1, t1 + sweep, colour, thick, cv2.LINE_AA)


def _shapes(img, m: ManualMeasurement, pts, s) -> tuple[float, float]:
    """Draw ``m``'s lines and points; return where its label goes."""
    thick, r = max(2, round(3 * s)), max(3, round(5 * s))
    ip = [(round(x), round(y)) for x, y in pts]
    if m.kind == "note":
        cv2.circle(img, ip[0], r + 2, (0, 0, 0), -1, cv2.LINE_AA)
        cv2.circle(img, ip[0], r, NOTE_COLOUR, -1, cv2.LINE_AA)
        return pts[0][0] + 2 * r, pts[0][1] - 2 * r
    colour = ANGLE_COLOUR if m.kind == "angle" else DISTANCE_COLOUR
    pairs = {4: [(0, 1), (2, 3)], 3: [(0, 1), (1, 2)], 2: [(0, 1)]}[len(pts)]
    for a, b in pairs:
        cv2.line(img, ip[a], ip[b], (0, 0, 0), thick + 2, cv2.LINE_AA)
        cv2.line(img, ip[a], ip[b], colour, thick, cv2.LINE_AA)
    for p in ip:
        cv2.circle(img, p, r, colour, -1, cv2.LINE_AA)
        cv2.circle(img, p, r, (0, 0, 0), max(1, thick // 2), cv2.LINE_AA)
    if m.kind == "angle" and len(pts) == 3:
        _arc(img, pts[1], pts[0], pts[2], colour, max(1, thick - 1), s)
        return pts[1][0] + 3 * r, pts[1][1] + 3 * r
    mids = [((pts[a][0] + pts[b][0]) / 2, (pts[a][1] + pts[b][1]) / 2) for a, b in pairs]
    return sum(x for x, _ in mids) / len(mids) + 2 * r, sum(y for _, y in mids) / len(mids)


def _label_text(m: ManualMeasurement) -> str:
    if m.kind == "note":
        body = m.text if len(m.text) <= NOTE_CHARS else m.text[: NOTE_CHARS - 1] + "…"
        return "\n".join(textwrap.wrap(body, 32)[:4])
    value = value_text(m)
    return f"{m.label}: {value}" if m.label else value


def _overlaps(box, placed) -> bool:
    return any(box[0] < p[2] and p[0] < box[2] and box[1] < p[3] and p[1] < box[3] for p in placed)


def _boxed_text(draw, xy, text, font, colour, size, placed: list) -> None:
    """White ``text`` on a dark rounded box edged in ``colour``, near ``xy``, kept
    inside the picture and moved down (then up) past the boxes already ``placed``."""
    w, h = size
    left, top, right, bottom = draw.multiline_textbbox((0, 0), text, font=font, spacing=2)
    pad = max(3, font.size // 4)
    bw, bh = right - left + 2 * pad, bottom - top + 2 * pad
    x = min(max(0, xy[0]), max(0, w - bw))
    y0 = min(max(0, xy[1]), max(0, h - bh))
    for k in [0, *[s * i for i in range(1, 12) for s in (1, -1)]]:
        y = min(max(0, y0 + k * (bh + 2)), max(0, h - bh))
        if not _overlaps((x, y, x + bw, y + bh), placed):
            break
    else:
        y = y0
    placed.append((x, y, x + bw, y + bh))
    edge = max(1, pad // 2)
    draw.rounded_rectangle(
        (x, y, x + bw, y + bh), radius=pad, fill=(0, 0, 0, 190), outline=(*colour, 255), width=edge
    )
    draw.multiline_text(
        (x + pad - left, y + pad - top), text, font=font, fill=(255, 255, 255, 255), spacing=2
    )


def draw_measurements(
    rgb: np.ndarray,
    measurements: Iterable[ManualMeasurement],
    image_size: tuple[int, int] | None = None,
    mark: bool = True,
) -> np.ndarray:
    """A copy of ``rgb`` with ``measurements`` drawn: lines, the angle's arc, values
    and names, notes; ``mark`` adds "Measured by hand" in the bottom-left corner when
    anything is drawn.

    ``image_size`` (width, height) is the picture the points were measured on (the
    analysed frame); ``rgb`` may be that picture at another size (a thumbnail for
    the screen or the report): points are scaled to it. Points off the picture and
    non-finite points are not drawn (they cannot be in a checked measurement).
    """
    from PIL import Image, ImageDraw

    out = np.ascontiguousarray(rgb, dtype=np.uint8).copy()
    height, width = out.shape[:2]
    sx, sy = (width / image_size[0], height / image_size[1]) if image_size else (1.0, 1.0)
    s = _scale(width, height)
    labels = []
    for m in measurements:
        pts = [(x * sx, y * sy) for x, y in m.points]
        if not pts or not all(math.isfinite(v) for p in pts for v in p):
            continue
        at = _shapes(out, m, pts, s)
        colour = {"angle": ANGLE_COLOUR, "distance": DISTANCE_COLOUR}.get(m.kind, NOTE_COLOUR)
        labels.append((at, _label_text(m), colour))
    if not labels:
        return out
    img = Image.fromarray(out).convert("RGBA")
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font = _font(max(12, round(22 * s)))
    placed: list = []
    if mark:
        small = _font(max(10, round(15 * s)))
        _boxed_text(
            draw, (4, height), SOURCE.capitalize(), small, (255, 255, 255), (width, height), placed
        )
    for at, text, colour in labels:
        if text:
            _boxed_text(draw, (int(at[0]), int(at[1])), text, font, colour, (width, height), placed)
    return np.asarray(Image.alpha_composite(img, layer).convert("RGB"))
