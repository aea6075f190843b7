"""After a session file is opened, the Sessions page offers the pages that fit it:
Joint angles when somebody was found, Gait when it looks like walking (AppTest;
session files saved from the shared reference landmarks, no model run)."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.outputs.session import save_session
from dashboard.poses import PoseSequence
from tests.pages import open_session
from tests.reference_data import legacy_analysis

ANGLES, GAIT = "Joint_angles", "Gait"


def _links(at):
    return [link.proto.page for link in at.main.get("page_link")]


@pytest.fixture(scope="module")
def walk(media_dir):
    return legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")


@pytest.fixture(scope="module")
def raise_(media_dir):
    return legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )


def test_a_walking_session_offers_joint_angles_and_gait(walk):
    links = _links(open_session(save_session(walk), "walk.posedash"))
    assert ANGLES in links and GAIT in links
    assert links.index(ANGLES) < links.index(GAIT) < links.index("3D_view")
    assert "Compare" in links and "Landmark_explorer" in links


def test_an_exercise_session_offers_joint_angles_not_gait(raise_):
    at = open_session(save_session(raise_))
    links = _links(at)
    assert ANGLES in links and GAIT not in links


def test_a_photo_session_offers_joint_angles_not_gait(media_dir):
    photo = legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json")
    links = _links(open_session(save_session(photo), "photo.posedash"))
    assert ANGLES in links and GAIT not in links


def test_a_session_with_nobody_offers_neither(raise_):
    seq = raise_.poses
    empty = PoseSequence.empty(60, 1, seq.image_size, seq.time_s[:60], seq.frame_index[:60])
    nobody = Analysis(
        empty, "empty.mp4", "2" * 64, "video", raise_.settings, raise_.model, raise_.fps
    )
    links = _links(open_session(save_session(nobody), "empty.posedash"))
    assert ANGLES not in links and GAIT not in links and "3D_view" in links
