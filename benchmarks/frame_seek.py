"""Time to show one frame on the Frame review page: jumps and next/previous steps.

For every shared video (``$POSEDASH_MEDIA/videos``) and for files made here in
memory with PyAV from the walking clip (``tests/videotools.py``: an AVI encoded
with B-frames, the same AVI looped to 1,203 frames, and an MKV whose
timestamps repeat, which PoseDash repairs), prints the milliseconds to fetch frames as a reviewer
does (see :func:`measure`): jumps to 10 %, 50 % and 90 % of the video, "next
frame" and "previous frame" steps from the middle, and the first step back
after a jump (medians of ``--repeat`` runs).

Two ways are timed:

``read_frame``
    :func:`dashboard.media.video.read_frame`, one call per frame shown, with the
    analysis's video index: what the page did before it kept a frame reader.
    (Before the frame reader, ``read_frame`` decoded AVI files and files with
    repaired timestamps from the start: run this script on commit 7fa34a3 for
    those figures.)
``FrameReader``
    one :class:`dashboard.media.video_reader.FrameReader` kept for the video (what
    the page does now): it seeks to the keyframe before the frame, keeps its
    decoder, so a next step continues decoding, and keeps recent pictures for
    steps back. Skipped where it does not exist.

Nothing is written to disk. Figures depend on the machine and its load.
Measured on a 2-core machine under load (load average 6-7), medians in ms,
before (7fa34a3: ``read_frame`` per frame) -> after (one ``FrameReader``):

====================  =====  ==========  ==========  =========  ========
video                 frames 50 %        90 %        next       previous
====================  =====  ==========  ==========  =========  ========
walk_b_frames.avi       401  517 -> 46   890 -> 47   571 -> 3   535 -> 0
walk_x3_b_frames.avi   1203  1772 -> 71  1858 -> 116 1321 -> 5  1380 -> 0
walk_repeated_times     401  587 -> 54   582 -> 46   241 -> 5   500 -> 0
gait_side.mp4           401  69 -> 54    83 -> 48    101 -> 2   90 -> 0
demo_current (VP9)      230  388 -> 212  225 -> 143  337 -> 6   281 -> 0
====================  =====  ==========  ==========  =========  ========

Usage: ``.venv/bin/python benchmarks/frame_seek.py [--media DIR] [--only SUBSTRING]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WALK = "sports2d_demo4_gait_side.mp4"


def clips(media: Path, only: str):
    """(name, bytes) of the shared videos, then the ones made in memory."""
    videos = media / "videos"
    for path in sorted(videos.iterdir()):
        if only in path.name:
            yield path.name, path.read_bytes()
    from tests.videotools import reencoded, repeated_times

    walk = (videos / WALK).read_bytes()
    made = (
        ("walk_b_frames.avi", lambda: reencoded(walk)),
        ("walk_x3_b_frames.avi", lambda: reencoded(walk, loops=3)),
        ("walk_repeated_times.mkv", lambda: repeated_times(walk)),
    )
    for name, make in made:
        if only in name:
            yield name, make()


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - t0)


COLUMNS = ("10%", "50%", "90%", "next", "prev", "back1")


def _read_frame_way(read_frame, data: bytes, name: str, index):
    """Open nothing; fetch each frame with ``read_frame`` (``video.read_frame``)."""
    return lambda: lambda i: read_frame(data, i, name=name, index=index)


def _frame_reader_way(reader, data: bytes, name: str, index):
    """Open a ``reader`` (``FrameReader``); fetch each frame with its ``read``."""
    return lambda: reader(data, name, index).read


def measure(open_fetch, n: int) -> dict:
    """Times (ms) of one review: jumps to 10, 50 and 90 % (in that order, on a
    fresh reader); 8 "next" steps from 50 % and then 4 "previous" steps (medians);
    and "back1", the first step back after a jump forward to 75 %."""
    fetch = open_fetch()
    out = {f"{p}%": _ms(lambda p=p: fetch(min(n - 1, n * p // 100))) for p in (10, 50, 90)}
    mid = n // 2
    fetch(mid)
    nexts = [_ms(lambda k=k: fetch(mid + k)) for k in range(1, 9) if mid + k < n]
    out["next"] = statistics.median(nexts)
    top = min(n - 1, mid + 8)
    out["prev"] = statistics.median(_ms(lambda k=k: fetch(top - k)) for k in range(1, 5))
    fetch = open_fetch()
    far = n * 3 // 4
    fetch(0)
    fetch(far)
    out["back1"] = _ms(lambda: fetch(far - 1))
    return out


def median_of(runs) -> dict:
    return {c: statistics.median(r[c] for r in runs) for c in COLUMNS}


def main() -> None:
    from dashboard.media import video

    try:
        from dashboard.media.video_reader import FrameReader
    except ImportError:
        FrameReader = None
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media", default=os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))
    )
    parser.add_argument("--only", default="", help="only the clips whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    print(
        f"{'video':38} {'frames':>6} {'way':12} "
        + " ".join(f"{c:>7}" for c in COLUMNS)
        + f"   (ms, median of {args.repeat} runs)"
    )
    for name, data in clips(Path(args.media), args.only):
        index = video.index_video(data, name)
        n = index.num_frames
        ways = [("read_frame", _read_frame_way(video.read_frame, data, name, index))]
        if FrameReader is not None:
            ways.append(("FrameReader", _frame_reader_way(FrameReader, data, name, index)))
        for way, open_fetch in ways:
            figures = median_of([measure(open_fetch, n) for _ in range(args.repeat)])
            print(
                f"{name:38} {n:6d} {way:12} " + " ".join(f"{figures[c]:7.0f}" for c in COLUMNS),
                flush=True,
            )


if __name__ == "__main__":
    main()
