"""``python -m dashboard analyze`` as a user runs it: a real process."""

from __future__ import annotations

import pandas as pd

from dashboard.outputs.export import LANDMARK_COLUMNS
from tests.clirun import run


def test_photos_give_csv_and_bad_input_a_one_line_reason(media_dir, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    out = tmp_path / "out"
    result = run(
        "analyze",
        media_dir / "images" / "tfjs_pose_yoga_warrior.jpg",
        bad,
        media_dir / "images" / "ultralytics_zidane.jpg",
        "--out",
        out,
    )
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(str(bad)), result.stderr
    assert "Traceback" not in result.stderr
    table = pd.read_csv(out / "tfjs_pose_yoga_warrior.landmarks.csv")
    assert tuple(table.columns) == LANDMARK_COLUMNS
    assert len(table) == 33
    assert (table.frame == 0).all() and (table.time_s == 0).all() and (table.person == 0).all()
    assert table.landmark.iloc[25] == "left_knee"
    nobody = pd.read_csv(out / "ultralytics_zidane.landmarks.csv")
    assert list(nobody.columns) == list(LANDMARK_COLUMNS) and len(nobody) == 0
    assert not (out / "broken.landmarks.csv").exists()


def test_num_poses_option(media_dir, tmp_path):
    """MediaPipe's pose detector is trained for one dominant person: with several
    people in view it usually reports one (google-ai-edge/mediapipe#5842). The
    option is honoured as a maximum, and every person found gets 33 rows."""
    result = run(
        "analyze",
        media_dir / "images" / "ultralytics_bus.jpg",
        "--num-poses",
        "4",
        "--out",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "ultralytics_bus.landmarks.csv")
    assert 1 <= table.person.nunique() <= 4
    assert sorted(table.person.unique()) == list(range(table.person.nunique()))
    assert len(table) == 33 * table.person.nunique()


def test_bad_model_and_bad_options_exit_non_zero(media_dir, tmp_path):
    photo = media_dir / "images" / "tfpose_p1.jpg"
    result = run("analyze", photo, "--out", tmp_path, "--model", tmp_path / "nope.task")
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = run("analyze", photo, "--out", tmp_path, "--num-poses", "0")
    assert result.returncode == 2 and "num_poses" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_input_is_reported(tmp_path):
    result = run("analyze", tmp_path / "absent.jpg", "--out", tmp_path)
    assert result.returncode == 1 and "does not exist" in result.stderr


def test_angles_csv_and_summary_json(media_dir, tmp_path):
    import json

    result = run(
        "analyze",
        media_dir / "images" / "tfjs_pose_yoga_warrior.jpg",
        "--out",
        tmp_path,
        "--rep-angle",
        "knee_flexion",
    )
    assert result.returncode == 0, result.stderr
    angles = pd.read_csv(tmp_path / "tfjs_pose_yoga_warrior.angles.csv", keep_default_na=False)
    assert list(angles.columns) == [
        "frame",
        "time_s",
        "person",
        "angle",
        "side",
        "space",
        "raw_deg",
        "value_deg",
        "confidence",
    ]
    assert set(angles.space) == {"image", "world"}
    assert {"knee_flexion", "hip_flexion", "elbow_flexion", "trunk_inclination"} <= set(
        angles.angle
    )
    assert set(angles.side) == {"left", "right", ""}
    # Warrior II facing the camera: the right knee is bent, the left leg straight (world
    # space). Knee flexion is a side-view angle: in this front view its image-space
    # value is left empty, not guessed (docs/angles.md, "Camera view, frame by frame").
    knee = angles[angles.angle == "knee_flexion"].set_index(["space", "side"])
    assert (knee.loc["image", "value_deg"] == "").all()
    world = knee.loc["world", "value_deg"]
    assert float(world.loc["right"]) > 60 and float(world.loc["left"]) < 30
    summary = json.loads((tmp_path / "tfjs_pose_yoga_warrior.summary.json").read_text())
    assert "range_of_motion" in summary and "repetitions" in summary


def test_unknown_angle_is_a_usage_error(tmp_path):
    result = run("analyze", tmp_path / "x.jpg", "--out", tmp_path, "--rep-angle", "nope")
    assert result.returncode == 2 and "unknown angle" in result.stderr


def test_out_of_range_options_are_usage_errors(tmp_path):
    for option, value in (
        ("--min-confidence", "2"),
        ("--max-side", "5"),
        ("--stride", "0"),
        ("--cutoff-hz", "-1"),
    ):
        result = run("analyze", tmp_path / "x.mp4", "--out", tmp_path, option, value)
        assert result.returncode == 2, (option, result.stderr)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
