"""The landmark explorer's table: filters and files (CSV, JSON, Parquet). Pure functions.

The table is :func:`dashboard.outputs.export.landmark_table` (one row per frame x
detected person x landmark); the files hold exactly the rows the filters keep,
with the same columns, so a file and the table on screen always agree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.jsonsafe import to_jsonable
from dashboard.outputs.export import to_csv

__all__ = ["TABLE_FORMAT", "filter_landmarks", "table_csv", "table_json", "table_parquet"]

TABLE_FORMAT = "posedash.landmark_table/1"

COLUMN_NOTES = {
    "frame": "frame index in the source (0 for a photo)",
    "time_s": "time of the frame in seconds",
    "person": "person id, counted from 0",
    "landmark": "MediaPipe BlazePose landmark name",
    "x_px, y_px": "pixels in the picture as displayed, origin top-left, y down",
    "z": "MediaPipe relative depth, scale of x in normalised units, hips at 0",
    "visibility": "model's probability (0-1) that the landmark is in view, not hidden",
    "presence": "model's probability (0-1) that the landmark is inside the frame",
    "world_x_m, world_y_m, world_z_m": "metres from the point between the hips; x to the "
    "camera's right, y down, z away from the camera",
}


def filter_landmarks(
    table: pd.DataFrame,
    people: Iterable[int] | None = None,
    landmarks: Iterable[str] | None = None,
    frames: tuple[int, int] | None = None,
    min_visibility: float = 0.0,
) -> pd.DataFrame:
    """The rows of ``table`` that pass every filter given.

    people
        Person ids to keep (None: all).
    landmarks
        Landmark names to keep (None or empty: all).
    frames
        Inclusive (first, last) source frame indices.
    min_visibility
        Keep rows whose visibility is at least this (0 keeps every row, even
        with an unknown visibility).
    """
    mask = np.ones(len(table), bool)
    if people is not None:
        mask &= table["person"].isin(list(people)).to_numpy()
    if landmarks:
        mask &= table["landmark"].isin(list(landmarks)).to_numpy()
    if frames is not None:
        lo, hi = frames
        mask &= ((table["frame"] >= lo) & (table["frame"] <= hi)).to_numpy()
    if min_visibility > 0:
        mask &= (table["visibility"] >= min_visibility).to_numpy()
    return table[mask].reset_index(drop=True)


def table_csv(table: pd.DataFrame) -> bytes:
    return to_csv(table)


def table_json(table: pd.DataFrame, metadata: dict | None = None) -> bytes:
    """A JSON document: ``format``, ``columns`` (what each column means),
    ``metadata`` (source, filters...) and ``rows`` (one object per table row;
    missing values are null)."""
    rows = [
        {k: to_jsonable(v) for k, v in zip(table.columns, rec, strict=False)}
        for rec in table.itertuples(index=False, name=None)
    ]
    doc = {
        "format": TABLE_FORMAT,
        "columns": COLUMN_NOTES,
        "metadata": metadata or {},
        "rows": rows,
    }
    return json.dumps(doc, indent=None, separators=(",", ":"), allow_nan=False).encode()


def table_parquet(table: pd.DataFrame, metadata: dict | None = None) -> bytes:
    """The table as Parquet (pyarrow), with ``metadata`` and the column notes as
    JSON in the file's key-value metadata under ``posedash``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    extra = {
        b"posedash": json.dumps(
            {"format": TABLE_FORMAT, "columns": COLUMN_NOTES, "metadata": metadata or {}}
        ).encode()
    }
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **extra})
    buf = io.BytesIO()
    pq.write_table(arrow, buf, compression="zstd")
    return buf.getvalue()
