"""Speed of a video analysis: the naive loop against PoseDash, end to end, and a warm photo.

What is timed
-------------
A 2,000-frame 1280 x 720 H.264 clip (30 fps) is made in memory from
``videos/sports2d_demo5_lateral_raise_front.mp4`` (looped), then analysed by
two programs, each a fresh Python process timed from its start until it has
written its CSV and exited:

naive
    The usual script: OpenCV decodes the file, each frame is converted
    BGR -> RGB and given to one MediaPipe ``PoseLandmarker`` (VIDEO mode, the
    same model bundle), frame by frame, in one process; the landmarks are
    written to a CSV file.
posedash
    ``python -m dashboard analyze CLIP --out DIR``: the product's command line,
    which analyses in parallel chunks (one worker process per core, see
    ``dashboard/detect/parallel.py``) and writes ``landmarks.csv``, ``angles.csv`` and
    ``summary.json``.

The two alternate (naive, posedash, naive, ...) ``--repeats`` times each, as
other work on the machine changes the speed over time; the figures are the
medians. Memory is the peak, over the run, of the summed resident set size of
the process and all its children (sampled every 50 ms from ``/proc``).

Then a 1-megapixel photo (the barbell lunge photo scaled to 816 x 1224) is
analysed with a warm landmarker (``engine.analyze_image``, after one warm-up
call) ``--photo-runs`` times, in this process; the median is printed.

Goals on a 2-core machine: PoseDash at least 1.8 x the naive loop's frames per
second (issue 27); the warm 1-MP photo under 60 ms. On a shared machine both
figures depend on the other work: ``benchmarks/profile_stages.py`` says where
the time goes per stage and process, and what two quiet cores would give.

Both programs run compiled modules: pip compiled those of OpenCV and MediaPipe when it
installed them, and PoseDash's are compiled first (``compileall``, as ``make setup`` does
and as Python does on a first run; this machine's environment sets
``PYTHONDONTWRITEBYTECODE``, which would otherwise make every PoseDash process compile
its 240 modules again).

The clip is written to a private temporary folder for the two programs to read
(OpenCV and the command line take a path) and deleted at the end; it is made
from the shared test media, never from user data.

Usage: ``.venv/bin/python benchmarks/speed.py [--media DIR] [--repeats 3] [--frames 2000]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SOURCE = "videos/sports2d_demo5_lateral_raise_front.mp4"
PHOTO = "images/4dhumans_pexels_barbell_lunge_side.jpg"

NAIVE = r"""
import csv, sys
import cv2
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision

clip, model, out = sys.argv[1:4]
options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model),
                                       running_mode=vision.RunningMode.VIDEO)
cap = cv2.VideoCapture(clip)
fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
rows = []
with vision.PoseLandmarker.create_from_options(options) as landmarker:
    i = 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb),
                                             int(i * 1000 / fps))
        for p, pose in enumerate(result.pose_landmarks):
            for k, lm in enumerate(pose):
                rows.append((i, p, k, lm.x * rgb.shape[1], lm.y * rgb.shape[0], lm.z,
                             lm.visibility))
        i += 1
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "person", "landmark", "x_px", "y_px", "z", "visibility"])
    w.writerows(rows)
