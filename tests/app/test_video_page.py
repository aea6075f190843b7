"""The video flow through AppTest: upload, analyse in the background, results."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tests.pages import upload_video, video_page, wait_for_results


def test_video_is_analysed_once_and_reviewed(media_dir):
    at = video_page()
    data = (media_dir / "videos" / "tfjs_pose_squats_front.mp4").read_bytes()
    upload_video(at, "squats.mp4", data)
    assert [m.value for m in at.metric][:2] == ["13.0 s", "65"]
    next(b for b in at.button if "Analyse video" in b.label).click().run()
    wait_for_results(at)
    assert "65 frames" in at.success[0].value
    analysis = at.session_state["posedash_current_analysis"]
    assert analysis.kind == "video" and analysis.poses.num_frames == 65
    cached = dict(at.session_state["posedash_results"])
    # A display option and a rerun do not analyse again.
    next(c for c in at.checkbox if c.label == "Blur faces").uncheck().run()
    at.run()
    assert at.session_state["posedash_current_analysis"] is analysis
    assert set(dict(at.session_state["posedash_results"])) == set(cached)
    # Frame review shows the first frame with the skeleton.
    at.switch_page("pages/8_Frame_review.py").run()
    assert not at.exception
    assert any("65 analysed frames" in c.value for c in at.caption)
    assert at.get("image"), "the frame is shown"


def test_bad_videos_give_messages(tmp_path):
    at = video_page()
    for name, data, expected in [
        ("empty.mp4", b"", "empty"),
        ("notes.mp4", b"this is not a video at all" * 10, "not a video"),
    ]:
        upload_video(at, name, data)
        assert at.error, f"{name}: expected a message"
        assert expected in at.error[0].value.lower(), at.error[0].value


def _start(at: AppTest) -> AppTest:
    next(b for b in at.button if "Analyse video" in b.label).click().run()
    assert not at.exception, at.exception
    return at


def _settle(at: AppTest, timeout: float = 120) -> AppTest:
    """Rerun until the background job has ended."""
    deadline = time.monotonic() + timeout
    while "posedash_video_job" in at.session_state and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert "posedash_video_job" not in at.session_state
    return at


def test_a_cancelled_analysis_says_so_until_dismissed(media_dir):
    at = video_page()
    data = (media_dir / "videos" / "sports2d_demo5_lateral_raise_front.mp4").read_bytes()
    upload_video(at, "raise.mp4", data)
    _start(at)
    next(b for b in at.button if "Cancel" in b.label).click().run()
    _settle(at)
    for _ in range(3):  # it stays, whatever reruns the page
        time.sleep(0.5)
        at.run()
        assert any("was cancelled" in i.value for i in at.info), [i.value for i in at.info]
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert not any("was cancelled" in i.value for i in at.info)
    assert any("Analyse video" in b.label for b in at.button)  # it can be started again


def test_a_failed_analysis_keeps_its_message_until_dismissed(media_dir):
    from tests.videotools import corrupt_second_half

    at = video_page()
    data = corrupt_second_half(
        (media_dir / "videos" / "sports2d_demo5_lateral_raise_front.mp4").read_bytes()
    )
    upload_video(at, "broken.mp4", data)
    _start(at)
    _settle(at, 300)
    for _ in range(3):
        time.sleep(0.5)
        at.run()
        assert at.error and "damaged" in at.error[0].value, [e.value for e in at.error]
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert not at.error
