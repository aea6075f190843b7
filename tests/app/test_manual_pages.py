"""Measuring by hand through AppTest (no model, no browser: the points are given as
the click-on-frame component would return them): on Frame review, an angle is saved
with its frame and time, drawn on the frame and listed as measured by hand; hostile
notes get a clear message and lose nothing; the session file carries the
measurements and reopening it brings them back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.media import video
from dashboard.outputs.session import read_session
from dashboard.poses import PoseSequence
from dashboard.ui import keys
from tests.videotools import bars_clip

ROOT = Path(__file__).resolve().parents[2]
GIVEN = "posedash_clickframe_given_"
SIZE = (96, 64)


def _review(frames: int = 30) -> AppTest:
    data = bars_clip("mp4", n=frames, size=SIZE)
    index = video.index_video(data, "walk.mp4")
    seq = PoseSequence.empty(index.num_frames, 1, SIZE, time_s=index.time_s)
    analysis = Analysis(
        seq, "walk.mp4", hashlib.sha256(data).hexdigest(), "video", fps=25.0, video_index=index
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = data
    at.switch_page("pages/8_Frame_review.py").run()
    assert not at.exception, at.exception
    return at


def _measuring(at: AppTest, row: int) -> AppTest:
    at.slider[0].set_value(row).run()
    next(t for t in at.toggle if "Measure on this frame" in t.label).set_value(True).run()
    assert not at.exception, at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if label in b.label)


def _measured(at) -> tuple:
    store = at.session_state["posedash_manual_measurements"]
    return next(iter(store.values())) if store else ()


def test_an_angle_measured_on_a_frame_is_saved_listed_and_drawn():
    at = _measuring(_review(), 12)
    at.session_state[GIVEN + "review_measure_angle_12"] = [(10, 50), (40, 20), (70, 50)]
    at.run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "90.0°"
    _button(at, "Save this measurement").click().run()
    assert not at.exception, at.exception
    [m] = _measured(at)
    assert m.kind == "angle" and m.where.row == 12 and m.where.frame == 12
    assert m.value == pytest.approx(90.0)
    table = at.dataframe[0].value
    assert list(table["Source"]) == ["measured by hand"] and list(table["Value"]) == ["90.0°"]
    # off the measuring tools, the frame is shown with the angle drawn on it
    next(t for t in at.toggle if "Measure on this frame" in t.label).set_value(False).run()
    assert not at.exception, at.exception


def test_hostile_notes_get_a_message_and_nothing_is_lost():
    at = _measuring(_review(), 3)
    at.radio(key="review_measure_tool").set_value("note").run()
    at.session_state[GIVEN + "review_measure_note_3"] = [(20, 20)]
    at.run()
    at.text_area(key="review_measure_note").input("x" * 100_000).run()
    assert not at.exception, at.exception
    assert any("100,000 characters long" in e.value.replace("\\", "") for e in at.error)
    assert not [b for b in at.button if "Save this measurement" in b.label]
    assert at.text_area(key="review_measure_note").value == "x" * 100_000  # still in the box
    formula = '=HYPERLINK("http://evil")\x07 <img src=x onerror=alert(1)> **bold**'
    at.text_area(key="review_measure_note").input(formula).run()
    _button(at, "Save this measurement").click().run()
    assert not at.exception, at.exception
    [m] = _measured(at)
    assert m.text == '=HYPERLINK("http://evil") <img src=x onerror=alert(1)> **bold**'


def test_points_off_the_picture_are_clamped_and_nan_left_out():
    at = _measuring(_review(), 0)
    at.session_state[GIVEN + "review_measure_angle_0"] = [
        (float("nan"), 5),
        (500, -40),
        (40, 20),
        (70, 50),
    ]
    at.run()
    assert not at.exception, at.exception
    # NaN dropped, (500, -40) clamped onto the picture's corner (96, 0)
    assert at.metric[0].value.endswith("°")


def test_the_session_file_carries_the_measurements_and_brings_them_back():
    at = _measuring(_review(), 5)
    at.session_state[GIVEN + "review_measure_angle_5"] = [(10, 50), (40, 20), (70, 50)]
    at.run()
    _button(at, "Save this measurement").click().run()
    at.switch_page("pages/6_Sessions.py").run()
    assert not at.exception, at.exception
    assert any("1 measurement made by hand" in c.value for c in at.caption)
    data = at.session_state[keys.SESSION_SAVE.name]()  # the file "Save session" gives
    opened = read_session(data)
    assert [m.where.frame for m in opened.measurements] == [5]
    assert opened.measurements[0].value == pytest.approx(90.0)
    assert np.isfinite(opened.measurements[0].value)
