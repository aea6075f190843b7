"""The walk tests' timing logic on the shared real walking clip (a woman walking forwards
from right to left, then backwards from left to right, static side camera), with the
real model, against events labelled by eye (``functional_labels.json``; issue 21).

There is no 10-m or 3-m walkway in this clip: the 10-m walk is checked with two marks
drawn at x = 300 and 900 px (the timing of the zone's entry and exit, not a distance),
and the 3-m backward walk's start, contacts and end on the backward pass (the walk
leaves the picture, so its end is the edge of the picture, said in a warning).

Measured (sequential engine, full model, 30 fps): zone entry 72 (by eye 71), exit 127
(126): 1.83 s in the zone (by eye 1.83 s). Backward walk: start 180 (by eye 183), end
341 (341), 9 contacts (9), each within 2 frames: 5.37 s (by eye 5.27 s). Before the
start was looked for up to the pass's first steady step, it was the start of the pass's
window, 175 (0.27 s early).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.functional import TestOptions, run_test

CLIP = "sports2d_demo4_gait_side.mp4"
LAB = json.loads((Path(__file__).parent / "functional_labels.json").read_text())["clips"][CLIP]


@pytest.fixture(scope="module")
def walk_seq(media_dir, model_info):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video(
            (media_dir / "videos" / CLIP).read_bytes(),
            model_info,
            AnalysisSettings(),
            name=CLIP,
            workers=1,
        )


def _frames(doc: dict, prefix: str) -> list[int]:
    return [e["frame"] for e in doc["events"] if e["event"].startswith(prefix)]


def test_walk10_zone_timing_against_by_eye_crossings(walk_seq):
    marks = tuple(float(x) for x in LAB["zone_marks_px"])
    doc = run_test(walk_seq, TestOptions("walk10", distance_m=4.0, marks_px=marks)).to_dict()
    (entry,), (exit_,) = _frames(doc, "zone_entry"), _frames(doc, "zone_exit")
    assert entry == pytest.approx(LAB["forward_zone_entry"], abs=2)
    assert exit_ == pytest.approx(LAB["forward_zone_exit"], abs=2)
    by_eye = (LAB["forward_zone_exit"] - LAB["forward_zone_entry"]) / LAB["fps"]
    assert doc["result"]["time_s"] == pytest.approx(by_eye, abs=0.1)
    assert doc["result"]["speed_m_s"] == pytest.approx(4.0 / doc["result"]["time_s"], abs=1e-3)
    assert not doc["warnings"]


def test_backward3_start_contacts_and_end_against_by_eye_labels(walk_seq):
    doc = run_test(walk_seq, TestOptions("backward3")).to_dict()
    assert doc["start"]["method"] == "first_movement"
    assert doc["start"]["frame"] == pytest.approx(LAB["backward_first_movement"], abs=4)
    (end,) = _frames(doc, "end")
    assert end == pytest.approx(LAB["backward_end"], abs=2)
    contacts = _frames(doc, "contact")
    assert len(contacts) == len(LAB["backward_contacts"]) == doc["result"]["steps"]
    for found, eye in zip(contacts, LAB["backward_contacts"], strict=True):
        assert found == pytest.approx(eye, abs=3)
    by_eye = (LAB["backward_end"] - LAB["backward_first_movement"]) / LAB["fps"]
    assert doc["result"]["time_s"] == pytest.approx(by_eye, abs=0.2)
    assert any("edge of the video or of the picture" in w for w in doc["warnings"])
