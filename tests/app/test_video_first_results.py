"""First results while a video is analysed (issue 27.2), through AppTest: a provisional
state with fewer frames than the total is shown during the analysis, and the final
result is exactly the analysis made without watching (no timing is asserted)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
RUNNING = re.compile(r"Analysis running: ([\d,]+) of ([\d,]+) frames analysed; showing ([\d,]+)")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _provisional(at: AppTest) -> tuple[int, int, int] | None:
    """(analysed, total, shown) of the page's provisional state, or None."""
    for md in at.markdown:
        found = RUNNING.search(md.value)
        if found:
            return tuple(_number(g) for g in found.groups())  # type: ignore[return-value]
    return None


def test_provisional_first_results_then_the_same_final_analysis(media_dir):
    from dashboard.detect import engine
    from dashboard.detect.models import resolve_model
    from dashboard.settings import AnalysisSettings

    data = (media_dir / "videos" / "sports2d_demo5_lateral_raise_front.mp4").read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/2_Video_analysis.py").run()
    next(u for u in at.file_uploader if u.label == "Video").set_value(
        ("raise.mp4", data, "video/mp4")
    )
    at.run()
    next(b for b in at.button if "Analyse video" in b.label).click().run()
    assert not at.exception, at.exception
    seen = []  # provisional states shown with some frames, fewer than the total
    deadline = time.monotonic() + 300
    while "posedash_video_job" in at.session_state and time.monotonic() < deadline:
        state = _provisional(at)
        if state is not None and 0 < state[2] < state[1]:
            seen.append(state)
            assert any("provisional" in c.value for c in at.caption)
            assert at.get("image"), "the newest frame analysed is shown"
        time.sleep(0.3)
        at.run()
        assert not at.exception, at.exception
    assert seen, "no provisional state with fewer frames than the total was shown"
    at.run()
    assert _provisional(at) is None, "the final result replaces the provisional one"
    assert any("a person was found in" in s.value for s in at.success)
    final = at.session_state["posedash_current_analysis"]
    # the same analysis as without watching, frame for frame, value for value
    plain = engine.video_analysis(data, resolve_model(None), AnalysisSettings(), name="raise.mp4")
    for field in ("image_xy", "z", "visibility", "presence", "world_m", "time_s"):
        assert np.array_equal(
            getattr(final.poses, field), getattr(plain.poses, field), equal_nan=True
        ), field
    assert np.array_equal(final.poses.frame_index, plain.poses.frame_index)
    assert np.array_equal(final.poses.swapped, plain.poses.swapped)
    assert (final.source_sha256, final.settings, final.model, final.fps, final.stride) == (
        plain.source_sha256,
        plain.settings,
        plain.model,
        plain.fps,
        plain.stride,
    )
    # kept under the key the page looks up (a widget change never analyses again)
    cached = at.session_state["posedash_results"]
    assert any(value is final for key, value in cached.items() if key[0] == "video")
