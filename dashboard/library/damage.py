"""Damaged items in the patient library: found, named, and kept to themselves.

Every item is encrypted with authentication (see :mod:`dashboard.library.crypto`),
so a flipped bit anywhere in a patient record, a session's description, its
session file or its progress values makes that one item fail to open. This
module names such an item in words a clinician can act on (the patient's
pseudonymous label or short identifier, the session's date) and lists every
damaged item without changing anything (``library check``, the Patients page).
What stays readable is never held back by a damaged neighbour: the readers in
:mod:`dashboard.library.service` and :mod:`dashboard.library.sessions` skip or
mark the damaged item and go on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dashboard.library import store
from dashboard.library.base import LibraryBase
from dashboard.library.errors import DamagedItem
from dashboard.library.records import Patient, SessionInfo, short_id

__all__ = ["Damage", "DamageMixin", "patient_message", "session_message"]

RESTORE = (
    "Everything else in the library is intact. Restore the library file from a backup "
    "to recover this item."
)
#: What each damaged part of a session means for the clinician.
SESSION_PARTS = {
    "info": "its date, body region and notes cannot be read",
    "data": "its session file cannot be read (it cannot be opened, compared or exported)",
    "metrics": "its progress values cannot be read (PoseDash works them out again from "
    "the session file)",
}


@dataclass(frozen=True)
class Damage:
    """One damaged item: what it is, whose, and a sentence naming it."""

    kind: str  # "patient", "patient-missing", "info", "data", "metrics", "rows", "file"
    patient_uid: str = ""
    session_uid: str = ""
    message: str = ""

    def __str__(self) -> str:
        return self.message


def patient_message(patient: Patient, missing: bool = False) -> tuple[str, str]:
    """(message, hint) for a patient whose record is damaged or missing."""
    ref, n = patient.ref, patient.sessions
    what = (
        "is missing" if missing else "is damaged: their label, notes and birth date cannot be read"
    )
    return (
        f"The record of patient {ref} {what}. Their {n} session(s) are intact and "
        f"listed under {ref}.",
        f"Give {ref} a label again (in the patient's details, or `library` with "
        f"--patient '{ref}') to repair the record, or restore the library file from a backup.",
    )


def session_message(patient_ref: str, info: SessionInfo, part: str) -> tuple[str, str]:
    """(message, hint) for one damaged part of a session (see SESSION_PARTS)."""
    if info.damaged or not info.date:
        which = f"A session of {patient_ref} ({short_id(info.uid)})"
    else:
        which = f"The session of {patient_ref} of {info.date} ({short_id(info.uid)})"
    return f"{which} is damaged: {SESSION_PARTS[part]}.", RESTORE


class DamageMixin(LibraryBase):
    """``damaged_items``: of :class:`~dashboard.library.service.Library`."""

    def damaged_items(self) -> list[Damage]:
        """Every item of the library that cannot be read, in a read-only pass.

        Opens each patient record and each session's description, file and
        progress values with the key (so the library must be unlocked), and asks
        SQLite to check the file's structure. Writes nothing, migrates nothing.
        """
        key = self._key()
        out: list[Damage] = []
        with store.opened(self.path, self.busy_timeout_s, readonly=True) as conn:
            structure = _quick_check(conn)
            prows = store.read_rows(conn, self.path, "patients", ("uid", "record"))
            cols = ("rowid", "uid", "patient_uid")
            srows = store.read_rows(conn, self.path, "sessions", cols)
            counts: dict[str, int] = {}
            for _, _, owner in srows:
                counts[owner] = counts.get(owner, 0) + 1
            patients = {}
            for uid, blob in prows:
                p = self._patient_or_damaged(key, uid, blob, counts.get(uid, 0))
                patients[uid] = p
                if p.damaged:
                    out.append(Damage("patient", uid, "", patient_message(p)[0]))
            for owner, n in counts.items():
                if owner not in patients:
                    p = patients[owner] = Patient(owner, short_id(owner), sessions=n, damaged=True)
                    out.append(Damage("patient-missing", owner, "", patient_message(p, True)[0]))
            has_metrics = "metrics" in store.columns(conn, "sessions")
            for rowid, uid, owner in srows:
                out += self._session_damage(conn, key, rowid, uid, patients[owner], has_metrics)
        if structure:
            out.append(
                Damage(
                    "file",
                    message="SQLite reports damage in the file's structure: "
                    + "; ".join(structure[:5]),
                )
            )
        return out

    def _session_damage(
        self,
        conn: sqlite3.Connection,
        key: bytes,
        rowid: int,
        uid: str,
        patient: Patient,
        has_metrics: bool,
    ) -> list[Damage]:
        cols = ("info", "data") + (("metrics",) if has_metrics else ())
        (row,) = store.read_rows(conn, self.path, "sessions", cols, "WHERE rowid = ?", (rowid,))
        parts = ("session", uid, patient.uid)
        try:
            info = self._info(key, uid, patient.uid, row[0])
        except DamagedItem:
            info = SessionInfo(uid, patient.uid, "", damaged=True)
        found = ["info"] if info.damaged else []
        try:
            self.open_bytes(key, row[1], *parts, "data")
        except DamagedItem:
            found.append("data")
        if has_metrics and row[2] is not None:
            try:
                self.open_json(key, row[2], *parts, "metrics", compressed=True)
            except DamagedItem:
                found.append("metrics")
        return [
            Damage(part, patient.uid, uid, session_message(patient.ref, info, part)[0])
            for part in found
        ]


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's own check of the file's structure: [] when sound."""
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