print(i)
"""


def _children(pid: int):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_timed(cmd, env) -> dict:
    """Run ``cmd``; wall time from start to exit, sampled peak RSS of its process tree."""
    peak = {"kb": 0, "procs": 0}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def sample() -> None:
        while proc.poll() is None:
            tree, todo = [], [proc.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(_children(pid))
            total = sum(_rss_kb(p) for p in tree)
            if total > peak["kb"]:
                peak["kb"], peak["procs"] = total, len(tree)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{err.decode(errors='replace')[-2000:]}")
    return {"seconds": seconds, "peak_mb": peak["kb"] / 1024, "processes": peak["procs"]}


def photo_ms(media: Path, runs: int) -> tuple:
    import io

    import numpy as np
    from PIL import Image

    from dashboard.detect import engine
    from dashboard.detect.models import resolve_model
    from dashboard.media import images

    big = Image.open(media / PHOTO)
    big.draft("RGB", (816, 1224))  # JPEG decoder scales down while decoding
    small = big.convert("RGB").resize((816, 1224), Image.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=92)
    jpeg = buf.getvalue()
    model = resolve_model()
    rgb = np.asarray(small)
    engine.analyze_image(rgb, model)  # warm-up: creates the landmarker
    analyse, decode_analyse = [], []
    for _ in range(runs):
        t = time.perf_counter()
        engine.analyze_image(rgb, model)
        analyse.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        engine.analyze_image(images.decode_image(jpeg, "photo.jpg").rgb, model)
        decode_analyse.append((time.perf_counter() - t) * 1000)
    return rgb.shape, statistics.median(analyse), statistics.median(decode_analyse)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--photo-runs", type=int, default=30)
    args = parser.parse_args()

    import compileall

    from video_memory import make_clip

    from dashboard.detect.models import resolve_model
    from dashboard.detect.parallel import resolve_workers

    compileall.compile_dir(str(ROOT / "dashboard"), quiet=1)  # as make setup does
    model = resolve_model()
    print(f"cores available: {os.cpu_count()}, PoseDash workers: {resolve_workers(None)}")
    start = time.perf_counter()
    clip = make_clip((args.media / SOURCE).read_bytes(), args.frames)
    print(
        f"made a {args.frames}-frame 1280x720 clip in memory: {len(clip) / 2**20:.1f} MB "
        f"({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), GLOG_minloglevel="2")
    results = {"naive": [], "posedash": []}
    with tempfile.TemporaryDirectory(prefix="posedash-bench-") as tmp:
        path = Path(tmp) / "clip2000.mp4"
        path.write_bytes(clip)
        commands = {
            "naive": [
                sys.executable,
                "-c",
                NAIVE,
                str(path),
                str(model.path),
                str(Path(tmp) / "naive.csv"),
            ],
            "posedash": [
                sys.executable,
                "-m",
                "dashboard",
                "analyze",
                str(path),
                "--out",
                str(Path(tmp) / "out"),
            ],
        }
        for r in range(args.repeats):
            for name in ("naive", "posedash"):
                res = run_timed(commands[name], env)
                results[name].append(res)
                print(
                    f"run {r + 1} {name:8s}: {res['seconds']:6.1f} s, "
                    f"{args.frames / res['seconds']:5.1f} frames/s, peak RSS "
                    f"{res['peak_mb']:5.0f} MB ({res['processes']} processes)",
                    flush=True,
                )
    fps = {k: statistics.median(args.frames / r["seconds"] for r in v) for k, v in results.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in results.items()}
    load = os.getloadavg()
    print(
        f"\nmedian, process start to CSV written ({args.repeats} alternating runs each; "
        f"machine load now {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}):"
    )
    print(
        f"  naive OpenCV + MediaPipe loop: {fps['naive']:6.1f} frames/s, "
        f"peak RSS {peak['naive']:.0f} MB"
    )
    print(
        f"  PoseDash analyze:              {fps['posedash']:6.1f} frames/s, "
        f"peak RSS {peak['posedash']:.0f} MB (all processes)"
    )
    print(f"  ratio PoseDash / naive: {fps['posedash'] / fps['naive']:.2f} x (goal >= 1.8 x)")
    if args.photo_runs < 1:  # --photo-runs 0: the video figures only
        return
    shape, ms, ms_decode = photo_ms(args.media, args.photo_runs)
    print(
        f"\nwarm 1-MP photo ({shape[1]} x {shape[0]}): analyse {ms:.1f} ms, decode JPEG + "
        f"analyse {ms_decode:.1f} ms (median of {args.photo_runs}; goal < 60 ms)"
    )


if __name__ == "__main__":
    main()
