"""Turn decoded video frames upright: FFmpeg's display matrix and ``rotate`` tag.

Phones record portrait video as landscape pixels plus a display matrix. The
matrix is read from each decoded frame's side data (PyAV >= 14 exposes it,
FFmpeg copies the stream's matrix onto every frame); the old ``rotate``
metadata tag is a fallback. :func:`orientation_ops` reads the matrix exactly as
FFmpeg's own player does (multiples of 90 degrees, with mirroring); other
angles are not applied.

Mirror images
    A front (selfie) camera may mark its video to be *shown* as a mirror image
    by putting a flip in the display matrix; the stored pixels are then the
    picture as the camera saw it (Apple's movie recording applies its mirror
    this way, "with a QuickTime track matrix", to avoid flipping every frame).
    MediaPipe's "left" landmarks in a mirror image are the patient's right side,
    so PoseDash turns such frames upright but does NOT mirror them
    (:func:`without_mirror`, used by :func:`ops_for`): the picture shown and
    measured is the one the camera recorded, and the patient's left side is
    labelled left. A mirror the phone saved into the pixels themselves is not
    marked in the file and cannot be undone here.
"""

from __future__ import annotations

import numpy as np

#: The pure turns, by clockwise quarter turns (0, 90, 180, 270 degrees).
_TURNS = ((), ("rot_cw",), ("flip_x", "flip_y"), ("rot_ccw",))


def display_matrix(frame) -> np.ndarray | None:
    """A decoded frame's 3 x 3 display matrix (9 int32, 16.16 fixed point), or None."""
    for side in frame.side_data:
        if side.type.name == "DISPLAYMATRIX":
            return np.frombuffer(bytes(side), dtype="<i4")[:9].copy()
    return None


def orientation_ops(rotation_ccw: float, matrix: np.ndarray | None) -> tuple[str, ...]:
    """Numpy operations that turn stored pixels into the displayed picture.

    Parameters
    ----------
    rotation_ccw
        FFmpeg's ``av_display_rotation_get`` angle (``VideoFrame.rotation``):
        counter-clockwise degrees of the display matrix.
    matrix
        The 3 x 3 display matrix (9 int32, 16.16 fixed point), or None for a
        rotation alone (the old ``rotate`` tag): a pure turn, never a mirror.

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
    if matrix is None:
        quarter = int(round(theta / 90.0))
        return _TURNS[quarter % 4] if abs(theta - 90 * quarter) < 1 else ()
    m = matrix
    if abs(theta - 90) < 1:
        return ("transpose",) if m[3] > 0 else ("rot_cw",)
    if abs(theta - 180) < 1:
        return tuple(op for op, on in (("flip_x", m[0] < 0), ("flip_y", m[4] < 0)) if on)
    if abs(theta - 270) < 1:
        return ("rot_cw", "flip_y") if m[3] < 0 else ("rot_ccw",)
    if abs(theta) < 1 and m[4] < 0:
        return ("flip_y",)
    return ()


def is_mirror(ops: tuple[str, ...]) -> bool:
    """True when ``ops`` show a mirror image of the stored pixels (an odd number of
    reflections: a flip or a transpose)."""
    return sum(op in ("transpose", "flip_x", "flip_y") for op in ops) % 2 == 1


def without_mirror(ops: tuple[str, ...]) -> tuple[str, ...]:
    """The turn that shows what ``ops`` show, flipped back left-right.

    Parameters
    ----------
    ops
        Operations from :func:`orientation_ops`.

    Returns
    -------
    ``ops`` itself when they do not mirror; otherwise the one pure turn (one of
    ``()``, ``("rot_cw",)``, ``("flip_x", "flip_y")``, ``("rot_ccw",)``) giving
    the displayed picture mirrored left-right.

    Notes
    -----
    The displayed picture is upright (it is what the person recording saw), and
    a selfie mirror swaps left and right of that upright picture. Undoing it as
    a left-right flip of the displayed picture keeps it upright, whichever way
    the matrix is written: a horizontal flip after a turn and a vertical flip
    after the opposite turn are the same matrix (FFmpeg itself reads a plain
    horizontal flip as "180 degrees and a vertical flip").
    """
    if not is_mirror(ops):
        return ops
    probe = np.arange(6).reshape(2, 3, 1)
    shown = apply_orientation(apply_orientation(probe, ops), ("flip_x",))
    for turn in _TURNS:
        candidate = apply_orientation(probe, turn)
        if candidate.shape == shown.shape and np.array_equal(candidate, shown):
            return turn
    raise AssertionError(f"no pure turn matches {ops}")  # impossible: 8 symmetries


def apply_orientation(rgb: np.ndarray, ops: tuple[str, ...]) -> np.ndarray:
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


def display_ops(frame, stream) -> tuple[str, ...]:
    """The operations FFmpeg's player applies to a decoded frame (mirror included):
    its display matrix, else the stream's old ``rotate`` tag (clockwise degrees,
    never a mirror), else none."""
    matrix = display_matrix(frame)
    if matrix is not None:
        return orientation_ops(frame.rotation, matrix)
    tag = stream.metadata.get("rotate")
    try:
        clockwise = float(tag) if tag else 0.0
    except ValueError:
        clockwise = 0.0
    return orientation_ops(-clockwise, None)


def ops_for(frame, stream) -> tuple[str, ...]:
    """The operations PoseDash applies to a decoded frame: upright as the player
    shows it, but never mirrored (see the module docstring and :func:`without_mirror`)."""
    return without_mirror(display_ops(frame, stream))


def marked_mirror(frame) -> bool:
    """True when the frame's display matrix asks players to show a mirror image."""
    matrix = display_matrix(frame)
    return matrix is not None and is_mirror(orientation_ops(frame.rotation, matrix))


def swaps_axes(ops: tuple[str, ...]) -> bool:
    """True when ``ops`` exchange width and height (a quarter turn)."""
    return sum(op in ("transpose", "rot_cw", "rot_ccw") for op in ops) % 2 == 1


def clockwise_degrees(ops: tuple[str, ...]) -> int:
    """The clockwise turn (0, 90, 180, 270) ``ops`` apply, for display to the user."""
    turns = {"rot_cw": 1, "rot_ccw": -1, "transpose": 1}
    deg = 90 * sum(turns.get(op, 0) for op in ops)
    if ops and set(ops) == {"flip_x", "flip_y"}:
        deg = 180
    return int(deg % 360)
