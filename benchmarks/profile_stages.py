"""Where the time of a command-line video analysis goes: per stage, per process.

What is timed
-------------
A 1280 x 720 H.264 clip (30 fps, default 2,005 frames: the side-view walk
``videos/sports2d_demo4_gait_side.mp4`` looped five times, so that the gait
analysis runs too) is made in a private temporary folder, then analysed once by

naive
    ``benchmarks/speed.py``'s naive loop (OpenCV decodes, BGR -> RGB, one
    MediaPipe landmarker, CSV), with a timer around each of its steps;
posedash
    ``python -m dashboard analyze CLIP --out DIR`` (plus ``--session`` and other
    options given after ``--``), with ``benchmarks/profile_hook.py`` loaded at
    start-up into the command line's process and every analysis worker (as
    ``sitecustomize``): it times PoseDash's stages, exclusive of the stages
    nested in them, and each process writes its figures when it ends.

Printed per process: wall and CPU seconds of each stage (CPU: the whole
process's, all threads), the process's start (launch to its first line of
Python), its total, and the time no stage accounts for. Then the timeline of
the processes (when each started and ended, from the command's launch).

The machine may be shared: wall times include waiting for a core. The CPU
seconds are what a quiet machine would need.

Usage: ``.venv/bin/python benchmarks/profile_stages.py [--frames 2005] [--source
videos/...] [--keep DIR] [-- extra analyze options]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SOURCE = "videos/sports2d_demo4_gait_side.mp4"

NAIVE = r"""
import time
T = {"first_line": time.time()}
cpu0 = time.process_time()
import csv, json, sys
t = time.perf_counter(); c = time.process_time()
import cv2
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision
stages = {"imports": [time.perf_counter() - t, time.process_time() - c, 1]}

def add(name, t, c):
    row = stages.setdefault(name, [0.0, 0.0, 0])
    row[0] += time.perf_counter() - t; row[1] += time.process_time() - c; row[2] += 1

clip, model, out, stats = sys.argv[1:5]
t = time.perf_counter(); c = time.process_time()
options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=model),
                                       running_mode=vision.RunningMode.VIDEO)
cap = cv2.VideoCapture(clip)
fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
rows = []
landmarker = vision.PoseLandmarker.create_from_options(options)
add("model load, open video", t, c)
i = 0
while True:
    t = time.perf_counter(); c = time.process_time()
    ok, bgr = cap.read()
    add("decode (cap.read)", t, c)
    if not ok:
        break
    t = time.perf_counter(); c = time.process_time()
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    add("colour conversion (cvtColor)", t, c)
    t = time.perf_counter(); c = time.process_time()
    result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb),
                                         int(i * 1000 / fps))
    add("inference (detect_for_video)", t, c)
    t = time.perf_counter(); c = time.process_time()
    for p, pose in enumerate(result.pose_landmarks):
        for k, lm in enumerate(pose):
            rows.append((i, p, k, lm.x * rgb.shape[1], lm.y * rgb.shape[0], lm.z,
                         lm.visibility))
    add("result to rows", t, c)
    i += 1
t = time.perf_counter(); c = time.process_time()
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "person", "landmark", "x_px", "y_px", "z", "visibility"])
    w.writerows(rows)
add("write CSV", t, c)
landmarker.close()
json.dump({"role": "naive", "first_line": T["first_line"], "end": time.time(),
           "cpu_at_first_line": cpu0, "cpu_end": time.process_time(), "stages": stages},
          open(stats, "w"))
"""


def launch(cmd: list[str], env: dict) -> float:
    """Run ``cmd`` from ``ROOT``; the wall seconds from launch to exit."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{done.stderr.decode(errors='replace')[-2000:]}")
    return seconds


def table(record: dict, launch_t: float, title: str) -> None:
    """Print one process's stages (wall, CPU), its start and what no stage covers."""
    start_wall = record["first_line"] - launch_t
    total_wall = record["end"] - launch_t
    total_cpu = record["cpu_end"]
    print(f"\n{title}: {total_wall:.2f} s wall, {total_cpu:.2f} s CPU")
    print(f"  {'stage':44s} {'wall s':>8s} {'CPU s':>8s} {'calls':>7s} {'from s':>7s}")
    print(
        f"  {'process start (to first line of Python)':44s} {start_wall:8.2f} "
        f"{record['cpu_at_first_line']:8.2f} {1:7d}"
    )
    rows = sorted(record["stages"].items(), key=lambda kv: -kv[1][1])
    imports = [0.0, 0.0, 0]
    for name, (wall, cpu, calls, *first) in rows:
        if name.startswith("imports") and cpu < 0.02 and "[" not in name:
            imports = [imports[0] + wall, imports[1] + cpu, imports[2] + calls]
            continue
        since = f"{first[0] - launch_t:7.2f}" if first else ""
        print(f"  {name[:44]:44s} {wall:8.2f} {cpu:8.2f} {calls:7d} {since}")
    print(f"  {'imports: the rest':44s} {imports[0]:8.2f} {imports[1]:8.2f} {imports[2]:7d}")
    main = [v for k, v in record["stages"].items() if "[" not in k]  # main thread
    covered_wall = start_wall + sum(v[0] for v in main)
    covered_cpu = record["cpu_at_first_line"] + sum(v[1] for v in main)
    print(
        f"  {'(no stage: interpreter, glue, exit)':44s} {total_wall - covered_wall:8.2f} "
        f"{total_cpu - covered_cpu:8.2f}"
    )


