"""Command line: ``python -m dashboard COMMAND``. One module per subcommand;
:func:`main` turns PoseDash's errors into one line and an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from dashboard.cli import analyze, batch, library
from dashboard.cli.common import PROG
from dashboard.cli.terminal import safe_streams
from dashboard.errors import ModelError, PoseDashError

#: Subcommand modules: each has ``add_parser(sub)``, which sets ``run(args) -> int``.
COMMANDS = (analyze, batch, library)


def _build_model(args) -> int:
    from dashboard.detect import models

    if args.check:  # exit 0 when built and intact, 1 when not
        return 0 if models.variant_is_built(args.variant) else 1
    if args.variant == "full":
        print(models.ensure_builtin_bundle(rebuild=args.force))
        return 0
    if not args.force and models.variant_is_built(args.variant):
        print(models.variant_bundle_path(args.variant))
        return 0
    if args.from_npm_tarball is None:
        raise ModelError(
            f"The {args.variant} model is built from the npm package "
            f"{models.NPM_PACKAGE}: run '{models.BUILD_COMMAND}', or pass "
            "--from-npm-tarball PATH (the file 'npm pack' wrote)."
        )
    print(models.build_variant_bundle(args.variant, args.from_npm_tarball))
    return 0


def _parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description=("PoseDash: local pose analysis. Nothing is sent anywhere.")
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    build = sub.add_parser(
        "build-model",
        help="build a model bundle",
        description="Build a model bundle: full from the files mediapipe "
        "installs, lite and heavy from the npm package "
        "tarball that 'make models' fetches.",
    )
    build.add_argument("--force", action="store_true", help="rebuild even if present")
    build.add_argument("--variant", choices=("lite", "full", "heavy"), default="full")
    build.add_argument(
        "--from-npm-tarball",
        type=Path,
        metavar="PATH",
        help="the @mediapipe/pose .tgz written by 'npm pack' (lite, heavy)",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="build nothing; exit 0 if the bundle is built and intact, else 1",
    )
    build.set_defaults(run=_build_model)
    return parser


#: Commands after which ``python -m dashboard`` ends at once, without the
#: interpreter's teardown: they hold no open file, child process or database
#: connection when :func:`main` returns (``batch`` may leave Dask's clean-up to
#: exit handlers, ``library`` a database: they end normally).
_NO_TEARDOWN = ("analyze",)


def skips_teardown(argv: list[str]) -> bool:
    """Whether ``python -m dashboard ARGV`` may end with ``os._exit`` once
    :func:`main` has returned (see ``dashboard/__main__.py``)."""
    return bool(argv) and argv[0] in _NO_TEARDOWN


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); ``prog`` names the
    program in its usage lines. Returns the exit code."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    with safe_streams():
        return _main(argv, prog)


def _main(argv: list[str] | None, prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    try:
        return args.run(args)
    except ModelError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except PoseDashError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def run(prog: str = PROG) -> None:
    """Run the command line of this process and exit with its code: ``python -m
    dashboard`` and the installed ``posedash`` command."""
    argv = sys.argv[1:]
    code = main(argv, prog)
    if skips_teardown(argv):
        # Every file is written and closed: end without the interpreter's teardown of
        # MediaPipe, pandas and SciPy (0.3 s on a quiet machine, over 1 s under load),
        # as the analysis workers do. See skips_teardown.
        import logging

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            # A closed pipe: nothing more can be said.
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)


def console() -> None:
    """The ``posedash`` command that ``pip install`` writes (pyproject.toml's
    ``[project.scripts]``): the same as ``python -m dashboard``."""
    run(prog="posedash")
