"""Where the command line's time goes on a long clip (printed, not asserted).

Runs ``python -m dashboard analyze CLIP`` in this process under :mod:`cProfile`
(the process the user waits for: its own chunk, waiting for the workers,
stitching, tracking and writing) and prints the wall time of each stage; then
times, in fresh processes, what every worker pays before its first frame
(interpreter, imports, model) and the naive loop's decode and inference per
frame (OpenCV + MediaPipe, one process), for comparison.

The clip is ``benchmarks/speed.py``'s: the lateral raise video looped to
``--frames`` 1280 x 720 H.264 frames at 30 fps, written to a private temporary
folder and deleted at the end. On a busy machine all figures are inflated.

Usage: ``.venv/bin/python benchmarks/cli_time.py [--media DIR] [--frames 2000]``
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SOURCE = "videos/sports2d_demo5_lateral_raise_front.mp4"

#: (label, function name as cProfile lists it, file fragment): stages of the CLI.
STAGES = [
    ("probe the container", "probe_video", "io/video.py"),
    ("index packets (timestamps)", "index_video", "io/video.py"),
    ("start worker processes", "__init__", "detect/parallel.py"),
    ("own chunk: whole", "_analyse_chunk", "detect/parallel.py"),
    ("  decode + convert frames", "iter_frame_range", "io/video.py"),
    ("  MediaPipe inference", "detect_video_frame", "detect/backend.py"),
    ("  open the landmarker", "open_landmarker", "detect/frames.py"),
    ("wait for the workers", "handle", "detect/parallel.py"),
    ("stop the workers", "stop", "detect/parallel.py"),
    ("track people", "assign_tracks", "detect/tracking.py"),
    ("landmarks CSV", "landmarks", "cli/analyze.py"),
    ("angles, summary", "kinematics", "cli/analyze.py"),
]

STARTUP = r"""
import time, sys
t0 = time.perf_counter()
from dashboard.detect import frames, parallel  # what a worker imports
from dashboard.detect.models import resolve_model
from dashboard.settings import AnalysisSettings
t1 = time.perf_counter()
lm = frames.open_landmarker(resolve_model().path, AnalysisSettings(), video=True)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f}")
"""

NAIVE_SPLIT = r"""
import sys, time
import cv2
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision
clip, model = sys.argv[1:3]
options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model),
                                       running_mode=vision.RunningMode.VIDEO)
cap = cv2.VideoCapture(clip)
dec = inf = 0.0
n = 0
with vision.PoseLandmarker.create_from_options(options) as lm:
    while True:
        t = time.perf_counter()
        ok, bgr = cap.read()
        if not ok:
            break
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        t1 = time.perf_counter()
        lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), int(n * 33.3))
        inf += time.perf_counter() - t1
        dec += t1 - t
        n += 1
print(f"{n} {dec:.3f} {inf:.3f}")
"""


def _stage_times(stats: pstats.Stats) -> dict:
    found = {}
    for (filename, _, func), (_, _, _, cumtime, _) in stats.stats.items():
        for label, name, fragment in STAGES:
            if func == name and fragment in filename.replace("\\", "/"):
                found[label] = found.get(label, 0.0) + cumtime
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media", type=Path, default=Path(os.environ.get(
        "POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))))
    parser.add_argument("--frames", type=int, default=2000)
    args = parser.parse_args()

    from video_memory import make_clip

    from dashboard.cli import main as cli_main
    from dashboard.detect.models import resolve_model

    env = dict(os.environ, PYTHONPATH=str(ROOT), GLOG_minloglevel="2")
    print(f"load average now: {os.getloadavg()[0]:.1f} (2 cores: figures under load are "
          "inflated)")
    with tempfile.TemporaryDirectory(prefix="posedash-bench-") as tmp:
        clip = Path(tmp) / f"clip{args.frames}.mp4"
        clip.write_bytes(make_clip((args.media / SOURCE).read_bytes(), args.frames))
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        cli_main(["analyze", str(clip), "--out", str(Path(tmp) / "out")])
        profile.disable()
        wall = time.perf_counter() - start
        stages = _stage_times(pstats.Stats(profile))
        print(f"\nCLI analyze, {args.frames} frames, in this process (imports done): "
              f"{wall:.1f} s wall, {args.frames / wall:.1f} frames/s")
        for label, _, _ in STAGES:
            if label in stages:
                print(f"  {label:30s} {stages[label]:6.1f} s")
        t = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", "import dashboard.cli.analyze, "
                              "dashboard.detect.engine, mediapipe"], env=env, cwd=ROOT)
        print(f"\nfresh interpreter + imports of the CLI: {time.perf_counter() - t:.1f} s"
              + ("" if res.returncode == 0 else " (failed)"))
        out = subprocess.run([sys.executable, "-c", STARTUP], env=env, cwd=ROOT,
                             capture_output=True, text=True).stdout.split()
        print(f"a worker before its first frame: imports {float(out[0]):.1f} s, "
              f"landmarker {float(out[1]):.1f} s (plus interpreter start)")
        out = subprocess.run([sys.executable, "-c", NAIVE_SPLIT, str(clip),
                              str(resolve_model().path)], env=env, cwd=ROOT,
                             capture_output=True, text=True).stdout.split()
        n, dec, inf = int(out[0]), float(out[1]), float(out[2])
        print(f"naive loop, one process: {n} frames, decode + BGR->RGB {1000 * dec / n:.1f} "
              f"ms/frame, inference {1000 * inf / n:.1f} ms/frame "
              f"({n / (dec + inf):.1f} frames/s without start-up)")


if __name__ == "__main__":
    main()
