"""Gait analysis on a synthetic walker with known events (tests/gait_walker.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard.errors import InputError
from dashboard.kinematics.gait import (
    CYCLES_CSV_COLUMNS,
    GaitSettings,
    analyze_gait,
    gait_cycles_csv,
    looks_like_walking,
)
from dashboard.kinematics.gait.cycles import build_cycles
from dashboard.kinematics.gait.events import GaitEvent
from dashboard.kinematics.gait.parameters import symmetry_index
from dashboard.kinematics.gait.passes import WalkingPass
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX
from tests.gait_walker import walker

T, STANCE, SPEED = 1.1, 0.6, 0.75


def _check_events(result, truth, fps):
    """Every event found is a true one to within one frame, and every true event
    inside a pass (0.2 s from its ends, where an extremum can be told) is found."""
    assert result.events
    for e in result.events:
        times = np.array([t for s, k, t, _ in truth if s == e.side and k == e.event])
        assert np.min(np.abs(times - e.time_s)) * fps <= 1.0 + 1e-6, e
    for side, kind, t, _ in truth:
        inside = any(p.start_s + 0.2 <= t <= p.end_s - 0.2 for p in result.passes)
        if inside:
            found = [e.time_s for e in result.events if e.side == side and e.event == kind]
            assert found and min(abs(np.array(found) - t)) * fps <= 1.0 + 1e-6, (side, kind, t)


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("directions", [(1,), (-1,), (1, -1)])
def test_events_exact_to_one_frame_with_noise_and_a_leg_swap(fps, directions):
    # the legs are swapped for 4 frames around the second left toe off (2.475 s)
    first = int(round(2.42 * fps))
    seq, truth = walker(fps=fps, directions=directions, noise_px=1.0, swap=(first, first + 3))
    result = analyze_gait(seq)
    assert [p.direction for p in result.passes] == list(directions)
    # the walker's landmarks carry no swap repair: gait analysis applies it, and says so
    assert result.swapped_frames == 4 and result.swap_stage == "gait"
    assert any(
        "applied the same repair" in w and ": 4 frame(s) relabelled" in w for w in result.warnings
    )
    _check_events(result, truth, fps)
    dropped = [c.reason for c in result.dropped_cycles if c.phase == "steady"]
    assert not dropped, dropped


def test_one_repair_whichever_stage_runs_it():
    """Landmarks repaired by the detection stage are used as they are (the same
    events as when gait analysis has to repair them); with the repair off too,
    the labels stay as the model gave them, and nothing is said about swaps."""
    from dashboard.detect import swaps
    from dashboard.detect.swaps import repair_sequence
    from dashboard.kinematics.gait.labels import leg_labels

    seq, truth = walker(fps=30.0, directions=(1, -1), noise_px=1.0, swap=(72, 75))
    repaired = repair_sequence(seq)
    assert repaired.swapped[:, 0, 0].sum() == 4
    by_gait, by_tracking = analyze_gait(seq), analyze_gait(repaired)
    assert (by_tracking.swapped_frames, by_tracking.swap_stage) == (4, "tracking")
    assert any(
        "run with the pose detection" in w and "legs in 4 frame(s)" in w
        for w in by_tracking.warnings
    )
    assert by_tracking.events == by_gait.events
    _check_events(by_tracking, truth, 30.0)
    assert by_tracking.to_dict()["leg_swap_frames_repaired_by"] == {"tracking": 4, "gait": 0}
    assert by_gait.to_dict()["leg_swap_frames_repaired_by"] == {"tracking": 0, "gait": 4}
    # not repaired anywhere: nothing relabelled, nothing said
    off = analyze_gait(seq, GaitSettings(repair_leg_swaps=False))
    assert (off.swapped_frames, off.swap_stage) == (0, "none")
    assert not any("exchanged" in w for w in off.warnings)
    # a repair that found nothing is not run again to a different answer
    clean, _ = walker(fps=30.0, directions=(1,), noise_px=1.0)
    labels = leg_labels(clean)
    assert (labels.total, labels.stage) == (0, "none") and labels.one.num_people == 1
    # applied again, the repair changes nothing: the detection stage's labels are kept
    assert leg_labels(repaired).by_gait == 0
    # landmarks repaired in part (by an older repair): gait counts only what it adds
    flags = np.zeros_like(seq.swapped)
    flags[74:76, 0, 0] = True  # the detection stage relabelled 74-75, left 72-73
    older = PoseSequence(
        **swaps.apply_swaps({k: getattr(seq, k) for k in swaps._FIELDS}, flags),
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=seq.image_size,
        swapped=flags,
    )
    both = analyze_gait(older)
    assert both.swapped_by == {"tracking": 2, "gait": 2} and both.swapped_frames == 4
    assert both.swap_stage == "tracking+gait"
    assert any("applied again by gait analysis" in w for w in both.warnings)
    assert both.events == by_gait.events
    # the repair-off setting never undoes the detection stage's labels
    kept = analyze_gait(repaired, GaitSettings(repair_leg_swaps=False))
    assert (kept.swapped_frames, kept.swap_stage) == (4, "tracking")


def test_leg_repair_runs_once_per_sequence_when_it_changes_nothing(monkeypatch):
    """The walking check and the gait analysis of one sequence (the command line runs
    both) repair its legs once when the repair changes nothing; a repair that relabels
    frames is made again when asked, with the same answer."""
    from dashboard.detect import swaps
    from dashboard.detect.swaps import repair_sequence
    from dashboard.kinematics.gait import looks_like_walking

    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return repair_sequence(*args, **kwargs)

    monkeypatch.setattr(swaps, "repair_sequence", counted)
    seq, _ = walker(fps=30.0, directions=(1, -1), noise_px=1.0, swap=(72, 75))
    repaired = repair_sequence(seq)
    assert looks_like_walking(repaired)
    first = analyze_gait(repaired)
    assert len(calls) == 1
    again = analyze_gait(repaired)
    assert len(calls) == 1 and again.to_dict() == first.to_dict()
    assert looks_like_walking(seq)  # the gait stage relabels 4 frames here: not kept
    by_gait = analyze_gait(seq)
    assert len(calls) == 3 and by_gait.swapped_frames == 4 and by_gait.events == first.events


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_parameters_match_the_walker(fps):
    seq, _ = walker(fps=fps, directions=(1, -1), noise_px=0.5)
    result = analyze_gait(seq, GaitSettings(height_m=1.7))
    frame = 1 / fps
    doc = result.to_dict()
    p = doc["parameters"]
    assert p["cadence_steps_per_min"] == pytest.approx(120 / T, rel=0.02)
    for side in ("left", "right"):
        s = p[side]
        assert s["stride_time_s"] == pytest.approx(T, abs=frame)
        assert s["step_time_s"] == pytest.approx(T / 2, abs=2 * frame)
        assert s["stance_pct"] == pytest.approx(100 * STANCE, abs=100 * 2 * frame / T)
        assert s["swing_pct"] == pytest.approx(100 - s["stance_pct"])
        assert s["n_strides"] >= 8
        # stride length: speed x stride time, in body heights and in metres
        assert s["stride_length_body_heights"] == pytest.approx(SPEED * T, rel=0.03)
        assert s["stride_length_m"] == pytest.approx(1.7 * SPEED * T, rel=0.03)
        assert "speed_m_s" not in s  # one speed for the body, not per side
        assert s["spread"] is None and s["stride_time_cv_pct"] is not None
    assert p["speed_m_s"] == pytest.approx(1.7 * SPEED, rel=0.03)
    assert p["speed_body_heights_s"] == pytest.approx(SPEED, rel=0.03)
    # every stride is its two steps
    for c in result.kept_cycles:
        assert c.stride_length_bh == pytest.approx(sum(c.step_lengths_bh), abs=1e-9)
    assert p["stride_length_body_heights"] == pytest.approx(
        2 * p["step_length_body_heights"], rel=0.02
    )
    # double support: 2 x (stance - 50 %) of the stride
    assert p["double_support_pct"] == pytest.approx(
        100 * 2 * (STANCE - 0.5), abs=100 * 4 * frame / T
    )
    assert p["step_time_symmetry_pct"] < 100 * 4 * frame / T
    assert p["stride_time_cv_pct"] < 5
    stats = p["stats"]["overall"]["stride_time_s"]
    assert set(stats) == {"mean", "sd", "n"} and stats["n"] >= 16


def test_document_is_the_schema_and_json_safe():
    seq, _ = walker(fps=30.0, directions=(-1,))
    result = analyze_gait(seq)
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert doc["schema"] == "posedash.gait/1"
    assert doc["passes"][0]["direction"] == "right_to_left"
    assert set(doc["passes"][0]) >= {"start_s", "end_s", "direction"}
    assert set(doc["events"][0]) >= {"side", "event", "frame", "time_s", "confidence"}
    assert isinstance(doc["events"][0]["frame"], int)
    p = doc["parameters"]
    assert set(p) >= {
        "cadence_steps_per_min",
        "double_support_pct",
        "step_time_symmetry_pct",
        "left",
        "right",
    }
    assert "stride_length_m" not in p["left"]  # no height: body heights only
    assert doc["scale"]["unit"] == "body heights"
    assert doc["setup"]["verdict"] == "good"


def test_tables():
    seq, _ = walker(fps=30.0, directions=(1,))
    result = analyze_gait(seq)
    cycles = result.cycles_table()
    assert tuple(cycles.columns) == CYCLES_CSV_COLUMNS
    # hip and knee; the ankle curve is withheld (docs/gait.md), with its reason
    assert len(cycles) == 2 * 2 * 101
    assert set(cycles.angle) == {"hip_flexion", "knee_flexion"}
    assert result.to_dict()["withheld_curves"][0]["angle"] == "ankle_dorsiflexion"
    knee = cycles[(cycles.side == "left") & (cycles.angle == "knee_flexion")]
    assert knee.n_cycles.iloc[0] >= 4
    # the walker's knee bends most in swing (after 60 % of the stride)
    assert knee.cycle_pct.iloc[int(knee.mean_deg.values.argmax())] > 60
    assert gait_cycles_csv(result).splitlines()[0] == ",".join(CYCLES_CSV_COLUMNS)
    kv = result.key_values_table()
    assert list(kv.key) == [
        "knee_flexion_at_initial_contact",
        "peak_knee_flexion_swing",
        "peak_hip_extension_stance",
        "peak_ankle_dorsiflexion_stance",
    ]
    assert {"left_mean_deg", "right_mean_deg", "symmetry_index_pct"} <= set(kv.columns)
    ankle = kv.key == "peak_ankle_dorsiflexion_stance"
    assert (kv[~ankle].left_n >= 4).all()
    # withheld: no number, a reason
    assert kv[ankle].left_n.iloc[0] == 0 and np.isnan(kv[ankle].left_mean_deg.iloc[0])
    assert "push-off" in kv[ankle].withheld_reason.iloc[0]
    doc_kv = {k["key"]: k for k in result.to_dict()["key_values"]}
    assert doc_kv["peak_ankle_dorsiflexion_stance"]["validity"] == "withheld"
    assert doc_kv["peak_ankle_dorsiflexion_stance"]["left"]["mean"] is None
    assert doc_kv["peak_knee_flexion_swing"]["validity"] == "valid"
    # the walker is symmetric
    assert (kv[~ankle].difference_deg.abs() < 2).all(), kv
    params = result.parameters_table()
    assert "cadence_steps_per_min" in set(params.parameter)


def test_looks_like_walking():
    seq, _ = walker(fps=30.0, directions=(1, -1))
    assert looks_like_walking(seq)
    standing = seq.select(frames=np.r_[[0] * 90])  # one pose, held for 3 s
    standing = PoseSequence(
        **{k: getattr(standing, k) for k in ("image_xy", "z", "visibility", "presence", "world_m")},
        time_s=np.arange(90) / 30,
        frame_index=np.arange(90),
        image_size=seq.image_size,
    )
    assert not looks_like_walking(standing)
    assert not looks_like_walking(seq.frame(0))


def test_standing_gives_no_passes_and_says_why():
    seq, _ = walker(fps=30.0, directions=(1,))
    still = PoseSequence(
        **{
            k: np.repeat(getattr(seq, k)[:1], 60, axis=0)
            for k in ("image_xy", "z", "visibility", "presence", "world_m")
        },
        time_s=np.arange(60) / 30,
        frame_index=np.arange(60),
        image_size=seq.image_size,
    )
    result = analyze_gait(still)
    assert not result.passes and not result.events
    assert result.verdict == "not suitable"
    assert any("No steady walking" in w for w in result.warnings)
    assert result.cycles_table().empty


def test_low_frame_rate_warns():
    seq, truth = walker(fps=20.0, directions=(1,))
    result = analyze_gait(seq)
    assert any("timing errors grow" in w for w in result.warnings)
    assert next(c for c in result.checks if c.key == "frame_rate").ok is False
    _check_events(result, truth, 20.0)


def test_photo_and_missing_person_are_input_errors():
    seq, _ = walker(fps=30.0, directions=(1,))
    with pytest.raises(InputError):
        analyze_gait(seq.frame(0))
    with pytest.raises(InputError):
        analyze_gait(seq, person=3)


def test_quality_gates_drop_strides_with_a_reason():
    p = WalkingPass(0, 0, 300, 1, 0.0, 10.0, 0, 300, 600.0, 0.75)

    def ev(side, kind, t, conf=0.9):
        return GaitEvent(side, kind, int(t * 30), int(t * 30), t, conf, 0, 0.0)

    events = [
        ev("left", "initial_contact", 1.0),
        ev("left", "toe_off", 1.6),
        ev("left", "initial_contact", 2.1),  # normal stride
        ev("left", "initial_contact", 3.2),  # no toe off in 2.1-3.2
        ev("left", "toe_off", 3.5),
        ev("left", "toe_off", 3.9),
        ev("left", "initial_contact", 4.3),  # two toe offs
        ev("left", "toe_off", 4.5),
        ev("left", "initial_contact", 7.9),  # too long
        ev("left", "toe_off", 8.5, conf=0.1),
        ev("left", "initial_contact", 9.0),
    ]
    heel = np.zeros((301, 2))
    cycles = build_cycles(sorted(events, key=lambda e: e.time_s), [p], heel, GaitSettings())
    reasons = [c.reason for c in cycles]
    assert reasons[0] == ""
    assert reasons[1] == "no toe-off found in the stride"
    assert reasons[2].startswith("more than one toe-off")
    assert reasons[3].startswith("implausible stride time")
    assert reasons[4].startswith("low-confidence event")


def test_settings():
    with pytest.raises(ValueError, match="height"):
        GaitSettings(height_m=17)
    assert GaitSettings.from_dict({"height_m": 1.6, "unknown": 1}).height_m == 1.6
    assert GaitSettings.from_dict({"height_m": 99}) == GaitSettings()
    assert GaitSettings.from_dict(None) == GaitSettings()
    assert symmetry_index(1.0, 1.0) == 0
    assert symmetry_index(0.9, 1.1) == pytest.approx(20)


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("start_s", [1.3, 2.0, 3.0])
@pytest.mark.parametrize("length_s", [0.04, 0.27, 0.47])
def test_swaps_of_any_phase_and_up_to_half_a_second_are_undone(fps, start_s, length_s):
    """Swaps starting or ending while the legs cross (where both labellings look
    alike) are found from their other end."""
    first = int(round(start_s * fps))
    n = max(1, int(round(length_s * fps)))
    seq, truth = walker(fps=fps, directions=(1, -1), noise_px=1.5, swap=(first, first + n - 1))
    result = analyze_gait(seq)
    assert result.swapped_frames == n and result.swap_stage == "gait"
    _check_events(result, truth, fps)
    assert not [c for c in result.dropped_cycles if c.phase == "steady"]


def test_leaving_the_picture_ends_the_pass():
    seq, truth = walker(fps=30.0, directions=(1,))
    width = int(seq.image_size[0] * 0.6)  # the person walks out on the right
    cropped = PoseSequence(
        **{k: getattr(seq, k) for k in ("image_xy", "z", "visibility", "presence", "world_m")},
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=(width, seq.image_size[1]),
    )
    result = analyze_gait(cropped)
    (p,) = result.passes
    xy = cropped.image_xy[:, 0]
    outside = (xy[..., 0] > width).any(axis=1)
    first_out = int(np.flatnonzero(outside)[0])
    assert p.end < first_out
    # contacts are found up to the frame the foot leaves the picture, those after the
    # steady stretch marked as deceleration contacts
    for e in result.events:
        foot = xy[e.index, [INDEX[f"{e.side}_heel"], INDEX[f"{e.side}_foot_index"]], 0]
        assert (foot <= width).all(), e
        assert e.steady == (e.index <= p.steady_end), e
    assert any(e.index > p.end for e in result.events)
    _check_events(result, truth, 30.0)


def test_real_timestamps_with_irregular_frames():
    """Frames dropped irregularly (variable frame rate): events keep their true times."""
    seq, truth = walker(fps=60.0, directions=(1, -1), noise_px=0.5)
    keep = np.flatnonzero((np.arange(seq.num_frames) % 5) != 3)  # 48 fps, uneven steps
    uneven = seq.select(frames=keep)
    result = analyze_gait(uneven)
    assert len(result.passes) == 2
    for e in result.events:
        times = np.array([t for s, k, t, _ in truth if s == e.side and k == e.event])
        assert np.min(np.abs(times - e.time_s)) <= 2 / 60 + 1e-9, e
        assert e.frame == int(uneven.frame_index[e.index])  # the source video's frame
    assert result.to_dict()["parameters"]["left"]["stride_time_s"] == pytest.approx(T, abs=0.02)
