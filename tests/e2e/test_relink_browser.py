"""Re-linking a reopened session to its video in a real browser (issue 23 item 3): the
walking clip's session, opened without its video, gets the very same file again
(matched by the SHA-256 saved in the session): frames come back on Frame review and
the Gait page, and the annotated video can be made, without analysing again; another
video is refused with a plain reason."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from dashboard.outputs.session import save_session
from tests.reference_data import legacy_analysis

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CLIP = "sports2d_demo4_gait_side.mp4"


def test_the_same_video_brings_the_frames_back_and_another_is_refused(
    page, app_url, media_dir, tmp_path
):
    video = media_dir / "videos" / CLIP
    analysis = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    sha = hashlib.sha256(video.read_bytes()).hexdigest()
    analysis = dataclasses.replace(analysis, source_name=CLIP, source_sha256=sha)
    session = tmp_path / "walk.posedash"
    session.write_bytes(save_session(analysis))

    page.goto(f"{app_url}/Sessions")
    page.get_by_text("Open a saved session").first.wait_for()
    main = page.locator("[data-testid=stMain]")
    main.locator("input[type=file]").first.set_input_files(str(session))
    page.get_by_text("It is now the analysis under review").wait_for()
    relink = main.locator("[data-testid=stFileUploader]").filter(
        has_text="Give the video again to see its frames"
    )
    relink.locator("input[type=file]").set_input_files(
        str(media_dir / "videos" / "tfjs_pose_squats_front.mp4")
    )
    refusal = page.get_by_text("This is not the recording this session was made from").first
    refusal.wait_for()
    assert f"for {CLIP} ({sha[:12]}" in refusal.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "relink_refused.png"), full_page=True)

    relink.locator("input[type=file]").set_input_files(str(video))
    page.get_by_text("(same fingerprint): its frames are back").wait_for()
    assert page.get_by_text("This is not the recording").count() == 0

    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_role("link", name="Frame review").click()
    page.get_by_text("analysed frames").first.wait_for()
    main.locator("[data-testid=stImage] img").first.wait_for()
    assert page.get_by_text("frames cannot be shown").count() == 0
    page.screenshot(path=str(ARTIFACTS / "relink_frame_review.png"), full_page=True)

    sidebar.get_by_role("link", name="Gait").click()
    page.get_by_text("Camera set-up:").first.wait_for()
    main.locator("[data-testid=stImage] img").first.wait_for()  # the event's frame
    assert page.get_by_text("frames cannot be shown").count() == 0
    page.screenshot(path=str(ARTIFACTS / "relink_gait.png"), full_page=True)

    sidebar.get_by_role("link", name="Video analysis").click()
    page.get_by_text("Showing the last video analysed").wait_for()
    page.get_by_role("button", name="Make annotated video").wait_for()
    assert page.get_by_text("Traceback").count() == 0
