"""The Tests page through Streamlit's AppTest, on a synthetic 5xSTS and TUG
(tests/functional_person.py: known events, no model run)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from tests.functional_person import sts_script, tug_script

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/14_Tests.py"
TIMEOUT = 120


def _analysis(script, name: str) -> Analysis:
    return Analysis(script.sequence(), name, "cd" * 32, "video", fps=30.0)


def _open(analysis=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if analysis is not None:
        at.session_state["posedash_current_analysis"] = analysis
        at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _text(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def test_without_an_analysis_it_says_where_to_start():
    at = _open()
    assert "scored from a video of the test" in _text(at.info)
    assert at.get("file_uploader") or "Upload a video of the test" in str(at)


@pytest.fixture(scope="module")
def sts():
    return _analysis(sts_script(), "sts.mp4")


def test_sts5_result_events_norms_and_download(sts):
    at = _open(sts)
    assert not at.error, [e.value for e in at.error]
    assert "Five-times sit-to-stand" in _text(at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Stands"] == "5"
    assert metrics["Total"].endswith(" s")
    # without age and sex: the whole norm table, with its source
    page_text = _text(at.markdown) + _text(at.caption)
    assert "the whole table is shown" in page_text
    assert "Bohannon" in page_text
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {t.get("name") for c in charts for t in c["data"]}
    assert {"seat off", "full stand", "seat on", "start"} <= names
    doc = at.session_state["posedash_test_result"]
    assert doc["schema"] == "posedash.test/1" and doc["result"]["stands"] == 5
    assert any(
        b.proto.label.startswith("Download the test result") for b in at.get("download_button")
    )


def test_age_picks_the_band_and_changing_the_test_reuses_the_analysis(sts):
    at = _open(sts)
    at.number_input[0].set_value(72).run()
    assert not at.exception, at.exception
    assert "adults 70–79" in _text(at.markdown)
    at.selectbox[0].set_value("tug").run()
    assert not at.exception, at.exception
    # the 5xSTS video scored as a TUG: no walk or turn, said in words, no number
    assert "No walk and turn" in _text(at.caption)
    assert at.session_state["posedash_current_analysis"] is sts  # nothing re-analysed


def test_tug_phases_and_a_refusal_in_plain_words():
    at = _open(_analysis(tug_script(), "tug.mp4"))
    at.selectbox[0].set_value("tug").run()
    assert not at.exception, at.exception
    assert "Timed Up and Go" in _text(at.subheader)
    tables = [t.value for t in at.dataframe]
    assert any("Phase" in t.columns for t in tables)
    at.selectbox[0].set_value("backward3").run()
    assert not at.exception, at.exception
    assert "cannot be scored" in _text(at.error) and "backward" in _text(at.error)
    assert "from this video. " in _text(at.error)  # the reason is its own sentence


def test_walk10_with_the_marks_at_the_picture_edges():
    from tests.gait_walker import walker

    seq, _ = walker(directions=(1,), pause_s=1.0)
    seq = dataclasses.replace(seq, image_size=(3000, 960))  # she walks out on the right
    at = _open(Analysis(seq, "walk.mp4", "ef" * 32, "video", fps=30.0))
    at.selectbox[0].set_value("walk10").run()
    assert not at.exception, at.exception
    assert "the marks are the picture's edges" in _text(at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Speed"].endswith("m/s") and metrics["Speed"] != "—"
    assert any("extrapolated" in w.value for w in at.warning)


def test_moving_the_fifth_stand_changes_the_time_at_once(sts):
    from dashboard.functional import TestOptions, run_test

    auto = run_test(sts.poses, TestOptions("sts5"))
    fifth = next(e for e in auto.events if e.event == "full_stand_5")
    at = _open(sts)
    before = {m.label: m.value for m in at.metric}["To the 5th stand"]
    # pick the event (its frame is shown), then show the frame 3 later and move it there
    at.selectbox(key="posedash_test_edit_pick").set_value(f"full_stand|{fifth.index}").run()
    assert at.slider(key="posedash_test_row").value == fifth.index
    at.slider(key="posedash_test_row").set_value(fifth.index + 3).run()
    assert at.selectbox(key="posedash_test_edit_pick").value == f"full_stand|{fifth.index}"
    at.button(key="posedash_test_move").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    after = metrics["To the 5th stand"]
    assert float(after.split()[0]) == pytest.approx(float(before.split()[0]) + 0.1, abs=0.051)
    assert "Events corrected by hand (1 changed: 1 moved)" in _text(at.info)
    doc = at.session_state["posedash_test_result"]
    assert doc["events_source"] == "edited"
    moved = [e for e in doc["events"] if e["placed_by_hand"]]
    assert [e["frame"] for e in moved] == [fifth.frame + 3]
    tables = [t.value for t in at.dataframe]
    assert any(
        "Placed by hand" in t.columns and (t["Placed by hand"] == "yes").sum() == 1 for t in tables
    )
    at.button(key="posedash_test_reset").click().run()
    assert at.session_state["posedash_test_result"]["events_source"] == "automatic"


def test_deleting_a_stand_withholds_the_time_and_measuring_needs_the_video(sts):
    at = _open(sts)
    at.selectbox(key="posedash_test_edit_pick").set_value(
        next(k for k in at.selectbox(key="posedash_test_edit_pick").options if "full stand 2" in k)
    )
    at.run()
    at.button(key="posedash_test_delete").click().run()
    assert not at.exception, at.exception
    doc = at.session_state["posedash_test_result"]
    assert doc["result"]["stands"] == 4 and doc["result"]["total_s"] is None
    assert doc["events_changed"]["deleted"] == 1
