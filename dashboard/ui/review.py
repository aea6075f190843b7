"""Frame review: step through an analysed video with the skeleton drawn on demand.

Frames are decoded when shown, from the video held in this session's memory, by
the session's frame reader (:func:`dashboard.ui.state.video_frame`): it seeks
to the keyframe before a frame and goes on decoding for the next one; only a
few recent pictures are kept.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.figures import render
from dashboard.figures.annotate import draw_measurements
from dashboard.figures.timeline import timeline_figure
from dashboard.ui import keys, manual_state, relink, state, widgets
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

ROW = keys.REVIEW_ROW.name
PLAYING = keys.REVIEW_PLAYING.name
MEASURING = "posedash_review_measuring"
DISPLAY_SIDE = 1280
DISPLAY_HEIGHT = 720


def render_page() -> None:
    st.title("🎞️ Frame review")
    analysis = widgets.require_current(
        "Frame review shows an analysed video frame by frame. Analyse a video first.",
        links=("video",),
        kind="video",
    )
    if analysis is None:
        return
    data = state.current_source()
    seq = analysis.poses
    st.caption(f"{plain(analysis.label)}: {seq.num_frames:,} analysed frames.")
    relink.offer(analysis, "review")
    if data is None:
        st.warning(
            "This analysis was reopened from a session file without its video, so "
            "frames cannot be shown until you give the video again (above). The timeline, "
            "angles and tables still work."
        )
        st.plotly_chart(timeline_figure(seq), config={"displaylogo": False})
        return
    last = seq.num_frames - 1
    keys.REVIEW_ROW.set(min(max(0, int(keys.REVIEW_ROW.get(0))), last))
    _player(analysis, data, last)


def _step(delta: int, last: int) -> None:
    keys.REVIEW_ROW.set(min(max(0, keys.REVIEW_ROW.get(0) + delta), last))


@st.fragment
def _player(analysis, data: bytes, last: int) -> None:
    seq = analysis.poses
    cols = st.columns([1, 1, 1, 1, 6])
    cols[0].button("⏮", help="First frame", on_click=_step, args=(-last, last), disabled=last == 0)
    cols[1].button("◀", help="Previous frame", on_click=_step, args=(-1, last), disabled=last == 0)
    cols[2].button("▶", help="Next frame", on_click=_step, args=(1, last), disabled=last == 0)
    playing = cols[3].toggle("Play", key=PLAYING, disabled=last == 0)
    if last > 0:
        cols[4].slider(
            "Frame",
            0,
            last,
            key=ROW,
            label_visibility="collapsed",
            format="%d",
            help="Analysed frame (use the arrows to step).",
        )
    row = keys.REVIEW_ROW.get(0)
    frame_index, time_s = int(seq.frame_index[row]), float(seq.time_s[row])
    try:
        rgb = state.video_frame(analysis, data, frame_index)
    except Exception as exc:
        show_error(exc)
        return
    measuring = st.toggle(
        "📐 Measure on this frame",
        key=MEASURING,
        disabled=playing,
        help="A goniometer, distances and notes on this frame, measured by hand.",
    )
    if measuring and not playing:
        from dashboard.ui.goniometer import measure_panel, measurements_list

        measure_panel(analysis, row, rgb, key="review_measure")
        measurements_list(analysis, key="review_measure_list")
    else:
        _picture(seq, rgb, row, frame_index, time_s)
    st.plotly_chart(
        timeline_figure(seq, current_time_s=time_s),
        config={"displaylogo": False},
        key="posedash_review_timeline",
    )
    if playing:
        if row >= last:
            keys.REVIEW_PLAYING.set(False)
        else:
            _advance(last)


def _picture(seq, rgb, row: int, frame_index: int, time_s: float) -> None:
    shown = render.draw_pose(render.fit_within(rgb, DISPLAY_SIDE), seq, row)
    here = [m for m in manual_state.measurements(state.current()) if m.where.row == row]
    if here:  # measurements made by hand on this frame are drawn on it
        shown = draw_measurements(shown, here, seq.image_size)
    people = int(seq.detected[row].sum())
    with np.errstate(all="ignore"):
        vis = float(np.nanmean(seq.visibility[row])) if people else float("nan")
    detail = (
        f"{people} {'person' if people == 1 else 'people'} found, mean visibility {vis:.2f}"
        if people
        else "nobody found in this frame"
    )
    # A portrait phone video is shown at most DISPLAY_HEIGHT pixels tall, so the
    # controls and the timeline stay in view.
    height, width = shown.shape[:2]
    st.image(
        shown,
        caption=f"{time_s:.2f} s · frame {frame_index} · {detail}",
        width=min(width, round(width * DISPLAY_HEIGHT / height))
        if height > DISPLAY_HEIGHT
        else "stretch",
    )


@st.fragment(run_every=0.25)
def _advance(last: int) -> None:
    """While playing, move on one frame four times a second (as fast as frames can be
    decoded and drawn; not real time)."""
    if keys.REVIEW_PLAYING.get() and keys.REVIEW_ROW.get(0) < last:
        _step(1, last)
        st.rerun(scope="app")
