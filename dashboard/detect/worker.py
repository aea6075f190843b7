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

    def after_frame(kept: int) -> None:
        if kept % _REPORT_EVERY == 0:
            write_message(out, ("progress", kept))

    try:
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
