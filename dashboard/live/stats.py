"""Processing rate and latency of a live stream, over a sliding window."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

__all__ = ["LiveStats", "RateSummary"]


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
    """

    fps: float
    latency_p50_ms: float
    latency_p95_ms: float
    processed: int
    dropped: int

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
        self._latency: deque[float] = deque(maxlen=int(max_samples))
        self.processed = 0
        self.dropped = 0

    def reset(self) -> None:
        self._done.clear()
        self._latency.clear()
        self.processed = 0
        self.dropped = 0

    def add(self, finished_at_s: float, latency_s: float, dropped: int = 0) -> None:
        """One frame processed, finished at ``finished_at_s`` (a monotonic clock),
        after ``latency_s`` seconds; ``dropped`` older frames were skipped for it."""
        self._done.append(float(finished_at_s))
        self._latency.append(float(latency_s))
        self.processed += 1
        self.dropped += int(dropped)
        self._trim(finished_at_s)

    def _trim(self, now_s: float) -> None:
        while self._done and self._done[0] < now_s - self.window_s:
            self._done.popleft()

    def summary(self, now_s: float | None = None) -> RateSummary:
        """The current figures; ``now_s`` (same clock as :meth:`add`) ages the
        window, so a stalled stream shows its rate falling to nothing."""
        if now_s is not None:
            self._trim(now_s)
        fps = _rate(tuple(self._done), self.window_s / 4)
        if now_s is not None and self._done and now_s - self._done[-1] > self.window_s / 2:
            fps = float("nan")  # nothing for a while: no honest rate to show
        lat = np.asarray(self._latency, float) * 1000.0
        p50, p95 = np.percentile(lat, [50, 95]) if lat.size else (np.nan, np.nan)
        return RateSummary(fps, float(p50), float(p95), self.processed, self.dropped)


def _rate(times: tuple[float, ...], min_span_s: float) -> float:
    if len(times) < 2 or times[-1] - times[0] < max(min_span_s, 1e-9):
        return float("nan")
    return (len(times) - 1) / (times[-1] - times[0])
