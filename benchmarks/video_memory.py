"""Peak memory and speed of a video analysis: a 400-frame and a 2,000-frame 720p clip.

Memory should be bounded by the landmarks (about 2 kB per frame and person),
not by the video: the 2,000-frame clip should peak a few MB above the 400-frame
one, not 1.6 GB above it (1,600 more 1280 x 720 RGB frames).

Both clips are made in memory from ``videos/sports2d_demo5_lateral_raise_front.mp4``
(1280 x 720, 540 frames; looped to reach 2,000 frames)
and handed to a fresh Python process on its standard input, so each figure is
that process's own peak resident set size. Nothing is written to disk.

The analysis runs in one process (``workers=1``) so that its peak is the whole
story; ``benchmarks/speed.py`` measures the default parallel path, all
processes together.

Usage: ``.venv/bin/python benchmarks/video_memory.py [--media DIR]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "videos/sports2d_demo5_lateral_raise_front.mp4"


def make_clip(source: bytes, n_frames: int) -> bytes:
    """Re-encode ``source``, looped, to exactly ``n_frames`` H.264 frames at 30 fps."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.options = {"preset": "ultrafast", "crf": "23"}
        stream.pix_fmt = "yuv420p"
        written = 0
        while written < n_frames:
            with av.open(io.BytesIO(source)) as src:
                for decoded in src.decode(video=0):
                    if written == n_frames:
                        break
                    if written == 0:
                        stream.width, stream.height = decoded.width, decoded.height
                    frame = decoded.reformat(format="yuv420p")
                    frame.pts, frame.time_base = written, Fraction(1, 30)
                    for packet in stream.encode(frame):
                        out.mux(packet)
                    written += 1
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


# VmHWM (this process's peak RSS) rather than ru_maxrss, which Linux carries over
# from the parent across fork + exec.
CHILD = r"""
import json, sys, time

def vm_hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

data = sys.stdin.buffer.read()
from dashboard.detect.engine import analyze_video
from dashboard.detect.models import resolve_model
model = resolve_model()
before = vm_hwm_mb()
start = time.perf_counter()
seq = analyze_video(data, model, name="benchmark.mp4", workers=1)  # one process: its own peak
seconds = time.perf_counter() - start
peak = vm_hwm_mb()
_FIELDS = ("image_xy", "z", "visibility", "presence", "world_m", "time_s", "frame_index")
landmark_bytes = sum(getattr(seq, k).nbytes for k in _FIELDS)
print(json.dumps({"frames": int(seq.num_frames), "seconds": seconds,
                  "peak_rss_mb": peak, "rss_before_analysis_mb": before,
                  "landmarks_mb": landmark_bytes / 2**20, "clip_mb": len(data) / 2**20,
                  "detected": float(seq.detected.any(1).mean())}))
"""


def measure(clip: bytes) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", CHILD], input=clip, capture_output=True, env=env, check=True
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media", default=os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))
    )
    args = parser.parse_args()
    source = (Path(args.media) / SOURCE).read_bytes()
    print(f"source: {SOURCE} ({len(source) / 2**20:.1f} MB)")
    results = {}
    for n in (400, 2000):
        start = time.perf_counter()
        clip = make_clip(source, n)
        print(
            f"made a {n}-frame 1280x720 clip in memory: {len(clip) / 2**20:.1f} MB "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        results[n] = r = measure(clip)
        print(
            f"{n:5d} frames: peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(before analysis {r['rss_before_analysis_mb']:.0f} MB), "
            f"{r['frames'] / r['seconds']:.1f} frames/s, landmarks {r['landmarks_mb']:.1f} MB, "
            f"person found in {r['detected']:.0%} of frames",
            flush=True,
        )
    growth = results[2000]["peak_rss_mb"] - results[400]["peak_rss_mb"]
    print(
        f"peak RSS growth for 1,600 more frames: {growth:+.0f} MB "
        f"(1,600 decoded RGB frames would be {1600 * 1280 * 720 * 3 / 2**20:.0f} MB)"
    )


if __name__ == "__main__":
    main()
