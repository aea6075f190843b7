"""The patient library on a real SQLite file: encryption of everything describing a
patient, passphrases, erasure, migrations and what happens when things go wrong."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from dashboard.errors import InputError
from dashboard.library import migrations, store
from dashboard.library.errors import (
    BadValue,
    CorruptLibrary,
    LibraryBusy,
    LibraryExists,
    Locked,
    NewerLibrary,
    NoLibrary,
    NotALibrary,
    StorageError,
    WrongPassphrase,
)
from dashboard.library.service import Library
from tests.library.helpers import (
    LANDMARK_MARKER_BYTES,
    PASS,
    fast_kdf,
    found_in_files,
    library_files,
    session_bytes,
)


@pytest.fixture()
def path(tmp_path):
    return tmp_path / "data" / "library.sqlite3"


@pytest.fixture()
def lib(path):
    return Library.create(PASS, path, kdf=fast_kdf())


def test_nothing_exists_until_created(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_DATA_DIR", str(tmp_path / "posedash"))
    lib = Library()
    assert lib.path == tmp_path / "posedash" / "library.sqlite3"
    assert not lib.exists
    with pytest.raises(NoLibrary):
        lib.unlock(PASS)
    assert not (tmp_path / "posedash").exists()  # looking created nothing
    Library.create(PASS, kdf=fast_kdf())
    assert lib.exists and oct(lib.path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(LibraryExists):
        Library.create(PASS, kdf=fast_kdf())


def test_no_marker_in_the_raw_files(lib, path):
    markers = [
        b"LBL_MARKER_7f3a",
        b"NOTE_MARKER_91c2",
        b"SRC_MARKER_55e1",
        b"SESSNOTE_MARKER_0b9d",
        b"REGION_MARKER_c4d2",
        b"1987-06-05",
        b"2026-03-14",
    ]
    data = session_bytes("SRC_MARKER_55e1.mp4")
    # control: the plain session file does carry the markers a search must find
    assert b"SRC_MARKER_55e1" in data and LANDMARK_MARKER_BYTES in data
    reader = sqlite3.connect(path)  # holds the -wal and -shm files open meanwhile
    reader.execute("SELECT count(*) FROM patients").fetchall()
    p = lib.add_patient("LBL_MARKER_7f3a", "NOTE_MARKER_91c2", birth_date="1987-06-05")
    lib.add_session(p.uid, data, "2026-03-14", "REGION_MARKER_c4d2", "SESSNOTE_MARKER_0b9d")
    assert len(library_files(path)) == 3
    assert found_in_files(path, [*markers, LANDMARK_MARKER_BYTES]) == []
    reader.close()
    # everything is readable with the key
    s = lib.sessions(p.uid)[0]
    assert (s.source_name, s.notes, s.body_region) == (
        "SRC_MARKER_55e1.mp4",
        "SESSNOTE_MARKER_0b9d",
        "REGION_MARKER_c4d2",
    )
    assert lib.session_bytes(s.uid) == data
    assert lib.patient(p.uid).birth_date == "1987-06-05"


def test_wrong_passphrase_is_refused_and_changes_nothing(lib, path):
    lib.add_patient("Ann")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    other = Library(path)
    for wrong in ("correct horse battery ", "Correct horse battery", "x" * 30):
        with pytest.raises(WrongPassphrase):
            other.unlock(wrong)
    assert other.locked
    with pytest.raises(Locked):
        other.patients()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    other.unlock(PASS)
    assert [p.label for p in other.patients()] == ["Ann"]


def test_change_passphrase_rewraps_the_key_only(lib, path):
    p = lib.add_patient("Ann")
    lib.add_session(p.uid, session_bytes())
    with pytest.raises(WrongPassphrase):
        lib.change_passphrase("not the passphrase", "a new passphrase")
    with pytest.raises(BadValue):
        lib.change_passphrase(PASS, "short")
    blobs = sqlite3.connect(path).execute("SELECT info, data FROM sessions").fetchall()
    lib.change_passphrase(PASS, "a new passphrase")
    assert sqlite3.connect(path).execute("SELECT info, data FROM sessions").fetchall() == blobs
    with pytest.raises(WrongPassphrase):
        Library(path).unlock(PASS)
    again = Library(path)
    again.unlock("a new passphrase")
    assert len(again.sessions(p.uid)) == 1


def test_patients_pseudonyms_rename_and_sessions(lib):
    a, b = lib.add_patient(), lib.add_patient()
    assert (a.label, b.label) == ("P-0001", "P-0002")
    with pytest.raises(BadValue):
        lib.add_patient("p-0001")  # labels are unique, whatever the case
    with pytest.raises(BadValue):
        lib.add_patient("  ")
    lib.update_patient(a.uid, label="Mrs Smith", notes="left shoulder")
    assert lib.find_patient("mrs smith").notes == "left shoulder"
    assert lib.add_patient().label == "P-0003"
    s2 = lib.add_session(a.uid, session_bytes("b.mp4"), "2026-02-01")
    s1 = lib.add_session(a.uid, session_bytes("a.mp4"), "2026-01-01")
    assert [s.uid for s in lib.sessions(a.uid)] == [s1.uid, s2.uid]
    assert lib.patient(a.uid).sessions == 2
    with pytest.raises(BadValue):
        lib.add_session(a.uid, session_bytes(), "14/03/2026")
    opened = lib.open_session(s1.uid)
    assert opened.analysis.source_name == "a.mp4"
    assert lib.delete_session(s2.uid) and len(lib.sessions(a.uid)) == 1


def test_foreign_or_damaged_session_files_are_refused(lib):
    p = lib.add_patient()
    good = session_bytes()
    for bad in (b"", b"not a zip at all", good[: len(good) // 2], b"PK\x03\x04" + b"\0" * 100):
        with pytest.raises(InputError):
            lib.add_session(p.uid, bad)
    assert lib.sessions(p.uid) == []


def test_progress_values_carry_confidence(lib):
    p = lib.add_patient()
    for i in range(3):
        lib.add_session(p.uid, session_bytes(seed=i), f"2026-01-0{i + 1}")
    choices = lib.metric_choices(p.uid)
    assert choices[0]["group"] == "Range of motion"
    assert [c["valid"] for c in choices[:5]] == sorted(
        (c["valid"] for c in choices[:5]), reverse=True
    )
    key = next(
        c["key"] for c in choices if c["sessions"] == 3 and c["key"].startswith("rom.range:")
    )
    points = lib.progress(p.uid, key)
    assert [pt.date for pt in points] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert all(0 <= pt.confidence <= 1 and 0 <= pt.coverage <= 1 for pt in points)
    assert all(pt.validity in ("valid", "caution", "withheld") for pt in points)
    # the chart opens on a value valid in every session, the largest of those
    import statistics

    medians = {}
    for c in choices:
        pts = lib.progress(p.uid, c["key"])
        if c["key"].startswith("rom.range:") and all(x.validity == "valid" for x in pts):
            medians[c["key"]] = statistics.median(abs(x.value) for x in pts)
    assert medians[lib.default_metric(p.uid)] == pytest.approx(max(medians.values()))


def test_erase_removes_the_patients_bytes_from_the_file(lib, path):
    keep = lib.add_patient("KEEP_MARKER")
    gone = lib.add_patient("GONE_MARKER")
    lib.add_session(keep.uid, session_bytes("keep.mp4", seed=1))
    lib.add_session(gone.uid, session_bytes("gone.mp4", seed=2))
    lib.add_session(gone.uid, session_bytes("gone2.mp4", seed=3))
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT uid, info, data, metrics FROM sessions WHERE patient_uid = ?", (gone.uid,)
    ).fetchall()
    rows += conn.execute(
        "SELECT uid, record, record, record FROM patients WHERE uid = ?", (gone.uid,)
    ).fetchall()
    conn.close()
    # what identifies the patient in the file: their identifiers and every encrypted byte
    needles = [gone.uid.encode()] + [r[0].encode() for r in rows]
    for _, *blobs in rows:
        for blob in blobs:
            needles += [bytes(blob[i : i + 16]) for i in range(0, len(blob) - 16, 1500)]
    # control: present before (a needle may straddle two overflow pages: most are whole)
    present = found_in_files(path, needles)
    assert len(present) >= 0.8 * len(needles) and gone.uid.encode() in present
    needles = present
    size_before = path.stat().st_size
    assert lib.erase_patient(gone.uid) is True
    assert found_in_files(path, needles) == []
    assert path.stat().st_size < size_before
    assert [p.label for p in lib.patients()] == ["KEEP_MARKER"]
    assert len(lib.sessions(keep.uid)) == 1 and lib.sessions(gone.uid) == []


def test_idle_timeout_locks(path):
    now = [1000.0]
    lib = Library.create(PASS, path, kdf=fast_kdf(), idle_timeout_s=60, clock=lambda: now[0])
    lib.add_patient()
    now[0] += 59
    assert len(lib.patients()) == 1  # use resets the timer
    now[0] += 59
    assert not lib.locked and 0 < lib.seconds_left() <= 1.5
    now[0] += 2
    with pytest.raises(Locked, match="without use"):
        lib.patients()
    assert lib.locked
    lib.unlock(PASS)
    assert len(lib.patients()) == 1


def test_the_key_is_dropped_on_time_without_any_call(path):
    import time

    lib = Library.create(PASS, path, kdf=fast_kdf(), idle_timeout_s=0.3)
    assert lib._data_key is not None
    deadline = time.monotonic() + 10
    while lib._data_key is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lib._data_key is None and "without use" in lib.locked_reason
    lib.unlock(PASS)
    lib.lock()
    assert lib._timer is None


def test_migration_from_version_1_keeps_the_data(path, tmp_path):
    """A library written with the version-1 schema (copied here, as it was), opened now."""
    from dashboard.library import crypto
    from dashboard.library.service import _key_rows

    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    conn.execute("CREATE TABLE patients (uid TEXT PRIMARY KEY, record BLOB NOT NULL)")
    conn.execute(
        "CREATE TABLE sessions (uid TEXT PRIMARY KEY, patient_uid TEXT NOT NULL "
        "REFERENCES patients(uid) ON DELETE CASCADE, info BLOB NOT NULL, "
        "data BLOB NOT NULL)"
    )
    conn.execute("PRAGMA user_version = 1")
    params, library_id, key = fast_kdf(), "0" * 32, crypto.new_data_key()
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        _key_rows(library_id, params, crypto.derive_key(PASS, params), key),
    )

    def aad(*p):
        return crypto.aad(library_id, *p)

    conn.execute(
        "INSERT INTO patients VALUES (?, ?)",
        (
            "pat1",
            crypto.seal(
                key,
                b'{"label": "Old patient", "notes": "from v1", "created": "2025-01-01"}',
                aad("patient", "pat1", "record"),
            ),
        ),
    )
    data = session_bytes("old.mp4")
    info = b'{"date": "2025-02-03", "source_name": "old.mp4", "kind": "video"}'
    conn.execute(
        "INSERT INTO sessions VALUES (?, ?, ?, ?)",
        (
            "ses1",
            "pat1",
            crypto.seal(key, info, aad("session", "ses1", "pat1", "info")),
            crypto.seal(key, data, aad("session", "ses1", "pat1", "data")),
        ),
    )
    conn.close()

    lib = Library(path)
    lib.unlock(PASS)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == migrations.CURRENT
    (p,) = lib.patients()
    assert (p.label, p.notes, p.sessions) == ("Old patient", "from v1", 1)
    (s,) = lib.sessions("pat1")
    assert (s.date, s.source_name) == ("2025-02-03", "old.mp4")
    assert lib.session_bytes("ses1") == data
    choices = lib.metric_choices("pat1")  # metrics computed on first use, then stored
    assert choices
    stored = sqlite3.connect(path).execute("SELECT metrics FROM sessions").fetchone()[0]
    assert stored is not None


def _unchanged(path, action, error):
    before = path.read_bytes()
    with pytest.raises(error) as info:
        action()
    assert path.read_bytes() == before
    return info.value


def test_foreign_newer_and_damaged_files_get_clear_messages(tmp_path, lib, path):
    foreign = tmp_path / "other.sqlite3"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE customers (name TEXT)")
    c.commit()
    c.close()
    err = _unchanged(foreign, lambda: Library(foreign).unlock(PASS), NotALibrary)
    assert "not a PoseDash patient library" in err.message

    text = tmp_path / "notes.txt"
    text.write_text("hello" * 100)
    _unchanged(text, lambda: Library(text).unlock(PASS), NotALibrary)

    lib.add_patient("Ann")
    c = sqlite3.connect(path)
    c.execute("PRAGMA user_version = 99")
    c.commit()
    c.close()
    err = _unchanged(path, lambda: Library(path).unlock(PASS), NewerLibrary)
    assert "newer PoseDash" in err.message


def test_damaged_library_file(lib, path):
    p = lib.add_patient("Ann")
    lib.add_session(p.uid, session_bytes())
    raw = bytearray(path.read_bytes())
    raw[4096 : len(raw)] = b"\xa5" * (len(raw) - 4096)  # every page after the first
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptLibrary) as info:
        again = Library(path)
        again.unlock(PASS)
        again.patients()
    assert "damaged" in info.value.message


def test_busy_writer_gets_a_message_then_succeeds(path):
    """Another process holds the write lock longer than the busy timeout."""
    import subprocess
    import sys

    lib = Library.create(PASS, path, kdf=fast_kdf(), busy_timeout_s=0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
            "sys.stdin.readline(); c.execute('ROLLBACK')",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LibraryBusy) as info:
            lib.add_patient("Ann")
        assert "Wait a moment" in info.value.hint
        assert lib.patients() == []  # readers are not blocked by a writer (WAL)
    finally:
        holder.communicate("done\n", timeout=30)
    assert lib.add_patient("Ann").label == "Ann"


@pytest.mark.parametrize(
    "pragma, words",
    [
        ("PRAGMA max_page_count = {pages}", "full"),  # SQLite's real SQLITE_FULL
        ("PRAGMA query_only = 1", "read-only"),  # SQLite's real SQLITE_READONLY
    ],
)
def test_full_or_read_only_disk_loses_nothing(lib, path, monkeypatch, pragma, words):
    p = lib.add_patient("Ann")
    lib.add_session(p.uid, session_bytes("first.mp4"))
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    configure = store.configure

    def limited(conn, busy):
        configure(conn, busy)
        conn.execute(pragma.format(pages=pages + 2))

    monkeypatch.setattr(store, "configure", limited)
    with pytest.raises(StorageError) as info:
        lib.add_session(p.uid, session_bytes("second.mp4", frames=400))
    assert words in info.value.message
    monkeypatch.setattr(store, "configure", configure)
    assert [s.source_name for s in lib.sessions(p.uid)] == ["first.mp4"]
    assert lib.open_session(lib.sessions(p.uid)[0].uid).analysis.source_name == "first.mp4"


def test_erase_while_another_connection_reads_says_so_then_finishes(path):
    lib = Library.create(PASS, path, kdf=fast_kdf(), busy_timeout_s=0.5)
    gone = lib.add_patient("GONE")
    lib.add_session(gone.uid, session_bytes("gone.mp4"))
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sessions").fetchall()  # an open read transaction
    try:
        assert lib.erase_patient(gone.uid) is False  # erased, but the log not yet emptied
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert lib.patients() == []
    lib.add_patient("next")
    assert found_in_files(path, [gone.uid.encode()]) == []  # gone once the reader closed
