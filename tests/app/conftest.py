"""Fixtures shared by the page tests (AppTest): session files saved from the real
reference landmarks (no model run) and a private data folder for the patient library."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.outputs.session import save_session

#: The reference landmarks of the review sessions' video.
REVIEWED = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    """PoseDash's data folder (the patient library's home) in a temporary folder."""
    monkeypatch.setenv("POSEDASH_DATA_DIR", str(tmp_path / "posedash"))
    return tmp_path / "posedash"


@pytest.fixture(scope="module")
def review_sessions(media_dir):
    """Session files of the lateral raise (its first half as "before", the whole as
    "after") and of the yoga photo."""
    from tests.reference_data import legacy_analysis

    full = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    first_half = Analysis(
        full.poses.select(frames=slice(0, 270)),
        "raise_week1.mp4",
        "1" * 64,
        "video",
        full.settings,
        full.model,
        full.fps,
    )
    photo = legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json")
    return {
        "before": save_session(first_half),
        "after": save_session(full),
        "photo": save_session(photo),
    }


@pytest.fixture(scope="module")
def compare_sessions(media_dir):
    """Session files of movements that do and do not compare: the lateral raise and its
    first half, the front squats, the side walk."""
    from tests.reference_data import legacy_analysis

    ref = media_dir / "reference"
    raise_ = legacy_analysis(ref / "sports2d_demo5_lateral_raise_front.legacy.json")
    half = Analysis(
        raise_.poses.select(frames=slice(0, 270)),
        "raise_week1.mp4",
        "1" * 64,
        "video",
        raise_.settings,
        raise_.model,
        raise_.fps,
    )
    return {
        "raise": save_session(raise_),
        "raise_half": save_session(half),
        "squat": save_session(legacy_analysis(ref / "tfjs_pose_squats_front.legacy.json")),
        "walk": save_session(legacy_analysis(ref / "sports2d_demo4_gait_side.legacy.json")),
    }
