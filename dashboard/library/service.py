"""The patient library: patients, their sessions, progress, export and erasure.

:class:`Library` is the one entry point for the app and the command line::

    lib = Library.create("a long passphrase")          # opt-in: nothing exists before
    lib = Library(); lib.unlock("a long passphrase")   # later
    p = lib.add_patient()                              # label "P-0001"
    lib.add_session(p.uid, session_bytes, date="2026-03-14", body_region="shoulder")
    lib.progress(p.uid, "rom.range:shoulder_abduction:left:world")

Every item describing a patient is encrypted (see :mod:`dashboard.library.crypto`);
the data key lives in this object's memory only while it is unlocked. The
library locks itself after ``idle_timeout_s`` without use. Each operation opens
its own short connection (see :mod:`dashboard.library.store`), so several
windows and processes can share the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidTag

from dashboard.jsonsafe import to_jsonable
from dashboard.library import crypto, damage, paths, store
from dashboard.library.damage import DamageMixin
from dashboard.library.errors import (
    BadValue,
    CorruptLibrary,
    DamagedItem,
    LibraryExists,
    Locked,
    NotFound,
)
from dashboard.library.export import ExportMixin
from dashboard.library.records import (
    Patient,
    clean_date,
    clean_label,
    clean_notes,
    next_pseudonym,
    short_id,
)
from dashboard.library.sessions import SessionsMixin
from dashboard.text.textsafe import one_line

__all__ = ["DEFAULT_IDLE_TIMEOUT_S", "Library"]

#: Lock after 15 minutes without use (``POSEDASH_LIBRARY_IDLE_MIN`` changes it).
DEFAULT_IDLE_TIMEOUT_S = 15 * 60.0

_DAMAGED_ITEM = (
    "Part of the patient library is damaged and cannot be decrypted.",
    "The rest of the library is intact. Restore the file from a backup to recover this item.",
)


def idle_timeout_from_env() -> float:
    try:
        minutes = float(os.environ.get("POSEDASH_LIBRARY_IDLE_MIN", ""))
    except ValueError:
        return DEFAULT_IDLE_TIMEOUT_S
    return max(minutes, 0.5) * 60.0


class Library(SessionsMixin, ExportMixin, DamageMixin):
    """An encrypted patient library in one SQLite file (default: the per-user data folder).

    Sessions and progress: :class:`~dashboard.library.sessions.SessionsMixin`;
    export: :class:`~dashboard.library.export.ExportMixin`.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        idle_timeout_s: float | None = None,
        busy_timeout_s: float = store.DEFAULT_BUSY_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path) if path is not None else paths.library_path()
        self.busy_timeout_s = busy_timeout_s
        self._clock = clock
        self._data_key: bytes | None = None
        self._library_id = ""
        self._last_used = 0.0
        self._timer: threading.Timer | None = None
        self.locked_reason = ""
        self.idle_timeout_s = (
            idle_timeout_from_env() if idle_timeout_s is None else float(idle_timeout_s)
        )

    @property
    def idle_timeout_s(self) -> float:
        """Seconds without use after which the library locks itself (0: never)."""
        return self._idle_timeout_s

    @idle_timeout_s.setter
    def idle_timeout_s(self, value: float) -> None:
        self._idle_timeout_s = max(float(value), 0.0)
        if self._data_key is not None:
            self._arm()

    # ------------------------------------------------------------------ lifecycle
    @property
    def exists(self) -> bool:
        return self.path.exists()

    @classmethod
    def create(
        cls,
        passphrase: str,
        path: Path | None = None,
        kdf: crypto.KdfParams | None = None,
        **kwargs,
    ) -> Library:
        """Create a new, empty library protected by ``passphrase``; returns it unlocked."""
        lib = cls(path, **kwargs)
        crypto.check_passphrase(passphrase)
        if lib.path.exists():
            raise LibraryExists(
                f"There is already a patient library at {lib.path}.",
                "Unlock it with its passphrase instead.",
            )
        params = kdf or crypto.KdfParams.fresh(*crypto.DEFAULT_KDF)
        library_id = uuid.uuid4().hex
        data_key = crypto.new_data_key()
        kek = crypto.derive_key(passphrase, params)

        def setup(conn: sqlite3.Connection) -> None:
            rows = _key_rows(library_id, params, kek, data_key)
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)

        try:
            store.create_file(lib.path, setup)
        except FileExistsError:
            raise LibraryExists(
                f"There is already a patient library at {lib.path}.",
                "Unlock it with its passphrase instead.",
            ) from None
        lib._set_key(library_id, data_key)
        return lib

    def check(self) -> None:
        """Open the file without unlocking it: raises when it is missing, foreign,
        newer, damaged or unreachable (and migrates an older library)."""
        with self._db():
            pass

    def unlock(self, passphrase: str, readonly: bool = False) -> None:
        """Unlock with ``passphrase``; raises WrongPassphrase (nothing changes) if it is wrong.
        An older library is migrated first, unless ``readonly`` (``library check``)."""
        library_id, params, wrapped = self._key_material(readonly)
        kek = crypto.derive_key(passphrase, params)
        data_key = crypto.unwrap_key(kek, wrapped, _key_aad(library_id, params))
        self._set_key(library_id, data_key)

    def lock(self, reason: str = "") -> None:
        """Forget the data key (the library can no longer be read until unlocked)."""
        self._data_key = None
        self.locked_reason = reason
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @property
    def locked(self) -> bool:
        if self._data_key is not None and self._idle():
            self._lock_idle()
        return self._data_key is None

    def seconds_left(self) -> float:
        """Seconds until the library locks itself for lack of use (0 when locked)."""
        if self.locked:
            return 0.0
        return max(0.0, self.idle_timeout_s - (self._clock() - self._last_used))

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the data key under ``new`` (the items are not re-encrypted)."""
        crypto.check_passphrase(new)
        with self._db() as conn, store.write(conn, self.path):
            library_id, params, wrapped = _read_key_rows(conn)
            kek = crypto.derive_key(old, params)
            data_key = crypto.unwrap_key(kek, wrapped, _key_aad(library_id, params))
            fresh = crypto.KdfParams.fresh(params.n, params.r, params.p)
            rows = _key_rows(library_id, fresh, crypto.derive_key(new, fresh), data_key)
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(v, k) for k, v in rows if k != "library_id"],
            )
        self._set_key(library_id, data_key)

    # ------------------------------------------------------------------ patients
    def patients(self) -> list[Patient]:
        """Every patient, by label, with their number of sessions.

        A patient whose record cannot be decrypted is listed as damaged (named by
        its short identifier, see :attr:`Patient.ref`), as is a patient whose
        record row is gone but whose sessions remain: their sessions stay
        reachable, and every other patient is unaffected.
        """
        key = self._key()
        with self._db() as conn:
            rows = store.read_rows(conn, self.path, "patients", ("uid", "record"))
            counts: dict[str, int] = {}
            for (owner,) in store.read_rows(conn, self.path, "sessions", ("patient_uid",)):
                counts[owner] = counts.get(owner, 0) + 1
        out = [self._patient_or_damaged(key, uid, blob, counts.get(uid, 0)) for uid, blob in rows]
        known = {uid for uid, _ in rows}
        out += [
            Patient(u, short_id(u), sessions=n, damaged=True)
            for u, n in counts.items()
            if u not in known
        ]
        return sorted(out, key=lambda p: (p.damaged, p.label.casefold(), p.uid))

    def patient(self, uid: str) -> Patient:
        for p in self.patients():
            if p.uid == uid:
                return p
        raise NotFound(
            "This patient is no longer in the library.", "Another window may have erased them."
        )

    def find_patient(self, label: str) -> Patient:
        """The patient with this label (case does not matter), or with this short
        identifier (``#1a2b3c4d``: how a damaged patient is named)."""
        patients = self.patients()
        text = str(label or "").strip()
        if text.startswith("#") and len(text) > 1:
            found = [p for p in patients if p.uid.startswith(text[1:].lower())]
            if len(found) == 1:
                return found[0]
        wanted = clean_label(label).casefold()
        for p in patients:
            if not p.damaged and p.label.casefold() == wanted:
                return p
        raise NotFound(
            f"There is no patient “{one_line(label)}” in the library.",
            "List the patients with `library list`.",
        )

    def add_patient(
        self, label: str | None = None, notes: str = "", birth_date: str = ""
    ) -> Patient:
        """A new patient; without a label, the next pseudonym (``P-0001``, ``P-0002``...)."""
        key = self._key()
        patient = self.prepare_patient(label, notes, birth_date)
        with self._db() as conn, store.write(conn, self.path):
            return self._insert_patient(conn, key, patient)

    def prepare_patient(
        self, label: str | None = None, notes: str = "", birth_date: str = ""
    ) -> Patient:
        """A new patient's record, checked but not saved (``add_session(...,
        new_patient=...)`` saves it with their first session, in one transaction)."""
        notes, birth_date = clean_notes(notes), clean_date(birth_date, required=False)
        text = clean_label(label) if label else ""
        today = datetime.now(timezone.utc).date().isoformat()
        return Patient(uuid.uuid4().hex, text, notes, birth_date, today)

    def _insert_patient(self, conn: sqlite3.Connection, key: bytes, patient: Patient) -> Patient:
        """Insert ``patient`` (inside the caller's write transaction), giving the next
        pseudonym if it has no label; refuses a label in use."""
        labels = self._labels(conn, key)
        if not patient.label:
            patient = replace(patient, label=next_pseudonym(labels.values()))
        _unique(patient.label, labels)
        conn.execute(
            "INSERT INTO patients (uid, record) VALUES (?, ?)",
            (patient.uid, self._seal_patient(key, patient)),
        )
        return patient

    def update_patient(
        self,
        uid: str,
        label: str | None = None,
        notes: str | None = None,
        birth_date: str | None = None,
    ) -> Patient:
        """Rename a patient, or change their notes or birth date."""
        key = self._key()
        with self._db() as conn, store.write(conn, self.path):
            rows = conn.execute("SELECT record FROM patients WHERE uid = ?", (uid,)).fetchall()
            if rows:
                old = self._patient_or_damaged(key, uid, rows[0][0], 0)
            elif conn.execute("SELECT 1 FROM sessions WHERE patient_uid = ?", (uid,)).fetchall():
                old = Patient(uid, short_id(uid), damaged=True)  # record row lost
            else:
                raise NotFound("This patient is no longer in the library.")
            if old.damaged and label is None:
                raise DamagedItem(*damage.patient_message(old))
            new = Patient(
                uid,
                old.label if label is None else clean_label(label),
                old.notes if notes is None else clean_notes(notes),
                old.birth_date if birth_date is None else clean_date(birth_date, required=False),
                old.created,
            )
            if old.damaged or new.label.casefold() != old.label.casefold():
                _unique(new.label, self._labels(conn, key))
            # a new label repairs a damaged record (its notes and birth date are lost);
            # never INSERT OR REPLACE: its delete would cascade to the sessions
            sql = "UPDATE patients SET record = ? WHERE uid = ?"
            if not rows:
                sql = "INSERT INTO patients (record, uid) VALUES (?, ?)"
            conn.execute(sql, (self._seal_patient(key, new), uid))
        return new

    def erase_patient(self, uid: str) -> bool:
        """Erase a patient and all their sessions from the file, bytes included.

        The rows are deleted in one transaction (their pages overwritten with
        zeros by ``secure_delete``), then the file is rebuilt without free
        pages and its write-ahead log emptied. Returns False if another window
        was reading at that moment, so the log could not be emptied yet.
        """
        self._key()
        with self._db() as conn:
            with store.write(conn, self.path):
                n = conn.execute("DELETE FROM sessions WHERE patient_uid = ?", (uid,)).rowcount
                if conn.execute("DELETE FROM patients WHERE uid = ?", (uid,)).rowcount + n == 0:
                    raise NotFound("This patient is no longer in the library.")
            return store.compact(conn, self.path)

    # ------------------------------------------------------------------ internals
    def _db(self):
        return store.opened(self.path, self.busy_timeout_s)

    def _idle(self) -> bool:
        return self.idle_timeout_s > 0 and self._clock() - self._last_used > self.idle_timeout_s

    def _lock_idle(self) -> None:
        minutes = self.idle_timeout_s / 60
        self.lock(f"The patient library locked itself after {minutes:g} minutes without use.")

    def _key(self) -> bytes:
        if self._data_key is not None and self._idle():
            self._lock_idle()
        if self._data_key is None:
            raise Locked(
                self.locked_reason or Locked().message,
                "Unlock it with your passphrase to continue.",
            )
        self._last_used = self._clock()
        return self._data_key

    def _set_key(self, library_id: str, data_key: bytes) -> None:
        self._library_id, self._data_key = library_id, data_key
        self._last_used = self._clock()
        self.locked_reason = ""
        self._arm()

    def _arm(self) -> None:
        """A timer that drops the key when the idle time is up, even if nothing
        touches the library meanwhile (a closed tab, a clinician called away)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.idle_timeout_s <= 0:
            return
        left = self.idle_timeout_s - (self._clock() - self._last_used)
        self._timer = threading.Timer(max(left, 0.0) + 0.05, self._on_timer)
        self._timer.daemon = True
        self._timer.start()

    def _on_timer(self) -> None:
        if self._data_key is None:
            return
        if self._idle():
            self._lock_idle()
        else:
            self._arm()

    def _key_material(self, readonly: bool = False) -> tuple[str, crypto.KdfParams, bytes]:
        with store.opened(self.path, self.busy_timeout_s, readonly=readonly) as conn:
            try:
                return _read_key_rows(conn)
            except sqlite3.Error as exc:
                raise store.translate(exc, self.path) from None

    def aad(self, *parts: str) -> bytes:
        return crypto.aad(self._library_id, *parts)

    def seal_json(self, key: bytes, value, *parts: str, compress: bool = False) -> bytes:
        """Encrypt a JSON value (``compress`` for large ones: metrics)."""
        raw = json.dumps(to_jsonable(value), allow_nan=False, ensure_ascii=False).encode("utf-8")
        return crypto.seal(key, zlib.compress(raw, 6) if compress else raw, self.aad(*parts))

    def open_json(self, key: bytes, blob: bytes, *parts: str, compressed: bool = False):
        """A value sealed by :meth:`seal_json`; raises DamagedItem when it cannot be
        read (callers that know what the item is say so, see :mod:`damage`)."""
        try:
            raw = crypto.open_sealed(key, blob, self.aad(*parts))
            value = json.loads(zlib.decompress(raw) if compressed else raw)
        except (InvalidTag, zlib.error, ValueError, TypeError, UnicodeDecodeError):
            raise DamagedItem(*_DAMAGED_ITEM) from None
        if not isinstance(value, dict):
            raise DamagedItem(*_DAMAGED_ITEM)
        return value

    def seal_bytes(self, key: bytes, data: bytes, *parts: str) -> bytes:
        return crypto.seal(key, data, self.aad(*parts))

    def open_bytes(self, key: bytes, blob: bytes, *parts: str) -> bytes:
        try:
            return crypto.open_sealed(key, blob, self.aad(*parts))
        except (InvalidTag, TypeError):
            raise DamagedItem(*_DAMAGED_ITEM) from None

    def _seal_patient(self, key: bytes, patient: Patient) -> bytes:
        return self.seal_json(key, patient.record(), "patient", patient.uid, "record")

    def _patient(self, key: bytes, uid: str, blob: bytes, n: int) -> Patient:
        r = self.open_json(key, blob, "patient", uid, "record")
        return Patient(
            uid,
            str(r.get("label", "")),
            str(r.get("notes", "")),
            str(r.get("birth_date", "")),
            str(r.get("created", "")),
            int(n),
        )

    def _patient_or_damaged(self, key: bytes, uid: str, blob: bytes, n: int) -> Patient:
        try:
            return self._patient(key, uid, blob, n)
        except DamagedItem:
            return Patient(uid, short_id(uid), sessions=int(n), damaged=True)

    def _labels(self, conn: sqlite3.Connection, key: bytes) -> dict:
        """Every readable patient's label (a damaged record's is unknown)."""
        rows = store.read_rows(conn, self.path, "patients", ("uid", "record"))
        patients = (self._patient_or_damaged(key, uid, blob, 0) for uid, blob in rows)
        return {p.uid: p.label for p in patients if not p.damaged}


def _unique(label: str, labels: dict) -> None:
    if label.casefold() in {x.casefold() for x in labels.values()}:
        raise BadValue(f"There is already a patient “{label}”.", "Choose another label.")


def _key_aad(library_id: str, params: crypto.KdfParams) -> bytes:
    return crypto.aad(library_id, "data-key", json.dumps(params.as_dict(), sort_keys=True))


def _key_rows(library_id: str, params: crypto.KdfParams, kek: bytes, data_key: bytes):
    wrapped = crypto.wrap_key(kek, data_key, _key_aad(library_id, params))
    return [
        ("library_id", library_id.encode()),
        ("kdf", json.dumps(params.as_dict(), sort_keys=True).encode()),
        ("wrapped_key", wrapped),
    ]


def _read_key_rows(conn: sqlite3.Connection) -> tuple[str, crypto.KdfParams, bytes]:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    try:
        library_id = bytes(meta["library_id"]).decode()
        params = crypto.KdfParams.from_dict(json.loads(bytes(meta["kdf"])))
        wrapped = bytes(meta["wrapped_key"])
    except (KeyError, ValueError, UnicodeDecodeError):
        raise CorruptLibrary(
            "The patient library's key is missing or damaged.",
            "Restore the library file from a backup.",
        ) from None
    return library_id, params, wrapped
