"""Correcting gait events by hand on the Gait page (issue 23): pick an event (or click
it on the timeline), show the frame it belongs to, then move it there, delete it, or
add a missed event on the frame shown. Parameters and cycle curves are recomputed at
once from the events (:mod:`dashboard.kinematics.gait.edited`), never detected again;
the page says "Events corrected by hand (N changed)" and keeps the automatic events
for reference. Every number comes from the core; this module only shows it."""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.errors import PoseDashError
from dashboard.kinematics.gait.events import END_EVENT
from dashboard.kinematics.gait.events_file import HandEvent, hand_events_of
from dashboard.kinematics.gait.words import EVENT_WORDS
from dashboard.ui import gait_state, keys, relink, state
from dashboard.ui.messages import show_error

PICK = keys.GAIT_EDIT_PICK.name  # the events list's widget key

__all__ = ["editor", "mark_corrections", "measure", "notice", "reset"]


def _id(e) -> str:
    return f"{e.side}|{e.event}|{e.index}"


def _label(e) -> str:
    return (
        f"Pass {e.pass_index + 1} · {e.side} {EVENT_WORDS[e.event]} · frame {e.frame} · "
        f"{e.time_s:.2f} s"
    )


def _cadence(result) -> str:
    v = result.per_side["both"]["cadence_steps_per_min"]["mean"]
    return "–" if not np.isfinite(v) else f"{v:.1f}"


def notice(analysis: Analysis, result, person: int) -> None:
    """'Events corrected by hand (N changed)', with the automatic figures for reference."""
    if result.events_source != "edited":
        return
    auto = gait_state.automatic(analysis, result.settings, person)
    n_edit, n_auto = (
        sum(int(r.per_side[s]["stride_time_s"]["n"]) for s in ("left", "right"))
        for r in (result, auto)
    )
    st.info(
        f"✍️ {result.extra['events_doc']['events_note']} Cadence from these events: "
        f"{_cadence(result)} steps/min on {n_edit} strides (automatic events: "
        f"{_cadence(auto)} steps/min on {n_auto} strides).",
    )


def reset(analysis: Analysis) -> None:
    """The button that drops every correction (offered with an error too)."""
    if st.button("Undo every correction (back to the automatic events)", key="gait_edit_reset"):
        gait_state.clear(analysis)
        keys.GAIT_EDIT_PICK.pop()
        st.rerun()


def _apply(analysis: Analysis, result, person: int, hand: list, pick: str) -> None:
    """Recompute from ``hand`` (refused with the reason when an event cannot be
    placed), keep it and show every section again."""
    try:
        gait_state.result(analysis, result.settings, person, hand)
    except PoseDashError as exc:
        show_error(exc)
        return
    gait_state.set_hand_events(analysis, person, hand)
    keys.GAIT_EDIT_PENDING.set(pick)
    st.rerun()


def _picked(events: list, row: int) -> str:
    """The event picked: a new one just placed, else the one on a newly shown frame
    (a click on the timeline), else the one picked before, else the nearest."""
    ids = [_id(e) for e in events]
    pending = keys.GAIT_EDIT_PENDING.pop()
    if pending in ids:
        keys.GAIT_EDIT_PICK.set(pending)
    elif keys.GAIT_EDIT_LAST_ROW.get() != row:
        here = [i for i, e in zip(ids, events, strict=True) if e.index == row]
        if here:
            keys.GAIT_EDIT_PICK.set(here[0])
    keys.GAIT_EDIT_LAST_ROW.set(row)
    if keys.GAIT_EDIT_PICK.get() not in ids:
        keys.GAIT_EDIT_PICK.set(ids[int(np.argmin([abs(e.index - row) for e in events]))])
    return keys.GAIT_EDIT_PICK.get()


def _show_picked(row_key: str, rows: dict) -> None:
    """An event picked in the list: show its frame (the slider ``row_key``)."""
    row = rows.get(keys.GAIT_EDIT_PICK.get())
    if row is not None:
        state.put(row_key, row)
        keys.GAIT_EDIT_LAST_ROW.set(row)


def mark_corrections(fig, result, seq) -> None:
    """Ring the events placed by hand and cross the automatic events replaced on the
    timeline ``fig`` (:func:`dashboard.figures.gait_edited.mark_corrections`)."""
    from dashboard.figures.gait_edited import mark_corrections as mark

    mark(fig, result, {int(f): i for i, f in enumerate(seq.frame_index)})


