"""A front-camera video marked to play as a mirror image, through AppTest: the Video
page says once, under the video's details, that it is shown and measured as
recorded; the analysis keeps the note; Frame review shows its frames."""

from __future__ import annotations

import numpy as np

from dashboard.media import video
from dashboard.ui.text import plain
from tests.pages import upload_video, video_page, wait_for_results
from tests.videotools import rotated_copy

NOTE = plain(video.MIRROR_NOTE)  # as shown: markdown characters escaped


def test_video_page_tells_the_clinician_once(media_dir):
    original = (media_dir / "videos" / "sports2d_demo3_sprint_side.mp4").read_bytes()
    data = rotated_copy(original, -90, hflip=True)  # portrait, front camera
    at = upload_video(video_page(), "selfie.mp4", data)
    captions = [c.value for c in at.caption]
    assert captions.count(NOTE) == 1, captions
    assert any("Turned 90° upright" in c for c in captions), captions
    assert [m.value for m in at.metric][3] == "352 x 480"

    next(b for b in at.button if "Analyse video" in b.label).click().run()
    wait_for_results(at)
    analysis = at.session_state["posedash_current_analysis"]
    assert analysis.notes.count(video.MIRROR_NOTE) == 1
    assert "Turned 90° upright, as the phone recorded it." in analysis.notes  # kept in sessions
    assert sum("Turned 90° upright" in c for c in (c.value for c in at.caption)) == 1
    assert [c.value for c in at.caption].count(NOTE) == 1
    # the frames the pages fetch are the recorded picture, turned, not mirrored
    frame = video.read_frame(data, 10, index=analysis.video_index)
    recorded = np.rot90(video.read_frame(original, 10), -1)
    assert np.array_equal(frame, recorded)

    at.switch_page("pages/8_Frame_review.py").run()
    assert not at.exception
    assert at.get("image"), "the frame is shown"
