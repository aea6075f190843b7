"""Processing rate and latency of a live stream, over a sliding window, and how
the rate compares with the camera's (a busy computer shows fewer frames)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

__all__ = ["BUSY_SHARE", "LiveStats", "RateSummary", "shown_text"]

#: Below this share of the camera's frames analysed and shown, the page says the
#: computer is busy (a camera's own rate wobbles by a few frames a second).
BUSY_SHARE = 0.8


@dataclass(frozen=True)
class RateSummary:
    """What the live page shows about speed.

    fps
        Frames processed per second over the last ``window_s`` seconds (NaN
        until the frames in the window span a quarter of it: two frames a few
        milliseconds apart say nothing about the rate).
    latency_p50_ms, latency_p95_ms
        Median and 95th percentile of the processing time of the last
        ``max_samples`` frames: from the frame's arrival at the processor to
        its annotated picture being ready (NaN before the first frame).
    processed, dropped
        Frames processed and frames dropped unprocessed (a newer one was
        waiting) since the start or the last reset.
    camera_fps
        Frames the camera delivered per second over the same window (NaN when
        they are not counted or not yet known).
    """

    fps: float
    latency_p50_ms: float
    latency_p95_ms: float
    processed: int
    dropped: int
    camera_fps: float = float("nan")

    @property
    def busy(self) -> bool:
        """Fewer than :data:`BUSY_SHARE` of the camera's frames are analysed."""
        return bool(
            np.isfinite(self.fps)
            and np.isfinite(self.camera_fps)
            and self.fps < BUSY_SHARE * self.camera_fps
        )

    @property
    def shown_text(self) -> str:
        """e.g. ``'showing 9 of 30 camera frames a second: the computer is busy'``
        ('' while either rate is unknown)."""
        return shown_text(self.fps, self.camera_fps)

    @property
    def fps_text(self) -> str:
        """e.g. ``'24.8 fps'``, or ``'– fps'`` before the rate is known."""
        return "– fps" if not np.isfinite(self.fps) else f"{self.fps:.1f} fps"

    @property
    def latency_text(self) -> str:
        """e.g. ``'38 ms (p95 52 ms)'``."""
        if not np.isfinite(self.latency_p50_ms):
            return "– ms"
        return f"{self.latency_p50_ms:.0f} ms (p95 {self.latency_p95_ms:.0f} ms)"


class LiveStats:
    """Sliding-window frame rate and latency percentiles. Not thread-safe: the
    caller (:class:`~dashboard.live.processor.LiveProcessor`) holds a lock.

    Parameters
    ----------
    window_s
        The rate is the number of frames finished in the last ``window_s``
        seconds, divided by the time between the first and last of them.
    max_samples
        Latency percentiles are over the last ``max_samples`` frames.
    """

    def __init__(self, window_s: float = 2.0, max_samples: int = 120) -> None:
        self.window_s = float(window_s)
        self._done: deque[float] = deque()
        self._arrived: deque[float] = deque()
        self._latency: deque[float] = deque(maxlen=int(max_samples))
        self.processed = 0
        self.dropped = 0
        self.camera_frames = 0

    def reset(self) -> None:
        self._done.clear()
        self._arrived.clear()
        self._latency.clear()
        self.processed = 0
        self.dropped = 0
        self.camera_frames = 0

    def camera(self, arrived_at_s: float) -> None:
        """One frame delivered by the camera at ``arrived_at_s`` (same clock as
        :meth:`add`), analysed or not. Once the camera's frames are counted, the
        frames dropped are those it delivered and that were not processed."""
        self._arrived.append(float(arrived_at_s))
        self.camera_frames += 1
        self._trim(arrived_at_s)

    def add(self, finished_at_s: float, latency_s: float, dropped: int = 0) -> None:
        """One frame processed, finished at ``finished_at_s`` (a monotonic clock),
        after ``latency_s`` seconds; ``dropped`` older frames were skipped for it."""
        self._done.append(float(finished_at_s))
        self._latency.append(float(latency_s))
        self.processed += 1
        self.dropped += int(dropped)
        self._trim(finished_at_s)

    def _trim(self, now_s: float) -> None:
        for times in (self._done, self._arrived):
            while times and times[0] < now_s - self.window_s:
                times.popleft()

    def summary(self, now_s: float | None = None) -> RateSummary:
        """The current figures; ``now_s`` (same clock as :meth:`add`) ages the
        window, so a stalled stream shows its rate falling to nothing."""
        if now_s is not None:
            self._trim(now_s)
        fps = self._windowed(self._done, now_s)
        camera = self._windowed(self._arrived, now_s)
        lat = np.asarray(self._latency, float) * 1000.0
        p50, p95 = np.percentile(lat, [50, 95]) if lat.size else (np.nan, np.nan)
        dropped = max(self.dropped, self.camera_frames - self.processed)
        return RateSummary(fps, float(p50), float(p95), self.processed, dropped, camera)

    def _windowed(self, times: deque[float], now_s: float | None) -> float:
        if now_s is not None and times and now_s - times[-1] > self.window_s / 2:
            return float("nan")  # nothing for a while: no honest rate to show
        return _rate(tuple(times), self.window_s / 4)


def shown_text(fps: float, camera_fps: float) -> str:
    """How many of the camera's frames a second are analysed and shown, and, below
    :data:`BUSY_SHARE` of them, that the computer is busy ('' when a rate is unknown).
    The analysed rate is never said to exceed the camera's (the windows of the two
    counts end a frame apart)."""
    if not (np.isfinite(fps) and np.isfinite(camera_fps)) or camera_fps <= 0:
        return ""
    shown, delivered = round(min(fps, camera_fps)), round(camera_fps)
    text = f"showing {shown} of {delivered} camera frames a second"
    return f"{text}: the computer is busy" if fps < BUSY_SHARE * camera_fps else text


def _rate(times: tuple[float, ...], min_span_s: float) -> float:
    if len(times) < 2 or times[-1] - times[0] < max(min_span_s, 1e-9):
        return float("nan")
    return (len(times) - 1) / (times[-1] - times[0])
