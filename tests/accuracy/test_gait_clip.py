"""Gait analysis of the shared walking clip (a woman walking past a wall, one way
then back, 30 fps, 401 frames), with the real model. The clip has no ground
truth: the checks are that the values are physiological and that contacts
alternate left/right. She walks back facing the way she came (checked by eye:
nose and toes point left while her x increases): pass 2 is backward walking, which
PoseDash classifies as such (feet cue -0.111 body heights, face cue -0.045 along
the travel; pass 1: +0.111 and +0.046; the margins are 0.04 and 0.015) and leaves
out of events, parameters and curves.

Measured (sequential engine, swap repair on; the same with the reference
landmarks within 0.6 steps/min): pass 1 (forward, right to left): cadence 116.1
steps/min, step time 0.517 s, stride time 1.033 s, stance 61.3 % (reference
landmarks 59.1 %), 5 initial contacts and 6 toe offs, 3 strides kept of 3: the
same as before the backward pass was left out. Before, pass 2 (backward) was
analysed as forward walking: cadence 114.5 steps/min, 8 contacts and 9 toe offs,
6 strides, stance 67.2 %, and it dominated the knee flexion at "initial contact"
(30.4 deg left, 25.5 deg right over both passes; pass 1 alone: 2.5 and 0.5 deg,
1 and 2 strides). 30 leg frames relabelled by the detection stage's swap repair."""

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
        return engine.analyze_video(
            (media_dir / "videos" / CLIP).read_bytes(),
            model_info,
            AnalysisSettings(swap_repair=repair),
            name=CLIP,
            workers=1,
        )


@pytest.fixture(scope="module")
def clip_seq(media_dir, model_info):
    return _run(media_dir, model_info, repair=True)


def _check(result):
    assert [p.direction_name for p in result.passes] == ["right_to_left", "left_to_right"]
    assert [p.walking for p in result.passes] == ["forward", "backward"]
    forward, backward = result.passes
    assert forward.facing.facing == backward.facing.facing == -1  # she faces left in both
    assert forward.facing.feet_bh > 0.08 and forward.facing.head_bh > 0.035
    assert backward.facing.feet_bh < -0.08 and backward.facing.head_bh < -0.035
    assert result.walking_notices == [
        "In pass 2 the person walks backwards (facing left while moving right). PoseDash's "
        "gait events assume forward walking, so that pass is left out."
    ]
    table = result.pass_parameters()
    one = table.iloc[0]
    assert 110 < one.cadence_steps_per_min < 122, table  # 116.1 measured
    assert 0.49 < one.step_time_s < 0.55, table  # 0.517
    assert 0.98 < one.stride_time_s < 1.08, table  # 1.033
    assert 55 < one.stance_pct < 68, table  # 61.3 (model), 59.1 (reference)
    assert one.strides == 3 and one.steps == 4, table
    assert table.iloc[1].strides == 0 and table.iloc[1].walking == "backward (left out)"
    ics = [e.side for e in result.events if e.event == "initial_contact"]
    assert len(ics) == 5 and all(a != b for a, b in zip(ics[:-1], ics[1:])), ics
    assert {e.pass_index for e in result.events} == {0}
    assert all(c.pass_index == 0 for c in result.cycles)
    assert result.verdict == "usable"  # only the 'Walking forwards' check fails
    assert [c.key for c in result.checks if c.ok is not True] == ["forward"]
    both = result.per_side["both"]
    assert 50 < both["stance_pct"]["mean"] < 75
    assert both["cadence_steps_per_min"]["mean"] == pytest.approx(one.cadence_steps_per_min)


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
