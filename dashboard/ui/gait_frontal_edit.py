"""Correcting the contacts of walking towards or away from the camera by hand (the
Gait page's frontal section): a clickable timeline of each foot's contacts and lifts,
the frame shown with a close-up of the feet, then move the contact picked to the
frame shown, delete it, or add a missed one. Steps, cadence, step and stride time
are recomputed at once (:mod:`dashboard.kinematics.gait.frontal_edited`), never
detected again; "Events corrected by hand (N changed)" with the automatic figures
for reference. Every number comes from the core; this module only shows it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.errors import PoseDashError
from dashboard.kinematics.gait.events_file import HandEvent
from dashboard.kinematics.gait.frontal_edited import FRONTAL_KINDS
from dashboard.ui import gait_state, state, widgets
from dashboard.ui.angles_video import show_selected_row
from dashboard.ui.messages import show_error

__all__ = ["frontal_editor"]

ROW = "gait_frontal_row"
TIMELINE = "gait_frontal_timeline"
PICK = "gait_frontal_pick"
LAST_ROW = "gait_frontal_last_row"
PENDING = "gait_frontal_pending"
_WORDS = {"initial_contact": "foot put down", "foot_lift": "foot lifted"}
_COLOURS = {"left": "#2b6cb0", "right": "#c53030"}


def _id(c) -> str:
    return f"{c.side}|{c.event}|{c.index}"


def _label(c, by_hand: set) -> str:
    hand = " · placed by hand" if _id(c) in by_hand else ""
    return f"{c.side} {_WORDS[c.event]} · frame {c.frame} · {c.time_s:.2f} s{hand}"


def _hand_ids(fr) -> set:
    frames = {(d["side"], d["event"], d["frame"]) for d in fr.edits.get("placed_by_hand", [])}
    return {_id(c) for c in fr.contacts if (c.side, c.event, c.frame) in frames}


def _figure(fr, row_time: float, hand: set) -> go.Figure:
    fig = go.Figure()
    for side in ("left", "right"):
        for kind, symbol in (("initial_contact", "triangle-down"), ("foot_lift", "triangle-up")):
            cs = [c for c in fr.contacts if c.side == side and c.event == kind]
            if not cs:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[c.time_s for c in cs],
                    y=[side] * len(cs),
                    mode="markers",
                    name=f"{side} {_WORDS[kind]}",
                    marker=dict(
                        symbol=symbol,
                        size=14,
                        color=_COLOURS[side],
                        line=dict(width=[3 if _id(c) in hand else 0 for c in cs], color="#111"),
                    ),
                    customdata=[[c.index, c.frame] for c in cs],
                    hovertemplate="%{x:.2f} s · frame %{customdata[1]}<extra></extra>",
                )
            )
    now = {(c.side, c.event, c.frame) for c in fr.contacts}
    gone = [
        d
        for d in fr.edits.get("automatic_contacts", [])
        if (d["side"], d["event"], d["frame"]) not in now
    ]
    if gone:  # the automatic contacts replaced or deleted, for reference
        fig.add_trace(
            go.Scatter(
                x=[d["time_s"] for d in gone],
                y=[d["side"] for d in gone],
                mode="markers",
                name="automatic (replaced)",
                marker=dict(
                    symbol="x-thin", size=12, color="#888", line=dict(width=2, color="#888")
                ),
                hovertemplate="automatic, replaced: %{x:.2f} s<extra></extra>",
            )
        )
    for p in fr.passes:
        fig.add_vrect(x0=p.start_s, x1=p.end_s, fillcolor="#e2e8f0", opacity=0.4, line_width=0)
    fig.add_vline(x=row_time, line=dict(color="#444", dash="dot"))
    fig.update_layout(
        height=270,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(title="time (s)"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),
    )
    return fig


def _apply(analysis: Analysis, result, person: int, hand: list, pick: str) -> None:
    try:
        gait_state.result(analysis, result.settings, person, frontal=tuple(hand))
    except PoseDashError as exc:
        show_error(exc)
        return
    gait_state.set_frontal(analysis, person, hand)
    state.put(PENDING, pick)
    st.rerun()


def _picked(contacts: list, row: int) -> None:
    ids = [_id(c) for c in contacts]
    pending = state.take(PENDING)
    if pending in ids:
        state.put(PICK, pending)
    elif state.get(LAST_ROW) != row:
        here = [i for i, c in zip(ids, contacts, strict=True) if c.index == row]
        if here:
            state.put(PICK, here[0])
    state.put(LAST_ROW, row)
    if state.get(PICK) not in ids:
        nearest = int(np.argmin([abs(c.index - row) for c in contacts]))
        state.put(PICK, ids[nearest])


def _show_picked(rows: dict) -> None:
    row = rows.get(state.get(PICK))
    if row is not None:
        state.put(ROW, row)
        state.put(LAST_ROW, row)


def _step(delta: int, lo: int, hi: int) -> None:
    state.put(ROW, min(max(lo, int(state.get(ROW, lo)) + delta), hi))


def frontal_editor(analysis: Analysis, result, person: int) -> None:
    """The contacts of the frontal passes on a timeline, the frame shown, and the
    controls that correct them."""
    fr = result.frontal
    if fr is None or not fr.contacts:
        return
    seq = analysis.poses
    lo, hi = min(p.start for p in fr.passes), max(p.end for p in fr.passes)
    row = int(np.clip(state.get(ROW, fr.contacts[0].index), lo, hi))
    state.put(ROW, row)
    hand_ids = _hand_ids(fr)
    st.markdown("**Correct the contacts by hand**")
    st.caption(
        "Click a contact on the timeline (or pick it below) to see its frame, step to the "
        "frame the foot is really put down or lifted, then move it there; or delete it, or "
        "add a missed one. Steps and cadence are recomputed at once. Ringed: placed by hand."
    )
    st.plotly_chart(
        _figure(fr, float(seq.time_s[row]), hand_ids),
        on_select=show_selected_row(TIMELINE, ROW),
        selection_mode="points",
        key=TIMELINE,
        config={"displaylogo": False},
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.slider("Frame shown", lo, hi, key=ROW, format="%d")
        row = int(state.get(ROW))
        _frame(analysis, row, person)
    with right:
        _controls(analysis, result, person, row, (lo, hi), hand_ids)
    _table(fr, hand_ids)


def _controls(analysis, result, person: int, row: int, bounds, hand_ids: set) -> None:
    seq, fr = analysis.poses, result.frontal
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    back, on = st.columns(2)
    back.button("◀ Previous frame", key="gait_frontal_prev", on_click=_step, args=(-1, *bounds))
    on.button("Next frame ▶", key="gait_frontal_next", on_click=_step, args=(1, *bounds))
    contacts = list(fr.contacts)
    _picked(contacts, row)
    by_id = {_id(c): c for c in contacts}
    pick = st.selectbox(
        "Event",
        list(by_id),
        key=PICK,
        format_func=lambda i: _label(by_id[i], hand_ids),
        on_change=_show_picked,
        args=({i: c.index for i, c in by_id.items()},),
    )
    c = by_id[pick]
    hand = [HandEvent(x.side, x.event, float(x.time_s), int(x.frame)) for x in contacts]
    i = contacts.index(c)
    move, delete = st.columns(2)
    if move.button(f"Move it to frame {frame}", key="gait_frontal_move", disabled=c.index == row):
        moved = HandEvent(c.side, c.event, t, frame)
        _apply(
            analysis,
            result,
            person,
            [*hand[:i], *hand[i + 1 :], moved],
            f"{c.side}|{c.event}|{row}",
        )
    if delete.button("Delete it", key="gait_frontal_delete"):
        _apply(analysis, result, person, hand[:i] + hand[i + 1 :], "")
    foot, kind, go_ = st.columns([2, 3, 2], vertical_alignment="bottom")
    side = foot.selectbox("Foot", ("left", "right"), key="gait_frontal_add_side")
    what = kind.selectbox(
        "Missed event", FRONTAL_KINDS, format_func=_WORDS.get, key="gait_frontal_add_kind"
    )
    if go_.button(f"Add on frame {frame}", key="gait_frontal_add"):
        new = HandEvent(side, what, t, frame)
        _apply(analysis, result, person, [*hand, new], f"{side}|{what}|{row}")
    if fr.edits and st.button(
        "Undo every correction (back to the automatic contacts)", key="gait_frontal_reset"
    ):
        gait_state.clear_frontal(analysis)
        st.rerun()


def _frame(analysis: Analysis, row: int, person: int) -> None:
    from dashboard.figures import render
    from dashboard.figures.gait_edited import feet_crop

    seq = analysis.poses
    data = state.current_source()
    caption = f"{float(seq.time_s[row]):.2f} s · video frame {int(seq.frame_index[row])}"
    if data is None:
        st.caption(caption + " (the video is not in this session: its frames cannot be shown)")
        from dashboard.ui import relink

        relink.offer(analysis, "gait_frontal")  # give it again to see the frames
        return
    try:
        rgb = state.video_frame(analysis, data, int(seq.frame_index[row]))
        drawn = render.draw_pose(rgb, seq, row, people=[person])
        crop = feet_crop(drawn, seq, row, person)
    except Exception as exc:
        show_error(exc)
        return
    pic, feet = st.columns([3, 2])
    pic.image(render.fit_within(drawn, 640), caption=caption)
    if crop is not None:
        feet.image(render.fit_within(crop, 480), caption="The feet, close up")


def _table(fr, hand_ids: set) -> None:
    rows = [
        {
            "Foot": c.side,
            "Event": _WORDS[c.event],
            "Time (s)": c.time_s,
            "Video frame": c.frame,
            "Pass": c.pass_index + 1,
            "Placed by hand": "yes" if _id(c) in hand_ids else "",
        }
        for c in fr.contacts
    ]
    widgets.show_table(pd.DataFrame(rows), hide_index=True, height=200)
