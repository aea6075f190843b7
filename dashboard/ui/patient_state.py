"""The patient library's per-session state on the Patients page: the Library object
(which holds the key while unlocked), messages after callbacks (each shown where its
action was: a tab's message is not seen from another tab), the guard that turns a
callback's error into a message, and select boxes whose labels stay current."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import PoseDashError
from dashboard.library.service import Library
from dashboard.ui import keys
from dashboard.ui.messages import log
from dashboard.ui.text import plain

LIBRARY = keys.LIBRARY.name  # the Library object (holds the key while unlocked)
MESSAGE = keys.LIBRARY_MESSAGE.name  # (kind, text) to show after a callback
PATIENT = keys.LIBRARY_PATIENT.name
CHOSEN = keys.LIBRARY_CHOSEN.name  # the patient chosen (kept while the box is hidden)
SHOWN = keys.LIBRARY_SHOWN.name  # {select box key: label of its value last shown}
PAGE = "page"  # messages shown at the top of the page
NEW_PATIENT = "➕ New patient"


def library() -> Library:
    """This browser session's Library object (created on first use; opens nothing)."""
    lib = keys.LIBRARY.get()
    if not isinstance(lib, Library):
        lib = Library()
        keys.LIBRARY.set(lib)
    return lib


def choose_patient(uid: str) -> None:
    """Select a patient in the Patient box (in a callback, or before the box is drawn)."""
    keys.LIBRARY_PATIENT.set(uid)
    keys.LIBRARY_CHOSEN.set(uid)


def chosen_patient(options) -> str:
    """The patient to select in the Patient box (one of ``options``), set in its state.

    The patient chosen last stays chosen when the box was hidden meanwhile (the
    library locked, another page visited), when Streamlit would bring back an
    older value; else the first option.
    """
    chosen = keys.LIBRARY_CHOSEN.get()
    if chosen not in options:
        current = keys.LIBRARY_PATIENT.get()
        chosen = current if current in options else options[0]
    if keys.LIBRARY_PATIENT.get() != chosen:
        keys.LIBRARY_PATIENT.set(chosen)
    keys.LIBRARY_CHOSEN.set(chosen)
    return chosen


def patient_changed() -> None:
    """The Patient box's on_change: the user chose another patient."""
    keys.LIBRARY_CHOSEN.set(keys.LIBRARY_PATIENT.get())


def say(kind: str, text: str, where: str = PAGE) -> None:
    """A message for the next run, shown by ``messages(where)`` (a tab's name, or
    the top of the page)."""
    keys.LIBRARY_MESSAGE.set((kind, text, where))


def messages(where: str = PAGE) -> None:
    """Show the pending message if it belongs here. Every message lives one run:
    one whose place is not drawn (a patient just erased) is shown by
    ``leftover_messages`` at the end of the page."""
    pending = keys.LIBRARY_MESSAGE.get()
    if not pending or pending[2] != where:
        return
    kind, text, _ = keys.LIBRARY_MESSAGE.pop()
    if kind == "error":
        st.error(text, icon="⚠️")
    elif kind:
        st.success(text, icon="✅")


def leftover_messages() -> None:
    pending = keys.LIBRARY_MESSAGE.get()
    if pending:
        messages(pending[2])


def guarded(action, where: str = PAGE):
    """Run a callback's action; a PoseDashError becomes a message (at ``where``) on
    the next run."""

    def run(*args):
        try:
            action(*args)
        except PoseDashError as exc:
            # messages quote labels and file names: shown as text, never as markup
            text = plain(exc.message) + (f"\n\n{plain(exc.hint)}" if exc.hint else "")
            say("error", text, where)
        except Exception as exc:  # a bug: say so without a traceback or patient data
            log.error("unexpected %s in the patient library", type(exc).__name__)
            say(
                "error",
                f"Something went wrong ({type(exc).__name__}); nothing more was "
                "changed. PoseDash is still running: please report this problem.",
                where,
            )

    return run


def current_label(key: str, options, format_func) -> None:
    """Make a keyed select box show its value's current label.

    The browser keeps the label it showed for the chosen value while that value
    does not change (a patient's "(2 sessions)" after a third is saved). Call this
    just before ``st.selectbox(..., key=key, format_func=format_func)``: when the
    label of the chosen value differs from the one last shown, the value is set
    again (the same value: the selection does not move), which sends the new
    label to the browser.
    """
    shown = keys.LIBRARY_SHOWN.setdefault({})
    box = keys.widget(key)
    value = box.get()
    if value not in options:
        shown.pop(key, None)
        return
    label = format_func(value)
    if key in shown and shown[key] != label:
        box.set(value)
    shown[key] = label
