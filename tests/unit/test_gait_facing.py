"""Forward, backward or unclear walking per pass: the rule on synthetic cues with known
answers, and gait analysis of a synthetic walker that walks one pass backwards."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.facing import (
    FOOT_MARGIN_BH,
    HEAD_MARGIN_BH,
    MIN_CUE_FRAMES,
    classify_walking,
)
from tests.gait_walker import walker

N = 60
FOOT, HEAD = 0.11, 0.046  # side-view cues measured on the shared walking clip (body heights)


def _cues(foot, head, n=N, noise=0.005, seed=0):
    rng = np.random.default_rng(seed)
    return (foot + rng.normal(0, noise, (n, 2)), head + rng.normal(0, noise / 2, n))


@pytest.mark.parametrize("direction", [1, -1])
def test_forward_and_backward_in_both_travel_directions(direction):
    # forward: toe ahead of the heel and nose ahead of the ears, along the travel
    f = classify_walking(*_cues(direction * FOOT, direction * HEAD), direction)
    assert (f.walking, f.facing) == ("forward", direction)
    assert f.feet_bh == pytest.approx(FOOT, abs=0.005)
    assert f.head_bh == pytest.approx(HEAD, abs=0.005)
    assert f.reason == "the feet and the face both point the way the person moves"
    # backward: both point against the travel; the person faces the other way
    b = classify_walking(*_cues(-direction * FOOT, -direction * HEAD), direction)
    assert (b.walking, b.facing) == ("backward", -direction)
    assert b.feet_bh == pytest.approx(-FOOT, abs=0.005) and b.analysed  # apart
    assert "against the way the person moves" in b.reason


@pytest.mark.parametrize("direction", [1, -1])
def test_unclear_when_the_cues_disagree_or_are_weak(direction):
    d = direction
    disagree = classify_walking(*_cues(d * FOOT, -d * HEAD), d)
    assert (disagree.walking, disagree.facing) == ("unclear", 0) and disagree.analysed
    assert disagree.reason == (
        "the feet point the way the person moves but the face against the way the person moves"
    )
    # the face turned to the camera: nose above the ears
    face_weak = classify_walking(*_cues(-d * FOOT, 0.0), d)
    assert face_weak.walking == "unclear"
    assert face_weak.reason.startswith(
        "the feet point against the way the person moves but the face does not show clearly"
    )
    # feet just inside the margin, face clear
    feet_weak = classify_walking(*_cues(d * 0.8 * FOOT_MARGIN_BH, d * HEAD, noise=0.001), d)
    assert feet_weak.walking == "unclear" and feet_weak.reason.startswith("the face points")
    both_weak = classify_walking(*_cues(0.0, 0.0), d)
    assert both_weak.walking == "unclear" and both_weak.reason.startswith("neither")
    # just beyond both margins: decided
    edge = classify_walking(
        *_cues(d * 1.2 * FOOT_MARGIN_BH, d * 1.2 * HEAD_MARGIN_BH, noise=0.0005), d
    )
    assert edge.walking == "forward"


def test_nan_aware_and_too_few_frames():
    foot, head = _cues(FOOT, HEAD)
    foot[::2] = np.nan
    head[::3] = np.nan
    f = classify_walking(foot, head, 1)
    assert f.walking == "forward"
    assert f.feet_frames == N and f.head_frames == N - N // 3
    few = np.full(N, np.nan)
    few[: MIN_CUE_FRAMES - 1] = HEAD
    g = classify_walking(foot, few, 1)
    assert g.walking == "unclear" and np.isnan(g.head_bh) and g.head_frames == MIN_CUE_FRAMES - 1
    empty = classify_walking(np.full((0, 2), np.nan), np.full(0, np.nan), -1)
    assert empty.walking == "unclear" and np.isnan(empty.feet_bh)


def test_the_feet_cue_uses_the_stance_frames():
    """In swing a foot may point anywhere: only the stance frames count, unless too
    few of them are known."""
    foot, head = _cues(FOOT, HEAD)
    stance = np.zeros_like(foot, bool)
    stance[:20] = True
    foot[20:] = -0.3  # swing frames pointing backwards (outnumbering the stance ones)
    assert classify_walking(foot, head, 1, stance).walking == "forward"
    assert classify_walking(foot, head, 1).walking == "unclear"
    stance[:] = False
    stance[:2] = True  # too few stance frames: every frame is used
    assert classify_walking(foot, head, 1, stance).feet_frames == 2 * N


#: The walker's truth is a forward walker's; walking backwards the foot that lands
#: first is the toe (initial contact) and the heel leaves last (foot off).
_BACKWARD_KIND = {"initial_contact": "initial_contact", "foot_off": "toe_off"}


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("directions", [(1, -1), (-1, 1)])
def test_a_backward_pass_is_analysed_apart(fps, directions):
    seq, truth = walker(fps=fps, directions=directions, noise_px=1.0, facing=(1, -1))
    result = analyze_gait(seq)
    first, second = result.passes
    assert (first.walking, second.walking) == ("forward", "backward")
    assert first.facing.facing == directions[0] and second.facing.facing == directions[0]
    back = [e for e in result.events if e.pass_index == 1]
    assert {e.event for e in back} == {"initial_contact", "foot_off"}
    assert all(e.walking == "backward" for e in back)
    assert all(e.walking == "forward" for e in result.events if e.pass_index == 0)
    for e in result.events:  # every event exact to a frame, in both passes
        kind = _BACKWARD_KIND[e.event] if e.walking == "backward" else e.event
        times = np.array([t for s, k, t, p in truth if s == e.side and k == kind])
        assert np.min(np.abs(times - e.time_s)) * fps <= 1.0 + 1e-6, e
    # the forward figures come from pass 1 alone, the backward ones from pass 2 alone
    fwd_n = sum(c.kept for c in result.cycles if c.pass_index == 0)
    back_n = sum(c.kept for c in result.cycles if c.pass_index == 1)
    assert fwd_n >= 8 and back_n >= 8
    assert result.per_side["both"]["stride_time_s"]["n"] == fwd_n
    assert result.backward["both"]["stride_time_s"]["n"] == back_n
    assert result.backward["both"]["cadence_steps_per_min"]["mean"] == pytest.approx(
        120 / 1.1, rel=0.02
    )
    moving = "left" if directions[1] < 0 else "right"
    facing = "right" if moving == "left" else "left"
    notice = (
        f"In pass 2 the person walks backwards (facing {facing} while moving {moving})."
        " It is analysed as backward walking (a contact is the toes landing behind) and "
        "reported apart: its figures are not mixed with forward walking."
    )
    assert result.walking_notices == [notice] and notice in result.warnings
    check = next(c for c in result.checks if c.key == "forward")
    assert check.ok is True and not check.essential
    assert check.detail == "pass 2: walked backwards, analysed apart as backward walking"
    assert result.verdict == "good"
    table = result.pass_parameters()
    assert list(table.walking) == ["forward", "backward"]
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert doc["backward_walking"]["passes"] == [1]
    bp = doc["backward_walking"]["parameters"]
    assert bp["cadence_steps_per_min"] == pytest.approx(120 / 1.1, rel=0.02)
    assert bp["left"]["n_strides"] + bp["right"]["n_strides"] == back_n


def test_the_forward_pass_is_unchanged_by_the_backward_one():
    """Pass 1's events and figures are the same whether pass 2 is walked forwards
    or backwards (analysed apart)."""
    fwd = analyze_gait(walker(fps=30.0, directions=(1, -1), noise_px=1.0)[0])
    back = analyze_gait(walker(fps=30.0, directions=(1, -1), noise_px=1.0, facing=(1, -1))[0])
    assert [e for e in fwd.events if e.pass_index == 0] == [
        e for e in back.events if e.pass_index == 0
    ]
    assert fwd.pass_parameters().iloc[0].equals(back.pass_parameters().iloc[0])


@pytest.mark.parametrize("direction", [1, -1])
def test_backward_walking_alone_gives_backward_figures_only(direction):
    seq, _ = walker(fps=30.0, directions=(direction,), facing=(-1,))
    result = analyze_gait(seq)
    (p,) = result.passes
    assert p.walking == "backward" and result.events and result.cycles
    assert all(e.walking == "backward" for e in result.events)
    assert result.verdict == "good"
    assert result.cycles_table().empty  # no sagittal curve of backward walking
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert doc["parameters"]["cadence_steps_per_min"] is None  # nothing forward
    assert doc["backward_walking"]["parameters"]["cadence_steps_per_min"] > 100
    assert doc["passes"][0]["walking"] == "backward"


@pytest.mark.parametrize("head", [0, -1])
def test_an_unclear_pass_is_analysed_with_lower_trust(head):
    seq, _truth = walker(fps=30.0, directions=(-1,), noise_px=1.0, head=(head,))
    result = analyze_gait(seq)
    (p,) = result.passes
    assert p.walking == "unclear" and p.analysed
    assert result.events and not result.dropped_cycles
    check = next(c for c in result.checks if c.key == "forward")
    assert check.ok is None and "analysed with lower trust" in check.detail
    assert result.verdict == "usable"
    (notice,) = result.walking_notices
    assert notice.startswith(
        "In pass 1 (moving left) it is unclear which way the person "
        "faces: the feet point the way the person moves but the face"
    )
    assert notice.endswith("trust them less and check them against the video.")
    d = result.to_dict()["passes"][0]
    assert (d["walking"], d["analysed"], d["trust"], d["facing"]) == (
        "unclear",
        True,
        "lower",
        "unknown",
    )


def test_gait_json_pass_fields():
    seq, _ = walker(fps=30.0, directions=(1, -1), facing=(1, -1))
    doc = json.loads(json.dumps(analyze_gait(seq).to_dict(), allow_nan=False))
    fwd, back = doc["passes"]
    assert (fwd["walking"], fwd["facing"], fwd["analysed"], fwd["trust"]) == (
        "forward",
        "right",
        True,
        "normal",
    )
    assert fwd["left_out_reason"] is None and fwd["notice"] == ""
    assert (back["walking"], back["facing"], back["analysed"], back["trust"]) == (
        "backward",
        "right",
        True,
        "normal",
    )
    assert back["left_out_reason"] is None and back["analysed_as"] == "backward walking"
    assert back["notice"].startswith(
        "In pass 2 the person walks backwards (facing right while moving left)."
    )
    cues = back["walking_cues"]
    assert cues["feet_body_heights"] == pytest.approx(-0.15, abs=0.01)
    assert cues["head_body_heights"] == pytest.approx(-0.03, abs=0.005)
    assert {e["pass_index"] for e in doc["events"]} == {0, 1}
    assert {e["walking"] for e in doc["events"] if e["pass_index"] == 1} == {"backward"}
