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
from dashboard.functional.edited import KINDS, repeated, score_edited
from dashboard.functional.events_file import DERIVED, TestHandEvent, kind_of
from dashboard.ui import state
from dashboard.ui.messages import show_error

__all__ = ["editor", "hand_events", "measure", "notice", "scored"]

KEY = "posedash_test_hand_events"  # {(fingerprint, test): tuple of TestHandEvent}
PICK = "posedash_test_edit_pick"
PENDING = "posedash_test_edit_pending"
LAST_ROW = "posedash_test_edit_last_row"
ADD_KIND = "posedash_test_edit_add_kind"
MEASURING = "posedash_test_measuring"
_WORDS = {
    "start": "start of the clock",
    "seat_off": "seat-off",
    "full_stand": "full stand",
    "seat_on": "seat-on",
    "standing": "standing",
    "turn_start": "turn start",
    "turn_end": "turn end",
    "sit_turn_start": "turn to sit",
    "seated": "seated",
    "zone_entry": "timed zone entry",
    "zone_exit": "timed zone exit",
    "end": "end of the walk",
    "contact": "foot contact",
    "lift_off": "lift-off",
    "touch_down": "touch-down",
}


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
    if st.button("Undo every correction (back to the automatic events)", key="posedash_test_reset"):
        _clear(analysis, test)
        state.take(PICK, None)
        st.rerun()


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


def _id(e) -> str:
    return f"{kind_of(e.event)}|{e.index}"


def _label(e) -> str:
    hand = " · placed by hand" if e.by_hand else ""
    return f"{e.label or e.event} · frame {e.frame} · {e.time_s:.2f} s{hand}"


def _picked(events: list, row: int) -> None:
    """The event picked: a new one just placed, else the one on a newly shown frame (a
    click on the timeline), else the one picked before, else the nearest."""
    ids = [_id(e) for e in events]
    pending = state.take(PENDING, None)
    if pending in ids:
        state.put(PICK, pending)
    elif state.get(LAST_ROW) != row:
        here = [i for i, e in zip(ids, events, strict=True) if e.index == row]
        if here:
            state.put(PICK, here[0])
    state.put(LAST_ROW, row)
    if state.get(PICK) not in ids:
        nearest = min(range(len(events)), key=lambda k: abs(events[k].index - row))
        state.put(PICK, ids[nearest])


def _show_picked(row_key: str, rows: dict) -> None:
    row = rows.get(state.get(PICK))
    if row is not None:
        state.put(row_key, row)
        state.put(LAST_ROW, row)


def _step(row_key: str, delta: int, last: int) -> None:
    state.put(row_key, min(max(0, int(state.get(row_key, 0)) + delta), last))


def _apply(analysis: Analysis, opts: TestOptions, hand: list, pick: str) -> None:
    """Recompute from ``hand`` (refused with the reason when an event cannot be placed),
    keep it and show the page again."""
    try:
        score_edited(analysis.poses, opts, hand, notes=analysis.notes)
    except PoseDashError as exc:
        show_error(exc)
        return
    _set(analysis, opts.test, hand)
    state.put(PENDING, pick)
    st.rerun()


def editor(analysis: Analysis, opts: TestOptions, result: TestResult, row: int, row_key: str):
    """The correction controls for the frame shown (sequence row ``row``, the slider
    ``row_key``)."""
    events = [e for e in result.events if kind_of(e.event) not in DERIVED]
    if not events:
        return
    seq = analysis.poses
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    st.markdown("**Correct the events by hand**")
    st.caption(
        "Pick an event (or click it on the timeline), show the frame it belongs to, then "
        "move it there; or delete it, or add a missed one on the frame shown. The result "
        "is recomputed at once. Ringed on the timeline: placed by hand; grey crosses: "
        "automatic events replaced."
    )
    last = seq.num_frames - 1
    back, on = st.columns(2)
    back.button(
        "◀ Previous frame", key="posedash_test_prev", on_click=_step, args=(row_key, -1, last)
    )
    on.button("Next frame ▶", key="posedash_test_next", on_click=_step, args=(row_key, 1, last))
    _picked(events, row)
    by_id = {_id(e): e for e in events}
    pick = st.selectbox(
        "Event",
        list(by_id),
        key=PICK,
        format_func=lambda i: _label(by_id[i]),
        help="Or click it on the timeline. Its frame is shown.",
        on_change=_show_picked,
        args=(row_key, {i: e.index for i, e in by_id.items()}),
    )
    e = by_id[pick]
    hand = [TestHandEvent(kind_of(x.event), float(x.time_s), int(x.frame)) for x in events]
    i = events.index(e)
    kind = kind_of(e.event)
    move, delete = st.columns(2)
    if move.button(
        f"Move it to frame {frame}",
        key="posedash_test_move",
        disabled=e.index == row,
        help="Show the frame it belongs to with the slider or the frame buttons, then move it.",
    ):
        moved = TestHandEvent(kind, t, frame)
        _apply(analysis, opts, [*hand[:i], *hand[i + 1 :], moved], f"{kind}|{row}")
    if delete.button(
        "Delete it",
        key="posedash_test_delete",
        disabled=kind == "start",
        help="The clock's start can be moved, not deleted.",
    ):
        _apply(analysis, opts, hand[:i] + hand[i + 1 :], "")
    _add(analysis, opts, hand, row, frame, t)
    if result.edits:
        _reset(analysis, opts.test)


def _add(analysis: Analysis, opts: TestOptions, hand: list, row: int, frame: int, t: float) -> None:
    have = {h.event for h in hand}
    kinds = [k for k in KINDS[opts.test] if repeated(opts.test, k) or k not in have]
    if not kinds:
        st.caption(f"A {TITLES[opts.test]} has one event of each kind: move them.")
        return
    what, go = st.columns([3, 2], vertical_alignment="bottom")
    kind = what.selectbox("Missed event", kinds, format_func=_WORDS.get, key=ADD_KIND)
    if go.button(f"Add on frame {frame}", key="posedash_test_add"):
        _apply(analysis, opts, [*hand, TestHandEvent(kind, t, frame)], f"{kind}|{row}")


def measure(analysis: Analysis, row: int, person_slot: int) -> None:
    """The goniometer, distances and notes on the frame shown (e.g. the knee at seat-off):
    saved with its frame and time, marked "measured by hand"."""
    data = state.current_source()
    if data is None or not st.toggle(
        "📐 Measure by hand on the frame shown",
        key=MEASURING,
        help="A goniometer, distances and notes on this frame (e.g. the trunk lean at "
        "seat-off), saved with the session and the report, marked measured by hand.",
    ):
        return
    from dashboard.ui.goniometer import measure_panel, measurements_list

    try:
        rgb = state.video_frame(analysis, data, int(analysis.poses.frame_index[row]))
    except Exception as exc:
        show_error(exc)
        return
    measure_panel(analysis, row, rgb, key="posedash_test_measure", person=person_slot)
    measurements_list(analysis, key="posedash_test_measure_list")
