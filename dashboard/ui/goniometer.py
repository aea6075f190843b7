"""Measure by hand on a frame: a goniometer (three points, or two segments), distances
(with a scale), and notes pinned on the frame, on any page that shows a frame::

    from dashboard.ui.goniometer import measure_panel, measurements_list

    measure_panel(analysis, row, rgb, key="photo")   # the tools, on analysed row ``row``
    measurements_list(analysis)                        # every measurement of the analysis

The geometry and the records are in :mod:`dashboard.manual` (pure); this module only
composes the click-on-frame component (:mod:`dashboard.ui.clickframe`), the controls
and the list. Measurements are kept per analysis in this session
(:mod:`dashboard.ui.manual_state`), saved with the session file and the library.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.errors import InputError
from dashboard.figures import render
from dashboard.figures.annotate import draw_measurements
from dashboard.manual import records
from dashboard.manual.landmarks import PLACEMENTS, landmark_start
from dashboard.ui import clickframe, keys, manual_state
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

__all__ = ["measure_panel", "measurements_list"]

TOOLS = {
    "angle": "Angle (3 points)",
    "segments": "Angle (2 segments)",
    "distance": "Distance",
    "scale": "Set the scale",
    "note": "Note",
}
_POINTS = {"angle": 3, "segments": 4, "distance": 2, "scale": 2, "note": 1}
_MODES = {"angle": "angle", "segments": "segments", "distance": "line", "scale": "line"}
_LABELS = {
    "angle": ("arm", "axis", "arm"),
    "segments": ("1a", "1b", "2a", "2b"),
    "distance": ("A", "B"),
    "scale": ("ref 1", "ref 2"),
    "note": ("note",),
}
HOW = {
    "angle": "Click the end of the first arm, then the joint (the axis), then the end of the "
    "second arm.",
    "segments": "Click the two ends of the first segment, then the two ends of the second "
    "(each from its first point to its second).",
    "distance": "Click the two points to measure between.",
    "scale": "Click the two ends of something of known length in the picture (two floor marks, "
    "a ruler), in the plane of what you measure, then enter its length.",
    "note": "Click where the note belongs, then type it.",
}
SHOWN_SIDE = 1600  # the frame is drawn at most this large (points scale to the full frame)
SCALES = "posedash_manual_scale"


def _scale_store() -> dict:
    return keys.MANUAL_SCALE.setdefault({})


def _picture(analysis: Analysis, row: int, rgb: np.ndarray, skeleton: bool, person) -> np.ndarray:
    """The frame as shown under the points: the saved measurements of this frame drawn
    on it, and the skeleton when asked."""
    shown = render.fit_within(rgb, SHOWN_SIDE)
    seq = analysis.poses
    if skeleton and seq.num_people:
        people = None if person is None else [person]
        shown = render.draw_pose(shown, seq, row, people=people)
    here = [m for m in manual_state.measurements(analysis) if m.where.row == row]
    return draw_measurements(shown, here, seq.image_size, mark=bool(here))


def _to_analysed(pts, shown: np.ndarray, image_size) -> list[tuple[float, float]]:
    sx, sy = image_size[0] / shown.shape[1], image_size[1] / shown.shape[0]
    return [(x * sx, y * sy) for x, y in pts]


def _to_shown(pts, shown: np.ndarray, image_size) -> list[tuple[float, float]]:
    sx, sy = shown.shape[1] / image_size[0], shown.shape[0] / image_size[1]
    return [(x * sx, y * sy) for x, y in pts]


def _start_from_landmarks(analysis, row, person, key, shown) -> tuple[str, str]:
    """The "start from the landmarks" controls of the 3-point angle; places the
    landmarks on the picture when the choice changes. Returns (joint, reading)."""
    joint = st.selectbox(
        "Start from the landmarks",
        ["", *PLACEMENTS],
        format_func=lambda j: PLACEMENTS[j].label if j else "no: I click the points",
        key=f"{key}_joint",
        help="Places the three points on the automatic landmarks of this joint; check them "
        "and drag each onto the bony landmark you see.",
    )
    side = st.radio(
        "Side",
        ("left", "right"),
        horizontal=True,
        key=f"{key}_side",
        disabled=not joint,
        help="The person's own left or right.",
    )
    chosen = (joint, side, row, person)
    last = keys.widget(f"{key}_placed").get()
    if joint and chosen != last:
        start = landmark_start(analysis.poses, row, person or 0, joint, side)
        if start is None:
            st.warning(
                "Those landmarks were not found on this frame: click the three points instead.",
                icon="⚠️",
            )
        else:
            clickframe.set_points(
                f"{key}_angle_{row}", _to_shown(start, shown, analysis.poses.image_size)
            )
    keys.widget(f"{key}_placed").set(chosen)
    return joint, PLACEMENTS[joint].reading if joint else "between"


def _controls(analysis, row, person, tool, key, shown) -> dict:
    """The tool's options: name, reading, note text, reference length."""
    opts: dict = {"started_from": ""}
    if tool == "angle":
        joint, reading = _start_from_landmarks(analysis, row, person, key, shown)
        opts["started_from"] = "landmarks" if joint else ""
        default = PLACEMENTS[joint].label if joint else ""
    else:
        reading, default = "between", ""
    if tool in ("angle", "segments"):
        opts["reading"] = st.radio(
            "Read as",
            tuple(records.READINGS),
            index=tuple(records.READINGS).index(reading),
            format_func=records.READINGS.get,
            horizontal=True,
            key=f"{key}_reading_{tool}_{default}",
            help="180° − angle gives flexion from a straight limb (knee, elbow, hip).",
        )
    if tool in ("angle", "segments", "distance"):
        opts["label"] = st.text_input(
            "Name (optional)", value=default, key=f"{key}_label_{tool}_{default}", max_chars=80
        )
    if tool == "note":
        opts["text"] = st.text_area(
            "Note", key=f"{key}_note", height=80, placeholder="e.g. pain at end of range"
        )
    if tool == "scale":
        opts["length_m"] = st.number_input(
            "Its length (m)", 0.05, 50.0, 1.0, 0.01, format="%.2f", key=f"{key}_ref_m"
        )
    if tool == "distance":
        opts["height_m"] = st.number_input(
            "Patient's height (m), if no reference is set",
            0.0,
            2.5,
            0.0,
            0.01,
            format="%.2f",
            key=f"{key}_height",
            help="Scale from the person's standing height in this picture (feet to eyes): "
            "only right when they stand upright, at the distance of what you measure.",
        )
    return opts


