"""``python -m dashboard analyze INPUT... --out DIR``: the same engine as the app.

Per input it writes ``DIR/<stem>.landmarks.csv``, ``<stem>.angles.csv`` and
``<stem>.summary.json``, and for a walking video (or with ``--gait``)
``<stem>.gait.json`` and ``<stem>.gait_cycles.csv`` (one writer each, see
:func:`writers`; optional outputs add a writer). A bad input prints a one-line
reason on stderr, the other inputs are still analysed, and the exit code is 1.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, List, Optional

from dashboard.cli.common import PROG
from dashboard.errors import InputError, PoseDashError
from dashboard.settings import AnalysisSettings

VIDEO_EXTENSIONS = ("mp4", "mov", "m4v", "avi", "webm", "mkv")


def _is_video(path: Path) -> bool:
    return path.suffix.lower().lstrip(".") in VIDEO_EXTENSIONS


def analyze_path(path: Path, model, settings: AnalysisSettings, *, stride: int = 1,
                 max_side: Optional[int] = None):
    """Analyse one file; returns a PoseSequence or raises PoseDashError."""
    from dashboard.detect import engine
    from dashboard.io import images

    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}).") from None
    if _is_video(path):
        return engine.analyze_video(data, model, settings, stride=stride, max_side=max_side,
                                    name=path.name)
    return engine.analyze_image(images.decode_image(data, path.name).rgb, model, settings)


def writers(args) -> List[Callable[["object", Path, str], List[Path]]]:
    """Functions writing one input's result files: (seq, out_dir, stem) -> paths."""
    from dashboard.kinematics.filters import FilterSettings
    from dashboard.kinematics.summary import (
        KinematicsSettings,
        compute_kinematics,
        write_kinematics,
    )

    kin_settings = KinematicsSettings(
        min_confidence=args.min_confidence,
        filter=FilterSettings(method=args.filter, cutoff_hz=args.cutoff_hz,
                              max_gap_s=args.max_gap_s),
        repetition_angles=tuple(args.rep_angle) if args.rep_angle else None)

    def landmarks(seq, out_dir: Path, stem: str) -> List[Path]:
        from dashboard.io.export import landmark_table

        path = out_dir / f"{stem}.landmarks.csv"
        landmark_table(seq).to_csv(path, index=False, float_format="%.6g")
        return [path]

    def kinematics(seq, out_dir: Path, stem: str) -> List[Path]:
        return list(write_kinematics(compute_kinematics(seq, kin_settings), out_dir, stem))

    return [landmarks, kinematics, gait_writer(args)]


def gait_writer(args) -> Callable[["object", Path, str], List[Path]]:
    """``<stem>.gait.json`` and ``<stem>.gait_cycles.csv`` for a video when ``--gait``
    is given or the video looks like walking (``--no-gait`` turns this off)."""
    from dashboard.kinematics.gait import GaitSettings

    settings = GaitSettings(height_m=args.height_m)  # ValueError: a usage error

    def gait(seq, out_dir: Path, stem: str) -> List[Path]:
        from dashboard.kinematics.gait import analyze_gait, looks_like_walking, write_gait

        if seq.num_frames < 3 or args.gait is False:
            return []
        if args.gait is None and not looks_like_walking(seq):
            return []
        return list(write_gait(analyze_gait(seq, settings), out_dir, stem))

    return gait


def _unique_stem(path: Path, used: set) -> str:
    stem, n = path.stem, 2
    while stem in used:
        stem, n = f"{path.stem}-{n}", n + 1
    used.add(stem)
    return stem


