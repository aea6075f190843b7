"""The 3D page: the world landmarks as a skeleton you can turn, play and follow."""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.figures import skeleton3d as figures3d
from dashboard.skeleton import LANDMARK_NAMES, hex_colour
from dashboard.ui import state, widgets
from dashboard.ui.messages import show_error

PLOTLY_CONFIG = {
    "displaylogo": False,
    "scrollZoom": True,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
}


def render_page() -> None:
    st.title("🧊 3D view")
    analysis = widgets.require_current()
    if analysis is None:
        return
    seq = analysis.poses
    st.markdown(widgets.describe(analysis))
    st.markdown(
        "The skeleton in metres, as MediaPipe estimates it in 3D: "
        f"<span style='color:{hex_colour('left')}'>**left side orange**</span>, "
        f"<span style='color:{hex_colour('right')}'>**right side blue**</span>, "
        "midline grey; hollow points are ones the model could barely see. Drag to turn "
        "it, scroll to zoom.",
        unsafe_allow_html=True,
    )
    st.caption(
        "Depth comes from a single camera and is the least reliable direction: use this "
        "view for shapes and proportions, not absolute distances. MediaPipe measures "
        "from the point between the hips in every frame, so the skeleton moves in "
        "place; the floor grid (0.25 m squares) is drawn at the lowest foot point. "
        "MediaPipe's y axis points down; it is shown here turned upright."
    )
    if not seq.detected.any():
        st.warning(
            "Nobody was found in this recording, so there is nothing to show in 3D.", icon="🔍"
        )
        return

    _controls_and_figure(analysis)


def _controls_and_figure(analysis) -> None:
    seq = analysis.poses
    cols = st.columns([2, 2, 2])
    camera = cols[0].radio(
        "View from",
        list(figures3d.CAMERAS),
        format_func=lambda c: figures3d.CAMERA_LABELS[c].split(" (")[0],
        horizontal=True,
        key="view3d_camera",
        help="Camera presets. You can still turn the skeleton by "
        "dragging; choosing a preset resets the view.",
    )
    trail_options = ["(none)", *list(LANDMARK_NAMES)]
    default_trail = "right_wrist" if seq.num_frames > 1 else "(none)"
    trail = cols[1].selectbox(
        "Trail of a landmark",
        trail_options,
        index=trail_options.index(default_trail),
        key="view3d_trail",
        format_func=lambda name: name.replace("_", " "),
        help="Draws the path the landmark follows over the whole recording.",
    )
    trail = None if trail == "(none)" else trail
    people = widgets.people_picker(seq, "view3d_people", where=cols[2])
    if not people:
        st.info("Choose at least one person to show.")
        return
    video = seq.num_frames > 1
    animate, frame = _frame_controls(seq, people) if video else (False, 0)
    try:
        fig = state.remember(
            ("fig3d", state.fingerprint(analysis), camera, trail, tuple(people), animate, frame),
            lambda: figures3d.skeleton_figure(
                seq, frame=frame, people=people, camera=camera, trail=trail, animate=animate
            ),
            slots=2,
        )
    except Exception as exc:  # every failure is a message; the app keeps serving
        show_error(exc)
        return
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="view3d_chart")
    if not video and trail:
        st.caption("A photo has one frame: a trail needs a video.")


def _frame_controls(seq, people):
    """(animate, frame) for a video: an animation, or one frame chosen with a slider."""
    animate = st.toggle(
        "Play as an animation",
        value=True,
        key="view3d_animate",
        help="Adds play and pause buttons and a time slider to the figure. Off: "
        "choose one frame with the slider below.",
    )
    if animate:
        shown = figures3d.frame_indices(seq.num_frames)
        if len(shown) < seq.num_frames:
            st.caption(
                f"The animation shows {len(shown)} of {seq.num_frames} frames "
                f"(one in {int(shown[1] - shown[0])}) to stay smooth; turn it "
                "off to step through every frame."
            )
        return True, _first_detected(seq, people)
    frame = st.slider(
        "Frame",
        0,
        seq.num_frames - 1,
        _first_detected(seq, people),
        key="view3d_frame",
        help="Position in the analysed frames.",
    )
    st.caption(f"Frame {int(seq.frame_index[frame])} of the source, at {seq.time_s[frame]:.2f} s.")
    return False, frame


def _first_detected(seq, people) -> int:
    found = np.flatnonzero(seq.detected[:, people].any(axis=1))
    return int(found[0]) if len(found) else 0
