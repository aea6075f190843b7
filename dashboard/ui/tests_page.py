"""The Tests page: a functional test (5xSTS, 30-s chair stand, TUG, 10-m walk, 3-m
backward walk, single-leg stance) scored from the analysed video, its events on a
clickable timeline with the frame, the result with its norm band and citation, and
the ``<stem>.test.json`` download.

Every number comes from :mod:`dashboard.functional`; this module only shows it. The
result is kept per analysis and options (:func:`dashboard.ui.state.remember`): a
widget change never runs detection again.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.figures import render
from dashboard.functional import TESTS, TITLES, TestOptions, TestRefused, run_test
from dashboard.ui import help_page, keys, navigation, state, tests_edit, tests_keep, widgets
from dashboard.ui.angles_video import show_selected_row
from dashboard.ui.messages import show_error

TEST = "posedash_test_choice"
ROW = keys.TEST_ROW.name  # the frame slider's widget key
TIMELINE = "posedash_test_timeline"
UPLOAD = "posedash_test_upload"
MARKS = "posedash_test_marks"
PLOTLY_CONFIG = {"displaylogo": False}
FRAME_SIDE = 720
_STATUS = {"ok": "✅", "caution": "⚠️", "refused": "❌"}
_HELP = {
    "sts5": "Five stands from a chair, arms crossed, as fast as possible. Film from the "
    "side, whole body and chair in the picture.",
    "chair30": "As many stands as possible in 30 s. The video must last 30 s from the start.",
    "tug": "Rise, walk 3 m, turn, walk back, sit. Film from the side, the whole walk in view.",
    "walk10": "Walk through the timed zone. Film from the side with the zone's two marks at "
    "the picture's edges, and enter the distance between them.",
    "backward3": "Walk backwards 3 m. Film from the side.",
    "sls": "Stand on one leg, then the other. Film the whole body, feet included.",
}
_UNITS = {"speed_m_s": "m/s", "cadence_steps_per_min": "steps/min", "distance_m": "m", "_s": "s"}
_LABELS = {
    "stands": "Stands",
    "stands_seen": "Stands seen",
    "time_to_fifth_stand_s": "To the 5th stand",
    "time_to_fifth_sit_s": "To the 5th sit",
    "total_s": "Total",
    "speed_m_s": "Speed",
    "time_s": "Time",
    "steps": "Steps",
    "cadence_steps_per_min": "Cadence",
    "left_s": "Standing on the left",
    "right_s": "Standing on the right",
    "best_s": "Best side",
}


def render_page() -> None:
    st.title("⏱️ Functional tests")
    st.caption(
        "Five-times sit-to-stand, 30-second chair stand, Timed Up and Go, 10-metre walk, "
        "3-metre backward walk and single-leg stance, timed from the video: every event "
        "is shown so you can check it, and the result is placed against published norms."
    )
    help_page.link("functional", "Functional tests: definitions and limits")
    if not _uploaded():
        return
    analysis = widgets.require_current(
        "A functional test is scored from a video of the test: upload one above (or on "
        "the Video analysis page), or open a session you saved from one.",
        links=("video", "session"),
    )
    if analysis is None:
        return
    st.markdown(widgets.describe(analysis))
    if analysis.kind != "video":
        st.info("A functional test needs a video: the analysis under review is a photo.")
        navigation.link("video", "Analyse a video")
        return
    opts = _options(analysis)
    if opts.test == "walk10":
        opts = dataclasses.replace(opts, marks_px=_marks(analysis))
    key = ("functional", state.fingerprint(analysis), repr(opts))
    try:
        auto = state.remember(
            key, lambda: run_test(analysis.poses, opts, _source(analysis), analysis.notes)
        )
    except TestRefused as exc:
        st.error(f"This test cannot be scored from this video. {exc}", icon="🚫")
        return
    except Exception as exc:
        show_error(exc)
        return
    result = tests_edit.scored(analysis, opts, auto, _source(analysis))  # corrected by hand?
    keys.TEST_RESULT.set(result.to_dict())
    _result(result, auto)
    tests_edit.notice(result, auto)
    _norms(result.to_dict()["norms"])
    _setup(result)
    _timeline(analysis, result, opts)
    _download(analysis, result)
    tests_keep.render(analysis, result)


def _uploaded() -> bool:
    """A video uploaded here is analysed (once) and becomes the one under review;
    False while its analysis runs."""
    from dashboard.media.video import VIDEO_EXTENSIONS
    from dashboard.ui import video

    with st.expander("Upload a video of the test", expanded=state.current() is None):
        upload = st.file_uploader(
            "Video of the test",
            type=list(VIDEO_EXTENSIONS),
            key=UPLOAD,
            help="Analysed on this computer, in memory, like on the Video analysis page; "
            "the analysis is kept for this session, so changing the test never runs it again.",
        )
        if upload is None:
            return True
        return video.analysed_upload(upload) is not None


def _source(analysis: Analysis) -> dict:
    return {"name": analysis.source_name, "sha256": analysis.source_sha256}


def _options(analysis: Analysis) -> TestOptions:
    left, mid, right = st.columns(3)
    with left:
        test = st.selectbox("Test", TESTS, format_func=TITLES.get, key=TEST)
        st.caption(_HELP[test])
    with mid:
        age = st.number_input(
            "Age (years, optional)",
            min_value=1,
            max_value=120,
            value=None,
            step=1,
            help="Chooses the norm band; without it the whole norm table is shown.",
        )
        sex = st.radio(
            "Sex (optional)",
            ("not given", "f", "m"),
            horizontal=True,
            format_func=lambda s: {"f": "female", "m": "male"}.get(s, s),
        )
    with right:
        extra = _test_settings(test, analysis)
        start_s = _start(analysis)
    return TestOptions(
        test,
        age=int(age) if age is not None else None,
        sex=None if sex == "not given" else sex,
        start_s=start_s,
        **extra,
    )


def _test_settings(test: str, analysis: Analysis) -> dict:
    if test == "sts5":
        end = st.radio(
            "The clock stops",
            ("fifth_sit", "fifth_stand"),
            horizontal=True,
            format_func=lambda s: "at the 5th sit" if s == "fifth_sit" else "at the 5th stand",
        )
        return {"sts_total": end}
    if test in ("walk10", "backward3"):
        default = 3.0 if test == "backward3" else 6.0
        label = "Distance walked (m)" if test == "backward3" else "Distance between the marks (m)"
        d = st.number_input(label, min_value=0.5, max_value=100.0, value=default, step=0.5)
        return {"distance_m": float(d)}
    if test == "sls":
        from dashboard.functional.sls import PHONE_MIRROR

        if any(PHONE_MIRROR in str(n) for n in analysis.notes):
            return {}  # read as the camera recorded it: the sides are the patient's
        answer = st.radio(
            "Is the video a mirror image?",
            ("not known", "no", "yes"),
            horizontal=True,
            help="A front (selfie) camera app may save the video mirrored: the patient's "
            "left then looks like a right side, and the pose model labels it right. "
            "Nothing in the video shows it; your answer makes the sides certain.",
        )
        return {"mirrored": {"no": False, "yes": True}.get(answer)}
    return {}


def _start(analysis: Analysis) -> float | None:
    how = st.radio(
        "Start of the clock",
        ("first movement", "set on a frame"),
        horizontal=True,
        help="The video rarely shows a 'go': by default the clock starts at the first "
        "movement of the test.",
    )
    if how == "first movement":
        return None
    seq = analysis.poses
    frame = st.number_input(
        "Start frame (analysed frames)",
        0,
        seq.num_frames - 1,
        0,
        step=1,
        help="Look the frame up on the timeline below.",
    )
    return float(seq.time_s[int(frame)])


def _marks(analysis: Analysis) -> tuple[float, float] | None:
    """The timed zone's two floor marks clicked on a frame (image x), or None: the
    picture's edges."""
    with st.expander("Floor marks of the timed zone (optional)"):
        data = state.current_source()
        if data is None:
            st.caption("The video is not in this session: the marks are the picture's edges.")
            return None
        seq = analysis.poses
        try:
            rgb = state.video_frame(analysis, data, int(seq.frame_index[0]), FRAME_SIDE)
        except Exception as exc:
            show_error(exc)
            return None
        from dashboard.ui.clickframe import click_frame

        points = click_frame(
            np.ascontiguousarray(rgb),
            key=MARKS,
            max_points=2,
            mode="line",
            labels=("mark 1", "mark 2"),
            description="Click the two floor marks of the timed zone",
        )
        if len(points) < 2:
            st.caption("Click the two floor marks; until then they are the picture's edges.")
            return None
        scale = seq.image_size[0] / rgb.shape[1]
        xs = sorted(float(x) * scale for x, _ in points)
        st.caption(f"Timed zone between x = {xs[0]:.0f} and {xs[1]:.0f} px.")
        return (xs[0], xs[1]) if xs[1] - xs[0] > 10 else None