def run_naive(clip: Path, model: str, tmp: Path, env: dict) -> float:
    stats = tmp / "naive.json"
    t0 = time.time()
    seconds = launch(
        [sys.executable, "-c", NAIVE, str(clip), model, str(tmp / "naive.csv"), str(stats)], env
    )
    record = json.loads(stats.read_text())
    record["end"] = t0 + seconds  # to the process's exit
    table(record, t0, "naive loop (one process)")
    return record["cpu_end"]


def run_posedash(clip: Path, tmp: Path, env: dict, extra: list[str]) -> dict:
    hook_dir, stats_dir = tmp / "hook", tmp / "stats"
    hook_dir.mkdir()
    stats_dir.mkdir()
    shutil.copy(ROOT / "benchmarks" / "profile_hook.py", hook_dir / "sitecustomize.py")
    t0 = time.time()
    env = dict(
        env,
        PYTHONPATH=os.pathsep.join([str(hook_dir), str(ROOT)]),
        POSEDASH_PROFILE_DIR=str(stats_dir),
        POSEDASH_PROFILE_ROLE="cli",
        POSEDASH_PROFILE_LAUNCH=repr(t0),
    )
    out = tmp / "out"
    seconds = launch(
        [sys.executable, "-m", "dashboard", "analyze", str(clip), "--out", str(out), *extra], env
    )
    records = [json.loads(p.read_text()) for p in sorted(stats_dir.glob("*.json"))]
    records.sort(key=lambda r: (r["role"] != "cli", r["launch"]))
    print(f"\nPoseDash analyze, end to end: {seconds:.2f} s ({len(records)} processes)")
    for r in records:
        table(r, r["launch"], f"{r['role']} process {r['pid']}")
    print("\ntimeline (s from the command's launch): launch, first line of Python, end")
    for r in records:
        print(
            f"  {r['role']:7s} {r['pid']:>8d}: {r['launch'] - t0:6.2f} "
            f"{r['first_line'] - t0:6.2f} {r['end'] - t0:6.2f}"
        )
    cpu = sum(r["cpu_end"] for r in records)
    print(f"  CPU of all processes: {cpu:.2f} s; on 2 quiet cores at best {cpu / 2:.2f} s wall")
    print("  outputs: " + ", ".join(sorted(p.name for p in out.iterdir())))
    quiet = quiet_estimate(records)
    if quiet is not None:
        print(
            f"  quiet 2-core estimate (each process's CPU seconds as its wall time): "
            f"{quiet:.2f} s; idle core-seconds {2 * quiet - cpu:.2f}"
        )
    return {"seconds": seconds, "cpu": cpu, "quiet": quiet}


def quiet_estimate(records: list[dict]) -> float | None:
    """End-to-end seconds on two otherwise idle cores, from the CPU clocks.

    The command line's main path is its CPU seconds less those of its helper
    threads (decoding ahead, the writers' imports), which run beside it: up to a
    worker's launch (``launch``), then its chunk (``own``), while the worker's
    main path (``worker``) runs from the launch; then, after both, the tail
    (stitch, repair, angles, gait, writing). And two cores cannot do more than
    two CPU seconds a second: the detection phase lasts at least half of all
    the CPU seconds spent before the tail. None for a sequential analysis.
    """
    cli = next(r for r in records if r["role"] == "cli")
    workers = [r for r in records if r["role"] == "worker"]
    stages = cli["stages"]
    if not workers or "wait for workers" not in stages:
        return None
    launch = stages["start worker process (Popen)"][4]
    wait = stages["wait for workers"][4]
    tail = cli["cpu_end"] - wait
    helpers = sum(v for k, v in cli.get("threads", {}).items() if k.startswith("posedash"))
    own = wait - launch - helpers
    worker = max(w["cpu_end"] - sum(w.get("threads", {}).values()) for w in workers)
    total = cli["cpu_end"] + sum(w["cpu_end"] for w in workers)
    path = launch + max(own, worker)
    capacity = (total - tail) / 2
    print(
        f"  quiet timeline (CPU s): worker launched at {launch:.2f}; then the command line's "
        f"chunk {own:.2f} (its helper threads {helpers:.2f} beside it), the worker's "
        f"{worker:.2f}; half of all CPU before the tail {capacity:.2f}; tail {tail:.2f}"
    )
    for r in records:
        if r.get("threads"):
            names = ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["threads"].items()))
            print(f"  {r['role']} threads' own CPU s: {names}")
    return max(path, capacity) + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--source", default=SOURCE)
    parser.add_argument("--frames", type=int, default=2005)
    parser.add_argument("--no-naive", action="store_true", help="profile PoseDash only")
    parser.add_argument("extra", nargs="*", help="more analyze options (after --)")
    args = parser.parse_args()

    from video_memory import make_clip

    sys.path.insert(0, str(ROOT))
    from dashboard.detect.models import resolve_model

    model = str(resolve_model().path)
    print(f"machine load (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    env = dict(os.environ, GLOG_minloglevel="2")
    with tempfile.TemporaryDirectory(prefix="posedash-profile-") as name:
        tmp = Path(name)
        clip = tmp / "clip.mp4"
        start = time.perf_counter()
        clip.write_bytes(make_clip((args.media / args.source).read_bytes(), args.frames))
        print(
            f"clip: {args.frames} frames of {args.source}, 1280x720, "
            f"{clip.stat().st_size / 2**20:.1f} MB (made in {time.perf_counter() - start:.0f} s)"
        )
        naive = None if args.no_naive else run_naive(clip, model, tmp, env)
        posedash = run_posedash(clip, tmp, env, args.extra)
    if naive is not None and posedash["quiet"]:
        print(
            f"\nquiet 2-core estimate: naive {naive:.2f} s (its CPU seconds), PoseDash "
            f"{posedash['quiet']:.2f} s: ratio {naive / posedash['quiet']:.2f} x"
        )
    print(f"machine load (uptime) after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
