"""The library's SQLite file: connections, transactions and what its errors mean.

Every connection uses WAL (readers never wait for a writer, and a crash
leaves every committed transaction intact), ``synchronous=FULL`` (a commit is
on disk when it returns), ``secure_delete`` (deleted content is overwritten
with zeros) and a busy timeout (a second writer waits for the first instead of
failing at once). Writes take the write lock at their start
(``BEGIN IMMEDIATE``), so two processes never deadlock half-way.

SQLite's errors are turned into :mod:`dashboard.library.errors` with messages
for the user: busy, disk full, read-only, damaged, not a library.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from dashboard.library import migrations
from dashboard.library.errors import (
    CorruptLibrary,
    LibraryBusy,
    LibraryError,
    NoLibrary,
    NotALibrary,
    StorageError,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_S = 10.0


def _kind(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
        return "busy"
    if name == "SQLITE_FULL" or "disk is full" in text:
        return "full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "cantopen"
    if name.startswith("SQLITE_IOERR") or "i/o error" in text:
        return "io"
    if (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "malformed" in text
        or "not a database" in text
    ):
        return "corrupt"
    return "other"


def translate(exc: sqlite3.Error, path: Path) -> LibraryError:
    """A user-facing error for a SQLite error on the library at ``path``."""
    kind = _kind(exc)
    safe = "What was saved before is intact; nothing of this change was kept."
    if kind == "busy":
        return LibraryBusy(
            "Another PoseDash window or program is writing to the patient "
            "library and did not finish in time.",
            "Wait a moment and try again. " + safe,
        )
    if kind == "full":
        return StorageError(
            "The disk holding the patient library is full.",
            "Free some space, then try again. " + safe,
        )
    if kind == "readonly":
        return StorageError(
            f"The patient library cannot be written: {path} or its folder is read-only.",
            "Check the folder's permissions (or the disk's write protection). " + safe,
        )
    if kind in ("cantopen", "io"):
        return StorageError(
            f"The patient library at {path} cannot be read or written "
            "(the disk or folder is not available).",
            "Check that the disk is connected and the folder exists. " + safe,
        )
    if kind == "corrupt":
        return CorruptLibrary(
            f"The patient library file {path} is damaged.",
            "PoseDash did not change it. Restore it from a backup, or "
            "move it away to start a new library.",
        )
    return LibraryError(f"The patient library could not be used ({type(exc).__name__}).", safe)


def check_file(path: Path) -> None:
    """Refuse a missing file (no library yet) or one that is not SQLite at all."""
    try:
        with open(path, "rb") as fp:
            head = fp.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise NoLibrary(
            "There is no patient library yet.", "Create one first (it is off until you do)."
        ) from None
    except IsADirectoryError:
        raise NotALibrary(f"{path} is a folder, not a patient library.") from None
    except OSError as exc:
        raise StorageError(
            f"The patient library at {path} cannot be read ({exc.strerror})."
        ) from None
    if head != SQLITE_MAGIC:
        raise NotALibrary(
            f"{path} is not a PoseDash patient library.",
            "PoseDash did not change it. Choose the library file PoseDash "
            "created, or another folder for a new library.",
        )


def configure(conn: sqlite3.Connection, busy_timeout_s: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA synchronous = FULL")


def _lenient_text(raw: bytes) -> str:
    """Text columns (identifiers) decoded without failing: a flipped bit in one
    row's identifier makes that row's items fail authentication, instead of
    making the whole table unreadable ("Could not decode to UTF-8")."""
    return raw.decode("utf-8", "replace")


def connect(
    path: Path,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    create: bool = False,
    readonly: bool = False,
) -> sqlite3.Connection:
    """An autocommit connection to the library (never creates one unless ``create``).

    ``readonly``: SQLite refuses every write on it (``query_only``). It is opened
    read-write when it can be, so that closing it tidies the ``-wal``/``-shm``
    files as any other connection does; read-only where the file or folder is.
    """
    if readonly:
        try:
            conn = _open(path, "rw", busy_timeout_s)
        except LibraryError:
            conn = _open(path, "ro", busy_timeout_s)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise translate(exc, path) from None
        return conn
    conn = _open(path, "rwc" if create else "rw", busy_timeout_s)
    try:
        configure(conn, busy_timeout_s)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    return conn


def _open(path: Path, mode: str, busy_timeout_s: float) -> sqlite3.Connection:
    uri = f"{Path(path).resolve().as_uri()}?mode={mode}"
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    conn.text_factory = _lenient_text
    return conn


@contextlib.contextmanager
def opened(
    path: Path, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S, readonly: bool = False
) -> Iterator[sqlite3.Connection]:
    """A connection to an existing, current library (migrated if older).

    ``readonly``: a connection that cannot write (no migration either): what
    ``library check`` uses, so that checking changes nothing.
    """
    check_file(path)
    conn = connect(path, busy_timeout_s, readonly=readonly)
    try:
        try:
            found = migrations.check_identity(conn)
            if not readonly:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                if found < migrations.CURRENT:
                    migrations.migrate(conn)
        except sqlite3.Error as exc:
            raise translate(exc, path) from None
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def write(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is saved, or nothing (on any error)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise translate(exc, path) from None
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def read(conn: sqlite3.Connection, path: Path, sql: str, params=()) -> list:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The column names of ``table`` (an older library lacks some)."""
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})").fetchall()}


