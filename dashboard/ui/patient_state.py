"""The patient library's per-session state on the Patients page: the Library object
(which holds the key while unlocked), messages after callbacks, and the guard that
turns a callback's error into a message."""
from __future__ import annotations

import streamlit as st

from dashboard.errors import PoseDashError
from dashboard.library.service import Library
from dashboard.ui.messages import log

LIBRARY = "posedash_library"          # the Library object (holds the key while unlocked)
MESSAGE = "posedash_library_message"  # (kind, text) to show after a callback
PATIENT = "library_patient"
NEW_PATIENT = "➕ New patient"


def library() -> Library:
    """This browser session's Library object (created on first use; opens nothing)."""
    lib = st.session_state.get(LIBRARY)
    if not isinstance(lib, Library):
        lib = st.session_state[LIBRARY] = Library()
    return lib


def say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)


def messages() -> None:
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind == "error":
        st.error(text, icon="⚠️")
    elif kind:
        st.success(text, icon="✅")


def guarded(action):
    """Run a callback's action; a PoseDashError becomes a message on the next run."""
    def run(*args):
        try:
            action(*args)
        except PoseDashError as exc:
            say("error", exc.message + (f"\n\n{exc.hint}" if exc.hint else ""))
        except Exception as exc:  # a bug: say so without a traceback or patient data
            log.error("unexpected %s in the patient library", type(exc).__name__)
            say("error", f"Something went wrong ({type(exc).__name__}); nothing more was "
                         "changed. PoseDash is still running: please report this problem.")
    return run