def _distance_scale(analysis, row, person, height_m):
    """The scale for distances: the reference set on this analysis, else the height."""
    scale = _scale_store().get(analysis.source_sha256)
    if scale is not None or not height_m:
        return scale
    from dashboard.kinematics.gait.signals import extract_signals
    from dashboard.manual.geometry import scale_from_height

    stature = extract_signals(analysis.poses, person or 0).stature_px[row]
    return scale_from_height(stature, height_m)


def _build(analysis, row, person, tool, pts, opts):
    """The measurement of ``pts`` (analysed pixels), or None for the scale tool."""
    where = records.frame_ref(analysis.poses, row)
    if tool in ("angle", "segments"):
        return records.make_angle(
            where,
            pts,
            method="three points" if tool == "angle" else "two segments",
            reading=opts["reading"],
            label=opts.get("label", ""),
            started_from=opts["started_from"],
        )
    if tool == "distance":
        scale = _distance_scale(analysis, row, person, opts.get("height_m"))
        return records.make_distance(where, pts, scale, label=opts.get("label", ""))
    if tool == "note":
        return records.make_note(where, pts[0], opts.get("text", ""))
    from dashboard.manual.geometry import check_points, scale_from_reference

    a, b = check_points(pts, where.image_size)
    _scale_store()[analysis.source_sha256] = scale_from_reference(a, b, opts["length_m"])
    return None