def _value_words(key: str, value, before=None) -> str:
    """``value`` in words; a time changed by hand from ``before`` (the automatic value)
    by less than 0.1 s is given to 0.01 s, so that a one-frame correction shows."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    unit = next((u for suffix, u in _UNITS.items() if key.endswith(suffix)), "")
    digits = 2 if unit == "m/s" else 0 if isinstance(value, int) else 1
    if unit == "s" and isinstance(before, float) and 0 < abs(value - before) < 0.1:
        digits = 2
    return f"{value:.{digits}f} {unit}".strip()


def _result(result, auto) -> None:
    st.subheader(result.headline)
    shown = [k for k in _LABELS if k in result.result]
    cols = st.columns(max(min(len(shown), 4), 1))
    for i, key in enumerate(shown):
        with cols[i % len(cols)]:
            before = auto.result.get(key) if result.edits else None
            st.metric(_LABELS[key], _value_words(key, result.result[key], before))
    for key, why in result.withheld.items():
        if why != "not seen":
            st.caption(f"**{_LABELS.get(key, key)}**: {why}")
    if result.result.get("sides_note"):
        st.caption(result.result["sides_note"])
    doc = result.to_dict()
    st.caption(
        f"Clock started at {doc['start']['time_s']:.2f} s "
        f"({'set by hand' if doc['start']['method'] == 'given' else 'first movement'})."
    )
    if result.phases:
        rows = [
            {
                "Phase": p["phase"].replace("_", " "),
                "From (s)": p["start_s"],
                "To (s)": p["end_s"],
                "Duration (s)": p["duration_s"] if p["seen"] else None,
                "Seen": "yes" if p["seen"] else "not seen",
            }
            for p in result.phases
        ]
        widgets.show_table(pd.DataFrame(rows), hide_index=True)
    for w in result.warnings:
        if w != result.edits.get("events_note"):  # said once, with the automatic result
            st.warning(w, icon="⚠️")


def _norms(norms: dict) -> None:
    st.subheader("Against published norms")
    verdict = str(norms.get("verdict") or "")
    verdict = verdict[:1].upper() + verdict[1:]  # a sentence of its own here
    if norms.get("norm"):
        st.markdown(f"**{verdict}**")
    elif verdict:
        st.markdown(verdict)
    for row in norms.get("table") or []:
        st.markdown(f"- {row}")
    for c in norms.get("cutoffs") or []:
        met = {True: "met", False: "not met", None: "—"}[c.get("met")]
        st.markdown(f"- Cut-off {c['words']}: **{met}**")
    for ref in norms.get("references") or []:
        if ref.get("kind") in ("norm", "cutoff"):
            st.caption(f"{ref['citation']} {(ref.get('doi') and 'doi:' + ref['doi']) or ''}")


def _setup(result) -> None:
    with st.expander("Set-up checks", expanded=False):
        for c in result.setup:
            st.markdown(f"{_STATUS.get(c.status, '')} {c.detail}")


@st.fragment
def _timeline(analysis: Analysis, result, opts: TestOptions) -> None:
    from dashboard.figures.functional import test_timeline_figure

    st.subheader("Events")
    seq = analysis.poses
    last = seq.num_frames - 1
    first = result.events[0].index if result.events else 0
    row = int(np.clip(keys.TEST_ROW.get(first), 0, last))
    keys.TEST_ROW.set(row)
    chart, side = st.columns([3, 2], gap="medium")
    with chart:
        fig = test_timeline_figure(result, current_time_s=float(seq.time_s[row]))
        fig.update_layout(uirevision="tests")
        st.plotly_chart(
            fig,
            on_select=show_selected_row(TIMELINE, ROW),
            selection_mode="points",
            key=TIMELINE,
            config=PLOTLY_CONFIG,
        )
        st.caption("**Click an event to see its frame.** Fainter markers are less confident.")
        table = pd.DataFrame(
            [
                {
                    "Event": e.label or e.event,
                    "Time (s)": e.time_s,
                    "Video frame": e.frame,
                    "Confidence": e.confidence,
                    "Placed by hand": "yes" if e.by_hand else "",
                }
                for e in result.events
            ]
        )
        widgets.show_table(table, hide_index=True, height=220)
    with side:
        st.slider("Frame shown", 0, last, key=ROW, format="%d")
        row = int(keys.TEST_ROW.get())
        _frame(analysis, row, result.person)
        tests_edit.editor(analysis, opts, result, row, ROW)
    # full width: a goniometer in the narrow column was too small to place points
    tests_edit.measure(analysis, row, _slot(analysis, result.person))


def _slot(analysis: Analysis, person_id: int) -> int:
    ids = [int(p) for p in analysis.poses.person_ids]
    return ids.index(person_id) if person_id in ids else 0


def _frame(analysis: Analysis, row: int, person_id: int) -> None:
    seq = analysis.poses
    caption = f"{float(seq.time_s[row]):.2f} s · video frame {int(seq.frame_index[row])}"
    data = state.current_source()
    if data is None:
        st.info(
            "The video itself is not in this session (it was reopened from a saved session "
            "file), so its frames cannot be shown.",
            icon="🎞️",
        )
        from dashboard.ui import relink

        relink.offer(analysis, "tests")  # give it again to see the frames
        return
    slot = _slot(analysis, person_id)
    try:
        rgb = state.video_frame(analysis, data, int(seq.frame_index[row]), FRAME_SIDE)
        st.image(
            render.draw_pose(render.fit_within(rgb, FRAME_SIDE), seq, row, people=[slot]),
            caption=caption,
        )
    except Exception as exc:
        show_error(exc)


def _download(analysis: Analysis, result) -> None:
    from dashboard.jsonsafe import to_jsonable

    stem = Path(analysis.source_name).stem or "video"
    doc = to_jsonable(result.to_dict())
    left, right = st.columns(2)
    left.download_button(
        "Download the test result (test.json)",
        json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8"),
        file_name=f"{stem}.test.json",
        mime="application/json",
    )
    from dashboard.functional.events_file import events_csv

    right.download_button(
        "Download the events (test_events.csv)",
        events_csv(result.events).encode("utf-8"),
        file_name=f"{stem}.test_events.csv",
        mime="text/csv",
        help="To check or correct in a spreadsheet, then score again with "
        "'analyze VIDEO --test ... --events-from' on the command line.",
    )
