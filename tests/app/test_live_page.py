"""The Live camera page through AppTest. The WebRTC component itself needs a real
Streamlit server and browser (tests/e2e/test_live_camera.py); here: the controls,
and a recording becoming the analysis under review when the stream has stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.live.processor import LiveOptions, LiveProcessor
from dashboard.ui import live
from tests.live_clip import CLIP, camera_frames

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def _live_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/12_Live_camera.py").run()
    return at


def test_page_shows_its_controls_and_no_traceback():
    at = _live_page()
    assert not at.exception
    assert at.title[0].value.endswith("Live camera")
    angle = at.selectbox(key="live_angle")
    assert angle.format_func(angle.value) == "Shoulder abduction (left) — front view"
    assert {t.label for t in at.toggle} >= {"Camera-view check", "Mirror", "⏺ Record"}
    assert at.toggle(key=live.RECORD).disabled  # nothing to record before the camera runs
    page_text = " ".join(m.value for m in at.markdown)
    # why a camera may not start, in plain words: no programmer's error names
    assert "No camera was found" in page_text and "not allowed" in page_text
    assert "Error" not in page_text
    # the pose model waits for the camera: opening the page does not load it
    assert not at.session_state[live.PROCESSOR].snapshot().loading


@pytest.fixture(scope="module")
def recording_processor(media_dir, model_info):
    proc = LiveProcessor(model_info.path, options=LiveOptions(), model=model_info.as_dict())
    proc.prepare(background=False)
    proc.start_recording()
    for rgb, t in camera_frames(media_dir / CLIP, 60):
        proc.process(rgb, t)
    proc.close()
    return proc


def test_a_recording_left_running_when_the_camera_stopped_becomes_the_analysis(recording_processor):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state[live.PROCESSOR] = recording_processor
    at.switch_page("pages/12_Live_camera.py").run()
    assert not at.exception
    (done,) = [s.value for s in at.success]
    assert done.startswith("Recorded Live recording ") and "60 frames" in done
    assert "It is now the analysis under review" in done
    assert not recording_processor.recording
    links = {link.proto.page for link in at.main.get("page_link")}
    assert any("Joint_angles" in p for p in links)
    at.switch_page("pages/3_Joint_angles.py").run()
    assert not at.exception
    assert any("Live recording" in m.value for m in at.markdown)
    assert at.get("plotly_chart")
