"""Fixtures shared by the page tests (AppTest): session files saved from the real
reference landmarks (no model run) and a private data folder for the patient library."""

from __future__ import annotations

import pytest

from dashboard.outputs.session import save_session
from tests.reference_data import first_frames

#: The reference landmarks of the review sessions' video.
REVIEWED = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    """PoseDash's data folder (the patient library's home) in a temporary folder."""
    monkeypatch.setenv("POSEDASH_DATA_DIR", str(tmp_path / "posedash"))
    return tmp_path / "posedash"


@pytest.fixture()
def library(data_dir):
    """A new patient library in the private data folder (cheap key setting), unlocked
    with :data:`tests.pages.LIBRARY_PASS`."""
    from dashboard.library.service import Library
    from tests.library.helpers import fast_kdf
    from tests.pages import LIBRARY_PASS

    return Library.create(LIBRARY_PASS, data_dir / "library.sqlite3", kdf=fast_kdf())


@pytest.fixture(scope="module")
def review_sessions(media_dir):
    """Session files of the lateral raise (its first half as "before", the whole as
    "after") and of the yoga photo."""
    from tests.reference_data import legacy_analysis

    full = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    first_half = first_frames(full, 270, "raise_week1.mp4", "1" * 64)
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
    half = first_frames(raise_, 270, "raise_week1.mp4", "1" * 64)
    return {
        "raise": save_session(raise_),
        "raise_half": save_session(half),
        "squat": save_session(legacy_analysis(ref / "tfjs_pose_squats_front.legacy.json")),
        "walk": save_session(legacy_analysis(ref / "sports2d_demo4_gait_side.legacy.json")),
    }
