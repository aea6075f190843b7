"""What the app says about unusual files (issue 11.5, 11.6), through AppTest: the
video's stream and repaired timestamps under its details; a session's invalid
settings as a warning, then its angles shown with the defaults; invalid
detection settings refused with the field named, never "Something went wrong"."""

from __future__ import annotations

import json

from tests import videotools as clips
from tests.pages import goto, open_app, upload_file, upload_video, video_page
from tests.session_data import edited_manifest


def test_video_page_says_which_stream_and_that_times_were_repaired():
    at = upload_video(
        video_page(), "cover.mkv", clips.thumbnail_first(clips.plain_clip(20, size=(96, 64)))
    )
    captions = [c.value for c in at.caption]
    assert any("stream 2" in c and "thumbnail" in c for c in captions), captions
    at = upload_video(
        video_page(),
        "dup.mkv",
        clips.retimed_mkv(clips.mjpeg_clip(10), [0, 40, 80, 80, 160, 200, 240, 240, 240, 360]),
    )
    assert any("repaired" in c.value for c in at.caption)


def _session(media_dir, change) -> bytes:
    from dashboard.kinematics.summary import KinematicsSettings
    from dashboard.outputs import session
    from tests.reference_data import legacy_analysis

    good = session.save_session(
        legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json"),
        KinematicsSettings().as_dict(),
    )
    return edited_manifest(good, change)


def test_session_with_invalid_angle_settings_opens_with_a_warning(media_dir):
    def change(m):
        m["angle_settings"]["filter"].update(order=5000, cutoff_hz=float("nan"))

    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", "odd.posedash", _session(media_dir, change))
    assert not at.error and not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]  # Markdown-escaped text
    assert any("filter.order" in w and "filter.cutoff_hz" in w for w in warnings), warnings
    at = goto(at, "pages/3_Joint_angles.py")
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_session_with_invalid_detection_settings_is_refused_by_name(media_dir):
    def change(m):
        m["settings"]["num_poses"] = "7"

    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", "odd.posedash", _session(media_dir, change))
    assert at.error and "num_poses" in at.error[0].value.replace("\\", "")  # Markdown-escaped
    assert "Something went wrong" not in json.dumps([e.value for e in at.error])
