"""Damage stays where it is: one flipped bit in a real SQLite library file (a patient
record, a session's description, its session file, its progress values, a row's
header) affects that item alone. Every other patient and session lists, opens,
exports and takes new sessions; messages name what is damaged (pseudonymous label or
short identifier, and date); ``damaged_items`` / ``library check`` list every
damaged item without changing the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.library.errors import CorruptLibrary, DamagedItem
from dashboard.library.records import short_id
from dashboard.library.service import Library
from tests.library.helpers import PASS, blob_of, fast_kdf, flip, library_files, session_bytes

ROOT = Path(__file__).resolve().parents[2]
METRIC = "rom.range:elbow_flexion:left:world"


@pytest.fixture()
def path(tmp_path):
    return tmp_path / "data" / "library.sqlite3"


@pytest.fixture()
def filled(path):
    """Three patients (Ann, Bob, Cem), two sessions each on two dates."""
    lib = Library.create(PASS, path, kdf=fast_kdf())
    people = {}
    for i, label in enumerate(("Ann", "Bob", "Cem")):
        p = lib.add_patient(label, notes=f"notes of {label}")
        s1 = lib.add_session(p.uid, session_bytes(f"{label}-a.mp4", seed=i), date="2026-01-05")
        s2 = lib.add_session(p.uid, session_bytes(f"{label}-b.mp4", seed=i + 9), date="2026-02-09")
        people[label] = (p, s1, s2)
    return lib, people


def reopen(path: Path) -> Library:
    lib = Library(path)
    lib.unlock(PASS)
    return lib


def _everyone_else_works(
    lib: Library, people: dict, spared: tuple[str, ...], tmp_path, new_patients: bool = True
) -> None:
    """The patients in ``spared`` list, open, export and take a new session."""
    labels = {p.label for p in lib.patients() if not p.damaged}
    for label in spared:
        assert label in labels
        p = lib.find_patient(label)
        sessions = lib.sessions(p.uid)
        assert [s.date for s in sessions] == ["2026-01-05", "2026-02-09"]
        assert lib.open_session(sessions[0].uid).analysis.source_name == f"{label}-a.mp4"
        written = lib.export_patient(p.uid, tmp_path / f"export-{label}")
        assert len(written) == 5  # two sessions + index.json, index.csv, progress.csv
        assert len(lib.progress(p.uid, METRIC)) == 2
        lib.add_session(p.uid, session_bytes(f"{label}-c.mp4"), date="2026-03-01")
        assert len(lib.sessions(p.uid)) == 3
    if not new_patients:
        return
    assert lib.add_patient("Dee").label == "Dee"
    assert lib.add_patient().label.startswith("P-")


def _check_changes_nothing(lib: Library, path: Path) -> list:
    before = {p.name: p.read_bytes() for p in library_files(path)}
    found = lib.damaged_items()
    after = {p.name: p.read_bytes() for p in library_files(path)}
    assert after == before
    return found


def test_a_damaged_patient_record_affects_that_patient_alone(filled, path, tmp_path):
    lib, people = filled
    bob, b1, _ = people["Bob"]
    flip(path, blob_of(path, "SELECT record FROM patients WHERE uid = ?", bob.uid))
    lib = reopen(path)
    listed = lib.patients()
    assert [p.label for p in listed if not p.damaged] == ["Ann", "Cem"]
    (damaged,) = [p for p in listed if p.damaged]
    assert damaged.uid == bob.uid and damaged.ref == short_id(bob.uid) and damaged.sessions == 2
    # their sessions are bound to the patient's identifier, not to the record: still readable
    assert lib.find_patient(damaged.ref).uid == bob.uid
    assert [s.date for s in lib.sessions(bob.uid)] == ["2026-01-05", "2026-02-09"]
    assert lib.open_session(b1.uid).analysis.source_name == "Bob-a.mp4"
    _everyone_else_works(lib, people, ("Ann", "Cem"), tmp_path)

    (item,) = _check_changes_nothing(lib, path)
    assert item.kind == "patient" and damaged.ref in item.message and "2 session" in item.message
    with pytest.raises(DamagedItem) as info:
        lib.update_patient(bob.uid, notes="new notes")
    assert damaged.ref in info.value.message
    # a new label repairs the record; the sessions are back under it
    lib.update_patient(bob.uid, label="Bob again")
    assert lib.find_patient("Bob again").sessions == 2
    assert lib.damaged_items() == []


def test_a_damaged_session_description_affects_that_session_alone(filled, path, tmp_path):
    lib, people = filled
    bob, b1, b2 = people["Bob"]
    flip(path, blob_of(path, "SELECT info FROM sessions WHERE uid = ?", b1.uid))
    lib = reopen(path)
    assert lib.find_patient("Bob").sessions == 2
    listed = lib.sessions(bob.uid)
    assert [(s.uid, s.damaged) for s in listed] == [(b2.uid, False), (b1.uid, True)]
    assert listed[1].ref.endswith(f"({short_id(b1.uid)})")
    # its file still opens and is exported (under "unknown-date"), named in index.json
    assert lib.open_session(b1.uid).analysis.source_name == "Bob-a.mp4"
    skipped: list[str] = []
    written = lib.export_patient(bob.uid, tmp_path / "bob", skipped)
    assert any("unknown-date" in p.name for p in written) and len(written) == 5
    assert skipped and "Bob" in skipped[0] and short_id(b1.uid) in skipped[0]
    assert json.loads((tmp_path / "bob" / "index.json").read_text())["damaged"] == skipped
    assert [p.date for p in lib.progress(bob.uid, METRIC)] == ["2026-02-09"]
    _everyone_else_works(lib, people, ("Ann", "Cem"), tmp_path)
    (item,) = _check_changes_nothing(lib, path)
    assert item.kind == "info" and "Bob" in item.message and short_id(b1.uid) in item.message


def test_a_damaged_session_file_affects_that_session_alone(filled, path, tmp_path):
    lib, people = filled
    ann, a1, a2 = people["Ann"]
    flip(path, blob_of(path, "SELECT data FROM sessions WHERE uid = ?", a2.uid), where=0.3)
    lib = reopen(path)
    with pytest.raises(DamagedItem) as info:
        lib.open_session(a2.uid)
    assert "Ann" in info.value.message and "2026-02-09" in info.value.message
    assert "session file" in info.value.message
    assert lib.open_session(a1.uid).analysis.source_name == "Ann-a.mp4"
    # progress values are stored apart: the chart keeps both points
    assert len(lib.progress(ann.uid, METRIC)) == 2
    skipped: list[str] = []
    written = lib.export_patient(ann.uid, tmp_path / "ann", skipped)
    assert len(written) == 4 and len(skipped) == 1 and "2026-02-09" in skipped[0]
    # a save of the same recording again is still checked against the rest
    assert lib.duplicates(ann.uid, session_bytes("Ann-a.mp4", seed=0)) == [a1]
    _everyone_else_works(lib, people, ("Bob", "Cem"), tmp_path)
    (item,) = _check_changes_nothing(lib, path)
    assert item.kind == "data" and "Ann" in item.message and "2026-02-09" in item.message


def test_damaged_progress_values_are_worked_out_again(filled, path, tmp_path):
    lib, people = filled
    cem, c1, _ = people["Cem"]
    before = lib.progress(cem.uid, METRIC)
    flip(path, blob_of(path, "SELECT metrics FROM sessions WHERE uid = ?", c1.uid))
    lib = reopen(path)
    again = lib.progress(cem.uid, METRIC)
    assert [(p.date, p.validity, p.value and round(p.value, 6)) for p in again] == [
        (p.date, p.validity, p.value and round(p.value, 6)) for p in before
    ]
    assert lib.metric_choices(cem.uid) and lib.default_metric(cem.uid)
    _everyone_else_works(lib, people, ("Ann", "Bob"), tmp_path)
    (item,) = _check_changes_nothing(lib, path)
    assert item.kind == "metrics" and "Cem" in item.message and "2026-01-05" in item.message


@pytest.mark.parametrize("back", [33, 36, 38, 39])
def test_a_damaged_row_header_hides_no_other_row(filled, path, tmp_path, back):
    """Bits flipped before a record's blob (its row header: SQLite then reports the
    page malformed) lose that row's items at most. SQLite refuses to write into
    a malformed page, so a new patient cannot be added until the file is
    restored (a clear message); sessions can."""
    lib, people = filled
    bob = people["Bob"][0]
    blob = blob_of(path, "SELECT record FROM patients WHERE uid = ?", bob.uid)
    raw = bytearray(path.read_bytes())
    at = raw.find(blob)
    raw[at - back] ^= 0x08
    path.write_bytes(bytes(raw))
    lib = reopen(path)
    assert {p.label for p in lib.patients() if not p.damaged} >= {"Ann", "Cem"}
    _everyone_else_works(lib, people, ("Ann", "Cem"), tmp_path, new_patients=False)
    try:
        lib.add_patient("Dee")
    except CorruptLibrary as exc:
        assert "damaged" in exc.message
    assert _check_changes_nothing(lib, path)  # something is reported


def test_a_flipped_identifier_keeps_the_sessions_reachable(filled, path, tmp_path):
    """The patient row's identifier itself damaged (not valid UTF-8 any more):
    their sessions are listed under their identifier, nobody else is affected."""
    lib, people = filled
    bob = people["Bob"][0]
    raw = bytearray(path.read_bytes())
    at = raw.find(blob_of(path, "SELECT record FROM patients WHERE uid = ?", bob.uid))
    uid_at = raw.rfind(bob.uid.encode(), 0, at)
    assert uid_at > 0
    raw[uid_at + 3] ^= 0x80
    path.write_bytes(bytes(raw))
    lib = reopen(path)
    damaged = [p for p in lib.patients() if p.damaged]
    assert bob.uid in {p.uid for p in damaged}
    assert len(lib.sessions(bob.uid)) == 2
    _everyone_else_works(lib, people, ("Ann", "Cem"), tmp_path)
    kinds = sorted(d.kind for d in _check_changes_nothing(lib, path))
    assert kinds == ["patient", "patient-missing"]


def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_library_check_and_list_from_the_command_line(filled, path, tmp_path):
    _, people = filled
    bob = people["Bob"][0]
    a2 = people["Ann"][2]
    env = {"POSEDASH_LIBRARY_PASSPHRASE": PASS}
    ok = _cli("library", "--library", path, "check", env=env)
    assert ok.returncode == 0 and "No damaged item" in ok.stdout
    flip(path, blob_of(path, "SELECT record FROM patients WHERE uid = ?", bob.uid))
    flip(path, blob_of(path, "SELECT data FROM sessions WHERE uid = ?", a2.uid), where=0.7)
    before = path.read_bytes()
    check = _cli("library", "--library", path, "check", env=env)
    assert check.returncode == 1, check.stderr
    assert "2 damaged item(s)" in check.stdout
    assert short_id(bob.uid) in check.stdout and "Ann" in check.stdout
    assert "2026-02-09" in check.stdout and "Traceback" not in check.stderr
    assert path.read_bytes() == before
    listed = _cli("library", "--library", path, "list", env=env)
    assert listed.returncode == 0 and "Ann\t2 session(s)" in listed.stdout
    assert "Cem\t2 session(s)" in listed.stdout and short_id(bob.uid) in listed.stdout
    assert "library check" in listed.stderr
    one = _cli("library", "--library", path, "list", "--patient", short_id(bob.uid), env=env)
    assert one.returncode == 0 and "Bob-a.mp4" in one.stdout
    out = tmp_path / "ann"
    export = _cli("library", "--library", path, "export", "--patient", "Ann", "--out", out, env=env)
    assert export.returncode == 1 and "Exported 1 session(s)" in export.stdout
    assert "2026-02-09" in export.stderr
    add = _cli(
        "library",
        "--library",
        path,
        "add",
        tmp_path / "export-none.posedash",
        "--patient",
        "Cem",
        env=env,
    )
    assert add.returncode != 0  # (no such file: a plain message)
    new = tmp_path / "new.posedash"
    new.write_bytes(session_bytes("new.mp4"))
    add = _cli("library", "--library", path, "add", new, "--patient", "Cem", env=env)
    assert add.returncode == 0, add.stderr
