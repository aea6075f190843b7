"""Background jobs on a page: tied to the browser session, messages that stay.

A page starts a :class:`~dashboard.detect.jobs.Job` with :func:`start` and keeps
``(..., job)`` in the session-state key ``slot``; a fragment polls it for the
progress bar. When the job ends, :func:`finish` takes it out of the session
state and keeps its outcome (error, "cancelled", notices) under another key;
the page then reruns as a whole, so the polling fragment is no longer drawn
(an idle page uses no CPU) and :func:`show_outcome` shows the message until the
user dismisses it.

A job belongs to the browser session that started it: when that session ends
(the tab is closed or reloaded) for a few seconds, the job is cancelled
(:func:`session_alive_probe`), so closed tabs leave no analysis running.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.detect.jobs import Job
from dashboard.ui import keys
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

#: Seconds a session may be disconnected before its jobs stop (a network blip or a
#: reconnect is shorter).
GRACE_S = 3.0


def session_alive_probe() -> Callable[[], bool] | None:
    """A thread-safe ``alive()`` for this browser session, or None outside a
    Streamlit server (AppTest, bare mode)."""
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return None
    instance, session_id = runtime.get_instance(), ctx.session_id
    return lambda: instance.is_active_session(session_id)


def start(work: Callable[..., Any], total: int = 0, notices: bool = False) -> Job:
    """A :class:`Job` that stops when this browser session ends."""
    return Job(
        work, total=total, notices=notices, owner_alive=session_alive_probe(), grace_s=GRACE_S
    )


def finish(slot: str, outcome_key: str) -> tuple | None:
    """Take the finished job out of the key ``slot``; keep its outcome
    under ``outcome_key`` unless it simply succeeded. Returns the slot's tuple
    (None if the job is missing or still running)."""
    running = keys.widget(slot).get()
    if running is None or not running[-1].finished:
        return None
    keys.widget(slot).pop()
    job = running[-1]
    snap = job.snapshot()
    if snap.state != "done" or snap.notes:
        error = None
        if snap.state == "failed":
            try:
                job.result()
            except Exception as exc:  # kept to show; the page and the app go on
                error = exc
        keys.widget(outcome_key).set((snap.state, error, snap.notes, snap.abandoned))
    return running


def show_outcome(outcome_key: str, what: str = "analysis") -> None:
    """The kept outcome of the last job (error, cancellation, notices) with a
    Dismiss button; it stays until dismissed or a new job starts."""
    outcome = keys.widget(outcome_key).get()
    if outcome is None:
        return
    state, error, notes, abandoned = outcome
    if state == "cancelled":
        reason = " because the browser tab that started it was closed" if abandoned else ""
        st.info(f"The {what} was cancelled{reason}. Nothing was kept.", icon="⏹")
    elif state == "failed" and error is not None:
        show_error(error)
    for note in notes:
        st.warning(plain(note), icon="⚠️")
    st.button(
        "Dismiss",
        key=f"{outcome_key}_dismiss",
        on_click=lambda: keys.widget(outcome_key).pop(),
    )


def show_notes(job: Job) -> None:
    """What the running job has to say (a crashed helper process...)."""
    for note in job.snapshot().notes:
        st.warning(plain(note), icon="⚠️")
