"""``python -m dashboard analyze INPUT... --out DIR``: the same engine as the app.

Per input it runs the core's analyse-and-write step (:mod:`dashboard.pipeline`) with the
:class:`~dashboard.pipeline.RunOptions` its options ask for (:func:`options_from_args`),
which writes the files :func:`dashboard.pipeline.writers` chooses (landmarks, angles and
summary always; report, gait, session when asked). A bad input prints a one-line reason
on stderr, the other inputs are still analysed, and the exit code is 1.
"""

from __future__ import annotations

import contextlib
import math
import sys
from pathlib import Path

from dashboard.cli.common import PROG
from dashboard.errors import InputError, PoseDashError
from dashboard.pipeline import RunOptions, analyse_bytes, prepare, write_files, writers
from dashboard.settings import AnalysisSettings


def read_input(path: Path) -> bytes:
    """The bytes of one input file, or an InputError saying why not (a device, a pipe
    or a socket is refused before reading: /dev/zero or a FIFO would never end)."""
    import stat

    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
            raise InputError(f"{path} is not a regular file (a device, a pipe or a socket).")
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}).") from None


def _unique_stem(path: Path, used: set) -> str:
    stem, n = path.stem, 2
    while stem in used:
        stem, n = f"{path.stem}-{n}", n + 1
    used.add(stem)
    return stem


def options_from_args(args) -> RunOptions:
    """The :class:`~dashboard.pipeline.RunOptions` the options ask for (without the
    events of ``--events-from``: :func:`read_events_option`); ValueError naming a bad
    option."""
    settings = AnalysisSettings(
        args.num_poses,
        args.min_detection_confidence,
        args.min_presence_confidence,
        args.min_tracking_confidence,
        swap_repair=not args.no_swap_repair,
    )
    if args.stride < 1:
        raise ValueError("--stride must be 1 or more")
    if args.max_side is not None and args.max_side < 64:
        raise ValueError("--max-side must be at least 64 pixels")
    if not (math.isfinite(args.cutoff_hz) and math.isfinite(args.max_gap_s)):
        raise ValueError("--cutoff-hz and --max-gap-s must be numbers (not nan or inf)")
    if args.cutoff_hz <= 0 or args.max_gap_s < 0:
        raise ValueError("--cutoff-hz must be above 0 and --max-gap-s 0 or more")
    from dashboard.cli.functional import functional_options

    args.test_options = functional_options(args)  # ValueError naming a bad --age, --distance-m, ...
    return RunOptions(
        settings,
        stride=args.stride,
        max_side=args.max_side,
        model=str(args.model) if args.model else None,
        min_confidence=args.min_confidence,
        filter=args.filter,
        cutoff_hz=args.cutoff_hz,
        max_gap_s=args.max_gap_s,
        rep_angles=tuple(args.rep_angle) if args.rep_angle else None,
        gait=args.gait,
        height_m=getattr(args, "height_m", None),
        floor_marks=floor_marks(getattr(args, "floor_marks", None)),
        report=bool(getattr(args, "report", False)),
        paper=getattr(args, "paper", "A4"),
        session=bool(getattr(args, "session", False)),
        test=args.test_options,
    )


def floor_marks(raw) -> tuple[float, float, float, float, float] | None:
    """``--floor-marks AX,AY,BX,BY,M`` as five numbers (None without it); ValueError
    with the reason (a usage error)."""
    if not raw:
        return None
    try:
        marks = tuple(float(v) for v in str(raw).split(","))
    except ValueError:
        raise ValueError(f"--floor-marks must be five numbers AX,AY,BX,BY,M, got {raw!r}") from None
    if len(marks) != 5:
        raise ValueError(f"--floor-marks must be five numbers AX,AY,BX,BY,M, got {raw!r}")
    ax, ay, bx, by, metres = marks
    return ax, ay, bx, by, metres


def with_events(args, options: RunOptions) -> RunOptions:
    """``options`` with the events of ``--events-from`` (:func:`read_events_option`)."""
    import dataclasses

    gait_events = read_events_option(args)
    return dataclasses.replace(
        options,
        gait=args.gait,
        gait_events=gait_events,
        test_events=getattr(args, "test_hand_events", None),
    )


def read_events_option(args):
    """The events of ``--events-from`` (None without it); ValueError for a usage error
    or an events file that cannot be used (one sentence)."""
    path = getattr(args, "events_from", None)
    if path is None:
        return None
    from dashboard.kinematics.gait.events_file import MAX_BYTES, read_events_csv

    if len(args.inputs) != 1:
        raise ValueError("--events-from takes the events of one video: give one input")
    if getattr(args, "test_options", None) is not None:
        from dashboard.cli.functional import read_test_events

        args.test_hand_events = read_test_events(path)  # None: the gait's events file
        if args.test_hand_events is not None:
            return None
    if args.gait is False:
        raise ValueError("--events-from needs the gait analysis: leave out --no-gait")
    args.gait = True
    try:
        if not path.is_file():
            read_input(path)  # says why: missing, a folder...
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(
                f"events file {path}: {path.stat().st_size / 1e6:.1f} MB, a gait events "
                f"file is at most {MAX_BYTES // (1024 * 1024)} MB"
            )
        return read_events_csv(read_input(path))
    except OSError as exc:
        raise ValueError(f"events file {path} cannot be read ({exc.strerror})") from None
    except PoseDashError as exc:
        raise ValueError(f"events file {path}: {exc}") from None


