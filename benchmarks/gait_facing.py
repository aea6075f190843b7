"""Forward, backward or unclear walking per pass on the shared side-view clips.

For each side-view clip (the walking clip and the sprint clip), with the real model
(swap repair on, as PoseDash runs it) and with the shared reference landmarks, the
gait analysis is run and printed per walking pass: direction, the classification
(forward / backward / unclear) with its two cues (feet and face, body heights along
the travel; margins 0.04 and 0.015), then what was analysed: initial contacts / toe
offs, strides kept, cadence, stride and step time and stance of the pass. With
``--all-passes`` the same figures are printed as if every pass were walked forwards
(what PoseDash reported before backward passes were left out), for comparison.
Prints figures; asserts nothing. Needs $POSEDASH_MEDIA (default ../shared/media).

Run: ``python benchmarks/gait_facing.py [--all-passes]`` from the project root.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEDIA = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"))

from dashboard.kinematics.gait import analysis as gait_analysis, analyze_gait  # noqa: E402
from tests.reference_data import legacy_sequence  # noqa: E402

CLIPS = ("sports2d_demo4_gait_side", "sports2d_demo3_sprint_side")
#: PoseDash's classification of the passes (replaced for ``--all-passes``).
_RULE = gait_analysis._classified


def _model_run(stem: str):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.detect.models import resolve_model
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video(
            (MEDIA / "videos" / f"{stem}.mp4").read_bytes(),
            resolve_model(),
            AnalysisSettings(),
            name=f"{stem}.mp4",
            workers=1,
        )


def _fmt(v, digits=1) -> str:
    return "-" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def _as_forward(sig, passes, t):
    """Every pass classified as the rule says, then treated as forward (the old way)."""
    return [
        dataclasses.replace(p, facing=dataclasses.replace(p.facing, walking="forward"))
        for p in _RULE(sig, passes, t)
    ]


def per_pass(result, label: str) -> None:
    table = result.pass_parameters()
    for p, row in zip(result.passes, table.itertuples(), strict=False):
        f = p.facing
        evs = [e for e in result.events if e.pass_index == p.index]
        ics = sum(e.event == "initial_contact" for e in evs)
        print(
            f"  {label:10s} pass {p.index + 1} frames {p.start_frame}-{p.end_frame} "
            f"{p.direction_name:13s} {row.walking:20s} feet {_fmt(f.feet_bh, 3)} face "
            f"{_fmt(f.head_bh, 3)} | IC/TO {ics}/{len(evs) - ics}, strides {row.strides}, "
            f"cadence {_fmt(row.cadence_steps_per_min)}, stride "
            f"{_fmt(row.stride_time_s, 3)} s, step {_fmt(row.step_time_s, 3)} s, stance "
            f"{_fmt(row.stance_pct)} %"
        )
    kv = {k["key"]: k for k in result.to_dict()["key_values"]}["knee_flexion_at_initial_contact"]
    print(
        f"  {label:10s} all analysed passes: cadence "
        f"{_fmt(result.per_side['both']['cadence_steps_per_min']['mean'])}, knee flexion at "
        f"IC {_fmt(kv['left']['mean'])}/{_fmt(kv['right']['mean'])} deg (left/right), "
        f"verdict {result.verdict}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--all-passes",
        action="store_true",
        help="also print the figures with every pass treated as forward",
    )
    args = ap.parse_args()
    if not (MEDIA / "videos").is_dir():
        sys.exit(f"no test media at {MEDIA}: set POSEDASH_MEDIA")
    for stem in CLIPS:
        print(stem)
        sources = {
            "model": _model_run(stem),
            "reference": legacy_sequence(MEDIA / "reference" / f"{stem}.legacy.json"),
        }
        for source, seq in sources.items():
            result = analyze_gait(seq)
            if not result.passes:
                print(f"  {source:10s} no walking pass")
                continue
            per_pass(result, source)
            if args.all_passes:
                with mock.patch.object(gait_analysis, "_classified", _as_forward):
                    per_pass(analyze_gait(seq), f"{source}*")
    if args.all_passes:
        print("* every pass treated as forward walking (before backward passes were left out)")


if __name__ == "__main__":
    main()
