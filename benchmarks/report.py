"""Time and size of the clinician PDF report for a photo, the lateral-raise clip and
the walking clip.

What is timed
-------------
Each recording is first analysed with the real model (``engine.analyze_image`` /
``engine.analyze_video``, not timed), then :func:`dashboard.report.builder.build_report`
is run ``--runs`` times with every section (key frames decoded from the video
with faces blurred, angle charts, ROM table, repetitions, gait when available,
notes, how to read) and a comparison with the first half of the same recording.
The first run pays for imports and font loading; the figures printed are the
first run and the median of the others (wall-clock seconds, and the CPU seconds
of this process, all threads: on a shared, loaded machine the CPU time is the
closer estimate of the wall time on an idle one), with the PDF's size and page
count.
The last PDFs are written to ``benchmarks/out/`` for review.

Goal: a report for the 540-frame lateral-raise clip in under 5 s and under 5 MB.

Usage: ``.venv/bin/python benchmarks/report.py [--media DIR] [--runs 3]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = (
    ("photo", "images/tfjs_pose_yoga_warrior.jpg"),
    ("lateral raise", "videos/sports2d_demo5_lateral_raise_front.mp4"),
    ("walking", "videos/sports2d_demo4_gait_side.mp4"),
)


def analyse(path: Path, model):
    from dashboard.analysis import Analysis
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.media import images
    from dashboard.settings import AnalysisSettings

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with native_logs_silenced():
        if path.suffix.lower() == ".mp4":
            seq = engine.analyze_video(data, model, AnalysisSettings(), name=path.name)
            t = seq.time_s
            fps = (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 else None
            return Analysis(
                seq, path.name, digest, "video", AnalysisSettings(), model.as_dict(), fps
            ), data
        seq = engine.analyze_image(
            images.decode_image(data, path.name).rgb, model, AnalysisSettings()
        )
    return Analysis(seq, path.name, digest, "photo", AnalysisSettings(), model.as_dict()), data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")),
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from dashboard.detect.models import resolve_model

    model = resolve_model()
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    print(
        f"{'recording':<15}{'frames':>7}{'first run s':>13}{'median s':>10}"
        f"{'median CPU s':>14}{'size MB':>9}{'pages':>7}"
    )
    for label, rel in CASES:
        path = args.media / rel
        if not path.is_file():
            print(f"{label:<15} missing: {path}")
            continue
        analysis, data = analyse(path, model)
        times, cpu, pdf = [], [], b""
        for _ in range(max(1, args.runs)):
            t0, c0 = time.perf_counter(), time.process_time()
            pdf = build(analysis, data)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        (out / f"{path.stem}.report.pdf").write_bytes(pdf)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        rest = statistics.median(times[1:]) if len(times) > 1 else times[0]
        rest_cpu = statistics.median(cpu[1:]) if len(cpu) > 1 else cpu[0]
        print(
            f"{label:<15}{analysis.poses.num_frames:>7}{times[0]:>13.2f}{rest:>10.2f}"
            f"{rest_cpu:>14.2f}{len(pdf) / 1e6:>9.2f}{pages:>7}",
            flush=True,
        )
    print(f"PDFs in {out}")
    return 0


def build(analysis, data: bytes) -> bytes:
    from dashboard.analysis import Analysis
    from dashboard.report.builder import ReportOptions, build_report

    earlier = None
    if analysis.kind == "video":
        half = analysis.poses.select(frames=slice(0, analysis.poses.num_frames // 2))
        earlier = Analysis(
            half, "earlier.mp4", "0" * 64, "video", analysis.settings, analysis.model, analysis.fps
        )
    options = ReportOptions(patient_label="Zoë Łukasiewicz", notes="Benchmark notes.")
    return build_report(analysis, data, options, earlier)


if __name__ == "__main__":
    sys.exit(main())