def _result(analysis, row, person, tool, pts, opts, key) -> None:
    """The value of the points placed, and the button that saves it."""
    need = _POINTS[tool]
    if len(pts) < need:
        st.caption(f"{len(pts)} of {need} points placed. {HOW[tool]}")
        return
    if tool == "note" and not (opts.get("text") or "").strip():
        st.caption("Type the note, then save it.")
        return
    try:
        if tool == "scale":
            if st.button("Use this scale", key=f"{key}_save_scale", type="primary"):
                _build(analysis, row, person, tool, pts, opts)
                clickframe.reset_points(f"{key}_{tool}_{row}")
                st.rerun()
            return
        m = _build(analysis, row, person, tool, pts, opts)
    except InputError as exc:
        show_error(exc)
        return
    if tool != "note":
        st.metric(
            plain(m.label) if m.label else TOOLS[tool],
            records.value_text(m),
            help="Measured by hand on this frame, from the points you placed.",
        )
        st.caption(f"{plain(records.how_text(m))} · measured by hand")
    if st.button("💾 Save this measurement", key=f"{key}_save", type="primary"):
        if manual_state.add(analysis, m):
            clickframe.reset_points(f"{key}_{tool}_{row}")
            st.rerun()
        st.error(f"At most {records.MAX_MEASUREMENTS} measurements per analysis.")


def measure_panel(
    analysis: Analysis, row: int, rgb: np.ndarray, *, key: str, person: int | None = None
) -> None:
    """The measuring tools on analysed row ``row`` of ``analysis``, whose picture is
    ``rgb`` (any size: points are kept in the analysed frame's pixels)."""
    try:
        where = records.frame_ref(analysis.poses, row)
    except InputError as exc:
        show_error(exc)
        return
    tool = st.radio("Tool", tuple(TOOLS), format_func=TOOLS.get, horizontal=True, key=f"{key}_tool")
    scale = _scale_store().get(analysis.source_sha256)
    if tool in ("distance", "scale") and scale is not None:
        st.caption(f"Scale in use: {plain(scale.detail)} (± {scale.relative_error_pct:.0f} %).")
    skeleton = st.toggle("Show the skeleton", value=tool == "angle", key=f"{key}_skeleton")
    shown = _picture(analysis, row, rgb, skeleton, person)
    picture, side = st.columns([5, 2], gap="medium")
    with side:
        opts = _controls(analysis, row, person, tool, key, shown)
    with picture:
        pts = clickframe.click_frame(
            shown,
            key=f"{key}_{tool}_{row}",
            max_points=_POINTS[tool],
            mode=_MODES.get(tool, "points"),
            labels=_LABELS[tool],
            max_height=720,
            description=HOW[tool],
        )
        at = "" if analysis.kind == "photo" else f"Frame {where.frame} · {where.time_s:.2f} s. "
        st.caption(f"{at}{HOW[tool]} Drag a point to move it; right-click a point to remove it.")
        if pts and st.button("Clear the points", key=f"{key}_clear"):
            clickframe.reset_points(f"{key}_{tool}_{row}")
            st.rerun()
    with side:
        _result(analysis, row, person, tool, _to_analysed(pts, shown, where.image_size), opts, key)


def measurements_list(analysis: Analysis, key: str = "manual_list") -> None:
    """Every measurement made by hand on ``analysis``: frame, time, value, "measured by
    hand"; remove one; download them (CSV, formulas neutralised)."""
    from dashboard.text.textsafe import neutralise_cells, one_line
    from dashboard.ui import widgets

    items = manual_state.measurements(analysis)
    if not items:
        st.caption("No measurement made by hand yet.")
        return
    table = records.measurements_table(items)
    widgets.show_table(table, hide_index=True, formats={"Time (s)": "%.2f"})
    cols = st.columns([3, 1, 2])
    by_id = {m.id: m for m in items}
    chosen = cols[0].selectbox(
        "Measurement",
        list(by_id),
        format_func=lambda i: one_line(records.words(by_id[i]))[:120],
        key=f"{key}_pick",
        label_visibility="collapsed",
    )
    if cols[1].button("🗑️ Remove", key=f"{key}_remove"):
        manual_state.remove(analysis, chosen)
        st.rerun()
    cols[2].download_button(
        "⬇️ Measurements by hand (CSV)",
        neutralise_cells(table).to_csv(index=False),
        file_name="measurements_by_hand.csv",
        mime="text/csv",
        on_click="ignore",
    )
