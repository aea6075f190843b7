"""The frame loop both video engines share: open a VIDEO-mode landmarker, feed it
frames on MediaPipe's filter clock, and collect per-frame rows before tracking.

:mod:`dashboard.detect.engine` (sequential) and :mod:`dashboard.detect.parallel`
(one chunk per worker process) both call :func:`run_landmarker`, so the two
paths give the same landmarks for the same frames.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard.detect import backend
from dashboard.errors import ModelError
from dashboard.settings import AnalysisSettings
from dashboard.skeleton import NUM_LANDMARKS


def open_landmarker(path: Path, settings: AnalysisSettings, video: bool):
    """Create a landmarker, turning MediaPipe's errors into a ModelError."""
    try:
        return backend.create_landmarker(path, settings, video=video)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(
            f"The model {Path(path).name} could not be loaded: {exc}",
            "Choose a MediaPipe pose landmarker .task file.",
        ) from None


_FIELDS = {"image_xy": (2,), "z": (), "visibility": (), "presence": (), "world_m": (3,)}


#: Most frames a buffer allocates before any has arrived (about 2 MB per person slot).
FIRST_ALLOCATION = 1024


class _FrameBuffer:
    """Per-field (capacity, P, 33, ...) arrays that double when full.

    Memory follows the frames that really arrive: the expected count (which a
    file's header declares, and may exaggerate) only sizes the first
    allocation, and never beyond :data:`FIRST_ALLOCATION` frames.
    """

    def __init__(self, capacity: int, people: int) -> None:
        self.people = people
        self.n = 0
        first = min(max(capacity, 16), FIRST_ALLOCATION)
        self.arrays = {
            k: np.full((first, people, NUM_LANDMARKS, *tail), np.nan) for k, tail in _FIELDS.items()
        }
        self.time_s = np.zeros(first)
        self.frame_index = np.zeros(first, dtype=np.int64)

    def append(
        self, index: int, time_s: float, found: dict[str, np.ndarray], scale_xy: np.ndarray
    ) -> None:
        if self.n == len(self.time_s):
            grow = len(self.time_s)
            self.arrays = {
                k: np.concatenate([a, np.full((grow, *a.shape[1:]), np.nan)])
                for k, a in self.arrays.items()
            }
            self.time_s = np.concatenate([self.time_s, np.zeros(grow)])
            self.frame_index = np.concatenate([self.frame_index, np.zeros(grow, np.int64)])
        people = min(len(found["image_xy"]), self.people)
        for key, a in self.arrays.items():
            if people:
                a[self.n, :people] = found[key][:people]
        if people:
            self.arrays["image_xy"][self.n, :people] *= scale_xy
        self.time_s[self.n] = time_s
        self.frame_index[self.n] = index
        self.n += 1

    def trimmed(self) -> dict[str, np.ndarray]:
        return {k: a[: self.n].copy() for k, a in self.arrays.items()}


#: Who watches the kept frames of this thread's analysis as they are found:
#: ``watch(frame_index, time_s, row, rgb)`` after each kept frame, ``row`` the frame's
#: fields (P, 33, ...) as kept, ``rgb`` the picture analysed. Set by
#: :mod:`dashboard.detect.progressive` (first results while a video is analysed);
#: None (default) costs nothing. It must not change ``row`` or ``rgb``.
FRAME_WATCHER: ContextVar[Callable | None] = ContextVar("posedash_frame_watcher", default=None)

#: Who is told when this thread's analysis leaves a core of the computer to other
#: work: ``spare()``, at the start of an analysis that runs in this process alone (a
#: photo, a short video), and in a parallel analysis each time a process has finished
#: its part (a helper process, or this one, then waiting for the others). The command
#: line then imports what its writers need (:mod:`dashboard.cli.ahead`): on a free
#: core, not beside the analysis. Told more than once (several processes, several
#: videos); None (default): nobody. It must return at once.
SPARE_CORE: ContextVar[Callable[[], None] | None] = ContextVar("posedash_spare_core", default=None)


def core_spared() -> None:
    """Tell :data:`SPARE_CORE` (if set) that a core is free."""
    spare = SPARE_CORE.get()
    if spare is not None:
        spare()


