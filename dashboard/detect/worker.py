"""The worker side of :mod:`dashboard.detect.parallel`, and the pipe both sides speak.

A worker is a fresh interpreter (``python -m dashboard.detect.parallel``) that reads
its job and the video's bytes from standard input, analyses its chunk and writes
progress and the result to standard output. Each message is an 8-byte little-endian
length and a pickle; only PoseDash's own worker processes, started by the parent with
their pipes, are ever read.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading

import numpy as np

from dashboard.detect import frames
from dashboard.detect.chunks import Chunk, kept_frames
from dashboard.errors import PoseDashError
from dashboard.media import video


def write_message(stream, obj) -> None:
    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(blob)))
    stream.write(blob)
    stream.flush()


def read_exact(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        got = stream.read(left)
        if not got:
            raise EOFError("the pipe closed")
        chunks.append(got)
        left -= len(got)
    return b"".join(chunks)


def read_message(stream):
    (size,) = struct.unpack("<Q", read_exact(stream, 8))
    return pickle.loads(read_exact(stream, size))


def send_quietly(stream, message) -> None:
    with contextlib.suppress(OSError, ValueError):
        write_message(stream, message)


#: Workers send their progress every this many kept frames.
_REPORT_EVERY = 4


class _Stopped(Exception):
    pass


class FoundFrames:
    """The frames a worker has kept since it last reported them, for a parent that
    shows first results (the job's ``stream``): landmarks only, never the picture.

    :meth:`take` gives them as one ``(frame_index, time_s, arrays)`` batch, the
    arrays (k, P, 33, ...) copies of the rows :func:`frames.run_landmarker` kept (the
    same values the chunk's result holds), and starts a new batch.
    """

    def __init__(self) -> None:
        self._index: list[int] = []
        self._time: list[float] = []
        self._rows: list[dict] = []

    @contextlib.contextmanager
    def watching(self):
        token = frames.FRAME_WATCHER.set(self._watch)
        try:
            yield self
        finally:
            frames.FRAME_WATCHER.reset(token)

    def _watch(self, index: int, time_s: float, row: dict, rgb) -> None:
        self._index.append(int(index))
        self._time.append(float(time_s))
        self._rows.append({k: np.array(v) for k, v in row.items()})

    def take(self) -> tuple:
        rows = self._rows
        arrays = {k: np.stack([r[k] for r in rows]) for k in rows[0]} if rows else {}
        batch = (np.array(self._index, np.int64), np.array(self._time, float), arrays)
        self._index, self._time, self._rows = [], [], []
        return batch


def report_found(watch, batch: tuple, after: int = -1) -> int:
    """Pass a worker's ``batch`` (:meth:`FoundFrames.take`) on to ``watch``, frame by
    frame (without a picture), skipping frames at or before index ``after``; returns
    the last index passed on (or ``after``)."""
    index, time_s, arrays = batch
    for k in np.flatnonzero(index > after):
        watch(int(index[k]), float(time_s[k]), {f: a[k] for f, a in arrays.items()}, None)
        after = int(index[k])
    return after


def analyse_chunk(
    data: bytes,
    model_path,
    settings,
    chunk: Chunk,
    stride: int,
    max_side: int | None,
    name: str,
    display: tuple[int, int],
    index: video.VideoIndex,
    before_frame=None,
    after_frame=None,
):
    """Analyse one chunk with a fresh landmarker (times from frame 0, see iter_frame_range)."""
    from contextlib import closing

    landmarker = frames.open_landmarker(model_path, settings, video=True)
    try:
        with closing(
            video.iter_frame_range(
                data, index, chunk.warm_start, chunk.stop, stride, max_side, name=name
            )
        ) as stream:
            return frames.run_landmarker(
                landmarker,
                stream,
                display,
                int(settings.num_poses),
                kept_frames(chunk, stride),
                keep_from=chunk.start,
                before_frame=before_frame,
                after_frame=after_frame,
            )
    finally:
        landmarker.close()


def worker_main() -> None:
    """Entry point of a worker process (``python -m dashboard.detect.parallel``).

    Reads the job and the video from standard input, analyses the chunk, and
    writes progress and the result to standard output. Anything else the
    process prints goes to standard error.
    """
    os.environ.setdefault("GLOG_minloglevel", "2")
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints (native or Python) must not corrupt the messages
    source = sys.stdin.buffer
    stop = threading.Event()
    # MediaPipe first: a worker started ahead of its job (parallel.workers_started)
    # loads it while the parent reads the video
    from dashboard.detect.backend import load_mediapipe

    load_mediapipe()
    try:
        job = read_message(source)
        (size,) = struct.unpack("<Q", read_exact(source, 8))
        data = read_exact(source, size)
    except (EOFError, OSError, pickle.UnpicklingError):
        return

    def watch() -> None:  # any message, or the pipe closing, means "stop"
        with contextlib.suppress(OSError, ValueError):
            os.read(source.fileno(), 1)  # unbuffered: holds no lock at exit
        stop.set()

    threading.Thread(target=watch, daemon=True).start()

    def before_frame() -> None:
        if stop.is_set():
            raise _Stopped()

    found = FoundFrames() if job.pop("stream", False) else None

    def after_frame(kept: int) -> None:
        if kept % _REPORT_EVERY == 0:
            write_message(
                out, ("progress", kept) if found is None else ("progress", kept, found.take())
            )

    try:
        with found.watching() if found is not None else contextlib.nullcontext():
            rows = analyse_chunk(data, before_frame=before_frame, after_frame=after_frame, **job)
        write_message(out, ("done", rows.arrays, rows.time_s, rows.frame_index))
    except (_Stopped, BrokenPipeError):
        pass
    except video.UnsupportedRange as exc:
        send_quietly(out, ("unsupported", str(exc)))
    except PoseDashError as exc:
        send_quietly(out, ("error", type(exc).__name__, exc.message, exc.hint))
    except BaseException as exc:  # reported to the parent, which falls back to sequential
        send_quietly(out, ("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        with contextlib.suppress(OSError):
            out.close()
