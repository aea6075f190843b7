"""Walking towards or away from the camera: found, timed from the feet's vertical
motion, never given sagittal curves (synthetic frontal walker with known events:
tests/gait_frontal_walker.py; the shared media hold no frontal walking clip)."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from dashboard.kinematics.gait import analyze_gait, looks_like_walking
from dashboard.kinematics.gait.frontal import NEEDS_SIDE_VIEW, frontal_walking
from tests.gait_frontal_walker import frontal_walker
from tests.gait_walker import walker

#: Measured: towards, contacts 0.07 s late; away, up to 0.15 s early (the foot coming
#: down while it moves away cancels in the picture). Cadence within 5 steps/min.
TOLERANCE_S = {True: 0.1, False: 0.17}


def _ics(truth):
    return [tm for side, ev, tm in truth if ev == "initial_contact"]


@pytest.mark.parametrize("towards", [True, False])
@pytest.mark.parametrize("noise", [0.0, 1.0])
def test_frontal_walking_is_found_and_timed(towards, noise):
    seq, truth = frontal_walker(towards=towards, noise_px=noise)
    fr = frontal_walking(seq, seq.time_s, 30.0)
    assert fr is not None and len(fr.passes) == 1
    assert fr.passes[0].towards is towards
    found = [c for c in fr.contacts if c.event == "initial_contact"]
    labels = _ics(truth)
    # every contact found is a real one (none false), most are found, feet alternate
    for c in found:
        assert min(abs(c.time_s - lab) for lab in labels) <= TOLERANCE_S[towards], c
    assert len(found) >= len(labels) - 1
    assert all(a.side != b.side for a, b in pairwise(found))
    p = fr.parameters
    cadence = 120 / 1.1
    assert abs(p["cadence_steps_per_min"]["mean"] - cadence) < 5
    assert abs(p["stride_time_s"]["mean"] - 1.1) < 0.05
    assert abs(p["step_time_s"]["mean"] - 0.55) < 0.03
    assert p["steps"] == len(found)


def test_a_frontal_video_gives_temporal_parameters_only():
    seq, _ = frontal_walker(towards=True)
    assert looks_like_walking(seq)
    result = analyze_gait(seq)
    assert not result.passes and not result.events  # no side-view pass
    assert result.cycles_table().empty  # never a sagittal curve from a frontal pass
    doc = json.loads(result.to_json())
    fw = doc["frontal_walking"]
    assert fw["passes"][0]["direction"] == "towards"
    assert fw["steps"] >= 7
    assert 104 < fw["parameters"]["cadence_steps_per_min"]["mean"] < 114
    assert [n["parameters"] for n in fw["needs_side_view"]] == [a for a, _ in NEEDS_SIDE_VIEW]
    assert any("need a side view" in w for w in doc["warnings"])
    assert result.verdict == "not suitable"  # the side-view checks still say why


def test_side_view_walking_and_standing_are_not_frontal():
    seq, _ = walker(fps=30.0, directions=(1, -1))
    assert analyze_gait(seq).frontal is None
    still, _ = frontal_walker(strides=0.0, still_s=4.0)
    assert frontal_walking(still, still.time_s, 30.0) is None
    assert not looks_like_walking(still)
