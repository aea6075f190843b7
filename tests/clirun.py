"""Running the command line in tests: ``python -m dashboard ARGS`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The passphrase of the patient libraries the command-line tests create.
LIBRARY_PASS = "a passphrase for scripts"


def run(*args, cwd=None, env=None, input=None, timeout: float = 600):
    """``python -m dashboard ARGS`` from ``cwd`` (the checkout), ``env`` added to the
    environment, ``input`` on its standard input; its completed process (text)."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        env={**os.environ, **(env or {})},
    )
