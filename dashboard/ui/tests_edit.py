"""Correcting a functional test's events by hand on the Tests page (issues 21 and 23):
pick an event (or click it on the timeline), show the frame it belongs to, then move
it there, delete it, or add a missed one on the frame shown. The result (times,
stands, phases, norms) is recomputed at once from the events
(:func:`dashboard.functional.edited.score_edited`), never detected again; the page
says "Events corrected by hand (N changed)" and keeps the automatic events for
reference. Also the goniometer on the frame shown. Every number comes from the core.

The corrections are kept per analysis and test in this browser session (memory
only), like the gait events corrected by hand.
"""

from __future__ import annotations

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.errors import PoseDashError
from dashboard.functional import TITLES, TestOptions, TestResult
from dashboard.functional.edited import EVENT_WORDS as _WORDS, KINDS, repeated, score_edited
from dashboard.functional.events_file import DERIVED, TestHandEvent, kind_of
from dashboard.ui import event_editor, keys, state
from dashboard.ui.event_editor import EventEditor

__all__ = ["editor", "hand_events", "measure", "notice", "scored"]

KEY = "posedash_test_hand_events"  # {(fingerprint, test): tuple of TestHandEvent}
ADD_KIND = "posedash_test_edit_add_kind"
MEASURING = "posedash_test_measuring"


def _store() -> dict:
    return state.slot(KEY)


def hand_events(analysis: Analysis, test: str) -> tuple | None:
    """The events of ``test`` corrected by hand on ``analysis``, or None (automatic)."""
    return _store().get((state.fingerprint(analysis), test))


def _set(analysis: Analysis, test: str, events) -> None:
    _store()[(state.fingerprint(analysis), test)] = tuple(events)


def _clear(analysis: Analysis, test: str) -> None:
    _store().pop((state.fingerprint(analysis), test), None)


def _reset(analysis: Analysis, test: str) -> None:
    event_editor.reset(
        "posedash_test", keys.TEST_EDIT_PICK, "events", lambda: _clear(analysis, test)
    )


def scored(analysis: Analysis, opts: TestOptions, auto: TestResult, source: dict) -> TestResult:
    """The result to show: from this session's events corrected by hand when there are
    any (kept per analysis, options and events), else ``auto``."""
    hand = hand_events(analysis, opts.test)
    if hand is None:
        return auto
    key = ("functional_edited", state.fingerprint(analysis), repr(opts), hand)
    try:
        return state.remember(
            key, lambda: score_edited(analysis.poses, opts, hand, source, automatic=auto)
        )
    except PoseDashError as exc:
        st.error(f"The events corrected by hand cannot be used: {exc}", icon="✍️")
        _reset(analysis, opts.test)
        return auto


def notice(result: TestResult, auto: TestResult) -> None:
    """'Events corrected by hand (N changed)', with the automatic result for reference."""
    if result.edits:
        st.info(
            f"✍️ {result.edits['events_note']} With the automatic events: {auto.headline}.",
        )
        event_editor.corrections_list(result.edits)


def _label(e) -> str:
    hand = " · placed by hand" if e.by_hand else ""
    return f"{e.label or e.event} · frame {e.frame} · {e.time_s:.2f} s{hand}"


def _editor(analysis: Analysis, opts: TestOptions, row_key: str) -> EventEditor:
    """The test's events in the shared editor (:mod:`.event_editor`)."""

    def check(hand: list) -> None:
        score_edited(analysis.poses, opts, hand, notes=analysis.notes)

    return EventEditor(
        pick=keys.TEST_EDIT_PICK,
        pending=keys.TEST_EDIT_PENDING,
        last_row=keys.TEST_EDIT_LAST_ROW,
        widgets="posedash_test",
        row_key=row_key,
        bounds=(0, analysis.poses.num_frames - 1),
        make=lambda side, kind, t, frame: TestHandEvent(kind, t, frame),
        kind=lambda e: kind_of(e.event),
        ident=lambda side, kind, row: f"{kind}|{row}",
        label=_label,
        check=check,
        keep=lambda hand: _set(analysis, opts.test, hand),
        pick_help="Or click it on the timeline. Its frame is shown.",
        move_help="Show the frame it belongs to with the slider or the frame buttons, then "
        "move it.",
    )


def editor(analysis: Analysis, opts: TestOptions, result: TestResult, row: int, row_key: str):
    """The correction controls for the frame shown (sequence row ``row``, the slider
    ``row_key``)."""
    events = [e for e in result.events if kind_of(e.event) not in DERIVED]
    if not events:
        return
    seq = analysis.poses
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    event_editor.heading(
        "Pick an event (or click it on the timeline), show the frame it belongs to, then "
        "move it there; or delete it, or add a missed one on the frame shown. The result "
        "is recomputed at once. Ringed on the timeline: placed by hand; grey crosses: "
        "automatic events replaced."
    )
    ed = _editor(analysis, opts, row_key)
    hand = event_editor.controls(
        ed,
        events,
        row,
        t,
        frame,
        delete_help="The clock's start can be moved, not deleted.",
        can_delete=lambda e: kind_of(e.event) != "start",
    )
    have = {h.event for h in hand}
    kinds = [k for k in KINDS[opts.test] if repeated(opts.test, k) or k not in have]
    if kinds:
        event_editor.add(ed, hand, row, t, frame, kinds, _WORDS.get, ADD_KIND, feet=False)
    else:
        st.caption(f"A {TITLES[opts.test]} has one event of each kind: move them.")
    if result.edits:
        _reset(analysis, opts.test)


def measure(analysis: Analysis, row: int, person_slot: int) -> None:
    """The goniometer, distances and notes on the frame shown (e.g. the knee at seat-off):
    saved with its frame and time, marked "measured by hand"."""
    event_editor.measure(
        analysis,
        row,
        person_slot,
        MEASURING,
        "posedash_test_measure",
        "A goniometer, distances and notes on this frame (e.g. the trunk lean at "
        "seat-off), saved with the session and the report, marked measured by hand.",
    )
