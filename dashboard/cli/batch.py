"""``python -m dashboard batch INPUT... --out DIR``: a study's recordings, resumable,
on this computer or on a Dask cluster (``--scheduler tcp://HOST:PORT``).

Per input the same files as ``analyze``, plus ``DIR/batch.csv`` (one row per
input). Exit code 0 when every input is done or skipped, 1 when any failed,
2 for bad options, 130 when interrupted (finished inputs are kept).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.cli import analyze
from dashboard.cli.common import PROG
from dashboard.errors import PoseDashError

#: Options of the batch itself: not analysis settings, not part of the settings key.
_BATCH_ONLY = ("inputs", "out", "scheduler", "workers", "force", "run", "command")


def run(args) -> int:
    from dashboard.batch import discover, run_batch
    from dashboard.batch.runner import DaskPool, LocalPool, default_progress
    from dashboard.detect.models import resolve_model
    from dashboard.pipeline import writers

    try:
        run_options = analyze.options_from_args(args)
        writers(run_options)  # a bad angle or gait setting: a usage error before any work
        if args.workers is not None and args.workers < 1:
            raise ValueError("--workers must be 1 or more")
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    files, missing = discover(args.inputs)
    if not files and not missing:
        print(f"{PROG}: no inputs", file=sys.stderr)
        return 2
    model = resolve_model(args.model)
    options = {k: v for k, v in vars(args).items() if k not in _BATCH_ONLY}
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PoseDashError(
            f"cannot create the output folder {args.out} ({exc.strerror})."
        ) from exc
    pool = (
        DaskPool(args.scheduler)
        if args.scheduler
        else (LocalPool(args.workers) if args.workers else None)
    )
    progress, close = default_progress()
    try:
        report = run_batch(
            files,
            args.out,
            run_options,
            model.sha256,
            key_options=options,
            missing=missing,
            pool=pool,
            force=args.force,
            progress=progress,
        )
    finally:
        close()
        if pool is not None:
            pool.close()
    c = report.counts
    print(
        f"{c['done']} done, {c['skipped']} skipped, {c['failed']} failed in "
        f"{report.seconds:.1f} s ({report.files_per_min:.1f} files/min, "
        f"{report.frames_per_s:.1f} frames/s) -> {args.out / 'batch.csv'}"
    )
    return 1 if c["failed"] else 0


def add_parser(sub) -> None:
    """Register ``batch`` on the subcommand parser ``sub``."""
    batch = sub.add_parser(
        "batch",
        help="analyse a folder of recordings (resumable, local or on Dask)",
        description="Analyse every photo and video the inputs name (files, folders searched "
        "recursively, glob patterns) and write the same files as analyze plus "
        "DIR/batch.csv. A second run skips inputs already done.",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT")
    batch.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for the results and batch.csv (created if missing)",
    )
    batch.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run on this existing Dask scheduler's workers (each needs "
        "PoseDash installed); default: this computer's cores",
    )
    batch.add_argument(
        "--workers", type=int, metavar="N", help="local worker processes (default: one per core)"
    )
    batch.add_argument(
        "--force",
        action="store_true",
        help="redo inputs already done with the same content and settings",
    )
    analyze.add_analysis_options(batch)
    batch.set_defaults(run=run)
