"""Analyse a long video in parallel chunks, one MediaPipe landmarker per process.

MediaPipe's pose landmarker runs on one core; a clinician's computer has two or
more. :func:`analyze_parallel` splits the frames into as many chunks as there
are workers, analyses the first chunk in this process and each other chunk in
a worker process, and stitches the results so that they match a sequential
analysis. It is what :func:`dashboard.detect.engine.analyze_video` does by default.

Design
------
Processes
    Workers are fresh interpreters (``python -m dashboard.detect.parallel``, like
    multiprocessing's ``spawn``: MediaPipe's native threads do not survive
    ``fork``), started with :mod:`subprocess` rather than multiprocessing so
    that they never re-run the caller's main script (an unguarded script, a
    Streamlit app). Each reads its job (model path, settings, frame range) and
    the video's bytes from its standard input, sent by a helper thread so that
    this process starts its own chunk at once, and writes progress and results
    to its standard output. Nothing is written to disk: no temporary file, no
    named shared memory. Workers make no network connection (the strace test
    traces them).
Chunks
    :func:`plan_chunks` (a pure function) gives each worker a range of frames.
    A chunk other than the first is analysed from ``overlap`` analysed frames
    before its start (default 30, one second at 30 fps): MediaPipe finds the
    person afresh on the first of these and tracks and smooths from there, so
    by the chunk's first kept frame it is in the same state as a sequential
    run (measured: over 99.9 % of landmarks within 15 px of the sequential
    result, most identical). Warm-up frames are dropped. The first chunk is
    longer by ``head_extra`` frames (40: about 0.8 s of work), as it has no
    warm-up and can start at once.
Who takes which chunk
    This process takes the first chunk, which it starts at once while the workers
    start. With its workers started ahead (:func:`workers_started`, the command
    line) and nobody watching first results, it takes the last chunk instead, the
    shortest: it then finishes first, and the core it leaves free
    (:data:`dashboard.detect.frames.SPARE_CORE`) imports what the writers need
    while the workers end the longer ones, without holding back a chunk still
    running in this process (measured on a 2,005-frame 720p clip: the imports,
    about a second, slowed this process's own chunk by up to 0.5 s when they ran
    beside it). A chunk gives the same landmarks in either process: a fresh
    landmarker, the same frames.
Decoding
    Each worker seeks to the keyframe before its warm-up start and decodes
    forward (:func:`dashboard.media.video.iter_frame_range`); frames before its range
    are decoded but never converted. Frames are located by the packets'
    timestamps (:func:`dashboard.media.video.index_video`), and carry the index's
    times, the same floats a sequential decoding gives; a video whose timestamps
    cannot locate frames (not ``seekable``: an AVI, repaired timestamps) is
    analysed sequentially instead.
Identities
    Per-frame detections are stitched in frame order before the person tracker
    (:mod:`dashboard.detect.tracking`) runs over the whole video, exactly as for a
    sequential analysis, so identities carry across chunk boundaries.
Progress, cancel, errors
    Workers report the frames they have kept through their pipe; this process
    adds them up into the same ``progress(done, total)`` callback. When first
    results are watched (:data:`dashboard.detect.frames.FRAME_WATCHER` set in the
    calling thread, :mod:`dashboard.detect.progressive`), the workers also send the
    landmarks of the frames they kept with each progress message (a few kB, never a
    picture), and this process passes them on to the watcher as they arrive; the
    result is made from the same rows either way. Each process that has finished its
    part (a worker, or this one waiting for the workers) leaves a core free: this
    process tells :data:`dashboard.detect.frames.SPARE_CORE`. It polls
    ``should_cancel`` between its own frames and while waiting, and on cancel
    asks the workers to stop (then terminates any that do not) and raises
    :class:`dashboard.errors.Cancelled`. A worker's :class:`PoseDashError`
    (a damaged video, a model that cannot load) is raised here with the same
    class and message. A crashed worker is reported (``notice``) and its chunk
    analysed again here, its progress from zero; a video that cannot be cut by
    timestamps is analysed sequentially (with a notice if work was done).
When
    Short clips (fewer than ``min_frames`` = 300 analysed frames) stay
    sequential: starting a process costs about as much as analysing 60 frames.
    The number of workers defaults to the cores this process may use, or the
    ``POSEDASH_WORKERS`` environment variable.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from dashboard import errors
from dashboard.detect import frames
from dashboard.detect.chunks import (
    HEAD_EXTRA as HEAD_EXTRA,
    MIN_CHUNK as MIN_CHUNK,
    MIN_FRAMES as MIN_FRAMES,
    OVERLAP as OVERLAP,
    Chunk as Chunk,
    _plan as _plan,
    available_cores as available_cores,
    kept_frames as kept_frames,
    plan_chunks as plan_chunks,
    resolve_workers as resolve_workers,
    worth_parallel as worth_parallel,
)
from dashboard.detect.worker import (
    analyse_chunk as _analyse_chunk,
    read_message as _read,
    report_found,
    worker_main,
    write_message as _write,
)
from dashboard.errors import Cancelled, PoseDashError
from dashboard.media import video
from dashboard.media.video_container import VideoIndex

# -- parent side -------------------------------------------------------------


class _Fallback(Exception):
    """Analyse sequentially instead."""


_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _start_process(stderr=None) -> subprocess.Popen:
    """A worker process (``python -m dashboard.detect.parallel``) with its pipes;
    ``stderr`` as for :class:`subprocess.Popen` (None: this process's)."""
    env = dict(os.environ)
    env.setdefault("GLOG_minloglevel", "2")  # glog's own spelling of its variable
    env["PYTHONPATH"] = os.pathsep.join(
        [_PACKAGE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.detect.parallel"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        cwd=_PACKAGE_ROOT,
        close_fds=True,
    )


def _end_process(process: subprocess.Popen) -> None:
    """Close a worker's input (it then stops) and make sure it has ended."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=3.0)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: Worker processes started ahead of the analysis (:func:`workers_started`).
_EARLY: ContextVar[list[subprocess.Popen] | None] = ContextVar("posedash_early", default=None)


@contextlib.contextmanager
def workers_started(count: int | None = None, stderr=None) -> Iterator[None]:
    """Start ``count`` worker processes now (default: one fewer than
    :func:`resolve_workers`, as this process analyses a chunk itself): they load
    MediaPipe while this process reads, hashes and indexes the video, and the parallel
    analyses in this context take them before starting others (the command line: a
    worker's start was on the analysis's critical path). Those not taken (a photo, a
    short video) are stopped when the context ends. ``stderr``: where their standard
    error goes (:class:`subprocess.Popen`'s; None: this process's)."""
    n = resolve_workers(None) - 1 if count is None else int(count)
    early = [_start_process(stderr) for _ in range(max(0, n))]
    token = _EARLY.set(early)
    try:
        yield
    finally:
        _EARLY.reset(token)
        for process in early:
            _end_process(process)
            if process.stdout is not None:
                process.stdout.close()


class _Worker:
    """One worker process, its feeder thread (job and video in) and its reader
    thread (messages out, into a queue)."""

    def __init__(self, chunk: Chunk, data: bytes, job: dict, watch=None) -> None:
        self.chunk = chunk
        self.kept = 0
        self.watch = watch  # told of the frames the worker reports (job["stream"])
        self.reported = -1  # the last frame index passed on to watch
        self.result: tuple | None = None  # (arrays, time_s, frame_index)
        self.crashed: str | None = None  # the reason
        self.messages: queue.Queue = queue.Queue()
        early = _EARLY.get()
        self.process = early.pop() if early else _start_process()
        if self.process.stdin is None or self.process.stdout is None:  # never: both PIPE
            raise RuntimeError("the worker process has no pipes")
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self.feeder = threading.Thread(
            target=self._feed, args=(job, data), daemon=True, name="posedash-feeder"
        )
        self.reader = threading.Thread(target=self._read, daemon=True, name="posedash-reader")
        self.feeder.start()
        self.reader.start()

    def _feed(self, job: dict, data: bytes) -> None:
        try:
            _write(self.stdin, job)
            self.stdin.write(struct.pack("<Q", len(data)))
            self.stdin.write(data)
            self.stdin.flush()
        except (OSError, ValueError):
            pass

    def _read(self) -> None:
        try:
            while True:
                message = _read(self.stdout)
                self.messages.put(message)
                if message[0] != "progress":
                    return
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self.messages.put(("crash", "the worker stopped without a result"))

    def handle(self, on_progress: Callable[[], None], timeout: float = 0.0) -> None:
        """Act on the worker's waiting messages (waiting up to ``timeout`` for one)."""
        while self.result is None and self.crashed is None:
            try:
                message = (
                    self.messages.get(timeout=timeout) if timeout else self.messages.get_nowait()
                )
            except queue.Empty:
                return
            timeout = 0.0
            kind = message[0]
            if kind == "progress":
                self.kept = message[1]
                self._found(message[2:])
                on_progress()
            elif kind == "done":
                self.result = message[1:]
                self.kept = len(message[3])
                self._found([(message[3], message[2], message[1])])
                on_progress()
                frames.core_spared()  # the worker's core is free
            elif kind == "error":
                cls = getattr(errors, message[1], PoseDashError)
                raise cls(message[2], message[3])
            elif kind == "crash":
                self.crashed, self.kept = message[1], 0
                on_progress()
            else:  # "unsupported"
                raise _Fallback(message[1])

    def _found(self, batch) -> None:
        """Pass the frames the worker reported on to ``watch`` (first results)."""
        if self.watch is not None and batch:
            self.reported = report_found(self.watch, batch[0], self.reported)

    @property
    def pending(self) -> bool:
        return self.result is None and self.crashed is None

    def stop(self) -> None:
        """Ask the worker to stop (closing its input), then make sure it has."""
        self.feeder.join(timeout=1.0)
        _end_process(self.process)
        self.reader.join(timeout=1.0)
        self.stdout.close()


@dataclass(frozen=True)
class _Job:
    """What every chunk of one video shares: the bytes, the model and the settings."""

    data: bytes
    model_path: str
    settings: object
    stride: int
    max_side: int | None
    name: str
    display: tuple[int, int]
    index: VideoIndex

    def message(self, chunk: Chunk, stream: bool = False) -> dict:
        """The job a worker process reads (the video's bytes follow it); ``stream``:
        the worker reports the frames it finds as it goes (first results)."""
        return dict(
            stream=stream,
            model_path=self.model_path,
            settings=self.settings,
            chunk=chunk,
            stride=self.stride,
            max_side=self.max_side,
            name=self.name,
            display=self.display,
            index=self.index,
        )

    def analyse(self, chunk: Chunk, check, after_frame) -> frames.Rows:
        """Analyse ``chunk`` in this process."""
        return _analyse_chunk(
            self.data,
            self.model_path,
            self.settings,
            chunk,
            self.stride,
            self.max_side,
            self.name,
            self.display,
            self.index,
            before_frame=check,
            after_frame=after_frame,
        )


def _redo_here(w: _Worker, job: _Job, check, report, notice) -> None:
    """Analyse a crashed worker's chunk in this process (its progress from zero)."""
    if notice is not None:
        notice(
            f"A helper process stopped unexpectedly ({w.crashed}). Frames "
            f"{w.chunk.start + 1:,} to {w.chunk.stop:,} are being analysed again here; "
            "the rest of the work is kept."
        )

    def after_frame(kept: int) -> None:
        w.kept = kept
        report()

    rows = job.analyse(w.chunk, check, after_frame)
    w.result = (rows.arrays, rows.time_s, rows.frame_index)


def _wait_for(pool: list[_Worker], check, report) -> None:
    """Wait for every worker to finish (``check`` may finish one: look again after it)."""
    while True:
        check()
        waiting = [w for w in pool if w.pending]
        if not waiting:
            return
        waiting[0].handle(report, timeout=0.1)


#: ``index`` not given to :func:`analyze_parallel`: it reads the video's index itself.
_READ_INDEX = object()
_FALLBACK_NOTICE = (
    "The video could not be analysed in parallel parts ({}); it is being analysed again "
    "from the start, in one process."
)


def analyze_parallel(
    data: bytes,
    model,
    settings,
    info: video.VideoInfo,
    *,
    workers: int,
    stride: int = 1,
    max_side: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    name: str = "video",
    limits: video.VideoLimits = video.DEFAULT_LIMITS,
    overlap: int = OVERLAP,
    min_frames: int = MIN_FRAMES,
    head_extra: int = HEAD_EXTRA,
    index=_READ_INDEX,
    notice: Callable[[str], None] | None = None,
):
    """Analyse ``data`` in parallel chunks; returns :class:`dashboard.detect.frames.Rows`
    with relative times, or None when the video should be analysed sequentially
    (short, one worker, timestamps that cannot locate frames, or anything
    unusual a sequential analysis reports better). ``index``: the video's
    :func:`~dashboard.media.video.index_video` when the caller has it (None: none).
    ``notice(text)`` is told when a worker crashed (its part is analysed again here)
    or the parallel attempt is given up. Raises what a sequential analysis raises
    (:class:`InputError`, :class:`ModelError`, :class:`Cancelled`).
    """
    if not worth_parallel(info, workers, stride, min_frames):
        return None  # short (as declared): not worth reading the packets
    if index is _READ_INDEX:
        index = video.index_video(data, name)
    chunks = _plan(index, info, workers, stride, limits, overlap, min_frames, head_extra)
    if chunks is None:
        return None
    total = sum(kept_frames(c, stride) for c in chunks)
    job = _Job(data, model.path, settings, stride, max_side, name, (info.width, info.height), index)
    pool: list[_Worker] = []
    own = {"kept": 0}

    def report() -> None:
        if progress is not None:
            progress(min(total, own["kept"] + sum(w.kept for w in pool)), total)

    def check() -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled(f"The analysis of {name} was cancelled.")
        for w in pool:
            w.handle(report)

    def after_frame(kept: int) -> None:
        own["kept"] = kept
        report()

    watch = frames.FRAME_WATCHER.get()  # first results: told of the workers' frames too
    mine = _own_chunk(len(chunks), watch is not None)
    try:
        for chunk in chunks[:mine] + chunks[mine + 1 :]:
            pool.append(_Worker(chunk, data, job.message(chunk, watch is not None), watch))
        own_rows = job.analyse(chunks[mine], check, after_frame)
        frames.core_spared()  # this process's core, while it waits for the workers
        _wait_for(pool, check, report)
        for w in pool:
            if w.crashed is not None:
                _redo_here(w, job, check, report, notice)
    except (_Fallback, video.UnsupportedRange) as exc:
        if notice is not None and (own["kept"] or any(w.kept for w in pool)):
            notice(_FALLBACK_NOTICE.format(exc))
        return None
    finally:
        for w in pool:
            w.stop()
    parts = [w.result for w in pool]
    parts.insert(mine, (own_rows.arrays, own_rows.time_s, own_rows.frame_index))
    rows = _stitch(parts, index.num_frames, stride, notice)
    if rows is not None and progress is not None:
        progress(total, total)
    return rows


def _own_chunk(count: int, watched: bool) -> int:
    """Which of ``count`` chunks this process analyses (module Notes, "Who takes which
    chunk"): the last one when its workers were started ahead and nobody watches
    first results, else the first."""
    early = _EARLY.get()
    return count - 1 if not watched and early is not None and len(early) >= count - 1 else 0


def _stitch(parts, n: int, stride: int, notice) -> frames.Rows | None:
    """The chunks' (arrays, raw times, frame indices) as one Rows; None if not a tiling."""
    frame_index = np.concatenate([p[2] for p in parts])
    if not np.array_equal(frame_index, np.arange(0, n, stride)):
        if notice is not None:
            notice(
                "The parts analysed in parallel did not fit together; the video is "
                "being analysed again from the start, in one process."
            )
        return None
    raw_time = np.concatenate([p[1] for p in parts])
    arrays: dict[str, np.ndarray] = {
        k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]
    }
    return frames.Rows(arrays, raw_time - raw_time[0], frame_index)


if __name__ == "__main__":
    worker_main()
    sys.stderr.flush()
    os._exit(0)  # skip interpreter teardown (MediaPipe's threads, the watcher)
