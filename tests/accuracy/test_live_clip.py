"""The live core with the real model on frames of a shared clip (frontal lateral
raises, cropped and scaled to a 640 x 480 camera): the live numbers agree with
what the review pages compute from the recording."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics import compute_angles
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.reps import detect_repetitions
from dashboard.live.processor import LiveOptions, LiveProcessor
from tests.live_clip import CLIP, camera_frames

FRAMES = 240  # 8 s: rest, then at least two raises


@pytest.fixture(scope="module")
def run(media_dir, model_info):
    frames = camera_frames(media_dir / CLIP, FRAMES)
    proc = LiveProcessor(
        model_info.path,
        options=LiveOptions("shoulder_abduction", "left"),
        model=model_info.as_dict(),
    )
    proc.prepare(background=False)
    proc.start_recording()
    values, outputs = [], 0
    for i in range(0, len(frames), 3):
        batch = frames[i : i + 3] if i % 2 else frames[i : i + 1]  # sometimes behind
        out = proc.process_latest(batch)
        outputs += out.shape == (480, 640, 3)
        snap = proc.snapshot()
        values.append(snap.reading.value_deg)
    analysis = proc.stop_recording()
    proc.close()
    return proc, np.array(values), analysis, outputs


def test_every_processed_frame_comes_back_drawn_and_is_recorded(run):
    proc, values, analysis, outputs = run
    snap = proc.snapshot()
    assert outputs == len(values) == snap.rate.processed == analysis.poses.num_frames
    assert snap.rate.dropped > 0
    assert analysis.poses.detected[:, 0].mean() > 0.95
    assert np.all(np.diff(analysis.poses.time_s) > 0)


def test_live_angle_is_the_review_pages_value(run):
    _, values, analysis, _ = run
    review = compute_angles(
        analysis.poses, "image", filter=FilterSettings(method="none", max_gap_s=0.0)
    )
    series = review.series("shoulder_abduction", "left", filtered=False)
    # the review also flags foreshortening from the whole recording; values agree where kept
    both = np.isfinite(series)
    assert both.mean() > 0.8
    np.testing.assert_allclose(values[both], series[both], atol=1e-6)
    assert np.nanmax(values) > 70 and np.nanmin(values) < 30  # arms raised, then down


def test_hold_and_reps_agree_with_the_recording(run):
    proc, values, analysis, _ = run
    snap = proc.snapshot()
    assert snap.max_deg == pytest.approx(np.nanmax(values))
    assert snap.min_deg == pytest.approx(np.nanmin(values))
    assert snap.max_picture is not None and snap.max_picture.shape == (480, 640, 3)
    batch = detect_repetitions(values, analysis.poses.time_s)
    assert snap.reps == sum(r.complete for r in batch) >= 1
