"""First results while a video is analysed: the frames found so far, in order.

A video analysis (:func:`dashboard.detect.engine.video_analysis`) returns when every
frame is analysed, tracked and repaired. A page that wants to show something at
once runs the same analysis under :meth:`FirstResults.watching` (in the thread
that runs it) and asks :meth:`FirstResults.snapshot` meanwhile, from any thread::

    first = FirstResults(info.width, info.height, settings, stride)
    with first.watching():          # in the analysis thread
        analysis = engine.video_analysis(data, model, settings, ...)
    first.snapshot()                # elsewhere: a Preview, or None before any frame

Nothing is detected twice: the watcher is told of each frame the analysis keeps
(:data:`dashboard.detect.frames.FRAME_WATCHER`) and copies that frame's landmarks
(about 2 kB); the analysis and its result are exactly those of a run without it.

What a snapshot holds is **provisional**. It is the unbroken run of frames from the
first on (frames ``0, stride, 2 * stride, ...``) found so far by this process: a long
video analysed in parallel parts grows in its first part, the parts analysed in
helper processes come with the final result. Its people are tracked as in the final
pass, but left/right swaps are not repaired (that pass needs the whole video), so a
value may still change: the final result replaces it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from dashboard.detect.engine import finish_rows
from dashboard.detect.frames import FRAME_WATCHER, Rows
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings

#: Seconds between two copies of the picture being analysed (the preview shows the
#: newest copy; copying every frame would cost the analysis for nothing).
PICTURE_EVERY_S = 0.25


@dataclass(frozen=True)
class Preview:
    """The frames found so far. ``poses``: provisional landmarks of the first
    ``poses.num_frames`` analysed frames (tracked, swaps not repaired);
    ``picture``: the newest picture copied (as analysed, maybe reduced), whose
    landmarks are row ``picture_row`` of ``poses``."""

    poses: PoseSequence
    picture: np.ndarray | None
    picture_row: int

    @property
    def frames(self) -> int:
        return self.poses.num_frames


class FirstResults:
    """Collects the frames of one video analysis as they are found (thread-safe).

    ``width``, ``height``: the video's displayed size (``VideoInfo``); ``settings``
    and ``stride``: those of the analysis watched.
    """

    def __init__(
        self,
        width: int,
        height: int,
        settings: AnalysisSettings,
        stride: int = 1,
        picture_every_s: float = PICTURE_EVERY_S,
    ) -> None:
        self._size = (int(width), int(height))
        # the final pass without the swap repair, which needs the whole video
        self._settings = replace(settings, swap_repair=False)
        self._stride = max(1, int(stride))
        self._every = float(picture_every_s)
        self._lock = threading.Lock()
        self._rows: list[dict[str, np.ndarray]] = []
        self._times: list[float] = []
        self._picture: tuple[int, np.ndarray] | None = None
        self._copied = -np.inf
        self._last: Preview | None = None
        self._generation = 0  # a new one each time the analysis starts again

    @contextlib.contextmanager
    def watching(self) -> Iterator[FirstResults]:
        """Watch the frames analysed in this thread (and nowhere else) meanwhile."""
        token = FRAME_WATCHER.set(self._watch)
        try:
            yield self
        finally:
            FRAME_WATCHER.reset(token)

    def _watch(self, index: int, time_s: float, row: dict, rgb: np.ndarray) -> None:
        with self._lock:
            if index == 0 and self._rows:  # analysed again from the start (a fallback)
                self._rows, self._times, self._picture, self._last = [], [], None, None
                self._generation += 1
            if index != len(self._rows) * self._stride:
                return  # not the next frame in order (a later part analysed here)
            self._rows.append({k: np.array(v) for k, v in row.items()})
            self._times.append(float(time_s))
            now = time.monotonic()
            if now - self._copied >= self._every:
                self._copied = now
                self._picture = (len(self._rows) - 1, rgb.copy())

    @property
    def frames(self) -> int:
        """Frames found so far (in order from the first)."""
        with self._lock:
            return len(self._rows)

    def snapshot(self) -> Preview | None:
        """The frames found so far (None before the first); the same object while no
        frame has been added."""
        with self._lock:
            n = len(self._rows)
            if n == 0:
                return None
            if self._last is not None and self._last.frames == n:
                return self._last
            rows = self._rows[:n]
            times = np.array(self._times[:n]) - self._times[0]
            picture, generation = self._picture, self._generation
        arrays = {k: np.stack([r[k] for r in rows]) for k in rows[0]}
        frame_index = np.arange(n, dtype=np.int64) * self._stride
        poses = finish_rows(Rows(arrays, times, frame_index), self._settings, self._size)
        row, image = picture if picture is not None else (0, None)
        preview = Preview(poses, image, row)
        with self._lock:
            if self._generation == generation:
                self._last = preview
        return preview


def prepare() -> None:
    """Import MediaPipe ahead of the first analysis of this process
    (:func:`dashboard.detect.backend.load_mediapipe`): measured for issue 27, the first
    frame of a fresh server's first analysis waited 1.6 s for it on a quiet machine, about
    6 s on a busy one. A page may call it in a helper thread before Analyse is pressed."""
    from dashboard.detect import backend

    backend.load_mediapipe()
