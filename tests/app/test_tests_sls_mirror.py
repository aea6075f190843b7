"""The Tests page's single-leg stance: whose sides (issue 21), through AppTest on a
synthetic person standing 5 s on the (model's) left leg and 3 s on the right."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from tests.functional_person import sls_script

ROOT = Path(__file__).resolve().parents[2]


def _open(notes=()) -> AppTest:
    seq = sls_script(right_lift_s=5.0, left_lift_s=3.0).sequence()
    analysis = Analysis(seq, "sls.mp4", "ab" * 32, "video", fps=30.0, notes=notes)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page("pages/14_Tests.py").run()
    at.selectbox[0].set_value("sls").run()
    assert not at.exception, at.exception
    return at


def _captions(at) -> str:
    return " ".join(str(c.value) for c in at.caption)


def test_sls_says_whose_sides_and_swaps_them_for_a_mirror_image():
    at = _open()
    radio = next(r for r in at.radio if r.label == "Is the video a mirror image?")
    assert radio.value == "not known"
    assert "Sides are as the pose model sees them" in _captions(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Standing on the left"] == "4.9 s"
    radio.set_value("yes").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Standing on the left"] == "2.9 s"
    assert metrics["Standing on the right"] == "4.9 s"
    assert "swapped back" in _captions(at)
    assert at.session_state["posedash_test_result"]["result"]["sides"] == "patient"


def test_a_video_the_phone_marked_as_a_mirror_asks_nothing():
    from dashboard.functional.sls import PHONE_MIRROR

    at = _open(notes=(f"The phone {PHONE_MIRROR} (front camera).",))
    assert not [r for r in at.radio if r.label == "Is the video a mirror image?"]
    assert "the phone marked this video as a mirror image" in _captions(at)
