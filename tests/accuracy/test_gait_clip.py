"""Gait analysis of the shared walking clip (a woman walking past a wall, one way
then back, 30 fps, 401 frames), with the real model. The clip has no ground
truth: the checks are that the values are physiological, agree between the
two passes, and that contacts alternate left/right."""
from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics.gait import GaitSettings, analyze_gait, looks_like_walking
from tests.reference_data import legacy_sequence

CLIP = "sports2d_demo4_gait_side.mp4"


@pytest.fixture(scope="module")
def clip_seq(media_dir, model_info):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced

    with native_logs_silenced():
        return engine.analyze_video((media_dir / "videos" / CLIP).read_bytes(), model_info,
                                    name=CLIP)


def _check(result):
    assert [p.direction_name for p in result.passes] == ["right_to_left", "left_to_right"]
    table = result.pass_parameters()
    cadence = table.cadence_steps_per_min.to_numpy()
    assert ((cadence > 90) & (cadence < 140)).all(), table
    assert abs(cadence[0] - cadence[1]) / cadence.mean() < 0.15, table
    assert ((table.step_time_s > 0.4) & (table.step_time_s < 0.7)).all(), table
    assert ((table.stride_time_s > 0.85) & (table.stride_time_s < 1.35)).all(), table
    assert (table.strides >= 2).all(), table
    for p in result.passes:
        ics = [e.side for e in result.events
               if e.pass_index == p.index and e.event == "initial_contact"]
        assert len(ics) >= 4
        assert all(a != b for a, b in zip(ics[:-1], ics[1:])), ics  # alternating L/R
    assert result.verdict in ("good", "usable")
    both = result.per_side["both"]
    assert 50 < both["stance_pct"]["mean"] < 75


def test_walking_clip_with_the_model(clip_seq):
    assert looks_like_walking(clip_seq)
    result = analyze_gait(clip_seq, GaitSettings(height_m=1.65))
    _check(result)
    speed = result.per_side["both"]["speed_m_s"]["mean"]
    assert 0.8 < speed < 1.6  # a comfortable walk


def test_walking_clip_with_the_reference_landmarks(media_dir):
    seq = legacy_sequence(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    _check(analyze_gait(seq))


def test_other_clips_do_not_look_like_walking(media_dir):
    for name in ("tfjs_pose_squats_front", "sports2d_demo5_lateral_raise_front"):
        seq = legacy_sequence(media_dir / "reference" / f"{name}.legacy.json")
        assert not looks_like_walking(seq), name
        assert np.isfinite(seq.time_s).all()
