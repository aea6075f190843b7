"""How errors reach the user: their message, never a traceback."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.errors import PoseDashError
from dashboard.ui.text import plain

log = logging.getLogger("posedash")


def show_error(exc: BaseException) -> None:
    """Show ``exc`` in the page. PoseDashErrors are written for the user; anything
    else is a bug, reported without the file's content or a traceback."""
    if isinstance(exc, PoseDashError):
        # Messages quote file names and session fields: shown as text, never as markup.
        st.error(plain(exc.message) + (f"\n\n{plain(exc.hint)}" if exc.hint else ""), icon="⚠️")
    elif isinstance(exc, MemoryError):
        st.error(
            "This file needs more memory than this computer has free. "
            "Try a smaller or shorter file.",
            icon="⚠️",
        )
    else:
        # Log the error type only: messages may quote user data.
        log.error("unexpected %s while analysing an upload", type(exc).__name__)
        st.error(
            "Something went wrong while analysing this file "
            f"({type(exc).__name__}). PoseDash is still running: try another "
            "file, and please report this problem.",
            icon="⚠️",
        )
