"""Run a command beside a busy loop on every core: the suite must pass on a busy machine.

``make test-load`` runs the whole suite this way (issue 26): no test may assert on a timing
or a CPU share that another program on the machine can break. Usage::

    python benchmarks/with_load.py [--loops N] -- COMMAND [ARG ...]

Starts N processes (default: one per core) that spin until the command ends, prints how
long the command took, and exits with the command's exit code.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import time


def _spin() -> None:  # pragma: no cover - runs in the busy processes
    x = 0
    while True:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=os.cpu_count() or 2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    busy = [mp.Process(target=_spin, daemon=True) for _ in range(max(0, args.loops))]
    for p in busy:
        p.start()
    start = time.monotonic()
    try:
        code = subprocess.call(command)
    finally:
        for p in busy:
            p.terminate()
        for p in busy:
            p.join()
    took = time.monotonic() - start
    print(f"with_load: {len(busy)} busy loop(s); the command took {took:.0f} s, exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
