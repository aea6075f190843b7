"""The force-plate benchmark's core on its compact data (benchmarks/gait_forceplate.py).

Asserts the pipeline (files load, the virtual camera sees a person walking left to right,
PoseDash's gait analysis runs, plate events are paired and summarised), not accuracy figures:
those are the benchmark's output (docs/validation.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.gait_forceplate import (
    DATA,
    MATCH_S,
    load_trials,
    pair_events,
    run,
    summarise,
    synthetic_sequence,
    table,
)
from dashboard.kinematics.gait.events import GaitEvent
from dashboard.skeleton import INDEX


@pytest.fixture(scope="module")
def trials():
    return load_trials(DATA)


def test_every_trial_loads_with_valid_plate_events(trials):
    assert trials, "no trial in benchmarks/data/fukuchi2018"
    for t in trials:
        assert t.speed in ("S", "C", "F")
        assert len(t.time_s) > 30 and np.allclose(np.diff(t.time_s), 1 / 30, atol=1e-3)
        assert t.events, f"{t.name} has no valid plate event"
        for e in t.events:
            assert t.time_s[0] < e["time_s"] < t.time_s[-1]


def test_virtual_camera_sees_a_side_view_walker(trials):
    seq, stature_m = synthetic_sequence(trials[0])
    assert 1.3 < stature_m < 2.1
    xy = seq.image_xy[:, 0]
    assert np.isfinite(xy).all()
    w, h = seq.image_size
    assert (xy[..., 0] >= 0).all() and (xy[..., 0] <= w).all()
    assert (xy[..., 1] >= 0).all() and (xy[..., 1] <= h).all()
    hips = 0.5 * (xy[:, INDEX["left_hip"], 0] + xy[:, INDEX["right_hip"], 0])
    assert hips[-1] - hips[0] > 0.3 * w  # walks left to right across the picture
    heel_y = xy[:, INDEX["right_heel"], 1]
    eye_y = xy[:, INDEX["right_eye"], 1]
    assert (heel_y > xy[:, INDEX["right_hip"], 1]).all() and (eye_y < heel_y).all()


def test_pairing_takes_the_nearest_event_of_the_same_foot_and_kind():
    def ev(side, kind, t):
        return GaitEvent(side, kind, 0, 0, t, 1.0, 0, float("nan"))

    ref = ({"side": "left", "event": "initial_contact", "time_s": 1.0},)
    pairs = pair_events(
        ref,
        [
            ev("left", "initial_contact", 0.5),
            ev("left", "initial_contact", 0.97),
            ev("right", "initial_contact", 1.0),
            ev("left", "toe_off", 1.0),
        ],
        30.0,
    )
    assert pairs[0]["detected_s"] == pytest.approx(0.97)
    assert pairs[0]["error_frames"] == pytest.approx(-0.9)
    far = pair_events(ref, [ev("left", "initial_contact", 1.0 + MATCH_S + 0.05)], 30.0)
    assert far[0]["detected_s"] is None and math.isnan(far[0]["error_frames"])
    s = summarise(pairs + far)
    assert (s["n"], s["found"], s["within_1"], s["within_2"]) == (2, 1, 0.5, 0.5)


def test_benchmark_runs_on_the_compact_data(trials):
    rows = run(trials)
    assert len(rows) == sum(len(t.events) for t in trials)
    scored = [r for r in rows if r["scored"]]
    assert len(scored) >= 0.5 * len(rows), "most plate events lie inside an analysed pass"
    found = [r for r in scored if r["detected_s"] is not None]
    assert len(found) >= 0.8 * len(scored), "most scored plate events have a detected partner"
    summary = table(rows)
    overall = next(s for s in summary if s["group"] == "all" and s["event"] == "both")
    assert overall["n"] == len(scored) and overall["n"] + overall["not_scored"] == len(rows)
    assert 0 <= overall["within_1"] <= overall["within_2"] <= 1
