"""Speed of the gait analysis from landmarks: a 10-minute, 60 fps walking session.

What is timed
-------------
``analyze_gait`` (passes, leg-swap repair, events, strides, parameters and the
hip/knee/ankle cycle curves from the angle catalogue) on synthetic landmarks
of a person walking back and forth across the picture for 10 minutes at
60 fps (36,000 frames; tests/gait_walker.py), and ``looks_like_walking`` on
the same landmarks. Also the JSON document and the cycles table. The median
of ``--repeats`` runs is printed, wall time and, for ``analyze_gait``, the
process's CPU time (on a shared, loaded machine the wall time includes waiting).
Goal: under 1 s for the whole gait analysis. Both calls apply the left/right swap
repair to the legs (gait analysis always does; it changes nothing on landmarks the
detection stage repaired): measured under load, 0.79 to 0.95 s of CPU for
``analyze_gait`` (0.8 to 0.9 s wall), about 0.6 s of it the repair; 0.32 s of CPU
before, when gait ran only its own first-order repair. Classifying each pass as
forward, backward or unclear walking (gait/facing.py) adds 0.018 s of CPU for the 74
passes (measured under load: analyze_gait 0.89 s of CPU with it, 0.80 s without, in
the same minute).

Run: ``python benchmarks/gait.py`` from the project root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.kinematics.gait import analyze_gait, looks_like_walking
from tests.gait_walker import walker


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--fps", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    per_pass = 6 * 1.1 + 1.5
    n_pass = int(args.minutes * 60 / per_pass) + 1
    seq, _truth = walker(
        fps=args.fps, directions=[1, -1] * (n_pass // 2 + 1), noise_px=1.0, swap=(600, 603)
    )
    seq = seq.select(frames=slice(0, int(args.minutes * 60 * args.fps)))
    print(
        f"{seq.num_frames} frames ({seq.num_frames / args.fps / 60:.1f} min at "
        f"{args.fps:g} fps), {n_pass} passes planned"
    )
    timings = {"analyze_gait": [], "looks_like_walking": [], "to_dict + cycles_table": []}
    cpu = []
    for _ in range(args.repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = analyze_gait(seq)
        t1 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        looks_like_walking(seq)
        t2 = time.perf_counter()
        result.to_dict()
        result.cycles_table()
        t3 = time.perf_counter()
        timings["analyze_gait"].append(t1 - t0)
        timings["looks_like_walking"].append(t2 - t1)
        timings["to_dict + cycles_table"].append(t3 - t2)
    print(
        f"passes {len(result.passes)}, events {len(result.events)}, strides kept "
        f"{len(result.kept_cycles)} of {len(result.cycles)}"
    )
    for name, values in timings.items():
        print(
            f"{name:24s} median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)"
        )
    print(
        f"analyze_gait CPU time     median {statistics.median(cpu):.3f} s (this process; "
        "the wall time above includes waiting for a loaded machine)"
    )
    print("goal: analyze_gait under 1 s for 10 min at 60 fps")


if __name__ == "__main__":
    main()
