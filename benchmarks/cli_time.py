"""Where the command line's time goes on a long clip (printed, not asserted).

Runs ``python -m dashboard analyze CLIP --out DIR`` in a fresh process with
wall-clock timers around its stages (no profiler: cProfile doubled some of
them) and prints, per stage, when it started and ended, counted from the
process start, and how long it took:

before the chunks
    interpreter and CLI imports, the output writers (they import pandas and
    SciPy), the model look-up, reading the file, probing and indexing the
    container, starting the worker processes, opening this process's
    landmarker (importing MediaPipe, loading the model);
during the chunks
    this process's own chunk; when the worker's first progress and its result
    arrived (the worker's start-up: interpreter, imports, MediaPipe, model,
    seeking to its range);
after the chunks
    stitching, tracking and swap repair, each output file, and the process's
    end (its exit, measured from outside).

``--repeats`` runs each of ``--code`` (one or more source trees, e.g. an old
checkout beside this one) in alternation and prints the median of each stage.
Then the naive loop's decode and inference per frame (OpenCV + MediaPipe, one
process) are timed, for comparison. The clip is ``benchmarks/speed.py``'s: the
lateral raise video looped to ``--frames`` 1280 x 720 H.264 frames at 30 fps,
written to a private temporary folder and deleted at the end. On a busy
machine all figures are inflated.

Where the time went (2,000 frames, medians of 3 alternating runs, under load:
load average 5-6 on 2 cores; seconds)::

                                          before    after
    CLI imports + writers (pandas, SciPy)   0.74     0.72
    probe, index, start the worker          0.13     0.14
    open this process's landmarker          0.64     0.26   (*)
    own chunk, frames                      22.0     16.9    one scaler per loop
    worker: start-up to first progress      1.7      1.0
    stitch, track, repair swaps             0.08     0.08
    landmarks.csv                           0.42     0.17   column-wise formatting
    angles.csv, summary.json                0.22     0.21
    process end (teardown)                  0.39     0.06   os._exit when all is written
    total                                  24.7     18.5

    (*) measured with MediaPipe imported without matplotlib's pyplot (a stand-in
    module during the import). That was taken out again as not worth its
    sys.modules juggling: opening the landmarker costs about 0.3 s more.

Decoding was the hidden cost: ``frame.to_ndarray(format="rgb24")`` set up a new
FFmpeg scaler for every frame, with its own pool of threads (two new threads
per frame, seen with ``strace -f``): about 2 ms of CPU per 720p frame, and on a
busy machine much more wall time, each conversion waiting for its new threads
to be scheduled. The chunks themselves were never decoded twice; the packet
index takes about 10 ms.

Usage: ``.venv/bin/python benchmarks/cli_time.py [--media DIR] [--frames 2000]
[--repeats 3] [--code DIR ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SOURCE = "videos/sports2d_demo5_lateral_raise_front.mp4"

#: Run in the timed process: wraps the stages, runs the CLI, prints the events as JSON.
TIMED = r"""
import functools, importlib, json, os, sys, time
T0 = time.perf_counter()
EVENTS = []

def note(label, s, e):
    EVENTS.append((label, s - T0, e - T0))

def wrap(modname, attr, label):
    obj = importlib.import_module(modname)
    *path, name = attr.split(".")
    for p in path:
        obj = getattr(obj, p)
    fn = getattr(obj, name, None)
    if fn is None:
        return
    @functools.wraps(fn)
    def timed(*a, **k):
        s = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            note(label, s, time.perf_counter())
    setattr(obj, name, timed)

s = time.perf_counter()
from dashboard.cli import main
import dashboard.cli.analyze as analyze
try:
    import dashboard.pipeline.writers as outputs
except ImportError:  # a tree from before dashboard/pipeline/
    import dashboard.cli.outputs as outputs
from dashboard.detect import parallel
note("CLI imports", s, time.perf_counter())
for mod, attr, label in [
        ("dashboard.detect.models", "resolve_model", "model look-up"),
        ("dashboard.cli.analyze", "read_input", "read the file"),
        ("dashboard.media.video", "probe_video", "probe the container"),
        ("dashboard.media.video", "index_video", "index the packets"),
        ("dashboard.detect.frames", "open_landmarker", "open a landmarker"),
        ("dashboard.detect.parallel", "_analyse_chunk", "own chunk (incl. landmarker)"),
        ("dashboard.detect.parallel", "_Worker.stop", "stop a worker"),
        ("dashboard.detect.parallel", "_stitch", "stitch the chunks"),
        ("dashboard.detect.tracking", "assign_tracks", "track people"),
        ("dashboard.detect.swaps", "repair_swaps", "repair limb swaps")]:
    wrap(mod, attr, label)

