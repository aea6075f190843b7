"""The library shared by real processes: a writer killed with SIGKILL mid-write, and
two writers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dashboard.library.service import Library
from tests.library.helpers import PASS, fast_kdf, session_bytes

ROOT = Path(__file__).resolve().parents[2]

#: A child process: adds ``count`` copies of a session to a patient, one
#: transaction each, printing the number saved after each commit.
WRITER = r"""
import sys
from pathlib import Path
from dashboard.library.service import Library
from dashboard.library.sessions import compute_metrics
path, patient, data_path, count, tag = sys.argv[1:6]
data = Path(data_path).read_bytes()
_, metrics = compute_metrics(data)
lib = Library(Path(path), busy_timeout_s=30)
lib.unlock(sys.argv[6])
for i in range(int(count)):
    lib.add_session(patient, data, f"2026-01-{i % 28 + 1:02d}", notes=f"{tag}-{i}",
                    metrics=metrics)
    print(i + 1, flush=True)
"""


def _writer(path, patient, data_path, count, tag):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), patient, str(data_path), str(count), tag, PASS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _all_readable(lib: Library, patient: str):
    infos = lib.sessions(patient)
    for info in infos:
        assert lib.open_session(info.uid).analysis.poses.num_frames > 0
    return infos


def test_kill_9_during_a_write_keeps_every_earlier_session(tmp_path):
    """Three writers killed at different moments of their next write (each write is a
    ~5 MB session: checked, encrypted, then written in one transaction)."""
    import sqlite3

    path = tmp_path / "library.sqlite3"
    lib = Library.create(PASS, path, kdf=fast_kdf())
    patient = lib.add_patient().uid
    data_path = tmp_path / "big.posedash"
    data_path.write_bytes(session_bytes(frames=3000))
    saved = set()
    for round_, delay in enumerate((0.02, 0.12, 0.3)):
        child = _writer(path, patient, data_path, 1000, f"k{round_}")
        committed = 0
        try:
            while committed < 2:
                line = child.stdout.readline()
                assert line, child.stderr.read()
                committed = int(line)
            time.sleep(delay)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        # commits reported while the parent slept (how many depends on the machine's speed)
        reported = [int(n) for n in child.stdout.read().split() if n.isdigit()]
        committed = max([committed, *reported])
        saved |= {f"k{round_}-{i}" for i in range(committed)}
        again = Library(path)
        again.unlock(PASS)
        infos = _all_readable(again, patient)
        assert saved <= {s.notes for s in infos}  # every reported commit is there
        # at most one commit per writer can land between its commit and its report
        assert len(infos) <= len(saved) + (round_ + 1)
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
    # and the library still takes new sessions
    again.add_session(patient, session_bytes(), "2026-02-01")
    assert len(again.sessions(patient)) == len(infos) + 1


def test_two_writers_at_once_both_succeed(tmp_path):
    path = tmp_path / "library.sqlite3"
    lib = Library.create(PASS, path, kdf=fast_kdf())
    a, b = lib.add_patient().uid, lib.add_patient().uid
    data_path = tmp_path / "s.posedash"
    data_path.write_bytes(session_bytes(frames=600))
    children = [_writer(path, a, data_path, 8, "a"), _writer(path, b, data_path, 8, "b")]
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        assert out.split()[-1] == "8"
    assert len(_all_readable(lib, a)) == 8 and len(_all_readable(lib, b)) == 8
    assert sorted(s.notes for s in lib.sessions(a)) == sorted(f"a-{i}" for i in range(8))
