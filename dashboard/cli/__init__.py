"""Command line: ``python -m dashboard COMMAND``. One module per subcommand;
:func:`main` turns PoseDash's errors into one line and an exit code.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from dashboard.cli import analyze, batch, library
from dashboard.cli.common import PROG
from dashboard.errors import ModelError, PoseDashError

#: Subcommand modules: each has ``add_parser(sub)``, which sets ``run(args) -> int``.
COMMANDS = (analyze, batch, library)


def _build_model(args) -> int:
    from dashboard.detect.models import ensure_builtin_bundle

    print(ensure_builtin_bundle(rebuild=args.force))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=(
        "PoseDash: local pose analysis. Nothing is sent anywhere."))
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    build = sub.add_parser("build-model", help="build the built-in model bundle",
                           description="Build the model bundle from the files mediapipe installs.")
    build.add_argument("--force", action="store_true", help="rebuild even if present")
    build.set_defaults(run=_build_model)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    os.environ.setdefault("GLOG_minloglevel", "2")
    args = _parser().parse_args(argv)
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
