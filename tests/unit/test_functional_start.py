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


def test_sls_sides_follow_the_mirror_answer_or_say_they_are_the_models():
    from dashboard.functional.sls import PHONE_MIRROR
    from tests.functional_person import sls_script

    script = sls_script(right_lift_s=5.0, left_lift_s=3.0)
    seq = script.sequence()
    plain = run_test(seq, TestOptions("sls")).to_dict()["result"]
    # the model's labels: 5 s standing on the left, 3 s on the right; the side unknown
    assert (plain["left_s"], plain["right_s"]) == pytest.approx((4.9, 2.9), abs=0.25)
    assert plain["sides"] == "as_labelled"
    assert "mirror image" in plain["sides_note"] and "swapped" in plain["sides_note"]
    mirrored = run_test(seq, TestOptions("sls", mirrored=True)).to_dict()
    assert mirrored["result"]["sides"] == "patient"
    assert mirrored["result"]["left_s"] == plain["right_s"]
    assert mirrored["result"]["right_s"] == plain["left_s"]
    assert mirrored["result"]["best_s"] == plain["best_s"]
    assert "right 4.9 s" in mirrored["headline"]
    labels = [e["label"] for e in mirrored["events"] if e["event"].startswith("lift_off")]
    assert labels == ["lift-off (right stance)", "lift-off (left stance)"]
    not_mirrored = run_test(seq, TestOptions("sls", mirrored=False)).to_dict()["result"]
    assert not_mirrored["sides"] == "patient" and not_mirrored["left_s"] == plain["left_s"]
    # a phone's mirror mark was undone when the video was read: the patient's sides
    note = f"The phone {PHONE_MIRROR} (front camera)."
    marked = run_test(seq, TestOptions("sls"), notes=(note,)).to_dict()["result"]
    assert marked["sides"] == "patient" and marked["left_s"] == plain["left_s"]


def test_the_phone_mirror_words_are_those_of_the_video_reader():
    from dashboard.functional.sls import PHONE_MIRROR
    from dashboard.media.video import MIRROR_NOTE

    assert PHONE_MIRROR in MIRROR_NOTE
