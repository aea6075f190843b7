"""Versioned schema of the patient library.

The schema version is SQLite's ``user_version``; ``application_id`` marks the
file as a PoseDash library, so a foreign SQLite file is recognised as such
rather than modified. Each migration runs in the same write transaction as the
version bump: it is applied completely or not at all.

Version history
---------------
1
    ``meta`` (library identifier, scrypt parameters, wrapped data key),
    ``patients`` (one encrypted record each), ``sessions`` (encrypted
    description and encrypted session file).
2
    ``sessions.metrics``: the encrypted values progress charts draw (ROM,
    repetitions, gait), so a chart needs no session file opened. Rows from
    version 1 have none; they are computed the first time the unlocked
    library needs them (the key is not available to a migration). An index of
    sessions by patient.
3
    Progress values of metrics version 2 (:data:`dashboard.library.metrics.METRICS_VERSION`):
    version 1 recomputed ranges of motion from the raw angle values, implausible
    frames included (a 189.4° knee frontal-plane "range" where the session's own
    ``summary.json`` said 24.3°), and carried no verdict. Every stored value set
    is dropped (overwritten, ``secure_delete``); each session's values are read
    again from its stored session file the first time the unlocked library needs
    them (:meth:`dashboard.library.sessions.SessionsMixin.refresh_metrics`), then
    stored. A metrics item of an older version met later (a library copied
    back from a backup) is recomputed the same way.

Only identifiers (random, meaningless) and the sizes of encrypted blobs are
stored in clear.
"""

from __future__ import annotations

import sqlite3

from dashboard.library.errors import NewerLibrary, NotALibrary

#: "PDLB" — SQLite's ``application_id`` of a PoseDash library.
APPLICATION_ID = 0x50444C42
CURRENT = 3

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
        "CREATE TABLE patients (uid TEXT PRIMARY KEY, record BLOB NOT NULL)",
        "CREATE TABLE sessions (uid TEXT PRIMARY KEY, "
        "patient_uid TEXT NOT NULL REFERENCES patients(uid) ON DELETE CASCADE, "
        "info BLOB NOT NULL, data BLOB NOT NULL)",
    ),
    2: (
        "ALTER TABLE sessions ADD COLUMN metrics BLOB",
        "CREATE INDEX sessions_by_patient ON sessions(patient_uid)",
    ),
    3: ("UPDATE sessions SET metrics = NULL",),
}


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_identity(conn: sqlite3.Connection) -> int:
    """The schema version of a PoseDash library; refuses anything else.

    Raises NotALibrary for a foreign SQLite file and NewerLibrary for a
    library written by a newer PoseDash (which this one must not touch).
    """
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id != APPLICATION_ID:
        raise NotALibrary(
            "This file is a database, but not a PoseDash patient library.",
            "PoseDash did not change it. Choose the library file PoseDash "
            "created, or another folder for a new library.",
        )
    found = version(conn)
    if found > CURRENT:
        raise NewerLibrary(
            f"This patient library was written by a newer PoseDash (library version "
            f"{found}; this PoseDash knows up to {CURRENT}).",
            "Update PoseDash to open it. PoseDash did not change the file.",
        )
    if found < 1:
        raise NotALibrary(
            "This file is marked as a PoseDash library but holds no library.",
            "It may be left over from an interrupted set-up: move it away "
            "and create the library again.",
        )
    return found


def migrate(conn: sqlite3.Connection, target: int = CURRENT) -> int:
    """Bring the schema to ``target``; returns the version found before.

    ``conn`` must be in autocommit mode (``isolation_level=None``); the
    migration runs in one ``BEGIN IMMEDIATE`` transaction.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = version(conn)
        if found == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for v in range(found + 1, target + 1):
            for statement in MIGRATIONS[v]:
                conn.execute(statement)
        if target > found:
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
