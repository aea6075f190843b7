"""How a video is split for parallel analysis: pure planning, no processes.

:func:`plan_chunks` gives each worker a range of frames (with warm-up overlap);
:func:`worth_parallel` and :func:`_plan` decide whether a video is split at all.
Used by :mod:`dashboard.detect.parallel`.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

from dashboard.media import video

#: Analysed frames each chunk after the first runs before its range, to re-acquire tracking.
OVERLAP = 30
#: Clips with fewer analysed frames than this are analysed sequentially.
MIN_FRAMES = 300
#: Fewest kept frames per chunk.
MIN_CHUNK = 120
#: Frames the first chunk (run in this process, no start-up) takes in addition to its share.
HEAD_EXTRA = 40


@dataclass(frozen=True)
class Chunk:
    """A range of frames for one worker.

    Frames ``warm_start <= i < stop`` (every ``stride``-th) are analysed; those
    from ``start`` on are kept. All three are frame indices, multiples of the
    stride (``stop`` excepted).
    """

    warm_start: int
    start: int
    stop: int


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """``workers`` if given, else ``$POSEDASH_WORKERS``, else :func:`available_cores`."""
    if workers is None:
        env = os.environ.get("POSEDASH_WORKERS", "").strip()
        workers = int(env) if env.isdigit() and int(env) > 0 else available_cores()
    return max(1, int(workers))


def plan_chunks(
    num_frames: int,
    workers: int,
    *,
    stride: int = 1,
    overlap: int = OVERLAP,
    min_frames: int = MIN_FRAMES,
    min_chunk: int = MIN_CHUNK,
    head_extra: int = HEAD_EXTRA,
) -> list[Chunk]:
    """Split ``num_frames`` decoded frames into at most ``workers`` chunks.

    Parameters
    ----------
    num_frames
        Frames in the video.
    workers
        Processes available.
    stride
        Every ``stride``-th frame is analysed.
    overlap
        Analysed frames a chunk (other than the first) runs before its start.
    min_frames
        Fewer analysed frames than this: one chunk (sequential).
    min_chunk
        Fewest kept analysed frames per chunk (fewer chunks otherwise).
    head_extra
        Extra analysed frames for the first chunk, which starts at once.

    Returns
    -------
    Chunks in frame order; their kept ranges ``[start, stop)`` tile
    ``[0, num_frames)`` exactly.
    """
    if num_frames < 0 or workers < 1 or stride < 1 or overlap < 0:
        raise ValueError("num_frames >= 0, workers >= 1, stride >= 1 and overlap >= 0 needed")
    analysed = -(-num_frames // stride)
    n = min(workers, analysed // max(1, min_chunk))
    if analysed < min_frames or n < 2:
        return [Chunk(0, 0, num_frames)]
    # the first chunk has no warm-up and no start-up: give it that much more
    head = (analysed + (n - 1) * (overlap + head_extra)) / n
    head = int(round(min(max(head, min_chunk), analysed - (n - 1) * min_chunk)))
    rest = analysed - head
    bounds = [0, head] + [head + round(rest * k / (n - 1)) for k in range(1, n)]
    chunks = []
    for a, b in itertools.pairwise(bounds):
        start, stop = a * stride, min(b * stride, num_frames)
        chunks.append(Chunk(max(0, (a - overlap) * stride) if a else 0, start, stop))
    chunks[-1] = Chunk(chunks[-1].warm_start, chunks[-1].start, num_frames)
    return chunks


def kept_frames(chunk: Chunk, stride: int) -> int:
    """Analysed frames a chunk keeps."""
    return len(range(chunk.start, chunk.stop, stride))


# -- messages ------------------------------------------------------------------
# Parent and worker talk through the worker's standard input and output: each
# message is an 8-byte little-endian length and a pickle; the video's bytes
# follow the first message raw. Pipes only: nothing touches the disk.


def worth_parallel(
    info: video.VideoInfo, workers: int, stride: int = 1, min_frames: int = MIN_FRAMES
) -> bool:
    """Whether :func:`analyze_parallel` would try chunks: two workers or more, and at
    least ``min_frames`` analysed frames as the container declares them."""
    return workers >= 2 and -(-max(info.frame_count, 0) // stride) >= min_frames


def _plan(
    index,
    info: video.VideoInfo,
    workers: int,
    stride: int,
    limits: video.VideoLimits,
    overlap: int,
    min_frames: int,
    head_extra: int,
) -> list[Chunk] | None:
    """The chunks for a video whose ``index`` locates its frames, or None when it
    should be analysed sequentially (no index, an odd or too long video, one chunk)."""
    if index is None or not index.seekable:
        return None  # frames cannot be located by their timestamps: decode from the start
    n = index.num_frames
    declared = index.declared_frames
    if declared and abs(n - declared) > max(2, declared // 100):
        return None  # cut short or odd: the sequential decoder explains it
    if index.duration_s > limits.max_duration_s:
        return None
    chunks = plan_chunks(
        n, workers, stride=stride, overlap=overlap, min_frames=min_frames, head_extra=head_extra
    )
    return chunks if len(chunks) >= 2 else None
