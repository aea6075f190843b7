"""Time of a functional test's computation after the video's analysis.

What is timed
-------------
``run_test`` (set-up checks, signals, events, clock start, result, norm placement)
on the landmarks of the shared real clips, analysed first with the real model (not
timed): the 5xSTS and TUG clips with their own tests, the walking clip with the
10-m walk, the 3-m backward walk and single-leg stance. For each: the first call in
the process (which imports what the test needs: the gait module and scipy.signal
for the walk tests) and the median of ``--repeats`` later calls, wall and CPU time.
Goal (issue 21): the whole test result in under 2 s after the analysis.

Measured on the shared 2-core machine under load (20:35 UTC, 9 agents): warm
sts5 0.04-0.07 s, tug 0.04 s, sls 0.06 s, walk10 0.27 s, backward3 0.23-0.31 s; the
first walk test in a fresh process 5-6 s, almost all of it importing scipy.signal
(3.2 s alone on this machine), which the app and the CLI's angle filtering import anyway.

Run: ``python benchmarks/functional.py`` from the project root (needs the shared media).
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

CASES = (
    ("frailtyvision_5xsts_side_portrait.mp4", "sts5", {}),
    ("frailtyvision_tug_side.mp4", "tug", {}),
    ("sports2d_demo4_gait_side.mp4", "walk10", {"distance_m": 4.0, "marks_px": (300.0, 1000.0)}),
    ("sports2d_demo4_gait_side.mp4", "backward3", {}),
    ("sports2d_demo4_gait_side.mp4", "sls", {}),
)


def _analyse(path: Path):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.detect.models import resolve_model
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video(
            path.read_bytes(), resolve_model(), AnalysisSettings(), name=path.name, workers=1
        )


def _time(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    media = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"))
    seqs = {}
    for clip, _, _ in CASES:
        if clip not in seqs:
            seqs[clip] = _analyse(media / "videos" / clip)
    from dashboard.functional import TestOptions, TestRefused, run_test

    for clip, test, kw in CASES:

        def once(clip=clip, test=test, kw=kw):
            try:
                return run_test(seqs[clip], TestOptions(test, **kw)).headline
            except TestRefused as exc:
                return f"refused: {exc}"

        first = _time(once)
        later = [_time(once) for _ in range(args.repeats)]
        wall = statistics.median(t[0] for t in later)
        cpu = statistics.median(t[1] for t in later)
        print(
            f"{test:9s} {clip:40s} first {first[0]:.3f} s wall ({first[1]:.3f} CPU); "
            f"then {wall:.3f} s wall ({cpu:.3f} CPU)  -> {once()}"
        )


if __name__ == "__main__":
    main()
