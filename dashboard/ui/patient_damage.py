"""Damaged items on the Patients page: named where they are, the rest usable.

A patient whose record cannot be decrypted is offered under its short
identifier (``#1a2b3c4d``) with its sessions, which usually still open; a
session whose description cannot be read is named and left out of the tables;
"Check the library" lists every damaged item without changing anything (the
same as ``library check``). The rules are in :mod:`dashboard.library.damage`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.library.damage import patient_message, session_message
from dashboard.library.records import Patient
from dashboard.library.service import Library
from dashboard.ui import keys, patient_state
from dashboard.ui.text import plain

CHECKED = "posedash_library_checked"  # the last check's findings (messages)


def patient_label(p: Patient) -> str:
    """A patient's entry in the Patient box."""
    n = f"{p.sessions} session{'s' if p.sessions != 1 else ''}"
    if p.damaged:
        return f"⚠️ {p.ref}: damaged record ({n})"
    return f"{p.label} ({n})"


def library_notice(patients: list[Patient]) -> None:
    """One warning naming the patients whose record is damaged (if any)."""
    damaged = [p for p in patients if p.damaged]
    if not damaged:
        return
    lines = "\n".join(f"- {plain(patient_message(p)[0])}" for p in damaged)
    st.warning(
        f"**Part of the patient library is damaged.** Every other patient is intact.\n\n{lines}",
        icon="⚠️",
    )


def readable_sessions(patient: Patient, sessions: list) -> list:
    """``sessions`` without those whose description is damaged, each named in a
    warning (with the patient's record, if that is damaged)."""
    lines = []
    if patient.damaged:
        message, hint = patient_message(patient)
        lines.append(f"{plain(message)} {plain(hint)}")
    lines += [plain(session_message(patient.ref, s, "info")[0]) for s in sessions if s.damaged]
    if lines:
        st.warning("\n\n".join(lines), icon="⚠️")
    return [s for s in sessions if not s.damaged]


def export_zip(lib: Library, patient_uid: str) -> bytes:
    """The patient's export (zip); a warning names what it leaves out."""
    skipped: list[str] = []
    data = lib.export_zip(patient_uid, skipped)
    if skipped:
        st.warning(
            "The export names the damaged items (a damaged session file is left out):\n\n"
            + "\n".join(f"- {plain(m)}" for m in skipped),
            icon="⚠️",
        )
    return data


def check_section(lib: Library) -> None:
    """ "Check the library": every damaged item, found without changing anything."""
    st.markdown(
        "**Check the library**: opens every patient record and session to find "
        "damaged items (from a failing disk, say). Changes nothing."
    )

    def check() -> None:
        keys.widget(CHECKED).set([d.message for d in patient_state.library().damaged_items()])

    st.button("Check the library", key="library_check", on_click=patient_state.guarded(check))
    found = keys.widget(CHECKED).get()
    if found is None:
        return
    if not found:
        st.success("No damaged item: every patient record and session opens.", icon="✅")
        return
    st.warning(
        f"**{len(found)} damaged item(s)**; everything else is intact. Restore the "
        "library file from a backup to recover them.\n\n"
        + "\n".join(f"- {plain(m)}" for m in found),
        icon="⚠️",
    )
