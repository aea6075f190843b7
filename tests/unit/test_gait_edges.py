"""Every step of a pass: contacts at the edges of a pass (entering and leaving the
picture, slowing down before a stop) are found where the foot is in view, marked as
acceleration or deceleration contacts, shown but left out of the steady-state
parameters; the detector runs on plain arrays; statistics are honest about n."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from dashboard.kinematics.gait import GaitSettings, analyze_gait
from dashboard.kinematics.gait.events import GaitEvent, _alternating, side_view_events
from dashboard.kinematics.gait.parameters import MIN_SPREAD_N, stats, too_few_words
from dashboard.skeleton import INDEX
from tests.gait_walker import H, walker

T, SPEED = 1.1, 0.75


def _near(truth, side, kind, t, fps, frames=1.0):
    times = np.array([tt for s, k, tt, _ in truth if s == side and k == kind])
    return len(times) and np.min(np.abs(times - t)) * fps <= frames + 1e-6


def _cropped(seq, shift):
    """The walker seen by a camera whose picture is ``shift`` px narrower on both
    sides: the person enters on the left and leaves on the right."""
    xy = seq.image_xy.copy()
    xy[..., 0] -= shift
    width = int(seq.image_size[0] - 2 * shift)
    return dataclasses.replace(seq, image_xy=xy, image_size=(width, seq.image_size[1]))


def _slowed(seq, truth, from_s: float, factor: int = 2):
    """Every frame after ``from_s`` shown ``factor`` times at the same frame rate: the
    person walks ``factor`` times slower from then on (a deceleration before a stop)."""
    fps = 1 / float(np.median(np.diff(seq.time_s)))
    cut = int(round(from_s * fps))
    idx = np.concatenate([np.arange(cut), np.repeat(np.arange(cut, seq.num_frames), factor)])
    arrays = {
        k: getattr(seq, k)[idx] for k in ("image_xy", "z", "visibility", "presence", "world_m")
    }
    slow = dataclasses.replace(
        seq, **arrays, time_s=np.arange(len(idx)) / fps, frame_index=np.arange(len(idx))
    )
    warp = [(s, k, t if t <= from_s else from_s + (t - from_s) * factor, p) for s, k, t, p in truth]
    return slow, warp


def test_contacts_entering_and_leaving_the_picture():
    seq, truth = walker(fps=30.0, directions=(1,), noise_px=0.5)
    width_cut = 0.75 * H
    cropped = _cropped(seq, width_cut)
    result = analyze_gait(cropped)
    (p,) = result.passes
    assert p.window_start < p.start and p.window_end > p.end
    xy = cropped.image_xy[:, 0]
    width = cropped.image_size[0]
    for e in result.events:  # every event true to a frame (0.1 s at an edge), foot in view
        assert _near(truth, e.side, e.event, e.time_s, 30.0, 3 if e.at_edge else 1), e
        foot = xy[e.index, [INDEX[f"{e.side}_heel"], INDEX[f"{e.side}_foot_index"]], 0]
        assert ((foot >= 0) & (foot <= width)).all(), e
    # the first contact, before the whole body is in the picture, is found and marked
    first = next(e for e in result.events if e.event == "initial_contact")
    assert first.index < p.start and first.phase == "acceleration"
    assert first.phase_reason == "the person is only partly in the picture"
    assert first.time_s == pytest.approx(0.275, abs=1 / 30 + 1e-9)
    # contacts outside the steady stretch make acceleration strides: shown, not averaged
    edge = [c for c in result.cycles if c.phase != "steady"]
    assert edge and not any(c.kept for c in edge)
    assert all(c.reason.startswith(("acceleration contact", "deceleration contact")) for c in edge)
    kept = [c for c in result.cycles if c.kept]
    assert result.per_side["both"]["stride_time_s"]["n"] == len(kept)
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert {e["phase"] for e in doc["events"]} == {"acceleration", "steady", "deceleration"}
    assert doc["passes"][0]["contacts_window_s"][0] < doc["passes"][0]["start_s"]
    assert "acceleration or deceleration strides" in " ".join(result.warnings)
    table = result.events_table()
    assert {"phase", "phase_reason", "walking", "at_edge"} <= set(table.columns)


def test_a_contact_on_the_first_frame_the_foot_is_seen():
    """The person is found from the frame after a contact: the contact counts, on
    that first frame, when the foot already stands still and the heel is as far ahead
    as at the other contacts (it happened at most 0.1 s of walking earlier)."""
    seq, truth = walker(fps=30.0, directions=(1,), noise_px=0.3)
    first = round(0.275 * 30) + 1  # one frame after the first left contact
    xy = np.array(seq.image_xy)
    xy[:first] = np.nan
    result = analyze_gait(dataclasses.replace(seq, image_xy=xy))
    e = next(e for e in result.events if e.event == "initial_contact")
    assert e.at_edge and e.index == first and e.phase == "acceleration"
    assert "first frame the foot is seen" in e.phase_reason
    # two frames later the heel has moved back too far: no contact is claimed
    xy = np.array(seq.image_xy)
    xy[: first + 4] = np.nan
    late = analyze_gait(dataclasses.replace(seq, image_xy=xy))
    ics = [e for e in late.events if e.event == "initial_contact"]
    assert all(_near(truth, e.side, e.event, e.time_s, 30.0) for e in ics)
    assert ics[0].time_s > 0.7


def test_slowing_down_before_a_stop_is_deceleration():
    seq, truth = walker(fps=30.0, directions=(1,), noise_px=0.5, strides=7)
    slow, warp = _slowed(seq, truth, from_s=5.5)
    result = analyze_gait(slow)
    (p,) = result.passes
    ics = [e for e in result.events if e.event == "initial_contact"]
    assert all(_near(warp, e.side, e.event, e.time_s, 30.0, 1.5) for e in ics), ics
    late = [e for e in ics if e.time_s > 6.0]
    early = [e for e in ics if 1.0 < e.time_s < 5.0]
    assert late and all(e.phase == "deceleration" for e in late), late
    assert all(e.phase == "steady" for e in early)
    assert "slowing down" in late[0].phase_reason
    # the steady strides alone give the parameters: the cadence of the steady walking
    cadence = result.per_side["both"]["cadence_steps_per_min"]["mean"]
    assert cadence == pytest.approx(120 / T, rel=0.03)
    assert p.steady_end < p.end


def test_the_detector_on_plain_arrays():
    """``side_view_events`` is the detector the video analysis runs, on plain arrays
    in any unit (here metres, as from markers), forwards and backwards."""
    seq, truth = walker(fps=60.0, directions=(1,), noise_px=0.0)
    xy = seq.image_xy[:, 0] / H * 1.7  # metres, 1.70 m person
    heel = xy[:, [INDEX["left_heel"], INDEX["right_heel"]], 0]
    toe = xy[:, [INDEX["left_foot_index"], INDEX["right_foot_index"]], 0]
    pelvis = 0.5 * (xy[:, INDEX["left_hip"], 0] + xy[:, INDEX["right_hip"], 0])
    n = round(6.6 * 60)  # the walking, without the standing at the end
    events = side_view_events(heel[:n], toe[:n], pelvis[:n], seq.time_s[:n], 1.7)
    assert len([e for e in events if e.event == "initial_contact"]) >= 11
    for e in events:
        assert _near(truth, e.side, e.event, e.time_s, 60.0), e
        assert e.steady or e.at_edge
    # walking backwards: the same feet, the person facing the other way
    back, btruth = walker(fps=60.0, directions=(1,), facing=(-1,))
    bxy = back.image_xy[:n, 0] / H * 1.7
    bev = side_view_events(
        bxy[:, [INDEX["left_heel"], INDEX["right_heel"]], 0],
        bxy[:, [INDEX["left_foot_index"], INDEX["right_foot_index"]], 0],
        0.5 * (bxy[:, INDEX["left_hip"], 0] + bxy[:, INDEX["right_hip"], 0]),
        back.time_s[:n],
        1.7,
        walking="backward",
    )
    kinds = {"initial_contact": "initial_contact", "foot_off": "toe_off"}
    assert {e.event for e in bev} == set(kinds)
    assert all(_near(btruth, e.side, kinds[e.event], e.time_s, 60.0) for e in bev)
    with pytest.raises(ValueError):
        side_view_events(heel[:n], toe[:n], pelvis[:n], seq.time_s[:n], 1.7, walking="sideways")


def test_two_contacts_too_close_keep_the_alternation():
    def ev(side, t, conf, edge=False):
        return GaitEvent(
            side, "initial_contact", int(t * 30), int(t * 30), t, conf, 0, 0.0, at_edge=edge
        )

    # 0.0 (left, edge) and 0.07 (right) cannot both be contacts; the next is right
    events = [ev("left", 0.0, 0.4, True), ev("right", 0.07, 0.5), ev("right", 0.7, 0.8)]
    kept = _alternating(events, 0.25)
    assert [(e.side, e.time_s) for e in kept] == [("left", 0.0), ("right", 0.7)]
    # no neighbour to tell: the more confident stays
    kept = _alternating(events[:2], 0.25)
    assert [e.side for e in kept] == ["right"]


@pytest.mark.parametrize("strides", [2.4, 3.1])
def test_too_few_strides_for_a_spread(strides):
    """Below 3 strides per side: the values and n, no SD, no variability (null)."""
    seq, _ = walker(fps=30.0, directions=(1,), strides=strides)
    result = analyze_gait(seq, GaitSettings(height_m=1.7))
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    for side in ("left", "right"):
        n = doc["parameters"][side]["n_strides"]
        s = doc["parameters"]["stats"][side]["stride_time_s"]
        assert 1 <= n < MIN_SPREAD_N, n
        assert s["mean"] == pytest.approx(T, abs=1 / 30) and s["sd"] is None
        assert doc["parameters"][side]["stride_time_cv_pct"] is None
        assert doc["parameters"][side]["spread"] == f"n = {n}: too few strides for a spread"
    assert "speed_m_s" in doc["parameters"] and "speed_m_s" not in doc["parameters"]["left"]
    # both sides pooled: no variability either while a foot has fewer than 3 strides
    # (the shared walking clip: 2 + 2 strides of 31 frames read 0.0 % before)
    assert doc["parameters"]["stride_time_cv_pct"] is None


def test_statistics_words():
    assert stats([1.0, 2.0])["sd"] != stats([1.0, 2.0])["sd"]  # NaN: no spread from 2
    assert stats([1.0, 2.0, 3.0])["sd"] == pytest.approx(1.0)
    assert too_few_words(1) == "n = 1: too few strides for a spread"
    assert too_few_words(3) == "" and too_few_words(0) == ""


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("start", [62, 64, 66, 68, 70, 72])
def test_a_contact_cut_between_the_labels_is_found(fps, start):
    """The legs' labels swap (and stay swapped) while the left foot swings to its
    contact at 2.475 s: the landing is cut between the two labels (seen on the
    mirrored walking clip). Measured before the leading-foot rule: 1 contact missed and
    one found up to 0.24 s early; after: every contact within one frame, none false."""
    first = round(start * fps / 30)
    seq, truth = walker(
        fps=fps, directions=(1,), swap=(first, first + round(20 * fps)), noise_px=0.5
    )
    result = analyze_gait(seq, GaitSettings(repair_leg_swaps=False))
    found = [e.time_s for e in result.events if e.event == "initial_contact"]
    labels = [t for _, ev, t, _ in truth if ev == "initial_contact"]
    assert len(found) == len(labels)
    for t in found:  # none false
        assert min(abs(t - lab) for lab in labels) <= 1 / fps + 1e-9, (t, labels)
