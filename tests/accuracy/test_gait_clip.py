"""Gait analysis of the shared walking clip (a woman walking past a wall, one way
then back walking backwards, 30 fps, 401 frames), with the real model, against the
contacts labelled by eye (``gait_labels.json``: how they were labelled is written
there and in docs/gait.md).

Measured (sequential engine, swap repair on): forward pass (right to left) 8 of 8
contacts found, every one within 1 frame of the label, none false: 37 (at the edge:
she is found from frame 37), 57, 73, 88, 104, 119, 135, 151 against 36, 57, 73, 88,
104, 119, 135, 150; before (main 2b9aecd) 6 of 8 (36 and 150 missed: the pass began
at frame 55 and ended at 154). Backward pass (left to right): 9 of 9 within 2 frames
(193, 210, 226, 241, 258, 274, 289, 304, 320 against 191, 210, 227, 242, 259, 274,
290, 305, 321); before, left out. The mirrored copy of the clip (frames flipped and
re-encoded; measured on main 8496c3d + the label-cut rule): forward 36, 57, 72, 90,
104, 120, 136, 152 (before the rule 132 for 135: exactly 0.1 s off); backward 194, 210,
228, 243, 262, 274, 290, 305, 321.

She walks back facing the way she came (checked by eye: nose and toes point left
while her x increases): pass 2 is backward walking (feet cue -0.111 body heights,
face cue -0.045 along the travel; pass 1: +0.111 and +0.046; the margins are 0.04
and 0.015), analysed as such and reported apart.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import av
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


LABELS = json.loads((Path(__file__).parent / "gait_labels.json").read_text())["clips"][CLIP]
TOLERANCE_S = 0.1


def _match(found: list[float], labelled: list[float]) -> tuple[int, list[float]]:
    """(labels matched within the tolerance, detected times matching no label), one
    to one, nearest first."""
    pairs = sorted(
        (abs(f - lab), i, j)
        for i, f in enumerate(found)
        for j, lab in enumerate(labelled)
        if abs(f - lab) <= TOLERANCE_S
    )
    used_f, used_l = set(), set()
    for _, i, j in pairs:
        if i not in used_f and j not in used_l:
            used_f.add(i)
            used_l.add(j)
    return len(used_l), [f for i, f in enumerate(found) if i not in used_f]


def _check_contacts(result):
    """All forward contacts within 0.1 s and none false; at least 6 of the backward
    pass's labelled contacts within 0.1 s."""
    fps = LABELS["fps"]
    assert [p.walking for p in result.passes] == ["forward", "backward"]
    for p, lab in zip(result.passes, LABELS["passes"], strict=True):
        found = [
            e.frame / fps
            for e in result.events
            if e.pass_index == p.index and e.event == "initial_contact"
        ]
        labelled = [f / fps for f in lab["contacts"]]
        hit, false = _match(found, labelled)
        if lab["walking"] == "forward":
            assert hit == len(labelled) and not false, (found, labelled)
        else:
            assert hit >= 6, (found, labelled)
        sides = [
            e.side
            for e in result.events
            if e.pass_index == p.index and e.event == "initial_contact"
        ]
        assert all(a != b for a, b in itertools.pairwise(sides)), sides


def _check(result):
    assert [p.direction_name for p in result.passes] == ["right_to_left", "left_to_right"]
    assert [p.walking for p in result.passes] == ["forward", "backward"]
    forward, backward = result.passes
    assert forward.facing.facing == backward.facing.facing == -1  # she faces left in both
    assert forward.facing.feet_bh > 0.08 and forward.facing.head_bh > 0.035
    assert backward.facing.feet_bh < -0.08 and backward.facing.head_bh < -0.035
    assert result.walking_notices == [
        "In pass 2 the person walks backwards (facing left while moving right). It is "
        "analysed as backward walking (a contact is the toes landing behind) and reported "
        "apart: its figures are not mixed with forward walking."
    ]
    table = result.pass_parameters()
    one, two = table.iloc[0], table.iloc[1]
    assert 110 < one.cadence_steps_per_min < 122, table  # 116.1 measured
    assert 0.49 < one.step_time_s < 0.55, table  # 0.52
    assert 0.98 < one.stride_time_s < 1.08, table  # 1.033
    assert 55 < one.stance_pct < 68, table  # 61.3
    assert one.strides == 4, table  # 2 per side: the contacts at 1.2 and 5.0 s are edges
    assert two.walking == "backward" and two.strides >= 5, table
    assert 105 < two.cadence_steps_per_min < 125, table  # 115.0
    # forward parameters from pass 1 alone, backward ones from pass 2 alone
    assert result.per_side["both"]["stride_time_s"]["n"] == one.strides
    assert result.backward["both"]["stride_time_s"]["n"] == two.strides
    edge = [e for e in result.events if not e.steady and e.event == "initial_contact"]
    assert {e.pass_index for e in edge} == {0, 1}
    assert result.verdict == "good"
    # every kept stride is its two steps
    for c in result.kept_cycles:
        assert c.stride_length_bh == pytest.approx(sum(c.step_lengths_bh), abs=1e-9)
    _check_contacts(result)


def test_walking_clip_with_the_model(clip_seq):
    assert looks_like_walking(clip_seq)
    result = analyze_gait(clip_seq, GaitSettings(height_m=1.65))
    _check(result)
    speed = result.per_side["both"]["speed_m_s"]["mean"]
    assert 0.8 < speed < 1.6  # a comfortable walk (1.45 m/s with 1.65 m)
    assert "speed_m_s" not in result.per_side["left"]  # one speed for the body


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


def _mirrored(data: bytes) -> bytes:
    """The clip with every frame mirrored left-right and encoded again (H.264)."""
    buf = io.BytesIO()
    with av.open(io.BytesIO(data)) as src, av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=30)
        for frame in src.decode(video=0):
            rgb = frame.to_ndarray(format="rgb24")[:, ::-1]
            if not stream.width:
                stream.width, stream.height, stream.pix_fmt = rgb.shape[1], rgb.shape[0], "yuv420p"
                stream.options = {"crf": "18"}
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb))):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def test_mirrored_walking_clip(media_dir, model_info):
    """The mirror image of the clip: she walks left to right, then back walking
    backwards; the same contacts by eye (a mirror keeps the times)."""
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.settings import AnalysisSettings

    data = _mirrored((media_dir / "videos" / CLIP).read_bytes())
    with native_logs_silenced():
        seq = engine.analyze_video(data, model_info, AnalysisSettings(), name="m.mp4", workers=1)
    result = analyze_gait(seq)
    assert [p.direction_name for p in result.passes] == ["left_to_right", "right_to_left"]
    _check_contacts(result)
