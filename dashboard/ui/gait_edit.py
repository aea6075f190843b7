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
from dashboard.kinematics.gait.events import END_EVENT
from dashboard.kinematics.gait.words import EVENT_WORDS
from dashboard.ui import event_editor, gait_state, keys, relink
from dashboard.ui.event_editor import EventEditor
from dashboard.ui.messages import show_error

__all__ = ["editor", "mark_corrections", "measure", "notice", "reset"]


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
    event_editor.corrections_list(result.extra["events_doc"])


def reset(analysis: Analysis) -> None:
    """The button that drops every correction (offered with an error too)."""
    event_editor.reset(
        "gait_edit", keys.GAIT_EDIT_PICK, "events", lambda: gait_state.clear(analysis)
    )


def _editor(analysis: Analysis, result, person: int, row_key: str) -> EventEditor:
    """The Gait page's side-view events in the shared editor (:mod:`.event_editor`)."""

    def check(hand: list) -> None:
        gait_state.result(analysis, result.settings, person, hand)

    return EventEditor(
        pick=keys.GAIT_EDIT_PICK,
        pending=keys.GAIT_EDIT_PENDING,
        last_row=keys.GAIT_EDIT_LAST_ROW,
        widgets="gait_edit",
        row_key=row_key,
        bounds=(0, analysis.poses.num_frames - 1),
        label=_label,
        check=check,
        keep=lambda hand: gait_state.set_hand_events(analysis, person, hand),
        pick_help="Or click it on the timeline. Its frame is shown.",
        move_help="Show the frame it belongs to with the slider above, then move it there.",
    )


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
    event_editor.heading(
        "Pick an event (or click it on the timeline), show the frame it belongs to, then "
        "move it there; or delete it, or add a missed one on the frame shown. Ringed on "
        "the timeline: placed by hand; grey crosses: automatic events replaced."
    )
    seq = analysis.poses
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    _feet(analysis, row, person)
    ed = _editor(analysis, result, person, row_key)
    hand = event_editor.controls(ed, events, row, t, frame)
    p = next((p for p in result.passes if p.window_start <= row <= p.window_end), None)
    if p is None:
        st.caption("The frame shown is outside the walking passes: events are added within a pass.")
    else:
        kinds = ("initial_contact", END_EVENT[p.mode])
        event_editor.add(
            ed, hand, row, t, frame, kinds, EVENT_WORDS.get, f"gait_edit_add_{p.mode}", feet=True
        )
    if result.events_source == "edited":
        reset(analysis)


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


def measure(analysis: Analysis, row: int, person: int) -> None:
    """Measuring by hand (goniometer, distances, notes) on the event's frame shown:
    saved with its frame and time, marked "measured by hand" (as on Frame review)."""
    event_editor.measure(
        analysis,
        row,
        person,
        "gait_measuring",
        "gait_measure",
        "A goniometer, distances and notes on this frame (e.g. the knee at initial "
        "contact), saved with the session and the report, marked measured by hand.",
    )