def read_rows(
    conn: sqlite3.Connection,
    path: Path,
    table: str,
    cols: tuple[str, ...],
    where: str = "",
    params=(),
) -> list[tuple]:
    """``cols`` of the rows of ``table`` matching ``where``, one damaged row never
    hiding the others.

    The whole query first; when SQLite reports damage (a flipped bit in a row's
    header, say), each row is read alone and each of its columns alone, so only
    the values SQLite cannot read are lost: an identifier becomes ``"?row<n>"``
    and a blob ``b""`` (which then fails authentication, naming its item). Only
    when not even the row numbers can be listed is the whole file reported damaged.
    """
    sql = f"SELECT {', '.join(cols)} FROM {table} {where}"
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        if _kind(exc) != "corrupt":
            raise translate(exc, path) from None
    try:
        rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} {where}", params)]
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    out = []
    for rowid in rowids:
        row = []
        for col in cols:
            try:
                (value,) = conn.execute(
                    f"SELECT {col} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except (sqlite3.Error, TypeError):
                value = b"" if col not in ("uid", "patient_uid") else f"?row{rowid}"
            row.append(value)
        out.append(tuple(row))
    return out


def compact(conn: sqlite3.Connection, path: Path) -> bool:
    """Rewrite the file without free pages, then empty the write-ahead log.

    After a delete with ``secure_delete`` the freed pages are zeros; VACUUM
    rebuilds the file without them and ``wal_checkpoint(TRUNCATE)`` empties
    the ``-wal`` file, so no earlier version of a page remains in either file.
    Returns False when another connection was reading, so the log could not be
    emptied yet (it is at the next compaction or when the last one closes).
    """
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    return not busy


def _publish(tmp: Path, path: Path) -> None:
    """Move the finished file into place, never over an existing library."""
    try:
        os.link(tmp, path)  # fails if ``path`` exists: no race with another creator
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def create_file(path: Path, setup) -> None:
    """Create a new library at ``path`` atomically: built in a temporary file
    beside it, then renamed, so an interruption never leaves half a library.
    ``setup(conn)`` fills the ``meta`` table inside the creating transaction."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StorageError(
            f"The folder {path.parent} cannot be created ({exc.strerror}).",
            "Choose a folder you can write to (POSEDASH_DATA_DIR).",
        ) from None
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        conn = connect(tmp, create=True)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrations.migrate(conn)
            with write(conn, tmp):
                setup(conn)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        _publish(tmp, path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    except OSError as exc:
        if isinstance(exc, FileExistsError):
            raise
        raise StorageError(
            f"The patient library cannot be created in {path.parent} ({exc.strerror or exc}).",
            "Check that the disk has space and the folder can be written.",
        ) from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
