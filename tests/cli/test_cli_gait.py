"""``analyze --gait`` on the shared walking clip: a real process, the real model."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.clirun import run

CLIP = "sports2d_demo4_gait_side.mp4"


def test_gait_json_and_cycles_csv(media_dir, tmp_path):
    result = run(
        "analyze", media_dir / "videos" / CLIP, "--gait", "--height-m", "1.65", "--out", tmp_path
    )
    assert result.returncode == 0, result.stderr
    stem = CLIP.rsplit(".", 1)[0]
    assert f"{stem}.gait.json" in result.stdout
    doc = json.loads((tmp_path / f"{stem}.gait.json").read_text())
    assert doc["schema"] == "posedash.gait/1"
    assert [p["direction"] for p in doc["passes"]] == ["right_to_left", "left_to_right"]
    # pass 2 is walked backwards (she faces left while moving right): analysed apart
    forward, backward = doc["passes"]
    assert (forward["walking"], forward["facing"], forward["analysed"]) == ("forward", "left", True)
    assert (backward["walking"], backward["facing"], backward["analysed_as"]) == (
        "backward",
        "left",
        "backward walking",
    )
    assert backward["notice"] in doc["warnings"]
    assert backward["walking_cues"]["feet_body_heights"] < -0.08
    assert {e["pass_index"] for e in doc["events"]} == {0, 1}
    kinds = {0: ("initial_contact", "toe_off"), 1: ("initial_contact", "foot_off")}
    for e in doc["events"]:
        assert e["side"] in ("left", "right") and e["event"] in kinds[e["pass_index"]]
        assert isinstance(e["frame"], int) and 0 <= e["confidence"] <= 1
        assert e["phase"] in ("acceleration", "steady", "deceleration")
    assert doc["backward_walking"]["passes"] == [1]
    assert 100 < doc["backward_walking"]["parameters"]["cadence_steps_per_min"] < 130
    params = doc["parameters"]
    assert 90 < params["cadence_steps_per_min"] < 140
    for side in ("left", "right"):
        p = params[side]
        assert set(p) >= {"step_time_s", "stride_time_s", "stance_pct", "swing_pct", "n_strides"}
        assert p["n_strides"] >= 1  # pass 1 alone: 2 left and 2 right steady strides
        assert 0.8 < p["stride_time_s"] < 1.4
        assert 0.5 < p["stride_length_m"] < 1.8  # metric with --height-m
        assert p["stride_time_cv_pct"] is None and p["spread"].endswith("for a spread")
    assert params["left"]["n_strides"] + params["right"]["n_strides"] == 4
    assert 0.8 < params["speed_m_s"] < 1.7 and "speed_m_s" not in params["left"]
    assert doc["scale"]["height_m"] == 1.65
    table = pd.read_csv(tmp_path / f"{stem}.gait_cycles.csv")
    assert list(table.columns) == ["side", "angle", "cycle_pct", "mean_deg", "sd_deg", "n_cycles"]
    assert set(table.angle) == {"hip_flexion", "knee_flexion"}  # the ankle is withheld
    assert set(table.side) == {"left", "right"}
    assert table.cycle_pct.min() == 0 and table.cycle_pct.max() == 100


def test_gait_is_automatic_for_walking_only(media_dir, tmp_path):
    squats = media_dir / "videos" / "tfjs_pose_squats_front.mp4"
    result = run("analyze", squats, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("*.gait.json"))  # squats do not look like walking
    result = run("analyze", squats, "--gait", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "tfjs_pose_squats_front.gait.json").read_text())
    assert doc["passes"] == [] and doc["events"] == []
    assert doc["parameters"]["cadence_steps_per_min"] is None
    assert any("No steady walking" in w for w in doc["warnings"])


def test_bad_height_is_a_usage_error(tmp_path):
    result = run("analyze", tmp_path / "x.mp4", "--height-m", "17", "--out", tmp_path)
    assert result.returncode == 2 and "height" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("marks", "words"),
    [
        ("100,650,100,650,2", "same point"),
        ("100,650,900,650,0", "above 0 m"),
        ("100,650,900,650,-1", "above 0 m"),
        ("100,650,900", "five numbers"),
        ("a,b,c,d,e", "five numbers"),
        ("100,650,900,650,nan", "finite"),
    ],
)
def test_bad_floor_marks_are_a_usage_error(tmp_path, marks, words):
    result = run("analyze", tmp_path / "x.mp4", "--floor-marks", marks, "--out", tmp_path)
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
