"""Frame times of a video from its packets' timestamps: sorted into presentation
order, repaired where the file's own timestamps are unusable, always increasing.

Pure functions (no decoding); :mod:`dashboard.media.video` reads the packets.

Notes
-----
Presentation order
    A decoder returns frames in presentation order. With B-frames the packets
    come in decoding order, so the ``k``-th frame shown is the one with the
    ``k``-th smallest presentation timestamp (PTS): sorting the packets' PTS
    gives every frame's time without decoding. AVI stores no PTS at all, only a
    frame rate (FFmpeg numbers its packets in decoding order): sorting those
    numbers gives ``frame number / frame rate``, which is what an AVI's times are.
Repairs
    Timestamps that repeat (two frames at one time) are spread evenly up to the
    next distinct time; timestamps that go backwards in decoding order (a faulty
    recorder) are taken in sorted order; a stream without timestamps is timed
    from its frame rate. Each repair is reported in a note for the user, and the
    video is then not cut into ranges by timestamp (no seeking): it is decoded
    from the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

#: Frame rate assumed when a file declares none (for frames without timestamps).
FALLBACK_FPS = 30.0


def _spread_repeats(t: np.ndarray, step: float) -> np.ndarray:
    """Spread each run of equal values evenly up to the next distinct value."""
    out = t.copy()
    n = len(t)
    start = 0
    while start < n:
        end = start
        while end + 1 < n and t[end + 1] == t[start]:
            end += 1
        run = end - start + 1
        if run > 1:
            nxt = t[end + 1] if end + 1 < n else t[start] + run * step
            out[start : end + 1] = t[start] + np.arange(run) * (nxt - t[start]) / run
        start = end + 1
    return out


def frame_times(
    pts: Sequence[int | None],
    dts: Sequence[int | None],
    time_base: Fraction | None,
    fps: float,
    container: str,
) -> tuple[np.ndarray, str, bool]:
    """Every frame's presentation time, from the packets' timestamps.

    Parameters
    ----------
    pts, dts
        The video packets' presentation and decoding timestamps, in decoding
        (file) order, in ``time_base`` units (None where the file has none).
    time_base
        The stream's time base.
    fps
        The declared frame rate (for frames without timestamps).
    container
        FFmpeg's demuxer name (``"avi"`` stores no timestamps of its own).

    Returns
    -------
    time_s : np.ndarray
        (N,) seconds from the first frame, strictly increasing: frame ``k`` (in
        presentation order) is shown at ``time_s[k]``.
    note : str
        Empty, or a sentence for the user saying how the file's timestamps
        were repaired or derived.
    seekable : bool
        True when the sorted PTS locate frames exactly (unique, present,
        presentation times): frames may be found by seeking.

    Notes
    -----
    The arithmetic matches PyAV's ``Frame.time`` (``float(pts) * num / den``)
    and the subtraction of the first frame's time, so an intact file gives
    exactly the times its decoded frames carry.
    """
    n = len(pts)
    rate = fps if fps and np.isfinite(fps) and fps > 0 else FALLBACK_FPS
    step = 1.0 / rate
    if n == 0:
        return np.zeros(0), "", False
    if time_base is None or any(p is None for p in pts):
        return (
            np.arange(n) * step,
            f"The file gives its frames no usable times: they are derived from its frame "
            f"rate ({rate:g} frames per second).",
            False,
        )
    order = np.sort(np.asarray(pts, dtype=np.int64))
    raw = order.astype(np.float64) * time_base.numerator / time_base.denominator
    t = raw - raw[0]
    if container == "avi":
        return (
            _spread_repeats(t, step),
            f"AVI files store no frame times: times are the frame number divided by the "
            f"frame rate ({rate:g} frames per second).",
            False,
        )
    repeats = bool(np.any(np.diff(order) == 0))
    backwards = False
    if not any(v is None for v in dts):
        backwards = bool(np.any(np.diff(np.asarray(dts, dtype=np.int64)) < 0))
    if repeats or backwards:
        what = (
            "repeated"
            if repeats and not backwards
            else ("out of order" if backwards and not repeats else "repeated and out of order")
        )
        return (
            _spread_repeats(t, step),
            f"The file's own frame times were {what}; PoseDash repaired them (frames in "
            "the order they are shown, repeated times spread evenly).",
            False,
        )
    return t, "", True
