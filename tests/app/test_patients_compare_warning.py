"""The Patients page's Compare tab warns when two saved sessions may not compare:
from their records at once, and from what was filmed once both are open (a real
library file in a temporary folder; reference landmarks, no model run)."""

from __future__ import annotations

from dashboard.analysis import Analysis
from tests.app.test_patients_page import PASS, _click, _page, _run, _save, _texts
from tests.reference_data import legacy_analysis


def test_squats_and_a_lateral_raise_are_flagged(data_dir, media_dir):
    ref = media_dir / "reference"
    squat = legacy_analysis(ref / "tfjs_pose_squats_front.legacy.json")
    raise_ = legacy_analysis(ref / "sports2d_demo5_lateral_raise_front.legacy.json")
    at = _page(squat)
    at.text_input(key="library_new_pass").input(PASS)
    at.text_input(key="library_new_pass2").input(PASS)
    at.checkbox(key="library_new_ok").check()
    _click(at, "library_create")
    _click(at, "library_add_patient")
    _save(at, squat, "2026-01-05", region="knees")
    _save(at, raise_, "2026-02-02", region="left shoulder")
    # from the records alone: the regions differ
    warning = _texts(at, "warning")
    assert "These two sessions may not be comparable" in warning
    assert "different body regions (knees earlier, left shoulder later)" in warning
    assert "Different joints move most" not in warning  # not opened yet
    # once both are open: what was filmed
    _click(at, "library_compare")
    warning = _texts(at, "warning")
    assert (
        "Different joints move most: hip flexion / extension in the earlier session, "
        "shoulder abduction in the later one" in warning
    )
    # and the comparison page says it at the top
    at.switch_page("pages/7_Compare.py")
    _run(at)
    assert "may not be comparable" in _texts(at, "warning")


def test_two_sessions_of_one_exercise_are_not_flagged(data_dir, media_dir):
    full = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    part = Analysis(
        full.poses.select(frames=slice(0, 270)),
        "raise_week1.mp4",
        "1" * 64,
        "video",
        full.settings,
        full.model,
        full.fps,
    )
    at = _page(full)
    at.text_input(key="library_new_pass").input(PASS)
    at.text_input(key="library_new_pass2").input(PASS)
    at.checkbox(key="library_new_ok").check()
    _click(at, "library_create")
    _click(at, "library_add_patient")
    _save(at, part, "2026-01-05")
    _save(at, full, "2026-02-02")
    _click(at, "library_compare")
    assert "may not be comparable" not in _texts(at, "warning")
    assert "nothing found against comparing these two" in _texts(at, "caption")
