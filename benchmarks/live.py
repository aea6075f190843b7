"""Live camera speed: processed frames per second and processing latency per frame
at 640 x 480, per model.

What is timed
-------------
Frames of ``videos/sports2d_demo5_lateral_raise_front.mp4`` cropped to 4:3 and
scaled to 640 x 480 (as a webcam gives them) go through
:class:`dashboard.live.processor.LiveProcessor`: the VIDEO-mode landmarker, the
live angle (shoulder abduction, with its camera-view check), the max/min hold,
the repetition counter, and the skeleton drawn on the frame. Per model:

back-to-back
    Every frame processed as fast as possible: the processing capacity
    (frames per second) and the per-frame latency (arrival to annotated
    picture), p50 and p95.
camera at 30 fps
    A thread delivers a frame every 1/30 s into a one-frame slot (latest frame
    wins); the processor takes whatever is newest. Processed fps, frames
    dropped, and the latency from the frame's arrival to its annotated picture
    (waiting + processing), p50 and p95. This is what the Live page shows.

The WebRTC transport (VP8 decoding and encoding in aiortc, in the same server
process) is not included: it costs the page some CPU on top.

Models: the built-in full model, and ``*lite*.task`` / ``*heavy*.task`` bundles
found in the PoseDash cache folder (``dashboard.detect.models.cache_dir()``) or
given with ``--model``. The goal is at least 20 processed frames per second
with the full model on 2 cores. Figures depend on the machine's load: say so
when reporting them.

Usage: ``.venv/bin/python benchmarks/live.py [--media DIR] [--frames 300] [--model X.task]``
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.detect.models import cache_dir, resolve_model  # noqa: E402
from dashboard.live.processor import LiveOptions, LiveProcessor  # noqa: E402
from tests.live_clip import CLIP, camera_frames  # noqa: E402


def models(extra):
    full = resolve_model()
    found = [("full (built-in)", full.path)]
    for pattern, label in (("*lite*.task", "lite"), ("*heavy*.task", "heavy")):
        for path in sorted(cache_dir().rglob(pattern)):
            found.append((f"{label} ({path.name})", path))
    found += [(Path(p).name, Path(p)) for p in extra]
    return found


def _processor(path: Path) -> LiveProcessor:
    proc = LiveProcessor(path, options=LiveOptions("shoulder_abduction", "left"))
    proc.prepare(background=False)
    if proc.snapshot().error:
        raise SystemExit(proc.snapshot().error)
    return proc


def back_to_back(path: Path, frames) -> dict:
    proc = _processor(path)
    for rgb, t in frames[:10]:  # warm-up
        proc.process(rgb, t)
    latencies = []
    start = time.perf_counter()
    for i, (rgb, _) in enumerate(frames):
        t0 = time.perf_counter()
        proc.process(rgb, 100.0 + i / 30.0)
        latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    proc.close()
    lat = np.array(latencies) * 1000
    return {
        "fps": len(frames) / total,
        "p50": np.percentile(lat, 50),
        "p95": np.percentile(lat, 95),
        "frames": len(frames),
        "dropped": 0,
    }


def camera_30fps(path: Path, frames, seconds: float) -> dict:
    proc = _processor(path)
    slot, cond = [None], threading.Condition()
    stop = threading.Event()
    delivered = [0]

    def camera():
        period, next_at, i = 1 / 30.0, time.perf_counter(), 0
        while not stop.is_set():
            with cond:
                if slot[0] is not None:
                    proc.note_dropped(1)  # replaced before it was processed
                slot[0] = (frames[i % len(frames)][0], time.perf_counter())
                delivered[0] += 1
                cond.notify()
            i += 1
            next_at += period
            time.sleep(max(0.0, next_at - time.perf_counter()))

    thread = threading.Thread(target=camera, daemon=True)
    thread.start()
    latencies, processed, start = [], 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        with cond:
            while slot[0] is None:
                cond.wait()
            (rgb, arrived), slot[0] = slot[0], None
        proc.process(rgb, arrived)
        latencies.append(time.perf_counter() - arrived)
        processed += 1
    elapsed = time.perf_counter() - start
    stop.set()
    thread.join()
    snap = proc.snapshot()
    proc.close()
    lat = np.array(latencies[5:]) * 1000
    return {
        "fps": processed / elapsed,
        "p50": np.percentile(lat, 50),
        "p95": np.percentile(lat, 95),
        "frames": processed,
        "dropped": snap.rate.dropped,
        "delivered": delivered[0],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--media", default=os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")
    )
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--model", action="append", default=[])
    args = parser.parse_args(argv)
    clip = Path(args.media) / CLIP
    if not clip.is_file():
        print(f"test clip not found: {clip} (use --media)", file=sys.stderr)
        return 2
    frames = camera_frames(clip, args.frames)
    print(
        f"{len(frames)} frames of {CLIP} at 640 x 480; {os.cpu_count()} CPU cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'model':54} {'mode':14} {'fps':>6} {'p50 ms':>7} {'p95 ms':>7} {'dropped':>8}")
    for label, path in models(args.model):
        for mode, run in (
            ("back-to-back", functools.partial(back_to_back, path, frames)),
            ("camera 30 fps", functools.partial(camera_30fps, path, frames, args.seconds)),
        ):
            r = run()
            print(
                f"{label:54} {mode:14} {r['fps']:6.1f} {r['p50']:7.1f} {r['p95']:7.1f} "
                f"{r['dropped']:8d}",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
