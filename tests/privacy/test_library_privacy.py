"""The patient library contacts nothing and writes nothing outside its own file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.library.helpers import session_bytes
from tests.privacy.egress import connections, non_loopback

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_library_commands_make_no_connection_and_write_only_the_library(tmp_path):
    traces, data, scratch = tmp_path / "traces", tmp_path / "data", tmp_path / "tmp"
    traces.mkdir()
    scratch.mkdir()
    session = tmp_path / "in" / "s.posedash"
    session.parent.mkdir()
    session.write_bytes(session_bytes())
    env = {
        **os.environ,
        "POSEDASH_DATA_DIR": str(data),
        "TMPDIR": str(scratch),
        "POSEDASH_LIBRARY_PASSPHRASE": "a passphrase for scripts",
    }
    for i, args in enumerate(
        (
            ["init"],
            ["add", str(session), "--patient", "A"],
            ["list", "--patient", "A"],
            ["delete", "--patient", "A", "--yes"],
        )
    ):
        cmd = [
            "strace",
            "-f",
            "-ff",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(traces / f"trace{i}"),
            sys.executable,
            "-m",
            "dashboard",
            "library",
            *args,
        ]
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    assert non_loopback(connections(traces)) == []
    assert sorted(p.name for p in data.iterdir()) == ["library.sqlite3"]
    assert list(scratch.iterdir()) == []
