"""What the leg-swap repair does to the gait figures of the shared walking clips.

For each side-view clip (the walking clip and the sprint clip, with the real model
and with the shared reference landmarks) the gait analysis is run on the landmarks
as the model gave them with no repair at all, with the repair's whole-recording step
only (``SwapSettings(glitch_cost=0)``), and with the whole repair (what PoseDash
does). Printed per variant: leg frames relabelled, initial contacts / toe offs,
strides kept, cadence per pass, step and stride time, stance (left/right), double
support, knee flexion at initial contact and peak knee flexion in swing (left/right).
Prints figures; asserts nothing. Needs $POSEDASH_MEDIA (default ../shared/media).

Run: ``python benchmarks/gait_swaps.py`` from the project root.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEDIA = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"))

from dashboard.detect import swaps  # noqa: E402
from dashboard.kinematics.gait import GaitSettings, analyze_gait  # noqa: E402
from tests.reference_data import legacy_sequence  # noqa: E402

CLIPS = ("sports2d_demo4_gait_side", "sports2d_demo3_sprint_side")


def _model_run(stem: str):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.detect.models import resolve_model
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video(
            (MEDIA / "videos" / f"{stem}.mp4").read_bytes(),
            resolve_model(),
            AnalysisSettings(swap_repair=False),
            name=f"{stem}.mp4",
            workers=1,
        )


def _fmt(v, digits=1) -> str:
    return "-" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def figures(result) -> str:
    if not result.passes:
        return "no walking pass"
    doc = result.to_dict()
    p, kv = doc["parameters"], {k["key"]: k for k in doc["key_values"]}
    ics = sum(e.event == "initial_contact" for e in result.events)
    cad = ", ".join(_fmt(c) for c in result.pass_parameters().cadence_steps_per_min)

    def lr(key):
        return "/".join(_fmt(kv[key][s]["mean"]) for s in ("left", "right"))

    return (
        f"IC/TO {ics}/{len(result.events) - ics}, kept {len(result.kept_cycles)}/"
        f"{len(result.cycles)}, cadence/pass [{cad}], step {_fmt(p['step_time_s'], 3)} s, "
        f"stride {_fmt(p['stride_time_s'], 3)} s, stance {_fmt(p['left']['stance_pct'])}/"
        f"{_fmt(p['right']['stance_pct'])} %, DS {_fmt(p['double_support_pct'])} %, "
        f"knee@IC {lr('knee_flexion_at_initial_contact')} deg, "
        f"knee swing {lr('peak_knee_flexion_swing')} deg"
    )


def main() -> None:
    if not (MEDIA / "videos").is_dir():
        sys.exit(f"no test media at {MEDIA}: set POSEDASH_MEDIA")
    for stem in CLIPS:
        sources = {
            "model": _model_run(stem),
            "reference": legacy_sequence(MEDIA / "reference" / f"{stem}.legacy.json"),
        }
        for source, raw in sources.items():
            variants = {
                "no repair": (raw, GaitSettings(repair_leg_swaps=False)),
                "whole-recording step only": (
                    swaps.repair_sequence(raw, swaps.SwapSettings(glitch_cost=0)),
                    GaitSettings(),
                ),
                "whole repair": (swaps.repair_sequence(raw), GaitSettings()),
            }
            for name, (seq, settings) in variants.items():
                legs = int(np.asarray(seq.swapped)[:, 0, 0].sum())
                result = analyze_gait(
                    seq,
                    dataclasses.replace(settings, repair_leg_swaps=False)
                    if name != "no repair"
                    else settings,
                )
                print(f"{stem} {source:9s} {name:26s} legs relabelled {legs:3d}: {figures(result)}")


if __name__ == "__main__":
    main()
