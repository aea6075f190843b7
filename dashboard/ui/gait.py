"""The Gait page: camera-setup verdict, gait events on a clickable timeline with the
frame, spatiotemporal parameters with downloads, and the gait-cycle curves.

Every number comes from :mod:`dashboard.kinematics.gait`; this module only shows it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.figures import render
from dashboard.figures.gait import cycle_curves_figure, events_figure
from dashboard.kinematics.symmetry import SYMMETRY_WORDS, signed_key_values, signed_symmetry
from dashboard.ui import gait_edit, gait_state, help_page, navigation, norms_view, state, widgets
from dashboard.ui.angles_video import show_selected_row
from dashboard.ui.gait_frontal import frontal_section
from dashboard.ui.gait_scale import floor_marks_control, scale_words
from dashboard.ui.keys import GAIT_REQUESTED, GAIT_ROW, GAIT_SETTINGS
from dashboard.ui.messages import show_error

ROW = GAIT_ROW.name  # the frame slider's widget key
TIMELINE = "posedash_gait_timeline"
PLOTLY_CONFIG = {"displaylogo": False}
FRAME_SIDE = 720
_ICONS = {True: "✅", False: "❌", None: "❔"}


def walking(analysis: Analysis) -> bool:
    """Does the analysis under review look like walking? (computed once per analysis)"""
    from dashboard.kinematics.walking_reps import walking_people

    if analysis.kind != "video":
        return False
    from dashboard.kinematics.people import main_person

    person = main_person(analysis.poses) or 0  # the person the report describes
    # shared with the angles' repetition rule (Kinematics.walking): checked once
    return state.remember(
        ("gait_walking", state.fingerprint(analysis)),
        lambda: person < analysis.poses.num_people and walking_people(analysis.poses)[person],
        slots=4,
    )


def suggest(analysis: Analysis) -> None:
    """A link to the Gait page when the video looks like walking (for other pages)."""
    try:
        if walking(analysis):
            navigation.link("gait", "This looks like walking: see the gait analysis")
    except Exception:  # a suggestion must never break the page that shows it
        pass


def render_page() -> None:
    st.title("🚶 Gait")
    st.caption(
        "Walking passes, gait events (initial contact, toe off), cadence, step and "
        "stride times, stance, swing and double support, symmetry, and hip, knee and "
        "ankle angles over the gait cycle, from a video filmed from the side."
    )
    help_page.link("gait", "Gait: definitions and limits")
    analysis = widgets.require_current(
        "Gait analysis needs a video of the person walking across the picture, filmed from "
        "the side: analyse one first, or open a session you saved from one.",
        links=("video", "session"),
    )
    if analysis is None:
        return
    if analysis.kind != "video":
        st.info(
            "Gait analysis needs a video of the person walking across the picture, "
            "filmed from the side. The analysis under review is a photo.",
            icon="ℹ️",
        )
        navigation.link("video", "Analyse a video")
        return
    st.markdown(widgets.describe(analysis))
    settings, person = _settings(analysis)
    key = state.fingerprint(analysis)
    if not walking(analysis) and GAIT_REQUESTED.get() != key:
        st.info(
            "This video does not look like walking across the picture (no steady "
            "walking pass with two contacts of each foot was found), so gait analysis "
            "is not suggested for it. You can still run it.",
            icon="🚶",
        )
        if st.button("Analyse gait anyway", key="gait_anyway"):
            GAIT_REQUESTED.set(key)
            st.rerun()
        return
    try:  # from the events corrected by hand, if any (dashboard/ui/gait_edit.py)
        result = gait_state.result(analysis, settings, person)
    except Exception as exc:
        show_error(exc)
        gait_edit.reset(analysis)
        return
    _verdict(result)
    gait_edit.notice(analysis, result, person)
    frontal_section(result, analysis, person)
    if not result.events:
        return
    _timeline(analysis, result, person)
    norms_view.gait_reference(result)
    _parameters(analysis, result)
    _backward(result)
    _curves(result)
    _dropped(result)


def _settings(analysis: Analysis):
    """The height and angle-space controls; stores the settings for sessions."""
    from dashboard.kinematics.gait import GaitSettings

    current = state.gait_settings()
    cols = st.columns([1, 1, 1])
    height = cols[0].number_input(
        "Patient's height (m)",
        min_value=0.0,
        max_value=2.5,
        step=0.01,
        value=float(current.height_m or 0.0),
        key="gait_height_m",
        format="%.2f",
        help="Optional. With it, step and stride length and walking speed are in metres; "
        "without it (0), in body heights.",
    )
    space = cols[1].radio(
        "Angles measured in",
        ("image", "world"),
        horizontal=True,
        key="gait_space",
        index=0 if current.angle_space == "image" else 1,
        format_func={"image": "the picture (side view)", "world": "3D estimate"}.get,
        help="The picture gives true sagittal angles in a side view; the 3D estimate works "
        "in any view but carries the model's depth error.",
    )
    people = analysis.poses.num_people
    person = 0
    if people > 1:
        from dashboard.kinematics.people import main_person

        person = cols[2].selectbox(
            "Person",
            range(people),
            format_func=lambda i: f"{i + 1}",
            key="gait_person",
            index=main_person(analysis.poses) or 0,
        )
    if 0 < height < 0.5:
        st.warning("A height below 0.5 m cannot be right: lengths are shown in body heights.")
        height = 0.0
    marks = None
    if st.toggle(
        "Scale from two floor marks instead",
        value=current.floor_marks is not None,
        key="gait_use_marks",
        help="Two points of known distance on the floor (a tape, tiles) clicked on a frame.",
    ):
        marks = floor_marks_control(analysis, current)
    settings = GaitSettings(height_m=height or None, angle_space=space, floor_marks=marks)
    GAIT_SETTINGS.set(settings)
    return settings, person


def _verdict(result) -> None:
    from dashboard.kinematics.gait.frontal_words import (
        FRONTAL_ONLY_VERDICT,
        VERDICT_WORDS,
        frontal_only,
    )

    verdict = result.verdict
    say = {"good": st.success, "usable": st.warning, "not suitable": st.error}[verdict]
    if frontal_only(verdict, result.frontal, len(result.passes)):
        st.warning(FRONTAL_ONLY_VERDICT, icon="⚠️")
    else:
        say(
            VERDICT_WORDS[verdict],
            icon={"good": "✅", "usable": "⚠️", "not suitable": "❌"}[verdict],
        )
    _checks(result)


def _checks(result) -> None:
    lines = []
    for c in result.checks:
        line = f"{_ICONS[c.ok]} **{c.label}**: {c.detail}."
        if c.ok is not True:
            line += f" *{c.advice}*"
        lines.append(line)
    st.markdown("\n".join(f"- {x}" for x in lines))
    notices = result.walking_notices
    for n in notices:  # a pass walked backwards (left out) or facing unclear
        st.warning(n, icon="↩️")
    for w in result.warnings:
        if w not in notices and w != result.extra.get("events_doc", {}).get("events_note"):
            st.caption(f"ℹ️ {w}")


@st.fragment
def _timeline(analysis: Analysis, result, person: int) -> None:
    st.subheader("Gait events")
    seq = analysis.poses
    last = seq.num_frames - 1
    first_event = result.events[0].index if result.events else 0
    row = int(np.clip(GAIT_ROW.get(first_event), 0, last))
    GAIT_ROW.set(row)
    chart, side = st.columns([3, 2], gap="medium")
    with chart:
        fig = events_figure(result, current_time_s=float(seq.time_s[row]))
        gait_edit.mark_corrections(fig, result, seq)
        fig.update_layout(uirevision="gait")
        st.plotly_chart(
            fig,
            on_select=show_selected_row(TIMELINE, ROW),
            selection_mode="points",
            key=TIMELINE,
            config=PLOTLY_CONFIG,
        )
        st.caption(
            "▼ initial contact, ○ toe off (walking backwards: foot off, the heel leaving "
            "the ground last); left orange, right blue; fainter markers are less "
            "confident. **Open markers: acceleration or deceleration contacts**, outside "
            "the pass's steady walking (the person entering or leaving the picture, "
            "speeding up after standing, slowing down before stopping or turning): shown, "
            f"but not averaged. Steady walking: at least "
            f"{result.settings.steady_speed_share:.0%} of the pass's median speed with the "
            "whole body in the picture. Orange dashes: acceleration/deceleration strides; "
            "grey dots: strides left out by the quality checks. "
            "**Click an event to see its frame** (and correct it on the right)."
        )
        _events_table(result)
    with side:
        st.slider(
            "Frame shown",
            0,
            last,
            key=ROW,
            format="%d",
            help="Or click an event on the timeline. Numbered in analysed frames.",
        )
        _frame(analysis, int(GAIT_ROW.get()), person)
        gait_edit.editor(analysis, result, int(GAIT_ROW.get()), person, ROW)
    gait_edit.measure(analysis, int(GAIT_ROW.get()), person)


def _events_table(result) -> None:
    """The events in words, times in seconds to 2 decimals (the CSV keeps every digit)."""
    from dashboard.kinematics.gait.words import EVENT_HELP, events_display

    num = st.column_config.NumberColumn
    widgets.show_table(
        events_display(result.events_table()),
        {
            "Time (s)": num(format="%.2f"),
            "Video frame": num(format="%d", help=EVENT_HELP["Video frame"]),
            "Pass": num(format="%d"),
            "Confidence": num(format="%.2f", help=EVENT_HELP["Confidence"]),
            "Cross-check (s)": num(format="%+.2f", help=EVENT_HELP["Cross-check (s)"]),
        },
        hide_index=True,
        height=200,
    )


def _frame(analysis: Analysis, row: int, person: int) -> None:
    seq = analysis.poses
    caption = f"{float(seq.time_s[row]):.2f} s · video frame {int(seq.frame_index[row])}"
    data = state.current_source()
    if data is None:
        st.info(
            "The video itself is not in this session (it was reopened from a saved "
            "session file), so its frames cannot be shown until you give it again (below).",
            icon="🎞️",
        )
        return
    try:
        rgb = state.video_frame(analysis, data, int(seq.frame_index[row]), FRAME_SIDE)
        st.image(
            render.draw_pose(render.fit_within(rgb, FRAME_SIDE), seq, row, people=[person]),
            caption=caption,
        )
    except Exception as exc:
        show_error(exc)


def _fmt(stats: dict | None, digits: int) -> str:
    """mean ± SD (n=..); below 3 values the mean, n and why there is no SD (the
    report's words too: :func:`~dashboard.kinematics.gait.frontal_words.stat_words`)."""
    from dashboard.kinematics.gait.frontal_words import stat_words

    return stat_words(stats, digits)


def parameters_display(result, per_side: dict | None = None, overall=None) -> pd.DataFrame:
    """The parameter table as shown: mean ± SD (n) for left, right and both sides
    (``per_side``: another walking's, e.g. ``result.backward``). Walking speed is
    the body's: given for both sides only."""
    from dashboard.kinematics.gait.parameters import PARAMETER_LABELS

    per_side = per_side or result.per_side
    overall = result.overall if overall is None else overall
    digits = {"_s": 2, "_pct": 1, "_min": 1, "_heights": 3, "_m": 2}
    rows = []
    for key, label in PARAMETER_LABELS.items():
        d = next((v for k, v in digits.items() if key.endswith(k)), 2)
        if key in per_side["both"]:
            sides = {
                s.capitalize(): _fmt(per_side[s][key], d) if key in per_side[s] else ""
                for s in ("left", "right")
            }
            if key == "stride_time_cv_pct":  # a variability has no SD of its own
                sides = {k: v.split(" (")[0] for k, v in sides.items()}
            rows.append({"Parameter": label, **sides, "Both sides": _fmt(per_side["both"][key], d)})
        elif key in overall:
            value = signed_symmetry(overall[key], per_side, key)
            rows.append({"Parameter": label, "Left": "", "Right": "", "Both sides": _fmt(value, 1)})
    return pd.DataFrame(rows)


def _parameters(analysis: Analysis, result) -> None:
    from dashboard.kinematics.gait import gait_cycles_csv

    st.subheader("Spatiotemporal parameters")
    shown = parameters_display(result)
    widgets.show_table(shown, hide_index=True, height=35 * (len(shown) + 1) + 3)
    st.caption(
        "Mean ± SD over the steady strides (or steps) kept, n = how many; below 3 "
        "strides no SD or variability is given (too few for a spread). Acceleration "
        "and deceleration strides (open markers on the timeline) are not averaged. "
        "Step time: from one foot's contact to the other's, given for the foot landing. "
        "Walking speed is the body's: total stride length over total stride time, both "
        f"feet together. {SYMMETRY_WORDS} Stride-time variability: SD / mean. "
        + scale_words(result)
    )
    per_pass = result.pass_parameters()
    if not per_pass.empty:
        st.markdown(
            "**Per walking pass** (compare the two directions; a pass walked backwards is "
            "analysed as backward walking, below, not averaged with forward walking)"
        )
        from dashboard.kinematics.gait.parameters import PARAMETER_LABELS
        from dashboard.kinematics.gait.words import passes_display

        num = st.column_config.NumberColumn
        widgets.show_table(
            passes_display(per_pass),
            {
                "Start (s)": num(format="%.2f"),
                "End (s)": num(format="%.2f"),
                "Cadence (steps/min)": num(format="%.1f"),
                "Stride time (s)": num(format="%.2f"),
                "Step time (s)": num(format="%.2f"),
                PARAMETER_LABELS["stance_pct"]: num(
                    "Stance (%)", format="%.1f", help=PARAMETER_LABELS["stance_pct"]
                ),
            },
            hide_index=True,
            width="stretch",
        )
    stem = Path(analysis.source_name).stem or "video"
    cols = st.columns(4)
    cols[0].download_button(
        "⬇️ Gait report (JSON)",
        result.to_json(),
        file_name=f"{stem}.gait.json",
        mime="application/json",
        on_click="ignore",
    )
    cols[1].download_button(
        "⬇️ Parameters (CSV)",
        result.parameters_table().to_csv(index=False),
        file_name=f"{stem}.gait_parameters.csv",
        mime="text/csv",
        on_click="ignore",
    )
    cols[2].download_button(
        "⬇️ Cycle curves (CSV)",
        gait_cycles_csv(result),
        file_name=f"{stem}.gait_cycles.csv",
        mime="text/csv",
        on_click="ignore",
    )
    cols[3].download_button(
        "⬇️ Events (CSV)",
        result.events_table().to_csv(index=False),
        file_name=f"{stem}.gait_events.csv",
        mime="text/csv",
        on_click="ignore",
    )


def _backward(result) -> None:
    """Backward walking, reported apart from forward walking (nothing without it)."""
    doc = result.backward_dict()
    if doc is None:
        return
    passes = ", ".join(str(i + 1) for i in doc["passes"])
    st.subheader("Backward walking")
    st.caption(
        f"Pass {passes}, walked backwards. A contact is the toes landing behind, and the "
        "heel leaves the ground last (foot off). These figures are never mixed with "
        "forward walking above; no gait-cycle curves are drawn for backward walking."
    )
    shown = parameters_display(result, result.backward, {})
    widgets.show_table(shown, hide_index=True, height=35 * (len(shown) + 1) + 3)


def _curves(result) -> None:
    st.subheader("Gait-cycle curves")
    if result.cycles_table().empty:
        st.info(
            "No stride passed the quality checks with its angles known, so no curve can be drawn.",
            icon="ℹ️",
        )
        return
    st.plotly_chart(cycle_curves_figure(result), config=PLOTLY_CONFIG)
    st.caption(
        "Each stride from initial contact (0 %) to the next contact of the same foot "
        "(100 %), resampled on its real timestamps; line = mean, band = ± 1 SD; "
        "dashed = mean toe off. Angles from the joint-angle catalogue "
        f"({'picture' if result.angle_space == 'image' else '3D estimate'}, "
        "smoothed)."
    )
    table = result.key_values_table()
    shown = pd.DataFrame(
        {
            "Key value": table.label,
            "Left": [
                _fmt(dict(mean=m, sd=s, n=n), 1)
                for m, s, n in zip(
                    table.left_mean_deg, table.left_sd_deg, table.left_n, strict=False
                )
            ],
            "Right": [
                _fmt(dict(mean=m, sd=s, n=n), 1)
                for m, s, n in zip(
                    table.right_mean_deg, table.right_sd_deg, table.right_n, strict=False
                )
            ],
            "Left − right (°)": table.difference_deg,
            "Symmetry index (%)": signed_key_values(table),
        }
    )
    widgets.show_table(shown, hide_index=True)
    for label, why in zip(table.label, table.withheld_reason, strict=True):
        if why:
            st.caption(f"{label}: – ({why}).")
    st.caption(
        "Each value is measured on every kept stride, then averaged. Symmetry index: 100 × "
        "(|L| − |R|) / ½(|L| + |R|), positive: the left larger; near 0° it is not meaningful "
        "(it divides by a small number): read the left − right difference in degrees instead."
    )


def _dropped(result) -> None:
    dropped = result.dropped_cycles
    with st.expander(
        f"Strides left out by the quality checks ({len(dropped)} of {len(result.cycles)})"
    ):
        if not dropped:
            st.write("None: every stride passed the checks.")
            return
        widgets.show_table(
            pd.DataFrame(
                [
                    {
                        "Side": c.side,
                        "Pass": c.pass_index + 1,
                        "Start (s)": c.start_s,
                        "Reason": c.reason,
                    }
                    for c in dropped
                ]
            ),
            hide_index=True,
        )
