"""Click on a frame: show a picture, let the user place points (and drag them), get
their coordinates in the picture's own pixels.

Usable from any page (goniometer, distances, notes, gait floor marks, the 10-m walk's
timed zone)::

    from dashboard.ui.clickframe import click_frame, reset_points

    pts = click_frame(rgb, key="floor_marks", max_points=2, mode="line",
                      labels=("mark A", "mark B"))
    # pts: a list of (x, y) floats in rgb's pixel coordinates (x right, y down),
    # [] before the first click; len(pts) <= max_points.
    if st.button("Clear the marks"):
        reset_points("floor_marks")

It is a Streamlit custom component (``st.components.v2``, Streamlit 1.60) written
inline (``clickframe.js``, ``clickframe.css``): no build step, and nothing is loaded
from the network (the picture is sent as a ``data:`` URL). The browser shows the
picture at most :data:`SEND_SIDE` pixels on its long side; coordinates come back
scaled to the full picture.

Interaction: a click places a point (until ``max_points``); a point is dragged to
move it; right-click on a point, or select it (Tab or a click) and press Delete,
removes it; arrow keys nudge the selected point by one pixel of the picture sent
(Shift: ten). The page reruns when a point is placed, moved or removed (not while
dragging).

Testing: the component's root carries ``data-testid="posedash-clickframe"``,
``data-width``/``data-height`` (the picture sent, in pixels) and ``data-points``
(JSON, the points in those pixels); each point is an SVG ``g`` with
``data-point-index``. In ``AppTest`` (no browser) a page can be given points with
:func:`set_points`.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import streamlit as st

from dashboard.ui import keys

__all__ = ["SEND_SIDE", "click_frame", "current_points", "reset_points", "set_points"]

#: Longest side (pixels) of the picture sent to the browser.
SEND_SIDE = 1280
_NAME = keys.CLICKFRAME.name.rstrip("_")
_HERE = Path(__file__).parent
MODES = ("points", "angle", "segments", "line", "distance")


def _component():
    """The registered component (registering the same definition again is a no-op)."""
    return st.components.v2.component(
        _NAME,
        html="",
        css=(_HERE / "clickframe.css").read_text(),
        js=(_HERE / "clickframe.js").read_text(),
    )


def _jpeg_data_url(rgb: np.ndarray) -> tuple[str, float]:
    """(data: URL of ``rgb`` at most SEND_SIDE on its long side, full / sent scale)."""
    h, w = rgb.shape[:2]
    scale = max(h, w) / SEND_SIDE if max(h, w) > SEND_SIDE else 1.0
    small = rgb
    if scale > 1:
        size = (max(1, round(w / scale)), max(1, round(h / scale)))
        small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2BGR), [95, 88]
    )
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 RGB array
        raise ValueError("the picture could not be encoded")
    url = "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")
    return url, w / small.shape[1]


def _finite_points(points) -> list[tuple[float, float]]:
    out = []
    for p in points or ():
        try:
            x, y = float(p[0]), float(p[1])
        except (TypeError, ValueError, IndexError):
            continue
        if math.isfinite(x) and math.isfinite(y):
            out.append((x, y))
    return out


def _full_key(key: str) -> str:
    return f"{_NAME}_{key}_{keys.CLICKFRAME_NONCE.of(key).get(0)}"


def reset_points(key: str) -> None:
    """Forget the points placed on the component ``key``: it shows its initial points
    (or none) at the next run."""
    nonce = keys.CLICKFRAME_NONCE.of(key)
    nonce.set(nonce.get(0) + 1)
    keys.CLICKFRAME_GIVEN.of(key).pop()
    keys.CLICKFRAME_LAST.of(key).pop()


def set_points(key: str, points: Sequence[Sequence[float]]) -> None:
    """Place these points (full-picture pixels) on the component ``key``, as if the
    user had clicked them: for a page that proposes points, and for AppTest."""
    reset_points(key)
    keys.CLICKFRAME_GIVEN.of(key).set(_finite_points(points))


def current_points(key: str) -> list[tuple[float, float]]:
    """The points the component ``key`` returned at its last run (full-picture pixels)."""
    return list(keys.CLICKFRAME_LAST.of(key).get([]))


def _shown_points(key: str, full: str, points, max_points, scale: float) -> list:
    """The points to show (full-picture pixels): those the user placed on the component
    (its state), else those given by :func:`set_points`, else ``points``."""
    previous = keys.CLICKFRAME.of(full.removeprefix(keys.CLICKFRAME.name)).get()
    if isinstance(previous, dict) and isinstance(previous.get("points"), list):
        return [(x * scale, y * scale) for x, y in _finite_points(previous["points"])]
    given = keys.CLICKFRAME_GIVEN.of(key).get()
    initial = _finite_points(given if given is not None else points)
    return initial[: int(max_points)] if max_points is not None else initial


def click_frame(
    image: np.ndarray,
    *,
    key: str,
    max_points: int | None = None,
    points: Sequence[Sequence[float]] | None = None,
    mode: str = "points",
    labels: Sequence[str] = (),
    colour: str = "#e6007e",
    guides: Sequence[Sequence[float]] = (),
    max_height: int | None = None,
    description: str = "Click on the picture to place points",
) -> list[tuple[float, float]]:
    """Show ``image`` (RGB, H x W x 3, uint8) and return the points placed on it.

    Parameters
    ----------
    key
        Unique per component on a page; the points are kept under it across reruns.
    max_points
        At most this many points (None: no limit).
    points
        Initial points (full-picture pixels), shown until the user changes them
        (e.g. the automatic landmarks, to drag). Non-finite points are left out.
    mode
        How points are joined while placing them: ``'points'`` (not joined),
        ``'angle'`` (1-2 and 2-3), ``'segments'`` (1-2 and 3-4), ``'line'`` or
        ``'distance'`` (1-2, 3-4, ...).
    labels
        A short label per point (default: 1, 2, 3...).
    guides
        Fixed dashed lines ``(x1, y1, x2, y2)`` in full-picture pixels (not editable).
    max_height
        Show the picture at most this many screen pixels tall (portrait videos).

    Returns
    -------
    The points as ``(x, y)`` floats in ``image``'s pixels, x to the right and y down,
    clamped to the picture, in the order placed.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    rgb = np.asarray(image)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.size == 0:
        raise ValueError("click_frame needs an RGB picture (height x width x 3)")
    url, scale = _jpeg_data_url(rgb.astype(np.uint8, copy=False))
    h, w = rgb.shape[:2]
    full = _full_key(key)
    shown = _shown_points(key, full, points, max_points, scale)
    data = dict(
        src=url,
        w=round(w / scale),
        h=round(h / scale),
        points=[[x / scale, y / scale] for x, y in shown],
        max_points=max_points,
        mode=mode,
        labels=[str(t)[:40] for t in labels],
        colour=colour,
        guides=[[float(v) / scale for v in g[:4]] for g in guides if len(g) >= 4],
        max_height=max_height,
        aria=description,
    )
    result = _component()(key=full, data=data, on_points_change=lambda: None)
    got = result.get("points") if result is not None else None
    if isinstance(got, list):
        out = [(x * scale, y * scale) for x, y in _finite_points(got)]
    else:
        out = shown
    out = [(min(max(x, 0.0), float(w)), min(max(y, 0.0), float(h))) for x, y in out]
    if max_points is not None:
        out = out[: int(max_points)]
    keys.CLICKFRAME_LAST.of(key).set(out)
    return out