def run(args) -> int:
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.detect.models import resolve_model

    try:
        settings = AnalysisSettings(args.num_poses, args.min_detection_confidence,
                                    args.min_presence_confidence, args.min_tracking_confidence)
        if args.stride < 1:
            raise ValueError("--stride must be 1 or more")
        if args.max_side is not None and args.max_side < 64:
            raise ValueError("--max-side must be at least 64 pixels")
        if args.cutoff_hz <= 0 or args.max_gap_s < 0:
            raise ValueError("--cutoff-hz must be above 0 and --max-gap-s 0 or more")
        writers_ = writers(args)
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    model = resolve_model(args.model)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PoseDashError(f"cannot create the output folder {args.out} ({exc.strerror}).")
    failures, used = 0, set()
    for path in args.inputs:
        try:
            with native_logs_silenced():
                seq = analyze_path(path, model, settings, stride=args.stride,
                                   max_side=args.max_side)
            stem = _unique_stem(path, used)
            written = [p for write in writers_ for p in write(seq, args.out, stem)]
        except PoseDashError as exc:
            failures += 1
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug: say so in one line, go on with the others
            failures += 1
            print(f"{path}: unexpected error ({type(exc).__name__}: {exc}); "
                  "please report this.", file=sys.stderr)
            continue
        found = int(seq.detected.any(axis=0).sum())
        frames = int(seq.detected.any(axis=1).sum())
        what = (f"{found} {'person' if found == 1 else 'people'}" if seq.num_frames == 1
                else f"a person in {frames} of {seq.num_frames} frames")
        print(f"{path}: {what} -> " + ", ".join(str(p) for p in written))
    return 1 if failures else 0


def add_parser(sub) -> None:
    """Register ``analyze`` on the subcommand parser ``sub``."""
    analyze = sub.add_parser("analyze", help="analyse photos and videos, write CSV files",
                             description="Analyse photos and videos and write, per input, "
                                         "DIR/<stem>.landmarks.csv.")
    analyze.add_argument("inputs", nargs="+", metavar="INPUT", type=Path)
    analyze.add_argument("--out", required=True, type=Path, metavar="DIR",
                         help="folder for the results (created if missing)")
    analyze.add_argument("--num-poses", type=int, default=1, metavar="N",
                         help="most people to find per picture (1-10, default 1)")
    analyze.add_argument("--model", type=Path, metavar="PATH",
                         help="a MediaPipe pose landmarker .task file "
                              "(default: $POSEDASH_MODEL, else the built-in model)")
    analyze.add_argument("--min-detection-confidence", type=float, default=0.5, metavar="X")
    analyze.add_argument("--min-presence-confidence", type=float, default=0.5, metavar="X")
    analyze.add_argument("--min-tracking-confidence", type=float, default=0.5, metavar="X")
    analyze.add_argument("--stride", type=int, default=1, metavar="K",
                         help="videos: analyse every K-th frame (default 1: every frame)")
    analyze.add_argument("--max-side", type=int, default=None, metavar="PX",
                         help="videos: shrink frames whose longer side exceeds PX before "
                              "analysis (coordinates stay in original pixels)")

    kin = analyze.add_argument_group("joint angles (written to <stem>.angles.csv and "
                                     "<stem>.summary.json)")
    kin.add_argument("--filter", choices=("butterworth", "one_euro", "none"),
                     default="butterworth",
                     help="smoothing of value_deg (raw_deg is never filtered); default "
                          "a zero-phase Butterworth low-pass")
    kin.add_argument("--cutoff-hz", type=float, default=6.0, metavar="HZ",
                     help="Butterworth cut-off frequency (default 6)")
    kin.add_argument("--max-gap-s", type=float, default=0.25, metavar="S",
                     help="fill gaps in an angle up to this long, by interpolation "
                          "(default 0.25; 0 never fills)")
    kin.add_argument("--min-confidence", type=float, default=0.5, metavar="X",
                     help="angles whose landmarks' visibility is below X are left empty "
                          "(default 0.5)")
    kin.add_argument("--rep-angle", action="append", metavar="ANGLE",
                     help="look for repetitions in this angle, e.g. knee_flexion "
                          "(repeatable; default: every angle)")
    gait = analyze.add_argument_group("gait (written to <stem>.gait.json and "
                                      "<stem>.gait_cycles.csv)")
    gait.add_argument("--gait", dest="gait", action="store_true", default=None,
                      help="gait analysis of every video (default: of videos that look "
                           "like walking across the picture)")
    gait.add_argument("--no-gait", dest="gait", action="store_false",
                      help="no gait analysis, even of walking videos")
    gait.add_argument("--height-m", type=float, default=None, metavar="M",
                      help="the patient's height in metres: step and stride length and "
                           "walking speed in metres (otherwise in body heights)")
    analyze.set_defaults(run=run)
