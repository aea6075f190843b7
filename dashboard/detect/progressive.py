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

What a snapshot holds is **provisional**. It is every frame found so far, each where
it belongs in time: a long video analysed in parallel parts grows in its first part
here and in each later part as its helper process reports the frames it has found
(:mod:`dashboard.detect.parallel` passes them to the same watcher, without a picture).
The frames between two parts that are not analysed yet are gaps (nobody found, their
times interpolated between their neighbours'), listed in :attr:`Preview.pending` so that
a page can say so rather than join the parts. Its people are tracked as in the final
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
    """The frames found so far. ``poses``: provisional landmarks (tracked, swaps not
    repaired) of the analysed frames found so far in their order, with one empty row
    (nobody found) standing for each stretch of frames not analysed yet between them;
    ``gap_rows``: those rows; ``pending``: the (first, last) frame numbers (0-based, as
    ``poses.frame_index``) of each such stretch; ``picture``: the newest picture copied
    (as analysed, maybe reduced), whose landmarks are row ``picture_row`` of ``poses``."""

    poses: PoseSequence
    picture: np.ndarray | None
    picture_row: int
    gap_rows: tuple[int, ...] = ()
    pending: tuple[tuple[int, int], ...] = ()

    @property
    def frames(self) -> int:
        """Frames analysed so far (rows of ``poses`` but the gap rows)."""
        return self.poses.num_frames - len(self.gap_rows)

    def pending_s(self) -> tuple[tuple[float, float], ...]:
        """Each stretch not analysed yet as (from, to) seconds: from the analysed frame
        before it to the analysed frame after it."""
        t = self.poses.time_s
        return tuple((float(t[r - 1]), float(t[r + 1])) for r in self.gap_rows)


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
        self._rows: dict[int, tuple[float, dict[str, np.ndarray]]] = {}  # by row
        self._changes = 0  # frames added (the snapshot is made again when it moves)
        self._picture: tuple[int, np.ndarray] | None = None
        self._copied = -np.inf
        self._last: tuple[int, Preview] | None = None
        self._generation = 0  # a new one each time the analysis starts again

    @contextlib.contextmanager
    def watching(self) -> Iterator[FirstResults]:
        """Watch the frames analysed in this thread (and nowhere else) meanwhile."""
        token = FRAME_WATCHER.set(self._watch)
        try:
            yield self
        finally:
            FRAME_WATCHER.reset(token)

    def _watch(self, index: int, time_s: float, row: dict, rgb: np.ndarray | None) -> None:
        """One kept frame; ``rgb`` None for a frame a helper process reported."""
        position, off = divmod(int(index), self._stride)
        if off:
            return  # not a frame of this analysis's stride
        with self._lock:
            if position == 0 and self._rows:  # analysed again from the start (a fallback)
                self._rows, self._picture, self._last = {}, None, None
                self._generation += 1
            self._rows[position] = (float(time_s), {k: np.array(v) for k, v in row.items()})
            self._changes += 1
            now = time.monotonic()
            if rgb is not None and now - self._copied >= self._every:
                self._copied = now
                self._picture = (position, rgb.copy())

    @property
    def frames(self) -> int:
        """Frames found so far (wherever they are in the video)."""
        with self._lock:
            return len(self._rows)

    def snapshot(self) -> Preview | None:
        """The frames found so far (None before the first frame of the video is); the
        same object while no frame has been added."""
        with self._lock:
            if 0 not in self._rows:
                return None
            if self._last is not None and self._last[0] == self._changes:
                return self._last[1]
            changes, generation = self._changes, self._generation
            rows = dict(self._rows)
            picture = self._picture
        preview = _preview(rows, self._stride, self._settings, self._size, picture)
        with self._lock:
            if self._generation == generation:
                self._last = (changes, preview)
        return preview


def _preview(rows: dict, stride: int, settings, size, picture) -> Preview:
    """The Preview of ``rows`` (position -> (time, fields)), in order, with one empty
    row in each stretch of positions not found (its time halfway between its
    neighbours': it only breaks the curves and places the gap on the time axis)."""
    at = np.array(sorted(rows))
    after = np.flatnonzero(np.diff(at) > 1)  # a stretch not found after these
    first = rows[0][1]
    n = len(at) + len(after)
    arrays = {k: np.full((n, *a.shape), np.nan) for k, a in first.items()}
    times, frame_index = np.zeros(n), np.zeros(n, np.int64)
    place = np.arange(len(at)) + np.searchsorted(after, np.arange(len(at)), side="left")
    for r, position in zip(place, at, strict=True):
        t, row = rows[int(position)]
        times[r], frame_index[r] = t, position * stride
        for k, a in row.items():
            arrays[k][r] = a
    gap_rows = place[after] + 1
    times[gap_rows] = (times[gap_rows - 1] + times[gap_rows + 1]) / 2
    frame_index[gap_rows] = (at[after] + 1) * stride
    pending = tuple(
        (int(a + 1) * stride, int(b - 1) * stride)
        for a, b in zip(at[after], at[after + 1], strict=True)
    )
    poses = finish_rows(Rows(arrays, times - times[0], frame_index), settings, size)
    row, image = (
        (0, None)
        if picture is None
        else (int(np.searchsorted(frame_index, picture[0] * stride)), picture[1])
    )
    return Preview(poses, image, row, tuple(int(r) for r in gap_rows), pending)
