"""Draw the skeleton over a picture. Pure: an RGB array in, a new RGB array out.

Left and right sides are drawn in distinct colours (see :mod:`dashboard.skeleton`);
landmarks the model is unsure of (visibility below a threshold) are drawn faded,
hollow and thin, so a clinician sees at a glance which points to trust less.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from dashboard.poses import PoseSequence
from dashboard.skeleton import CONNECTIONS, LANDMARK_NAMES, colour_of, connection_side, side_of

FADED_ALPHA = 0.35


def _scale(width: int, height: int) -> float:
    """Line thickness grows with the picture: 1.0 for a 1000 px picture."""
    return max(0.5, max(width, height) / 1000.0)


def draw_pose(
    rgb: np.ndarray,
    seq: PoseSequence,
    frame: int = 0,
    *,
    show_names: bool = False,
    visibility_threshold: float = 0.5,
    people: list | None = None,
) -> np.ndarray:
    """Return a copy of ``rgb`` with every detected person of ``frame`` drawn.

    Parameters
    ----------
    rgb
        (H, W, 3) uint8 picture, the frame the landmarks were found in.
    seq
        Landmarks; ``seq.image_size`` must match the picture.
    show_names
        Write each landmark's name beside it.
    visibility_threshold
        Landmarks below it, and bones touching them, are drawn faded.
    people
        Person slots to draw (default: all).
    """
    height, width = rgb.shape[:2]
    sx, sy = width / seq.image_size[0], height / seq.image_size[1]
    s = _scale(width, height)
    out = np.ascontiguousarray(rgb).copy()
    unsure: list[tuple[Callable, tuple]] = []  # strokes drawn faded, after the solid ones
    line, radius = max(1, round(3 * s)), max(2, round(5 * s))
    slots = range(seq.num_people) if people is None else people
    for p in slots:
        xy = seq.image_xy[frame, p] * (sx, sy)
        if np.isnan(xy).all():
            continue
        vis = np.nan_to_num(seq.visibility[frame, p], nan=0.0)
        ok = ~np.isnan(xy).any(axis=1)
        limit = 4 * max(width, height)  # landmarks far outside the frame stay drawable
        pts = [
            tuple(int(v) for v in pt) for pt in np.round(np.clip(np.nan_to_num(xy), -limit, limit))
        ]
        for a, b in CONNECTIONS:
            if ok[a] and ok[b]:
                colour = colour_of(connection_side(a, b))
                if vis[a] >= visibility_threshold and vis[b] >= visibility_threshold:
                    cv2.line(out, pts[a], pts[b], colour, line, cv2.LINE_AA)
                else:
                    unsure.append((cv2.line, (pts[a], pts[b], colour, max(1, line // 2))))
        for i in np.flatnonzero(ok):
            colour = colour_of(side_of(i))
            if vis[i] >= visibility_threshold:
                cv2.circle(out, pts[i], radius, colour, -1, cv2.LINE_AA)
                cv2.circle(out, pts[i], radius, (20, 20, 20), max(1, line // 3), cv2.LINE_AA)
            else:  # a hollow ring: "probably here, but not seen"
                unsure.append((cv2.circle, (pts[i], radius, colour, max(1, line // 2))))
        if show_names:
            _draw_names(out, pts, ok, vis, visibility_threshold, s)
    if unsure:
        layer = out.copy()
        for draw, args in unsure:
            draw(layer, *args, cv2.LINE_AA)
        out = cv2.addWeighted(layer, FADED_ALPHA, out, 1 - FADED_ALPHA, 0)
    return out


def _draw_names(img, pts, ok, vis, threshold, s) -> None:
    font, size, thick = cv2.FONT_HERSHEY_SIMPLEX, 0.45 * s, max(1, round(s))
    for i in np.flatnonzero(ok):
        text = LANDMARK_NAMES[i]
        org = (int(pts[i][0] + 6 * s), int(pts[i][1] - 4 * s))
        cv2.putText(img, text, org, font, size, (0, 0, 0), thick + 2, cv2.LINE_AA)
        colour = (255, 255, 255) if vis[i] >= threshold else (170, 170, 170)
        cv2.putText(img, text, org, font, size, colour, thick, cv2.LINE_AA)


def encode_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of an RGB picture (the one place RGB turns into OpenCV's BGR)."""
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover - OpenCV always encodes uint8 RGB
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()


def fit_within(rgb: np.ndarray, max_side: int) -> np.ndarray:
    """A copy no larger than ``max_side`` pixels on its longer side (area averaging);
    the picture itself when it already fits. For display: landmarks are drawn on the
    result by :func:`draw_pose`, which scales them to the picture it is given."""
    height, width = rgb.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return rgb
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