def editor(analysis: Analysis, result, row: int, person: int, row_key: str) -> None:
    """The correction controls for the frame shown (sequence row ``row``, the slider
    ``row_key``); the uploader that gives a reopened session its video again."""
    relink.offer(analysis, "gait")  # a reopened session: its frames, to correct events
    events = list(result.events)
    if not events:
        return
    st.markdown("**Correct the events by hand**")
    st.caption(
        "Pick an event (or click it on the timeline), show the frame it belongs to, then "
        "move it there; or delete it, or add a missed one on the frame shown. Ringed on "
        "the timeline: placed by hand; grey crosses: automatic events replaced."
    )
    seq = analysis.poses
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    _feet(analysis, row, person)
    back, on = st.columns(2)
    last = seq.num_frames - 1
    back.button("◀ Previous frame", key="gait_edit_prev", on_click=_step, args=(row_key, -1, last))
    on.button("Next frame ▶", key="gait_edit_next", on_click=_step, args=(row_key, 1, last))
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
    hand = list(hand_events_of(events))
    i = events.index(e)
    move, delete = st.columns(2)
    if move.button(
        f"Move it to frame {frame}",
        key="gait_edit_move",
        disabled=e.index == row,
        help="Show the frame it belongs to with the slider above, then move it there.",
    ):
        moved = HandEvent(e.side, e.event, t, frame)
        _apply(analysis, result, person, [*hand[:i], *hand[i + 1 :], moved], _id_at(e, row))
    if delete.button("Delete it", key="gait_edit_delete"):
        _apply(analysis, result, person, hand[:i] + hand[i + 1 :], "")
    _add(analysis, result, person, hand, row, frame, t)
    if result.events_source == "edited":
        reset(analysis)


def _step(row_key: str, delta: int, last: int) -> None:
    state.put(row_key, min(max(0, int(state.get(row_key, 0)) + delta), last))


def _feet(analysis: Analysis, row: int, person: int) -> None:
    """Both feet at full resolution: when does the heel land, the toe leave?"""
    from dashboard.figures import render
    from dashboard.figures.gait_edited import feet_crop
    from dashboard.ui import state

    data = state.current_source()
    if data is None:
        return
    try:
        rgb = state.video_frame(analysis, data, int(analysis.poses.frame_index[row]))
        crop = feet_crop(
            render.draw_pose(rgb, analysis.poses, row, people=[person]), analysis.poses, row, person
        )
    except Exception as exc:
        show_error(exc)
        return
    if crop is not None:
        st.image(render.fit_within(crop, 480), caption="The feet, close up", width=240)


def _id_at(e, row: int) -> str:
    return f"{e.side}|{e.event}|{row}"


def _add(analysis, result, person, hand, row: int, frame: int, t: float) -> None:
    p = next((p for p in result.passes if p.window_start <= row <= p.window_end), None)
    if p is None:
        st.caption("The frame shown is outside the walking passes: events are added within a pass.")
        return
    kinds = ("initial_contact", END_EVENT[p.mode])
    foot, kind, go = st.columns([2, 3, 2], vertical_alignment="bottom")
    side = foot.selectbox("Foot", ("left", "right"), key="gait_edit_add_side")
    what = kind.selectbox(
        "Missed event", kinds, format_func=EVENT_WORDS.get, key=f"gait_edit_add_{p.mode}"
    )
    if go.button(f"Add on frame {frame}", key="gait_edit_add"):
        new = HandEvent(side, what, t, frame)
        _apply(analysis, result, person, [*hand, new], f"{side}|{what}|{row}")


def measure(analysis: Analysis, row: int, person: int) -> None:
    """Measuring by hand (goniometer, distances, notes) on the event's frame shown:
    saved with its frame and time, marked "measured by hand" (as on Frame review)."""
    from dashboard.ui import state

    data = state.current_source()
    if data is None or not st.toggle(
        "📐 Measure by hand on the frame shown",
        key="gait_measuring",
        help="A goniometer, distances and notes on this frame (e.g. the knee at initial "
        "contact), saved with the session and the report, marked measured by hand.",
    ):
        return
    from dashboard.ui.goniometer import measure_panel, measurements_list

    try:
        rgb = state.video_frame(analysis, data, int(analysis.poses.frame_index[row]))
    except Exception as exc:
        show_error(exc)
        return
    measure_panel(analysis, row, rgb, key="gait_measure", person=person)
    measurements_list(analysis, key="gait_measure_list")