make_writers = outputs.writers
def writers(args):
    s = time.perf_counter()
    out = make_writers(args)
    note("make the writers (imports)", s, time.perf_counter())
    def timed(w):
        def write(item, d, stem):
            s = time.perf_counter()
            try:
                return w(item, d, stem)
            finally:
                note("write " + w.__name__, s, time.perf_counter())
        return write
    return [timed(w) for w in out]
analyze.writers = writers

init, handle = parallel._Worker.__init__, parallel._Worker.handle
def timed_init(self, *a, **k):
    s = time.perf_counter()
    init(self, *a, **k)
    note("start a worker", s, time.perf_counter())
seen = set()
def timed_handle(self, *a, **k):
    out = handle(self, *a, **k)
    now = time.perf_counter()
    if self.kept and ("p", id(self)) not in seen:
        seen.add(("p", id(self)))
        note("worker's first progress", now, now)
    if self.result is not None and ("r", id(self)) not in seen:
        seen.add(("r", id(self)))
        note("worker's result arrived", now, now)
    return out
parallel._Worker.__init__, parallel._Worker.handle = timed_init, timed_handle

code = main(sys.argv[1:])
now = time.perf_counter()
note("main() returned", now, now)
sys.stderr.write("BENCH " + json.dumps(EVENTS) + "\n")
sys.stderr.flush()
if os.environ.get("BENCH_FAST_EXIT"):  # as that tree's python -m dashboard analyze ends
    os._exit(code)
sys.exit(code)
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


def _fast_exit(code: Path) -> bool:
    """Whether that tree's ``python -m dashboard analyze`` ends without teardown."""
    return "skips_teardown" in (code / "dashboard" / "__main__.py").read_text()


def timed_run(code: Path, clip: Path, out: Path) -> dict:
    """One CLI run of the tree ``code``: {stage: (start, end)} seconds from the process
    start; repeated stages are summed (start of the first, end of the last)."""
    env = dict(
        os.environ,
        PYTHONPATH=str(code),
        GLOG_minloglevel="2",
        BENCH_FAST_EXIT="1" if _fast_exit(code) else "",
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", TIMED, "analyze", str(clip), "--out", str(out)],
        env=env,
        cwd=code,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = proc.communicate()
    total = time.perf_counter() - start
    line = next((x for x in err.splitlines() if x.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"the CLI failed:\n{err[-2000:]}")
    events = json.loads(line[6:])  # seconds from the timed script's start
    stages: dict = {}
    for label, s, e in events:
        if label in stages:
            s0, e0, d0 = stages[label]
            stages[label] = (min(s0, s), max(e0, e), d0 + e - s)
        else:
            stages[label] = (s, e, e - s)
    ret = stages["main() returned"][1]
    stages["process end (teardown)"] = (ret, total, total - ret)
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--frames", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--code",
        type=Path,
        nargs="+",
        default=[ROOT],
        help="source trees to time, in alternation (default: this one)",
    )
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()

    from video_memory import make_clip

    print(f"load average now: {os.getloadavg()[0]:.1f} (2 cores: figures under load are inflated)")
    with tempfile.TemporaryDirectory(prefix="posedash-bench-") as tmp:
        clip = Path(tmp) / f"clip{args.frames}.mp4"
        clip.write_bytes(make_clip((args.media / SOURCE).read_bytes(), args.frames))
        runs = {code: [] for code in args.code}
        for r in range(args.repeats):
            for code in args.code:
                stages = timed_run(code, clip, Path(tmp) / "out")
                runs[code].append(stages)
                print(
                    f"run {r + 1} {code}: {stages['process end (teardown)'][1]:.1f} s", flush=True
                )
        for code, results in runs.items():
            total = statistics.median(s["process end (teardown)"][1] for s in results)
            print(
                f"\n{code}: median of {len(results)} runs, {total:.1f} s, "
                f"{args.frames / total:.1f} frames/s (seconds from the process start)"
            )
            labels = sorted(results[0], key=lambda k: results[0][k][0])
            for label in labels:
                have = [s[label] for s in results if label in s]
                s, e, d = (statistics.median(x[i] for x in have) for i in range(3))
                print(f"  {s:6.2f} -> {e:6.2f}  {d:6.2f} s  {label}")
        if not args.no_naive:
            from dashboard.detect.models import resolve_model

            env = dict(os.environ, PYTHONPATH=str(ROOT), GLOG_minloglevel="2")
            out = subprocess.run(
                [sys.executable, "-c", NAIVE_SPLIT, str(clip), str(resolve_model().path)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            ).stdout.split()
            n, dec, inf = int(out[0]), float(out[1]), float(out[2])
            print(
                f"\nnaive loop, one process: {n} frames, decode + BGR->RGB "
                f"{1000 * dec / n:.1f} ms/frame, inference {1000 * inf / n:.1f} ms/frame "
                f"({n / (dec + inf):.1f} frames/s without start-up)"
            )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
