"""Joint angles page for a video: the chart of angles over time, and the frame beside it
(click a point to see that frame)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.figures import charts as figures, render
from dashboard.kinematics.catalogue import angle_def, sides
from dashboard.kinematics.compute import AngleSet
from dashboard.kinematics.validity import LEVEL_MARKS
from dashboard.skeleton import hex_colour
from dashboard.text.display import format_value
from dashboard.ui import state, widgets
from dashboard.ui.angles_keys import CHART, FRAME_ROW, FRAME_SIDE, PLOTLY_CONFIG, clamp
from dashboard.ui.keys import ANGLES_CHART, ANGLES_FRAME_ROW, widget as state_key
from dashboard.ui.messages import show_error


def show_selected_row(timeline_key: str, row_key: str):
    """An ``on_select`` callback: the frame slider ``row_key`` jumps to the row of the point
    clicked on the chart ``timeline_key`` (the Gait and Tests pages' event timelines)."""

    def on_select() -> None:
        row = row_of_selection(state_key(timeline_key).get())
        if row is not None:
            state_key(row_key).set(row)

    return on_select


def row_of_selection(event) -> int | None:
    """The sequence row of the first clicked point of a chart selection event (every
    clickable trace of the chart carries its row as ``customdata[0]``), or None."""
    try:
        points = event["selection"]["points"]
    except (TypeError, KeyError):
        return None
    for point in points or ():
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom and custom[0] is not None:
            try:
                return int(custom[0])
            except (TypeError, ValueError):
                continue
    return None


def _on_select() -> None:
    """A point was clicked: show its frame."""
    row = row_of_selection(ANGLES_CHART.get())
    if row is not None:
        ANGLES_FRAME_ROW.set(row)


@st.fragment
def chart_and_frame(
    analysis: Analysis,
    aset: AngleSet,
    slot: int,
    keys: tuple[str, ...],
    marks: figures.RepetitionMarks | None,
    verdicts: dict | None = None,
) -> None:
    """The angle chart and, beside it, the frame chosen by a click or the slider.

    ``verdicts``: ``(angle, side) -> Verdict`` of the core's range-of-motion table:
    a withheld series is drawn without values, a caution one dotted."""
    verdicts = verdicts or {}
    seq = analysis.poses
    last = seq.num_frames - 1
    row = clamp(int(ANGLES_FRAME_ROW.get(0)), 0, last)
    ANGLES_FRAME_ROW.set(row)
    chart, side = st.columns([3, 2], gap="medium")
    with chart:
        fig = figures.angle_time_figure(
            aset,
            keys,
            slot,
            repetitions=marks,
            selected_time_s=float(seq.time_s[row]),
            verdicts=verdicts,
        )
        fig.update_layout(uirevision="angles")
        st.plotly_chart(
            fig, on_select=_on_select, selection_mode="points", key=CHART, config=PLOTLY_CONFIG
        )
        st.caption(
            f"<span style='color:{hex_colour('left')}'>**Left side orange**</span>, "
            f"<span style='color:{hex_colour('right')}'>**right side blue**</span> (the "
            "person's own sides, as on the skeleton), midline angles grey. Solid: smoothed; "
            "faint: raw. **Dotted: ⚠ caution** (the hover says why); a withheld angle "
            "draws no value, its reason is written on its row. Ticks under a curve: "
            "frames without a value (hover says why). "
            "✕: foreshortened or out of plane. **Click a point to see that frame.** "
            "Drag to zoom, double-click to zoom out.",
            unsafe_allow_html=True,
        )
    with side:
        st.slider(
            "Frame shown",
            0,
            last,
            key=FRAME_ROW,
            format="%d",
            help="Or click a point on the chart. Numbered in analysed frames.",
        )
        row = int(ANGLES_FRAME_ROW.get())
        _frame(analysis, row, slot)
        _values_at(aset, slot, keys, row, verdicts)


def _frame(analysis: Analysis, row: int, slot: int) -> None:
    seq = analysis.poses
    frame_index, time_s = int(seq.frame_index[row]), float(seq.time_s[row])
    caption = f"{time_s:.2f} s · video frame {frame_index}"
    data = state.current_source()
    if data is None:
        st.info(
            "The video itself is not in this session (it was reopened from a saved "
            "session file), so only the skeleton can be drawn here.",
            icon="🎞️",
        )
        w, h = seq.image_size
        scale = min(1.0, FRAME_SIDE / max(w, h))
        canvas = np.full((max(1, round(h * scale)), max(1, round(w * scale)), 3), 40, np.uint8)
        st.image(render.draw_pose(canvas, seq, row, people=[slot]), caption=caption)
        return
    try:
        rgb = state.video_frame(analysis, data, frame_index, max_side=FRAME_SIDE)
    except Exception as exc:
        show_error(exc)
        return
    st.image(render.draw_pose(rgb, seq, row, people=[slot]), caption=caption)


def _values_at(aset: AngleSet, slot: int, keys, row: int, verdicts: dict) -> None:
    rows = []
    for key in keys:
        for side in sides(key):
            i = aset.index(key, side)
            value = float(aset.value_deg[row, slot, i])
            conf = float(aset.confidence[row, slot, i])
            flag = " ⚠" if aset.foreshortened[row, slot, i] else ""
            verdict = verdicts.get((key, side))
            level = verdict.level if verdict is not None else "valid"
            shown = "–" if level == "withheld" else format_value(value, "%.1f") + flag
            rows.append(
                {
                    "Angle": f"{aset.defs[i].label} ({side or 'midline'})",
                    "Value (°)": shown,
                    "Trust": LEVEL_MARKS.get(level, level),
                    "Visibility": conf if np.isfinite(conf) else None,
                }
            )
    # four short columns: the table sits beside the chart and must fit without scrolling
    widgets.show_table(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Angle": st.column_config.TextColumn(help="Left and right are the person's own sides."),
            "Value (°)": st.column_config.TextColumn(
                alignment="right",
                help="Smoothed value at this frame. ⚠: foreshortened or out "
                "of plane. –: no value (see the chart's gap ticks).",
            ),
            "Trust": st.column_config.TextColumn(
                help="The angle's verdict in this recording: ✓ valid, ⚠ caution, – withheld "
                "(no value shown). The range-of-motion table below says why."
            ),
            "Visibility": st.column_config.NumberColumn(
                format="%.2f",
                help="0 to 1: the lowest visibility of the landmarks the angle uses. It "
                "says the model saw them, not that the angle is right: Trust says that.",
            ),
        },
    )
    _known_errors(aset, keys, verdicts)


def _known_errors(aset: AngleSet, keys, verdicts: dict) -> None:
    """The measured error of the absolute values shown (the validity table), under them."""
    errors: dict[str, list[str]] = {}
    for key in keys:
        for side in sides(key):
            verdict = verdicts.get((key, side))
            if verdict is not None and verdict.bias and not verdict.withheld:
                errors.setdefault(verdict.bias, []).append(angle_def(key, side).label)
    for bias, labels in errors.items():
        st.caption(f"Known error ({', '.join(dict.fromkeys(labels))}): {bias}.")
