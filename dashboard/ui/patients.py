"""The Patients page: the opt-in, encrypted patient library.

Create or unlock the library, then per patient: save the analysis under
review, list and reopen sessions, follow a value over time, compare two
sessions, rename, export or erase. The views of one patient are in
:mod:`dashboard.ui.patient_views`. The unlocked library (and so its key) lives
in this browser session's state only: it is gone when the tab closes, on
"Clear my data", on "Lock now", and after the idle time.
"""

from __future__ import annotations

import streamlit as st

from dashboard.library import paths
from dashboard.library.crypto import MIN_PASSPHRASE
from dashboard.library.service import Library
from dashboard.ui import keys, patient_damage, patient_views
from dashboard.ui.messages import show_error
from dashboard.ui.patient_state import (
    NEW_PATIENT,
    PATIENT,
    chosen_patient,
    current_label,
    guarded,
    leftover_messages,
    library,
    messages,
    patient_changed,
    say,
)

ABOUT = """
**What the library stores.** For each patient: a label (a pseudonym such as *P-0001* by
default: you need not type a name), optional notes and birth date; for each session: its
date, body region, notes, the analysed file's name and fingerprint, the landmarks and
settings (the `.posedash` session file, **never the picture or video**) and the values
drawn in progress charts (range of motion, repetitions, gait).

**Where.** One file on this computer: `{path}`
(set `POSEDASH_DATA_DIR` to choose the folder). Nothing is stored anywhere until you
create the library, and nothing is ever sent anywhere.

**How it is protected.** Every item above is encrypted (AES-256-GCM) with a random key
that is itself locked by your passphrase (scrypt). The passphrase is never stored:
**without it nobody can read the library, not even you**, so keep it safe. The library
locks itself after a period without use and when this browser tab closes.
Erasing a patient removes their data from the file itself.
"""


def render_page() -> None:
    st.title("🗂️ Patients")
    st.markdown(
        "Keep a patient's sessions over a course of treatment, encrypted on this "
        "computer, and follow their progress. **Optional**: PoseDash stores nothing "
        "until you create the library."
    )
    with st.expander("What the library stores, where, and how it is protected"):
        st.markdown(ABOUT.format(path=paths.library_path()))
    messages()
    lib = library()
    if not lib.exists:
        _create(lib)
        return
    try:
        lib.check()
    except Exception as exc:
        show_error(exc)
        return
    if lib.locked:
        _unlock(lib)
        return
    try:
        _unlocked(lib)
    except Exception as exc:  # every failure is a message; the app keeps serving
        show_error(exc)
    leftover_messages()
    _watch_lock(lib)


def _watch_lock(lib: Library) -> None:
    """When the library locks itself (its timer: nobody used it for the idle time), the
    page is drawn again, locked, so that no patient's notes or data stay on the screen.

    A fragment that reruns once, a second after the lock is due (not a poll: an idle
    page costs nothing meanwhile); a use of the library since draws the page again, which
    sets the next one. Once locked the page has no such fragment."""
    if lib.locked:
        return

    def check() -> None:
        if library().locked:
            st.rerun(scope="app")

    st.fragment(run_every=max(lib.seconds_left(), 1.0) + 1.0)(check)()


def _create(lib: Library) -> None:
    st.info("The patient library is off: nothing is stored on this computer.", icon="🔒")
    st.subheader("Create a patient library")
    st.text_input(
        "Passphrase",
        type="password",
        key="library_new_pass",
        help=f"At least {MIN_PASSPHRASE} characters. A few unrelated words are "
        "easy to remember and hard to guess.",
    )
    st.text_input("Passphrase again", type="password", key="library_new_pass2")
    st.checkbox(
        "I understand that without this passphrase the library cannot be read "
        "by anyone, and that PoseDash cannot recover it.",
        key="library_new_ok",
    )

    def create() -> None:
        first = keys.LIBRARY_NEW_PASS.get("")
        if first != keys.LIBRARY_NEW_PASS2.get(""):
            say("error", "The two passphrases differ: type the same one twice.")
            return
        if not keys.LIBRARY_NEW_OK.get():
            say("error", "Tick the box to confirm that you will keep the passphrase safe.")
            return
        keys.LIBRARY.set(Library.create(first))
        for k in (keys.LIBRARY_NEW_PASS, keys.LIBRARY_NEW_PASS2):
            k.set("")
        say("success", "The patient library is created and unlocked.")

    st.button("Create the library", type="primary", key="library_create", on_click=guarded(create))


def _unlock(lib: Library) -> None:
    if lib.locked_reason:
        st.info(lib.locked_reason, icon="🔒")
    st.subheader("Unlock the patient library")

    def unlock() -> None:
        passphrase = keys.LIBRARY_PASS.get("")
        keys.LIBRARY_PASS.set("")
        library().unlock(passphrase)

    st.text_input("Passphrase", type="password", key="library_pass")
    st.button("🔓 Unlock", type="primary", key="library_unlock", on_click=guarded(unlock))


def _unlocked(lib: Library) -> None:
    cols = st.columns([3, 1])
    minutes = lib.idle_timeout_s / 60
    cols[0].caption(
        f"🔓 Unlocked. It locks itself after {minutes:g} minutes without use, "
        "when this tab closes, and on **Lock now**."
    )
    cols[1].button(
        "🔒 Lock now", key="library_lock", width="stretch", on_click=lambda: library().lock()
    )
    patients = lib.patients()
    patient_damage.library_notice(patients)
    labels = {p.uid: patient_damage.patient_label(p) for p in patients}
    options = [p.uid for p in patients] + [NEW_PATIENT]
    chosen_patient(options)  # the same patient after a lock or a visit to another page

    def label(u: str) -> str:
        return labels.get(u, u)

    current_label(PATIENT, options, label)  # "(3 sessions)" as soon as a third is saved
    uid = st.selectbox(
        "Patient", options, key=PATIENT, format_func=label, on_change=patient_changed
    )
    if uid == NEW_PATIENT:
        patient_views.new_patient(lib)
    else:
        patient_views.render_patient(lib, next(p for p in patients if p.uid == uid))
    st.divider()
    with st.expander("Practice details for reports: clinician, clinic"):
        from dashboard.ui.report_details import practice_form

        st.caption(
            "Typed once, kept encrypted in this library and printed on the first page of "
            "every report."
        )
        practice_form()
    _settings(lib)


def _settings(lib: Library) -> None:
    with st.expander("Library settings: passphrase, locking"):
        st.number_input(
            "Lock after this many minutes without use",
            1,
            240,
            int(round(lib.idle_timeout_s / 60)),
            key="library_idle_min",
            on_change=lambda: setattr(
                library(), "idle_timeout_s", 60.0 * float(keys.LIBRARY_IDLE_MIN.get())
            ),
        )
        st.markdown(
            "**Change the passphrase** (the library's items are not re-encrypted: "
            "only the key that locks them)."
        )
        st.text_input("Current passphrase", type="password", key="library_old_pass")
        st.text_input("New passphrase", type="password", key="library_new1")
        st.text_input("New passphrase again", type="password", key="library_new2")

        def change() -> None:
            old, new, again = (
                keys.widget(k).get("") for k in ("library_old_pass", "library_new1", "library_new2")
            )
            for k in ("library_old_pass", "library_new1", "library_new2"):
                keys.widget(k).set("")
            if new != again:
                say("error", "The two new passphrases differ: nothing was changed.")
                return
            library().change_passphrase(old, new)
            say("success", "The passphrase is changed.")

        st.button("Change the passphrase", key="library_change", on_click=guarded(change))
        patient_damage.check_section(lib)
