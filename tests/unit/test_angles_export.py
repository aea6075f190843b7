"""The angles CSV table and the summary JSON document (what the CLI writes)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from dashboard.kinematics import CATALOGUE
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.summary import (
    ANGLES_CSV_COLUMNS,
    KinematicsSettings,
    angles_dataframe,
    compute_kinematics,
    summary_dict,
    write_kinematics,
)
from dashboard.poses import PoseSequence
from tests.synthetic_poses import frontal_pose, to_sequence


def _raising_arms(frames=150, fps=30.0, reps=3):
    """A front-view person raising both arms sideways ``reps`` times (0 -> 90 deg)."""
    t = np.arange(frames) / fps
    abd = 45 * (1 - np.cos(2 * np.pi * reps * t / t[-1]))
    seqs = []
    for a in abd:
        sides = {s: dict(abduction=a, elbow=5.0, hip=3.0, valgus=2.0) for s in ("left", "right")}
        pts, _ = frontal_pose(0.0, 0.0, 0.0, sides)
        seqs.append(to_sequence(pts, "front", (1280, 720)))

    def cat(k):
        return np.concatenate([getattr(s, k) for s in seqs])

    vis = cat("visibility").copy()
    vis[10:12, 0, :] = 0.1  # two frames nobody would trust
    return PoseSequence(
        image_xy=cat("image_xy"),
        z=cat("z"),
        visibility=vis,
        presence=cat("presence"),
        world_m=cat("world_m"),
        time_s=t,
        frame_index=np.arange(frames) + 100,
        image_size=(1280, 720),
    ), abd


def test_angles_dataframe_has_exactly_the_cli_columns():
    seq, abd = _raising_arms(frames=20)
    kin = compute_kinematics(seq)
    df = angles_dataframe(kin.sets)
    assert tuple(df.columns) == ANGLES_CSV_COLUMNS
    assert len(df) == 20 * 1 * 2 * len(CATALOGUE)
    assert set(df.space) == {"image", "world"} and set(df.side) == {"left", "right", ""}
    assert df.frame.iloc[0] == 100 and df.frame.is_monotonic_increasing
    rows = df[(df.angle == "shoulder_abduction") & (df.side == "left")]
    for space in ("image", "world"):
        r = rows[rows.space == space]
        np.testing.assert_allclose(r.raw_deg.iloc[12:], abd[12:], atol=0.01)
        assert r.raw_deg.iloc[10:12].isna().all()  # low confidence: a gap
        assert (r.confidence.iloc[10:12] < 0.5).all()
    assert df[df.frame == 105].time_s.nunique() == 1


def test_write_kinematics_files(tmp_path):
    seq, _abd = _raising_arms()
    settings = KinematicsSettings(
        repetition_angles=("shoulder_abduction",),
        filter=FilterSettings(cutoff_hz=6.0, max_gap_s=0.1),
    )
    kin = compute_kinematics(seq, settings)
    csv_path, json_path = write_kinematics(kin, tmp_path / "out", "clip")
    assert csv_path.name == "clip.angles.csv" and json_path.name == "clip.summary.json"
    df = pd.read_csv(csv_path, keep_default_na=False, na_values=[""])
    assert tuple(df.columns) == ANGLES_CSV_COLUMNS
    left = df[(df.angle == "shoulder_abduction") & (df.side == "left") & (df.space == "world")]
    assert left.raw_deg.iloc[10:12].isna().all()
    assert left.value_deg.iloc[10:12].notna().all()  # bridged by the 0.1 s gap filling
    text = json_path.read_text()
    assert "NaN" not in text
    doc = json.loads(text)
    assert doc["n_frames"] == 150 and doc["camera_view"][0]["view"] == "front"
    rom = next(
        r
        for r in doc["range_of_motion"]
        if r["angle"] == "shoulder_abduction" and r["side"] == "left" and r["space"] == "world"
    )
    assert abs(rom["max_deg"] - 90) < 1 and abs(rom["min_deg"]) < 1
    assert rom["symmetry_index_pct"] == 0
    reps = doc["repetitions"]
    assert {(e["angle"], e["space"], e["side"]) for e in reps} == {
        ("shoulder_abduction", s, side) for s in ("image", "world") for side in ("left", "right")
    }
    assert all(e["count"] == 3 for e in reps)
    r0 = reps[0]["repetitions"][0]
    assert r0["peak_frame"] == 100 + r0["peak_index"]


def test_summary_is_json_safe_when_nobody_is_found():
    seq = PoseSequence.empty(5, 1, (640, 480), time_s=np.arange(5) / 10.0)
    doc = summary_dict(compute_kinematics(seq))
    json.dumps(doc, allow_nan=False)
    assert doc["repetitions"] == [] and doc["camera_view"][0]["view"] == ""
    assert all(r["n_valid"] == 0 for r in doc["range_of_motion"])


def test_photo_single_frame():
    pts, expected = frontal_pose()
    seq = to_sequence(pts, "front")
    kin = compute_kinematics(seq)
    df = angles_dataframe(kin.sets)
    r = df[(df.angle == "knee_valgus") & (df.side == "left")]
    np.testing.assert_allclose(r.value_deg, expected[("knee_valgus", "left")], atol=0.01)
    json.dumps(summary_dict(kin), allow_nan=False)
