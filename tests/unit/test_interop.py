"""OpenSim files: the .trc and .mot PoseDash writes, parsed back as OpenSim reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics.summary import ANGLES_CSV_COLUMNS, angles_dataframe, compute_kinematics
from dashboard.outputs.interop import (
    POSE2SIM_NAMES,
    angles_wide,
    frame_rate,
    to_mot,
    to_opensim,
    to_trc,
)
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, LANDMARK_NAMES


# --- independent parsers, following OpenSim's TRCFileAdapter / Storage layout ---
def parse_trc(text: str) -> dict:
    lines = text.split("\n")
    assert lines[-1] == "" and "\r" not in text  # one trailing newline, Unix ends
    lines = lines[:-1]
    first = lines[0].split("\t")
    assert first[:3] == ["PathFileType", "4", "(X/Y/Z)"]
    keys = lines[1].split("\t")
    values = lines[2].split("\t")
    assert keys == [
        "DataRate",
        "CameraRate",
        "NumFrames",
        "NumMarkers",
        "Units",
        "OrigDataRate",
        "OrigDataStartFrame",
        "OrigNumFrames",
    ]
    header = dict(zip(keys, values, strict=False))
    names_line = lines[3].split("\t")
    assert names_line[:2] == ["Frame#", "Time"]
    markers = [n for n in names_line[2:] if n]
    # each name sits over its X column: position 2 + 3k
    assert [names_line[2 + 3 * k] for k in range(len(markers))] == markers
    axes = lines[4].split("\t")
    assert axes[:2] == ["", ""]
    assert axes[2:] == [f"{a}{k}" for k in range(1, len(markers) + 1) for a in "XYZ"]
    rows = [line.split("\t") for line in lines[5:]]
    assert all(len(r) == 2 + 3 * len(markers) for r in rows)
    frame = np.array([int(r[0]) for r in rows])
    time = np.array([float(r[1]) for r in rows])
    xyz = np.array([[float(v) if v != "" else np.nan for v in r[2:]] for r in rows])
    return dict(
        name=first[3],
        header=header,
        markers=markers,
        frame=frame,
        time=time,
        xyz=xyz.reshape(len(rows), len(markers), 3),
    )


def parse_mot(text: str) -> dict:
    head, body = text.split("endheader\n")
    head_lines = head.split("\n")
    meta = dict(line.split("=", 1) for line in head_lines if "=" in line)
    lines = body.rstrip("\n").split("\n")
    labels = lines[0].split("\t")
    rows = [[float(v) for v in line.split("\t")] for line in lines[1:]]
    assert all(len(r) == len(labels) for r in rows)
    return dict(name=head_lines[0], meta=meta, labels=labels, data=np.array(rows))


# --- synthetic data with known answers ----------------------------------------
def _sequence(frames=4, time_s=None, frame_index=None) -> PoseSequence:
    seq = PoseSequence.empty(frames, 1, (1000, 800), time_s=time_s, frame_index=frame_index)
    world = np.array(seq.world_m)
    vis = np.array(seq.visibility)
    xy = np.array(seq.image_xy)
    for i in range(33):
        world[:, 0, i] = [0.01 * i, -0.02 * i, 0.001 * i]
    world[:, 0, INDEX["nose"]] = [0.05, -0.65, -0.10]  # head: up, nearer the camera
    world[:, 0, INDEX["left_ankle"]] = [0.10, 0.80, 0.02]  # feet: down
    world[:, 0, INDEX["right_wrist"]] = [-0.40, 0.0, 0.25]  # right hand, farther away
    world[:, 0, :, 0] += np.arange(frames)[:, None] * 0.1  # moves right over time
    xy[:, 0] = 100.0
    vis[:, 0] = 0.9
    world[1, 0] = np.nan  # nobody found in frame 1
    xy[1, 0] = np.nan
    vis[1, 0] = np.nan
    return PoseSequence(
        image_xy=xy,
        z=np.zeros_like(vis),
        visibility=vis,
        presence=vis,
        world_m=world,
        time_s=seq.time_s.copy(),
        frame_index=seq.frame_index.copy(),
        image_size=(1000, 800),
    )


def test_opensim_conversion_is_y_up_and_a_proper_rotation():
    p = to_opensim(np.array([0.1, -0.6, -0.05]))
    assert p.tolist() == pytest.approx([0.1, 0.6, 0.05])
    basis = to_opensim(np.eye(3))
    assert np.linalg.det(basis) == pytest.approx(1.0)  # no mirror image


def test_trc_structure_and_y_up_values():
    t = np.arange(4) / 30.0
    seq = _sequence(time_s=t, frame_index=np.arange(4))
    trc = parse_trc(to_trc(seq, naming="mediapipe", file_name="walk.trc"))
    h = trc["header"]
    assert trc["name"] == "walk.trc"
    assert float(h["DataRate"]) == pytest.approx(30.0) == float(h["CameraRate"])
    assert (h["NumFrames"], h["NumMarkers"], h["Units"]) == ("4", "33", "m")
    assert (h["OrigDataStartFrame"], h["OrigNumFrames"]) == ("1", "4")
    assert trc["markers"] == list(LANDMARK_NAMES)
    assert trc["frame"].tolist() == [1, 2, 3, 4]
    assert trc["time"] == pytest.approx(t, abs=1e-6)
    xyz = trc["xyz"]
    assert xyz[0, INDEX["nose"]] == pytest.approx([0.05, 0.65, 0.10])
    assert xyz[0, INDEX["left_ankle"]] == pytest.approx([0.10, -0.80, -0.02])
    assert xyz[3, INDEX["right_wrist"]] == pytest.approx([-0.40 + 0.3, 0.0, -0.25])
    assert xyz[0, INDEX["nose"], 1] > xyz[0, INDEX["left_ankle"], 1]  # head above feet
    assert np.isnan(xyz[1]).all()  # a frame with nobody: empty fields, row kept
    assert np.isfinite(xyz[[0, 2, 3]]).all()


def test_trc_rate_from_real_times_of_a_strided_video():
    # every 2nd frame of a 29.97 fps video, starting at source frame 10
    idx = np.arange(10, 18, 2)
    seq = _sequence(time_s=idx / 29.97, frame_index=idx)
    a = Analysis(seq, "squat.MOV", "0" * 64, "video", fps=29.97, stride=2)
    text = to_trc(a)
    trc = parse_trc(text)
    h = trc["header"]
    assert trc["name"] == "squat.trc"
    assert float(h["DataRate"]) == pytest.approx(29.97 / 2, rel=1e-5)
    assert float(h["OrigDataRate"]) == pytest.approx(29.97)
    assert h["OrigDataStartFrame"] == "11" and h["OrigNumFrames"] == "7"
    assert trc["time"][0] == pytest.approx(10 / 29.97, abs=1e-6)
    assert trc["markers"] == list(POSE2SIM_NAMES)
    assert trc["markers"][INDEX["left_foot_index"]] == "LBigToe"


def test_frame_rate_reports_irregular_times():
    rate, jitter = frame_rate(np.array([0.0, 0.1, 0.2, 0.35, 0.45]))
    assert rate == pytest.approx(10.0) and jitter == pytest.approx(0.5)
    assert frame_rate(np.zeros(1), default=25.0) == (25.0, 0.0)


def test_trc_of_a_real_video(media_dir):
    from tests.reference_data import legacy_analysis

    a = legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    trc = parse_trc(to_trc(a))
    assert trc["xyz"].shape == (65, 33, 3)
    assert float(trc["header"]["DataRate"]) == pytest.approx(5.0)
    # standing person, Y up: the nose is well above the ankles in every found frame
    nose, ankle = trc["xyz"][:, 0, 1], trc["xyz"][:, INDEX["left_ankle"], 1]
    ok = np.isfinite(nose) & np.isfinite(ankle)
    assert ok.sum() > 50 and (nose[ok] - ankle[ok] > 0.8).all()


def _angle_table() -> pd.DataFrame:
    seq = _sequence(frames=6, time_s=np.arange(6) / 10.0)
    return angles_dataframe(compute_kinematics(seq))


def test_mot_structure():
    table = _angle_table()
    assert tuple(table.columns) == ANGLES_CSV_COLUMNS
    mot = parse_mot(to_mot(table, space="world", name="trial 1"))
    assert mot["name"] == "trial 1"
    assert mot["meta"]["version"] == "1" and mot["meta"]["inDegrees"] == "yes"
    n_angles = table[table.space == "world"].groupby(["angle", "side"]).ngroups
    assert mot["labels"][0] == "time" and len(mot["labels"]) == n_angles + 1
    assert int(mot["meta"]["nColumns"]) == n_angles + 1
    assert int(mot["meta"]["nRows"]) == 6 == len(mot["data"])
    assert "knee_flexion_left" in mot["labels"] and "trunk_inclination" in mot["labels"]
    assert mot["data"][:, 0] == pytest.approx(np.arange(6) / 10.0)
    raw = parse_mot(to_mot(table, space="world", column="raw_deg"))
    assert np.isnan(raw["data"][1, 1:]).all()  # nobody found in frame 1: NaN, row kept
    assert len(raw["data"]) == 6


def test_mot_values_match_the_table():
    table = pd.DataFrame(
        {
            "frame": [0, 0, 1, 1],
            "time_s": [0.0, 0.0, 0.5, 0.5],
            "person": 0,
            "angle": ["knee_flexion", "trunk_inclination"] * 2,
            "side": ["left", ""] * 2,
            "space": "image",
            "raw_deg": [10.0, 1.0, 20.0, np.nan],
            "value_deg": [11.0, 2.0, 21.0, np.nan],
            "confidence": 0.9,
        }
    )
    mot = parse_mot(to_mot(table))
    assert mot["labels"] == ["time", "knee_flexion_left", "trunk_inclination"]
    assert mot["data"][0].tolist() == [0.0, 11.0, 2.0]
    assert mot["data"][1, :2].tolist() == [0.5, 21.0] and np.isnan(mot["data"][1, 2])
    raw = parse_mot(to_mot(table, column="raw_deg"))
    assert raw["data"][0].tolist() == [0.0, 10.0, 1.0]
    wide = angles_wide(table)
    assert list(wide.columns) == ["time", "knee_flexion_left", "trunk_inclination"]


def test_mot_needs_a_choice_when_the_table_is_ambiguous():
    table = _angle_table()
    with pytest.raises(ValueError, match="space"):
        to_mot(table)
    with pytest.raises(ValueError, match="no angle values"):
        to_mot(table, space="world", person=5)
