"""The clock's start (the first movement) on synthetic people with a known start, with
a camera that starts to move during the still stretch before it (issue 21)."""

from __future__ import annotations

import pytest

from dashboard.functional import TestOptions, run_test
from dashboard.functional.signals import extract
from dashboard.functional.start import posture_speed
from tests.functional_person import camera_moves, sts_script, tug_script


def _tug_after_still(still_s: float):
    s = tug_script()
    n = round(still_s * s.fps)
    for key in ("theta", "lean", "x", "face", "lift_l", "lift_r"):
        values = getattr(s, key)
        values[:0] = [values[0]] * n
    s.events = {k: v + still_s for k, v in s.events.items()}
    return s


@pytest.mark.parametrize(
    "camera",
    [
        dict(deg_per_s=8.0, zoom_per_s=0.0, pan_px_s=(0.0, 0.0)),  # the phone rolls
        dict(deg_per_s=0.0, zoom_per_s=0.1, pan_px_s=(0.0, 0.0)),  # walks closer
        dict(deg_per_s=0.0, zoom_per_s=0.0, pan_px_s=(150.0, 50.0)),  # pans
        dict(deg_per_s=5.0, zoom_per_s=0.08, pan_px_s=(100.0, 30.0)),  # all at once
    ],
)
@pytest.mark.parametrize("test", ["sts5", "tug"])
def test_a_camera_moving_before_the_first_movement_does_not_start_the_clock(test, camera):
    # still 3 s; the camera moves from 1 s before the first movement until 0.5 s after
    # it (before this fix: 0.9 s early when the phone rolled 8 degrees a second)
    s = sts_script(still_s=3.0) if test == "sts5" else _tug_after_still(2.0)
    still = run_test(s.sequence(), TestOptions(test)).to_dict()
    moved = camera_moves(s.sequence(), s.events["start"] - 1.0, **camera)
    doc = run_test(moved, TestOptions(test)).to_dict()
    assert doc["start"]["method"] == "first_movement"
    assert doc["start"]["time_s"] == pytest.approx(s.events["start"], abs=1 / 30 + 1e-9)
    assert doc["start"]["time_s"] == pytest.approx(still["start"]["time_s"], abs=1e-9)
    total = "total_s"
    assert doc["result"][total] == pytest.approx(still["result"][total], abs=0.05)


def test_posture_speed_ignores_the_camera_and_sees_the_body():
    s = sts_script(still_s=3.0)
    sig = extract(camera_moves(s.sequence(), 1.0, seconds=1.5), 0)
    speed = posture_speed(sig)
    t = sig.time_s
    camera_only = speed[(t > 1.1) & (t < 2.4)]
    assert camera_only.max() < 0.01  # leg lengths/s: a shift, turn and scale cancel
    moving = speed[(t > 3.05) & (t < 3.2)]
    assert moving.min() > 0.25  # the forward lean of the first stand