#: MediaPipe's filters are fed a frame clock of 30 frames per second (see analyze_video Notes).
FILTER_CLOCK_FPS = 30.0


def filter_clock_ms(frame_index: int) -> int:
    """The timestamp (ms) given to MediaPipe for frame ``frame_index``: ``i * 1000 / 30``."""
    return int(round(frame_index * 1000.0 / FILTER_CLOCK_FPS))


@dataclass
class Rows:
    """Raw per-frame results of (part of) a video, before person tracking.

    ``arrays`` maps the PoseSequence landmark fields to (F, P, 33, ...) arrays
    with detections in MediaPipe's (unordered) slots; ``time_s`` holds the
    frames' times (relative, or raw PTS times for a chunk); ``frame_index``
    the decoded frame numbers.
    """

    arrays: dict[str, np.ndarray]
    time_s: np.ndarray
    frame_index: np.ndarray


#: Frames decoded ahead of the landmarker (each a few MB of RGB at 720p).
PREFETCH = 2


class _Prefetch:
    """Iterate ``frames`` in a helper thread, up to ``depth`` items ahead.

    Decoding and the conversion to RGB (FFmpeg, which releases the GIL) then run
    while MediaPipe analyses the previous frame: about a millisecond of each 720p
    frame's 20 leaves the landmarker's path. The items and their order are those
    of ``frames``; an exception ``frames`` raises is raised here, at the same place
    in the sequence. :meth:`close` stops the thread (it no longer touches
    ``frames`` once it has returned), so the caller may then close ``frames``.
    """

    _END = object()

    def __init__(self, frames: Iterable, depth: int = PREFETCH) -> None:
        self._source = iter(frames)
        self._items: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="posedash-decode")
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._source:
                if not self._put((item, None)):
                    return
        except BaseException as exc:  # raised to the consumer, in order
            self._put((self._END, exc))
            return
        self._put((self._END, None))

    def __iter__(self) -> Iterator:
        while True:
            item, error = self._items.get()
            if error is not None:
                raise error
            if item is self._END:
                return
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def run_landmarker(
    landmarker,
    frames,
    display: tuple[int, int],
    people: int,
    capacity: int,
    keep_from: int = 0,
    before_frame: Callable[[], None] | None = None,
    after_frame: Callable[[int], None] | None = None,
    prefetch: int = PREFETCH,
) -> Rows:
    """Feed ``(frame_index, time_s, rgb)`` frames to a VIDEO-mode landmarker.

    Frames with an index below ``keep_from`` only warm the tracker up (their
    results are dropped). ``before_frame()`` is called before each frame (it
    may raise :class:`Cancelled`), ``after_frame(kept)`` after each kept frame
    with the number kept so far. Coordinates are scaled to ``display`` (width,
    height) pixels. ``capacity`` is the expected number of kept frames, a hint
    only: memory grows with the frames that arrive (see :class:`_FrameBuffer`).
    ``frames`` is iterated in a helper thread, ``prefetch`` frames ahead
    (:class:`_Prefetch`; 0: in this thread, one at a time), and no longer touched
    once this returns or raises. The rows are the same either way.
    """
    buffer = _FrameBuffer(capacity + 8, people)
    size = np.array(display, float)
    watch = FRAME_WATCHER.get()
    last_ms = -1
    ahead = _Prefetch(frames, prefetch) if prefetch > 0 else None
    try:
        for index, time_s, rgb in ahead if ahead is not None else frames:
            if before_frame is not None:
                before_frame()
            stamp = max(filter_clock_ms(index), last_ms + 1)
            last_ms = stamp
            found = backend.detect_video_frame(landmarker, rgb, stamp)
            if index >= keep_from:
                buffer.append(index, time_s, found, size / (rgb.shape[1], rgb.shape[0]))
                if watch is not None:
                    row = {k: a[buffer.n - 1] for k, a in buffer.arrays.items()}
                    watch(index, time_s, row, rgb)
                if after_frame is not None:
                    after_frame(buffer.n)
    finally:
        if ahead is not None:
            ahead.close()
    return Rows(
        buffer.trimmed(), buffer.time_s[: buffer.n].copy(), buffer.frame_index[: buffer.n].copy()
    )
