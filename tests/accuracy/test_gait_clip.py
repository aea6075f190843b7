"""Gait analysis of the shared walking clip (a woman walking past a wall, one way
then back, 30 fps, 401 frames), with the real model. The clip has no ground
truth: the checks are that the values are physiological, agree between the
two passes, and that contacts alternate left/right. (She walks back facing the
way she came: the second pass is backward walking.)

Measured (sequential engine, swap repair on; the same with the reference
landmarks within 0.6 steps/min): cadence 116.1 and 114.5 steps/min per pass,
step time 0.521 s, stride time 1.044 s, stance 65.0 % (left) and 65.4 % (right),
13 initial contacts and 15 toe offs, 9 strides kept of 9, 30 leg frames
relabelled by the detection stage's swap repair. Knee flexion at initial
contact 30.4 deg (left) and 25.5 deg (right): not checked (no ground truth, and
the second pass walks backwards)."""
from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics.gait import GaitSettings, analyze_gait, looks_like_walking
from tests.reference_data import legacy_sequence

CLIP = "sports2d_demo4_gait_side.mp4"


def _run(media_dir, model_info, repair: bool):
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video((media_dir / "videos" / CLIP).read_bytes(), model_info,
                                    AnalysisSettings(swap_repair=repair), name=CLIP,
                                    workers=1)


@pytest.fixture(scope="module")
def clip_seq(media_dir, model_info):
    return _run(media_dir, model_info, repair=True)


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
    result = analyze_gait(seq)
    _check(result)
    # the reference landmarks were made without PoseDash's swap repair: gait applies it
    assert result.swap_stage == "gait" and result.swapped_frames > 0


def test_one_swap_repair_whichever_stage_runs_it(clip_seq, media_dir, model_info):
    """The detection stage's leg-swap repair is the only one: applied again by gait
    analysis it changes nothing (the page says the detection stage relabelled the
    legs); on landmarks made with it off, gait analysis applies it and finds the
    same frames, events and figures."""
    repaired = analyze_gait(clip_seq)
    assert repaired.swap_stage == "tracking"
    assert repaired.swapped_frames == int(clip_seq.swapped[:, 0, 0].sum()) > 0
    assert any("run with the pose detection" in w for w in repaired.warnings)
    raw = _run(media_dir, model_info, repair=False)
    by_gait = analyze_gait(raw)
    assert (by_gait.swap_stage, by_gait.swapped_frames) == ("gait", repaired.swapped_frames)
    assert repaired.swapped_by == {"tracking": repaired.swapped_frames, "gait": 0}
    assert by_gait.events == repaired.events
    assert by_gait.to_dict()["parameters"] == repaired.to_dict()["parameters"]
    assert by_gait.to_dict()["key_values"] == repaired.to_dict()["key_values"]


def test_other_clips_do_not_look_like_walking(media_dir):
    for name in ("tfjs_pose_squats_front", "sports2d_demo5_lateral_raise_front"):
        seq = legacy_sequence(media_dir / "reference" / f"{name}.legacy.json")
        assert not looks_like_walking(seq), name
        assert np.isfinite(seq.time_s).all()
