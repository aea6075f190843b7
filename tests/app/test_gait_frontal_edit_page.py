"""Correcting the contacts of walking towards the camera on the Gait page through
AppTest (the synthetic frontal walker, no video, no model): deleting a contact
recomputes the steps at once and the page says so; moving one marks it placed by
hand; "Undo every correction" brings the automatic contacts back."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.kinematics.gait import analyze_gait
from tests.gait_frontal_walker import frontal_walker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def towards():
    seq, _ = frontal_walker(towards=True)
    return Analysis(seq, "towards.mp4", "ab" * 32, "video", fps=30.0)


def _open(analysis) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page("pages/9_Gait.py").run()
    assert not at.exception, at.exception
    return at


def _steps(at) -> str:
    for t in at.dataframe:
        df = t.value
        if "Parameter" in df.columns:
            return str(df.loc[df["Parameter"] == "Steps (contacts counted)", "Both feet"].iloc[0])
    raise AssertionError("no frontal parameters table")


def test_delete_and_move_a_frontal_contact_then_undo(towards):
    auto = analyze_gait(towards.poses).frontal
    at = _open(towards)
    before = _steps(at)
    assert before == str(auto.parameters["steps"])
    ic = next(c for c in reversed(auto.contacts) if c.event == "initial_contact")
    pick = at.selectbox(key="gait_frontal_pick")
    pick.set_value(f"{ic.side}|{ic.event}|{ic.index}").run()
    at.button(key="gait_frontal_delete").click().run()
    assert not at.exception, at.exception
    assert _steps(at) == str(auto.parameters["steps"] - 1)
    info = " ".join(str(i.value) for i in at.info)
    assert "Events corrected by hand (1 changed: 1 deleted)" in info
    assert "With the automatic contacts: cadence" in info
    # move another contact 2 frames later: placed by hand, in the contacts table
    other = next(c for c in auto.contacts if c.event == "initial_contact")
    at.selectbox(key="gait_frontal_pick").set_value(
        f"{other.side}|{other.event}|{other.index}"
    ).run()
    at.slider(key="gait_frontal_row").set_value(other.index + 2).run()
    at.button(key="gait_frontal_move").click().run()
    assert not at.exception, at.exception
    assert "2 changed" in " ".join(str(i.value) for i in at.info)
    tables = [t.value for t in at.dataframe if "Placed by hand" in t.value.columns]
    assert tables and (tables[0]["Placed by hand"] == "yes").sum() == 1
    at.button(key="gait_frontal_reset").click().run()
    assert _steps(at) == before


def test_the_session_file_keeps_the_frontal_contacts_corrected_by_hand(towards):
    from dashboard.outputs.session import read_session
    from dashboard.ui import keys

    auto = analyze_gait(towards.poses).frontal
    at = _open(towards)
    ic = next(c for c in reversed(auto.contacts) if c.event == "initial_contact")
    at.selectbox(key="gait_frontal_pick").set_value(f"{ic.side}|{ic.event}|{ic.index}").run()
    at.button(key="gait_frontal_delete").click().run()
    at.switch_page("pages/6_Sessions.py").run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "walking towards or away from the camera: Events corrected by hand (1 changed" in (
        captions
    )
    opened = read_session(at.session_state[keys.SESSION_SAVE.name]())  # "Save session"'s file
    saved = opened.gait_events
    assert opened.notes == () and saved["events"] is None  # the side view was not corrected
    assert len(saved["frontal"]["events"]) == len(auto.contacts) - 1
    again = analyze_gait(opened.analysis.poses)
    from dashboard.kinematics.gait.frontal_edited import with_frontal_edits

    edited = with_frontal_edits(again, saved["frontal"]["events"], opened.analysis.poses)
    assert edited.frontal.parameters["steps"] == auto.parameters["steps"] - 1
