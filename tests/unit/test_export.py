import io
import json

import numpy as np
import pandas as pd

from dashboard.outputs.export import LANDMARK_COLUMNS, landmark_table, landmarks_json, to_csv
from dashboard.poses import PoseSequence


def _seq():
    frames = []
    for f, n in enumerate([1, 0, 2]):
        xy = np.arange(n * 66, dtype=float).reshape(n, 33, 2) + 1000 * f
        frames.append(
            {
                "image_xy": xy,
                "z": np.zeros((n, 33)),
                "visibility": np.full((n, 33), 0.8),
                "presence": np.ones((n, 33)),
                "world_m": np.ones((n, 33, 3)),
            }
        )
    return PoseSequence.from_frames(frames, (640, 480), [0.0, 0.04, 0.08], [0, 1, 2])


def test_table_has_the_cli_columns_and_one_row_per_detected_landmark():
    table = landmark_table(_seq())
    assert (
        tuple(table.columns)
        == LANDMARK_COLUMNS
        == (
            "frame",
            "time_s",
            "person",
            "landmark",
            "x_px",
            "y_px",
            "z",
            "visibility",
            "presence",
            "world_x_m",
            "world_y_m",
            "world_z_m",
        )
    )
    assert len(table) == 3 * 33
    assert table["frame"].tolist() == [0] * 33 + [2] * 66
    assert table["person"].tolist() == [0] * 33 + [0] * 33 + [1] * 33
    assert table["landmark"].iloc[0] == "nose" and table["landmark"].iloc[32] == "right_foot_index"
    row = table.iloc[33 + 33 + 1]  # frame 2, person 1, left_eye_inner
    assert (row.x_px, row.y_px) == (2000 + 66 + 2, 2000 + 66 + 3)
    assert row.time_s == 0.08


def test_one_person_and_csv_round_trip():
    seq = _seq()
    assert len(landmark_table(seq, person=1)) == 33
    back = pd.read_csv(io.BytesIO(to_csv(landmark_table(seq))))
    assert list(back.columns) == list(LANDMARK_COLUMNS) and len(back) == 99


def test_json_document():
    doc = json.loads(landmarks_json(_seq(), source="x.mp4", model={"sha256": "ab"}))
    assert doc["image_size_wh"] == [640, 480]
    assert [len(f["people"]) for f in doc["frames"]] == [1, 0, 2]
    lm = doc["frames"][2]["people"][1]["landmarks"][0]
    assert lm["landmark"] == "nose" and lm["world_m"] == [1.0, 1.0, 1.0]


def test_empty_sequence_gives_header_only():
    table = landmark_table(PoseSequence.empty(1, 0, (10, 10)))
    assert len(table) == 0 and tuple(table.columns) == LANDMARK_COLUMNS
