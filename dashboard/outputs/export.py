"""Landmark tables and files: pure functions from a PoseSequence to bytes.

The long table has one row per frame x detected person x landmark, with the
columns of :data:`LANDMARK_COLUMNS` (the CLI's ``<stem>.landmarks.csv``).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from dashboard.csvtext import csv_text as csv_text
from dashboard.jsonsafe import to_jsonable
from dashboard.poses import PoseSequence
from dashboard.skeleton import LANDMARK_NAMES, NUM_LANDMARKS
from dashboard.text.textsafe import neutralise_cells

LANDMARK_COLUMNS = (
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


def landmark_table(seq: PoseSequence, person: int | None = None) -> pd.DataFrame:
    """The long table of every detected person's landmarks, frame by frame.

    Person slots with no detection in a frame give no rows for that frame.
    ``person`` restricts the table to one person slot. The ``person`` column
    holds the person's identity (``seq.person_ids``), counted from 0.
    """
    detected = seq.detected  # (F, P)
    if person is not None:
        mask = np.zeros_like(detected)
        mask[:, person] = detected[:, person]
        detected = mask
    f_idx, p_idx = np.nonzero(detected)
    n = len(f_idx)

    def rep(a):
        return np.repeat(a, NUM_LANDMARKS)

    xy = seq.image_xy[f_idx, p_idx].reshape(-1, 2)
    world = seq.world_m[f_idx, p_idx].reshape(-1, 3)
    return pd.DataFrame(
        {
            "frame": rep(seq.frame_index[f_idx]).astype(np.int64),
            "time_s": rep(seq.time_s[f_idx]).astype(float),
            "person": rep(seq.person_ids[p_idx]).astype(np.int64),
            "landmark": np.tile(np.array(LANDMARK_NAMES, dtype=object), n),
            "x_px": xy[:, 0],
            "y_px": xy[:, 1],
            "z": seq.z[f_idx, p_idx].reshape(-1),
            "visibility": seq.visibility[f_idx, p_idx].reshape(-1),
            "presence": seq.presence[f_idx, p_idx].reshape(-1),
            "world_x_m": world[:, 0],
            "world_y_m": world[:, 1],
            "world_z_m": world[:, 2],
        },
        columns=list(LANDMARK_COLUMNS),
    )


def landmark_csv(seq: PoseSequence, person: int | None = None) -> str:
    """:func:`landmark_table` as the CLI's ``<stem>.landmarks.csv`` text (floats
    with 6 significant digits, missing values as empty cells): see :func:`csv_text`."""
    return csv_text(landmark_table(seq, person), "%.6g")


def to_csv(table: pd.DataFrame) -> bytes:
    """``table`` as CSV; text cells that a spreadsheet would run as a formula are
    written as text (:func:`dashboard.text.textsafe.neutralise_cells`)."""
    return neutralise_cells(table).to_csv(index=False, float_format="%.6g").encode("utf-8")


def landmarks_json(
    seq: PoseSequence, *, source: str = "", model: dict | None = None, settings: dict | None = None
) -> bytes:
    """A self-describing JSON document of every frame and person.

    ``frames[i].people[j].landmarks`` holds 33 objects with the table's fields;
    a person slot with nobody detected is left out of that frame.
    """
    frames = []
    for f in range(seq.num_frames):
        people = []
        for p in np.flatnonzero(seq.detected[f]):
            people.append(
                {
                    "person": int(seq.person_ids[p]),
                    "landmarks": [
                        {
                            "landmark": name,
                            "x_px": to_jsonable(float(seq.image_xy[f, p, i, 0])),
                            "y_px": to_jsonable(float(seq.image_xy[f, p, i, 1])),
                            "z": to_jsonable(float(seq.z[f, p, i])),
                            "visibility": to_jsonable(float(seq.visibility[f, p, i])),
                            "presence": to_jsonable(float(seq.presence[f, p, i])),
                            "world_m": [to_jsonable(float(v)) for v in seq.world_m[f, p, i]],
                        }
                        for i, name in enumerate(LANDMARK_NAMES)
                    ],
                }
            )
        frames.append(
            {"frame": int(seq.frame_index[f]), "time_s": float(seq.time_s[f]), "people": people}
        )
    doc = {
        "format": "posedash.landmarks/1",
        "source": source,
        "image_size_wh": list(seq.image_size),
        "coordinates": {
            "x_px, y_px": "pixels in the picture as displayed, origin top-left, y down",
            "z": "MediaPipe relative depth, scale of x in normalised units, hips at 0",
            "world_m": "metres, origin between the hips, y down",
        },
        "model": model or {},
        "settings": settings or {},
        "frames": frames,
    }
    return json.dumps(doc, indent=1).encode("utf-8")
