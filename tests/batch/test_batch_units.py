"""Batch pieces on synthetic folders and rows, with known answers (no model)."""

from __future__ import annotations

import csv
import io

from dashboard.batch.inputs import discover
from dashboard.batch.ledger import Ledger
from dashboard.batch.names import unique_stems
from dashboard.batch.runner import settings_key
from dashboard.batch.task import headline_numbers


def _touch(path, data=b"x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_discover_files_folders_globs_and_missing(tmp_path):
    a = _touch(tmp_path / "study" / "s1" / "walk.MP4")
    b = _touch(tmp_path / "study" / "s2" / "photo.jpg")
    _touch(tmp_path / "study" / "notes.txt")
    _touch(tmp_path / "study" / ".hidden" / "x.mp4")
    c = _touch(tmp_path / "other" / "raise.mov")
    files, missing = discover(
        [
            str(tmp_path / "study"),
            str(tmp_path / "other" / "*.mov"),
            str(a),
            str(tmp_path / "nope.mp4"),
            str(tmp_path / "other" / "*.avi"),
            str(tmp_path / "empty"),
        ]
    )
    assert files == [a, b, c]  # folder sorted and recursive; a named twice counts once
    assert [m[0] for m in missing] == [
        str(tmp_path / "nope.mp4"),
        str(tmp_path / "other" / "*.avi"),
        str(tmp_path / "empty"),
    ]
    assert missing[0][1] == "does not exist"


def test_unique_stems_are_stable_and_distinct(tmp_path):
    paths = [tmp_path / "a" / "clip.mp4", tmp_path / "b" / "clip.mp4", tmp_path / "clip.jpg"]
    assert unique_stems(paths) == ["clip", "clip-2", "clip-3"]


def test_settings_key_changes_with_options_and_model():
    base = settings_key({"cutoff_hz": 6.0}, "m1")
    assert base == settings_key({"cutoff_hz": 6.0}, "m1")
    assert base != settings_key({"cutoff_hz": 4.0}, "m1")
    assert base != settings_key({"cutoff_hz": 6.0}, "m2")


def test_ledger_is_atomic_resumable_and_formula_safe(tmp_path):
    ledger = Ledger(tmp_path)
    _touch(tmp_path / "walk.landmarks.csv")
    ledger.record(
        {
            "path": "/d/walk.mp4",
            "sha256": "s",
            "status": "done",
            "settings_key": "k",
            "outputs": "walk.landmarks.csv",
            "rom_knee_flexion_left_deg": 61.5,
            "cadence_steps_per_min": 104.0,
        }
    )
    ledger.record({"path": '=HYPERLINK("http://x")', "status": "failed", "reason": "-bad"})
    rows = list(csv.DictReader(io.StringIO((tmp_path / "batch.csv").read_text())))
    assert [r["status"] for r in rows] == ["done", "failed"]
    assert rows[1]["path"].startswith("'=") and rows[1]["reason"] == "'-bad"
    header = (tmp_path / "batch.csv").read_text().splitlines()[0].split(",")
    assert header.index("cadence_steps_per_min") < header.index("rom_knee_flexion_left_deg")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    again = Ledger(tmp_path)
    assert again.done_before("/d/walk.mp4", "s", "k", tmp_path) is not None
    assert again.done_before("/d/walk.mp4", "other", "k", tmp_path) is None
    assert again.done_before("/d/walk.mp4", "s", "k2", tmp_path) is None
    (tmp_path / "walk.landmarks.csv").unlink()  # an output gone: do it again
    assert again.done_before("/d/walk.mp4", "s", "k", tmp_path) is None


def test_headline_numbers_pick_rom_and_cadence():
    import json

    summary = {
        "n_frames": 100,
        "range_of_motion": [
            {
                "person": 0,
                "angle": "knee_flexion",
                "side": "left",
                "space": "image",
                "range_deg": 60.0,
                "n_valid": 80,
            },
            {
                "person": 0,
                "angle": "knee_flexion",
                "side": "left",
                "space": "world",
                "range_deg": 55.0,
                "n_valid": 90,
            },
            {
                "person": 0,
                "angle": "hip_flexion",
                "side": "left",
                "space": "image",
                "range_deg": None,
                "n_valid": 0,
            },
            {
                "person": 1,
                "angle": "knee_flexion",
                "side": "left",
                "space": "image",
                "range_deg": 10.0,
                "n_valid": 100,
            },
        ],
    }
    gait = {"parameters": {"cadence_steps_per_min": 103.456}}
    out = headline_numbers(
        {".summary.json": json.dumps(summary).encode(), ".gait.json": json.dumps(gait).encode()}
    )
    assert out == {
        "rom_knee_flexion_left_deg": 55.0,
        "rom_knee_flexion_left_validity": "valid (3D)",
        "cadence_steps_per_min": 103.46,
    }
    summary["n_frames"] = 1
    summary["range_of_motion"][0]["mean_deg"] = 42.0
    out = headline_numbers({".summary.json": json.dumps(summary).encode()})
    assert out == {
        "angle_knee_flexion_left_deg": 42.0,
        "angle_knee_flexion_left_validity": "valid (picture)",
    }


def test_headline_numbers_carry_the_verdict_and_never_a_withheld_number():
    import json

    def rec(space, level, value, reasons=()):
        return {
            "person": 0,
            "angle": "ankle_dorsiflexion",
            "side": "right",
            "space": space,
            "range_deg": value,
            "n_valid": 40,
            "validity": level,
            "validity_reasons": list(reasons),
        }

    only_withheld = {
        "n_frames": 40,
        "range_of_motion": [
            rec("world", "withheld", None, ["3D ankle: the model turns the foot with the shin"]),
            rec("image", "withheld", None, ["needs a side view"]),
        ],
    }
    out = headline_numbers({".summary.json": json.dumps(only_withheld).encode()})
    assert out["rom_ankle_dorsiflexion_right_deg"] is None
    assert out["rom_ankle_dorsiflexion_right_validity"].startswith("withheld: 3D ankle")
    caution_and_valid = {
        "n_frames": 40,
        "range_of_motion": [
            rec("world", "caution", 30.0, ["3D estimate"]),
            rec("image", "valid", 25.0),
        ],
    }
    out = headline_numbers({".summary.json": json.dumps(caution_and_valid).encode()})
    assert out["rom_ankle_dorsiflexion_right_deg"] == 25.0
    assert out["rom_ankle_dorsiflexion_right_validity"] == "valid (picture)"
    caution_only = {"n_frames": 40, "range_of_motion": [rec("world", "caution", 30.0, ["x"])]}
    out = headline_numbers({".summary.json": json.dumps(caution_only).encode()})
    assert out["rom_ankle_dorsiflexion_right_validity"] == "caution (3D): x"
