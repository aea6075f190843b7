"""Frame review through AppTest: stepping through an AVI seeks, then goes on decoding.

The analysis is made here without the model (nobody found in any frame) for an
AVI made in memory, whose frames the reader must count from its keyframes
(AVI stores no presentation times); that the pictures are exactly the analysed
frames is tested in ``tests/unit/test_video_reader.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.media import video
from dashboard.poses import PoseSequence
from tests.videotools import bars_clip

ROOT = Path(__file__).resolve().parents[2]


def _review(data: bytes, name: str) -> AppTest:
    index = video.index_video(data, name)
    seq = PoseSequence.empty(index.num_frames, 1, (96, 64), time_s=index.time_s)
    analysis = Analysis(
        seq, name, hashlib.sha256(data).hexdigest(), "video", fps=25.0, video_index=index
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = data
    at.switch_page("pages/8_Frame_review.py").run()
    assert not at.exception, at.exception
    return at


def _reader(at: AppTest):
    [(_, reader)] = at.session_state["posedash_derived_views"]["frame_reader"]
    return reader


def _shown(at: AppTest) -> str:
    return at.get("image")[0].proto.imgs[0].caption


def test_stepping_through_an_avi_decodes_one_group_of_pictures_then_one_frame_a_step():
    data = bars_clip("avi", n=60)
    at = _review(data, "lab.avi")
    assert "frame 0 ·" in _shown(at)
    at.slider[0].set_value(50).run()
    assert not at.exception, at.exception
    assert "frame 50 ·" in _shown(at)
    reader = _reader(at)
    assert reader.frames_decoded <= 1 + 16  # frame 0, then from the keyframe at 48
    before = reader.frames_decoded
    next(b for b in at.button if b.label == "▶").click().run()
    assert "frame 51 ·" in _shown(at)
    assert reader.frames_decoded == before + 1
    next(b for b in at.button if b.label == "◀").click().run()
    next(b for b in at.button if b.label == "◀").click().run()
    assert "frame 49 ·" in _shown(at)
    assert np.array_equal(reader.read(49), video.read_frame(data, 49, name="lab.avi"))
