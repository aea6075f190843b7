"""The Patients page's Compare tab warns when two saved sessions may not compare:
from their records at once, and from what was filmed once both are open (a real
library file in a temporary folder; reference landmarks, no model run)."""

from __future__ import annotations

from tests.pages import (
    click_button,
    create_library,
    patients_page,
    rerun,
    save_to_library,
    shown_text,
)
from tests.reference_data import first_frames, legacy_analysis


def test_squats_and_a_lateral_raise_are_flagged(data_dir, media_dir):
    ref = media_dir / "reference"
    squat = legacy_analysis(ref / "tfjs_pose_squats_front.legacy.json")
    raise_ = legacy_analysis(ref / "sports2d_demo5_lateral_raise_front.legacy.json")
    at = patients_page(squat)
    create_library(at)
    save_to_library(at, squat, "2026-01-05", region="knees")
    save_to_library(at, raise_, "2026-02-02", region="left shoulder")
    # from the records alone: the regions differ
    warning = shown_text(at, "warning")
    assert "These two sessions may not be comparable" in warning
    assert "different body regions (knees earlier, left shoulder later)" in warning
    assert "Different joints move most" not in warning  # not opened yet
    # once both are open: what was filmed
    click_button(at, "library_compare")
    warning = shown_text(at, "warning")
    assert (
        "Different joints move most: hip flexion / extension in the earlier session, "
        "shoulder abduction in the later one" in warning
    )
    # and the comparison page says it at the top
    at.switch_page("pages/7_Compare.py")
    rerun(at)
    assert "may not be comparable" in shown_text(at, "warning")


def test_two_sessions_of_one_exercise_are_not_flagged(data_dir, media_dir):
    full = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    part = first_frames(full, 270, "raise_week1.mp4", "1" * 64)
    at = patients_page(full)
    create_library(at)
    save_to_library(at, part, "2026-01-05")
    save_to_library(at, full, "2026-02-02")
    click_button(at, "library_compare")
    assert "may not be comparable" not in shown_text(at, "warning")
    assert "nothing found against comparing these two" in shown_text(at, "caption")
