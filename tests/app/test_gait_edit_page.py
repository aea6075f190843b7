"""Correcting gait events and measuring by hand on the Gait page through AppTest (the
walking clip's landmarks and video, no model): deleting an event recomputes the
strides at once and the page says so; an angle measured by hand on the event's frame
is saved with that frame; "Undo every correction" brings the automatic events back."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.kinematics.gait import analyze_gait
from tests.reference_data import legacy_analysis

ROOT = Path(__file__).resolve().parents[2]
GAIT = "sports2d_demo4_gait_side"
GIVEN = "posedash_clickframe_given_"


@pytest.fixture(scope="module")
def walk(media_dir):
    return (
        legacy_analysis(media_dir / "reference" / f"{GAIT}.legacy.json"),
        (media_dir / "videos" / f"{GAIT}.mp4").read_bytes(),
    )


def _open(analysis, source) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = source
    at.run()
    at.switch_page("pages/9_Gait.py").run()
    assert not at.exception, at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if label in b.label)


def _text(at) -> str:
    return " ".join(str(e.value) for e in [*at.info, *at.caption, *at.markdown])


def test_delete_an_event_measure_on_its_frame_and_undo(walk):
    analysis, source = walk
    auto = analyze_gait(analysis.poses)
    steady = [e for e in auto.events if e.steady and e.pass_index == 0]
    e = steady[len(steady) // 2]
    at = _open(analysis, source)
    pick = next(s for s in at.selectbox if s.label == "Event")
    pick.set_value(f"{e.side}|{e.event}|{e.index}").run()
    assert not at.exception, at.exception
    assert at.slider[0].value == e.index  # the event's frame is shown
    _button(at, "Delete it").click().run()
    assert not at.exception, at.exception
    assert "Events corrected by hand (1 changed: 1 deleted)" in _text(at)
    store = at.session_state["posedash_gait_hand_events"]
    [saved] = store.values()
    assert len(saved["events"]) == len(auto.events) - 1

    # an angle by hand on that frame: saved with the frame, measured by hand
    next(t for t in at.toggle if "Measure by hand" in t.label).set_value(True).run()
    assert not at.exception, at.exception
    at.session_state[GIVEN + f"gait_measure_angle_{e.index}"] = [(100, 500), (200, 400), (300, 500)]
    at.run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "90.0°"
    _button(at, "Save this measurement").click().run()
    assert not at.exception, at.exception
    [m] = next(iter(at.session_state["posedash_manual_measurements"].values()))
    assert (m.kind, m.where.row, m.where.frame) == ("angle", e.index, e.frame)

    _button(at, "Undo every correction").click().run()
    assert not at.exception, at.exception
    assert "Events corrected by hand" not in _text(at)
    assert not at.session_state["posedash_gait_hand_events"]


@pytest.mark.parametrize("row", [20, 171])  # before the first pass; between the two passes
def test_moving_an_event_outside_the_walking_passes_is_refused(walk, row):
    """The clinician moves the first contact (frame 37) to a frame outside both passes'
    contact windows (frames 37-168 and 175-343): refused with the reason, nothing kept,
    never counted or listed as 'deleted by hand'."""
    analysis, source = walk
    auto = analyze_gait(analysis.poses)
    windows = [(p.window_start, p.window_end) for p in auto.passes]
    assert windows == [(37, 168), (175, 343)]  # frame = row in this clip
    e = auto.events[0]
    assert (e.side, e.event, e.frame) == ("right", "initial_contact", 37)
    at = _open(analysis, source)
    pick = next(s for s in at.selectbox if s.label == "Event")
    pick.set_value(f"{e.side}|{e.event}|{e.index}").run()
    at.slider[0].set_value(row).run()
    assert not at.exception, at.exception
    _button(at, f"Move it to frame {row}").click().run()
    assert not at.exception, at.exception
    errors = " ".join(str(x.value) for x in at.error).replace("\\", "")  # markdown escapes
    assert (
        f"Frame {row} is outside the walking passes (frames 37-168, 175-343): the event "
        "would not be used."
    ) in errors
    assert not at.session_state["posedash_gait_hand_events"]
    assert "deleted" not in _text(at) and "Events corrected by hand" not in _text(at)
