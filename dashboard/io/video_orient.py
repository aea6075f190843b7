"""Turn decoded video frames upright: FFmpeg's display matrix and ``rotate`` tag.

Phones record portrait video as landscape pixels plus a display matrix. The
matrix is read from each decoded frame's side data (PyAV >= 14 exposes it,
FFmpeg copies the stream's matrix onto every frame); the old ``rotate``
metadata tag is a fallback. Frames are turned exactly as FFmpeg's own player
turns them (multiples of 90 degrees, with mirroring); other angles are not
applied.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np


def display_matrix(frame) -> Optional[np.ndarray]:
    """A decoded frame's 3 x 3 display matrix (9 int32, 16.16 fixed point), or None."""
    for side in frame.side_data:
        if side.type.name == "DISPLAYMATRIX":
            return np.frombuffer(bytes(side), dtype="<i4")[:9].copy()
    return None


def orientation_ops(rotation_ccw: float, matrix: Optional[np.ndarray]) -> Tuple[str, ...]:
    """Numpy operations that turn stored pixels into the displayed picture.

    Parameters
    ----------
    rotation_ccw
        FFmpeg's ``av_display_rotation_get`` angle (``VideoFrame.rotation``):
        counter-clockwise degrees of the display matrix.
    matrix
        The 3 x 3 display matrix (9 int32, 16.16 fixed point) or None.

    Returns
    -------
    A tuple of operation names applied in order by :func:`apply_orientation`:
    ``"transpose"``, ``"rot_cw"``, ``"rot_ccw"``, ``"flip_x"``, ``"flip_y"``.

    Notes
    -----
    Follows FFmpeg's fftools (``ffmpeg`` / ``ffplay`` autorotate) decision table,
    so a video is shown as FFmpeg-based players show it.
    """
    theta = -round(rotation_ccw)
    theta -= 360 * np.floor(theta / 360 + 0.9 / 360)
    m = matrix if matrix is not None else np.array([65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30])
    if abs(theta - 90) < 1:
        return ("transpose",) if m[3] > 0 else ("rot_cw",)
    if abs(theta - 180) < 1:
        return tuple(op for op, on in (("flip_x", m[0] < 0), ("flip_y", m[4] < 0)) if on)
    if abs(theta - 270) < 1:
        return ("rot_cw", "flip_y") if m[3] < 0 else ("rot_ccw",)
    if abs(theta) < 1 and m[4] < 0:
        return ("flip_y",)
    return ()


def apply_orientation(rgb: np.ndarray, ops: Tuple[str, ...]) -> np.ndarray:
    """Apply :func:`orientation_ops` to an (H, W, C) array (returns a contiguous copy if turned)."""
    if not ops:
        return rgb
    for op in ops:
        if op == "transpose":
            rgb = rgb.transpose(1, 0, 2)
        elif op == "rot_cw":
            rgb = np.rot90(rgb, -1)
        elif op == "rot_ccw":
            rgb = np.rot90(rgb, 1)
        elif op == "flip_x":
            rgb = rgb[:, ::-1]
        elif op == "flip_y":
            rgb = rgb[::-1]
    return np.ascontiguousarray(rgb)


def ops_for(frame, stream) -> Tuple[str, ...]:
    """The operations that turn a decoded frame upright: its display matrix, else
    the stream's old ``rotate`` tag (clockwise degrees), else none."""
    matrix = display_matrix(frame)
    if matrix is not None:
        return orientation_ops(frame.rotation, matrix)
    tag = stream.metadata.get("rotate")
    try:
        clockwise = float(tag) if tag else 0.0
    except ValueError:
        clockwise = 0.0
    return orientation_ops(-clockwise, None)


def swaps_axes(ops: Tuple[str, ...]) -> bool:
    """True when ``ops`` exchange width and height (a quarter turn)."""
    return sum(op in ("transpose", "rot_cw", "rot_ccw") for op in ops) % 2 == 1


def clockwise_degrees(ops: Tuple[str, ...]) -> int:
    """The clockwise turn (0, 90, 180, 270) ``ops`` apply, for display to the user."""
    turns = {"rot_cw": 1, "rot_ccw": -1, "transpose": 1}
    deg = 90 * sum(turns.get(op, 0) for op in ops)
    if ops and set(ops) == {"flip_x", "flip_y"}:
        deg = 180
    return int(deg % 360)
