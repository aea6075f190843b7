"""The figures behind docs/validity.md, measured again (printed, not asserted).

Runs the built-in model on the shared clips (``$POSEDASH_MEDIA``, default
``../shared/media``) and prints, per clip, what each verdict of the validity
table rests on: the 3-D (world) value against the picture's where the picture is
valid, both against what the labelled frames show by eye (``tests/validity_clips.py``),
the far leg against the near one in a side view. ``--sessions DIR`` reads
``<clip>.posedash`` files written by ``python -m dashboard analyze --session``
instead of running the model.

    .venv/bin/python benchmarks/validity_figures.py [--sessions DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import validity_clips as vc  # noqa: E402


def _sequence(name: str, sessions: Path | None, media: Path):
    if sessions is not None:
        from dashboard.outputs.session import read_session

        return read_session((sessions / f"{name}.posedash").read_bytes()).analysis.poses
    from dashboard.detect.models import resolve_model

    return vc.analyse(media, name, resolve_model())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=Path, default=None)
    args = ap.parse_args()
    media = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"))
    jobs = (
        (vc.SQUAT, vc.squat_figures),
        (vc.STS, vc.sts_figures),
        (vc.RAISE, vc.raise_figures),
        (vc.WALK, None),
        (vc.SPRINT, None),
    )
    for name, figures in jobs:
        seq = _sequence(name, args.sessions, media)
        kin = vc.kinematics(seq)
        found = figures(seq, kin) if figures else {}
        if name in (vc.STS, vc.WALK, vc.SPRINT):
            found.update(vc.side_ankle_figures(kin))
        print(f"\n{name} (views {kin.sets[0].views}, near side {kin.sets[0].near_sides})")
        for key, value in found.items():
            print(f"  {key:42s} {value:7.1f}")


if __name__ == "__main__":
    main()
