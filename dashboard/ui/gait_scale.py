"""The Gait page's metric scale: the patient's height, or two floor marks clicked on a
frame (:mod:`dashboard.kinematics.gait.scale`; the click component
:mod:`dashboard.ui.clickframe`)."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import InputError
from dashboard.figures import render
from dashboard.ui import clickframe, state

__all__ = ["MARKS_KEY", "floor_marks_control", "scale_words"]

MARKS_KEY = "gait_floor_marks"
_SHOWN_SIDE = 1280


def _to_video(pts, shown, image_size) -> list[tuple[float, float]]:
    sx, sy = image_size[0] / shown.shape[1], image_size[1] / shown.shape[0]
    return [(x * sx, y * sy) for x, y in pts]


def _to_shown(pts, shown, image_size) -> list[tuple[float, float]]:
    sx, sy = shown.shape[1] / image_size[0], shown.shape[0] / image_size[1]
    return [(x * sx, y * sy) for x, y in pts]


def floor_marks_control(analysis, current) -> tuple | None:
    """The floor-mark controls: a frame to click two marks on and their distance.
    Returns ``(ax, ay, bx, by, distance_m)`` in the video's pixels when valid, else
    None (the reason shown)."""
    from dashboard.kinematics.gait.scale import MIN_MARKS_PX, floor_marks

    seq = analysis.poses
    data = state.current_source()
    if data is None:
        st.info(
            "The video itself is not in this session, so no frame can be shown to click "
            "the floor marks on: enter the patient's height instead.",
            icon="🎞️",
        )
        return None
    row = st.slider("Frame to mark the floor on", 0, seq.num_frames - 1, 0, key="gait_marks_row")
    distance = st.number_input(
        "Distance between the two marks (m)",
        min_value=0.0,
        max_value=50.0,
        step=0.1,
        value=float(current.floor_marks[4]) if current.floor_marks else 1.0,
        key="gait_marks_distance",
        help="A tape laid along the walkway, two tile joints, two marks on the floor: "
        "their true distance.",
    )
    try:
        rgb = state.video_frame(analysis, data, int(seq.frame_index[row]), _SHOWN_SIDE)
    except Exception as exc:  # an unreadable frame: say it, no scale
        st.error(f"The frame could not be read: {exc}")
        return None
    shown = render.fit_within(rgb, _SHOWN_SIDE)
    fm = current.floor_marks
    given = _to_shown([fm[:2], fm[2:4]], shown, seq.image_size) if fm else None
    pts = clickframe.click_frame(
        shown,
        key=MARKS_KEY,
        max_points=2,
        mode="line",
        labels=("mark A", "mark B"),
        points=given,
    )
    st.caption(
        "Click the two marks where they touch the floor, on the walking line, across the "
        f"picture (at least {MIN_MARKS_PX:.0f} pixels apart; further apart is more "
        "accurate). Drag a mark to move it."
    )
    if len(pts) < 2:
        st.info("Click two marks on the floor to set the scale.", icon="📏")
        return None
    a, b = _to_video(pts, shown, seq.image_size)
    try:
        marks = floor_marks(a, b, distance, seq.image_size)
    except InputError as exc:
        st.error(f"Floor marks not used: {exc}", icon="📏")
        return None
    st.caption(
        f"Scale: {marks.distance_m:g} m over {marks.length_px:.0f} pixels "
        f"({1000 * marks.metres_per_px:.2f} mm per pixel)."
    )
    return marks.as_tuple()


def scale_words(result) -> str:
    """How lengths are scaled, for the parameters' caption."""
    scale = result.to_dict()["scale"]
    if scale["method"] == "floor_marks":
        return (
            f"Lengths in metres from the floor marks (about ± {scale['relative_error_pct']:.0f} %"
            "; implied height per pass: "
            + ", ".join(f"{h:.2f} m" for h in scale["implied_height_m_per_pass"] if h)
            + ")."
        )
    if scale["method"] == "height":
        return "Lengths in metres from the height entered (± 5 %)."
    return "Lengths in body heights: enter the height, or mark the floor, for metres."
