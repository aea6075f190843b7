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
from dashboard.kinematics.gait.frontal_edited import FRONTAL_KINDS
from dashboard.kinematics.gait.words import FRONTAL_WORDS as _WORDS
from dashboard.ui import event_editor, gait_state, keys, state, widgets
from dashboard.ui.angles_video import show_selected_row
from dashboard.ui.event_editor import EventEditor
from dashboard.ui.messages import show_error

__all__ = ["frontal_editor"]

ROW = keys.GAIT_FRONTAL_ROW.name  # the frame slider
TIMELINE = "gait_frontal_timeline"
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


def frontal_editor(analysis: Analysis, result, person: int) -> None:
    """The contacts of the frontal passes on a timeline, the frame shown, and the
    controls that correct them."""
    fr = result.frontal
    if fr is None or not fr.contacts:
        return
    seq = analysis.poses
    lo, hi = min(p.start for p in fr.passes), max(p.end for p in fr.passes)
    row = int(np.clip(keys.GAIT_FRONTAL_ROW.get(fr.contacts[0].index), lo, hi))
    keys.GAIT_FRONTAL_ROW.set(row)
    hand_ids = _hand_ids(fr)
    event_editor.heading(
        "Click a contact on the timeline (or pick it below) to see its frame, step to the "
        "frame the foot is really put down or lifted, then move it there; or delete it, or "
        "add a missed one. Steps and cadence are recomputed at once. Ringed: placed by hand.",
        "contacts",
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
        row = int(keys.GAIT_FRONTAL_ROW.get())
        _frame(analysis, row, person)
    with right:
        _controls(analysis, result, person, row, (lo, hi), hand_ids)
    _table(fr, hand_ids)
    event_editor.corrections_list(fr.edits)


def _editor(analysis: Analysis, result, person: int, bounds, hand_ids: set) -> EventEditor:
    """The frontal contacts in the shared editor (:mod:`.event_editor`)."""

    def check(hand: list) -> None:
        gait_state.result(analysis, result.settings, person, frontal=tuple(hand))

    return EventEditor(
        pick=keys.GAIT_FRONTAL_PICK,
        pending=keys.GAIT_FRONTAL_PENDING,
        last_row=keys.GAIT_FRONTAL_LAST_ROW,
        widgets="gait_frontal",
        row_key=ROW,
        bounds=bounds,
        label=lambda c: _label(c, hand_ids),
        check=check,
        keep=lambda hand: gait_state.set_frontal(analysis, person, hand),
    )


def _controls(analysis, result, person: int, row: int, bounds, hand_ids: set) -> None:
    seq, fr = analysis.poses, result.frontal
    frame, t = int(seq.frame_index[row]), float(seq.time_s[row])
    ed = _editor(analysis, result, person, bounds, hand_ids)
    hand = event_editor.controls(ed, list(fr.contacts), row, t, frame)
    kind_key = "gait_frontal_add_kind"
    event_editor.add(ed, hand, row, t, frame, FRONTAL_KINDS, _WORDS.get, kind_key, feet=True)
    if fr.edits:
        event_editor.reset(
            "gait_frontal", ed.pick, "contacts", lambda: gait_state.clear_frontal(analysis)
        )


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