def _make_out(out: Path) -> None:
    """Create the output folder (PoseDashError saying why not)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PoseDashError(f"cannot create the output folder {out} ({exc.strerror}).") from exc


def run(args) -> int:
    from dashboard.cli.ahead import Ahead
    from dashboard.detect.frames import SPARE_CORE
    from dashboard.detect.models import resolve_model

    try:
        options = with_events(args, options_from_args(args))
        writers_ = writers(options)  # checks the angle and gait settings (light)
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    model = resolve_model(args.model)
    _make_out(args.out)
    _mediapipe_meanwhile()
    ahead = Ahead(_prepare, options)  # on the first core the analysis leaves free
    token = SPARE_CORE.set(ahead.start)
    try:
        with _workers_early(args.inputs):
            return _run_inputs(args, model, options, writers_, ahead)
    finally:
        SPARE_CORE.reset(token)


def _mediapipe_meanwhile() -> None:
    """Import MediaPipe in a helper thread now (about 0.3 s of CPU): the analysis needs it
    once the input is read, hashed and indexed, which this process does meanwhile (the
    parallel analysis of a 720p video: its first MediaPipe thread at 0.56 s, not 0.64 s;
    issue 27).
    :func:`~dashboard.detect.backend.load_mediapipe` lets one thread import it; the
    others wait for it."""
    import threading

    from dashboard.detect.backend import load_mediapipe

    threading.Thread(target=load_mediapipe, daemon=True, name="posedash-mediapipe").start()


def _workers_early(inputs):
    """The analysis's worker processes, started now when a video is to be analysed
    (:func:`dashboard.detect.parallel.workers_started`): they load MediaPipe while this
    process reads and indexes the video."""
    import subprocess

    from dashboard.detect import parallel
    from dashboard.pipeline.step import is_video_name

    if any(is_video_name(p.name) for p in inputs):
        # their native log lines are silenced, as the analysis's own are (quiet)
        return parallel.workers_started(stderr=subprocess.DEVNULL)
    return contextlib.nullcontext()


def _prepare(options: RunOptions) -> None:
    """What the writers need, imported in the :class:`~dashboard.cli.ahead.Ahead` thread:
    MediaPipe first (done already once the analysis has begun), so that it is never
    imported beside other imports (see :func:`dashboard.detect.backend.load_mediapipe`)."""
    from dashboard.detect.backend import load_mediapipe

    load_mediapipe()
    prepare(options)


def _run_inputs(args, model, options: RunOptions, writers_, ahead) -> int:
    """Analyse each input and write its files (``writers_``, their imports done by
    ``ahead``): the core's analyse-and-write step, :func:`~dashboard.pipeline.analyse_bytes`
    then :func:`~dashboard.pipeline.write_files`, with the command line's messages between."""
    failures, used = 0, set[str]()
    for path in args.inputs:
        try:
            item = analyse_bytes(read_input(path), path.name, model, options, quiet=True)
            ahead.result()
            for note in item.analysis.notes:
                print(f"{path}: note: {note}", file=sys.stderr)
            stem = _unique_stem(path, used)
            written = write_files(writers_, item, args.out, stem)
            for note in item.notes:  # what the writers had to say (e.g. no repetitions)
                print(f"{path}: note: {note}", file=sys.stderr)
        except PoseDashError as exc:
            failures += 1
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug: say so in one line, go on with the others
            failures += 1
            print(
                f"{path}: unexpected error ({type(exc).__name__}: {exc}); please report this.",
                file=sys.stderr,
            )
            continue
        seq = item.analysis.poses
        found = int(seq.detected.any(axis=0).sum())
        frames = int(seq.detected.any(axis=1).sum())
        what = (
            f"{found} {'person' if found == 1 else 'people'}"
            if seq.num_frames == 1
            else f"a person in {frames} of {seq.num_frames} frames"
        )
        print(f"{path}: {what} -> " + ", ".join(str(p) for p in written))
    return 1 if failures else 0


def add_parser(sub) -> None:
    """Register ``analyze`` on the subcommand parser ``sub``."""
    analyze = sub.add_parser(
        "analyze",
        help="analyse photos and videos, write CSV files",
        description="Analyse photos and videos and write, per input, DIR/<stem>.landmarks.csv.",
    )
    analyze.add_argument("inputs", nargs="+", metavar="INPUT", type=Path)
    analyze.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for the results (created if missing)",
    )
    add_analysis_options(analyze)
    analyze.add_argument(
        "--events-from",
        type=Path,
        metavar="EVENTS.csv",
        help="gait: use these events (columns side, event, time_s, frame optional: "
        "the gait_events.csv PoseDash writes, corrected) in place of the detected "
        "ones; gait.json then says events_source: edited and keeps the automatic events. "
        "With --test: the test's events (columns event, time_s, frame optional: the "
        "test_events.csv PoseDash writes, corrected); test.json then says "
        "events_source: edited",
    )
    analyze.set_defaults(run=run)


def add_analysis_options(parser) -> None:
    """The analysis options ``analyze`` and ``batch`` share (all but inputs and --out)."""
    _detection_options(parser)
    _angle_options(parser)
    _report_options(parser)
    _gait_options(parser)
    from dashboard.cli.functional import add_test_options

    add_test_options(parser)


def _detection_options(parser) -> None:
    """The pose model, its settings, which frames to analyse, the session file."""
    parser.add_argument(
        "--num-poses",
        type=int,
        default=1,
        metavar="N",
        help="most people to find per picture (1-10, default 1)",
    )
    parser.add_argument(
        "--model",
        metavar="lite|full|heavy|PATH",
        help="the pose model: lite (fast), full (standard), heavy "
        "(accurate; lite and heavy need 'make models' once), or a "
        "MediaPipe pose landmarker .task file (default: "
        "$POSEDASH_MODEL, else full)",
    )
    parser.add_argument("--min-detection-confidence", type=float, default=0.5, metavar="X")
    parser.add_argument("--min-presence-confidence", type=float, default=0.5, metavar="X")
    parser.add_argument("--min-tracking-confidence", type=float, default=0.5, metavar="X")
    parser.add_argument(
        "--stride",
        type=int,
        default=1,
        metavar="K",
        help="videos: analyse every K-th frame (default 1: every frame)",
    )
    parser.add_argument(
        "--max-side",
        type=int,
        default=None,
        metavar="PX",
        help="videos: shrink frames whose longer side exceeds PX before "
        "analysis (coordinates stay in original pixels)",
    )
    parser.add_argument(
        "--no-swap-repair",
        action="store_true",
        help="videos: keep the model's left/right labels of legs and arms "
        "as they are (default: repair the model's brief left/right "
        "limb swaps)",
    )

    parser.add_argument(
        "--session",
        action="store_true",
        help="also write DIR/<stem>.posedash, a session file to reopen in "
        "the app or add to the patient library",
    )


def _angle_options(parser) -> None:
    kin = parser.add_argument_group(
        "joint angles (written to <stem>.angles.csv and <stem>.summary.json)"
    )
    kin.add_argument(
        "--filter",
        choices=("butterworth", "one_euro", "none"),
        default="butterworth",
        help="smoothing of value_deg (raw_deg is never filtered); default "
        "a zero-phase Butterworth low-pass",
    )
    kin.add_argument(
        "--cutoff-hz",
        type=float,
        default=6.0,
        metavar="HZ",
        help="Butterworth cut-off frequency (default 6)",
    )
    kin.add_argument(
        "--max-gap-s",
        type=float,
        default=0.25,
        metavar="S",
        help="fill gaps in an angle up to this long, by interpolation "
        "(default 0.25; 0 never fills)",
    )
    kin.add_argument(
        "--min-confidence",
        type=float,
        default=0.5,
        metavar="X",
        help="angles whose landmarks' visibility is below X are left empty (default 0.5)",
    )
    kin.add_argument(
        "--rep-angle",
        action="append",
        metavar="ANGLE",
        help="look for repetitions in this angle, e.g. knee_flexion "
        "(repeatable; default: every angle)",
    )


def _report_options(parser) -> None:
    report = parser.add_argument_group("report")
    report.add_argument(
        "--report",
        action="store_true",
        help="also write <stem>.report.pdf: the clinician's PDF report "
        "(key frames with faces blurred, angle charts, range of motion "
        "with confidence, repetitions)",
    )
    report.add_argument(
        "--paper",
        choices=("A4", "Letter"),
        default="A4",
        help="paper size of the report (default A4)",
    )


def _gait_options(parser) -> None:
    gait = parser.add_argument_group(
        "gait (written to <stem>.gait.json and <stem>.gait_cycles.csv)"
    )
    gait.add_argument(
        "--gait",
        dest="gait",
        action="store_true",
        default=None,
        help="gait analysis of every video (default: of videos that look "
        "like walking across the picture)",
    )
    gait.add_argument(
        "--no-gait",
        dest="gait",
        action="store_false",
        help="no gait analysis, even of walking videos",
    )
    gait.add_argument(
        "--height-m",
        type=float,
        default=None,
        metavar="M",
        help="the patient's height in metres: step and stride length and "
        "walking speed in metres (otherwise in body heights)",
    )
    gait.add_argument(
        "--floor-marks",
        default=None,
        metavar="AX,AY,BX,BY,M",
        help="metres from two floor marks instead of the height: the marks' pixels in the "
        "video's picture (x right, y down) and their distance in metres, e.g. "
        "100,650,1100,650,2.0",
    )
