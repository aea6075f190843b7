"""Before/after comparison and the landmark explorer's table files."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from dashboard.kinematics import compare
from dashboard.kinematics.reps import detect_repetitions
from dashboard.outputs import tables
from dashboard.outputs.export import landmark_table
from dashboard.poses import PoseSequence


def test_repetitions_are_resampled_to_0_100_percent():
    t = np.arange(0, 10, 0.05)
    x = 45 * (1 - np.cos(2 * np.pi * t / 2.5))  # 4 reps of 2.5 s, 0..90 deg
    reps = detect_repetitions(x, t)
    curves = compare.repetition_curves(x, t, reps)
    assert curves.shape[1] == 101 and len(curves) == sum(r.complete for r in reps) >= 2
    # every repetition peaks near its middle at ~90 deg and starts and ends low
    assert np.nanmax(curves, axis=1) == pytest.approx(90, abs=1)
    assert abs(int(np.nanargmax(curves.mean(axis=0))) - 50) <= 3
    assert (curves[:, 0] < 20).all() and (curves[:, -1] < 20).all()


def test_slower_repetitions_line_up_after_normalising():
    t = np.arange(0, 20, 0.05)
    fast = 45 * (1 - np.cos(2 * np.pi * t / 2.0))
    slow = 45 * (1 - np.cos(2 * np.pi * t / 4.0))
    a = compare.angle_curves(fast, t, detect_repetitions(fast, t))
    b = compare.angle_curves(slow, t, detect_repetitions(slow, t))
    assert a.normalised and b.normalised
    assert np.nanmax(np.abs(a.mean - b.mean)) < 5


def test_gaps_are_not_bridged_inside_a_repetition():
    t = np.arange(0, 10, 0.05)
    x = 45 * (1 - np.cos(2 * np.pi * t / 2.5))
    reps = detect_repetitions(x, t)
    x[(t > 3.4) & (t < 3.9)] = np.nan  # half a second missing in the 2nd rep
    curves = compare.repetition_curves(x, t, reps)
    assert np.isnan(curves).any()


def test_without_repetitions_curves_are_against_time():
    t = np.arange(5) * 0.1 + 3.0
    c = compare.angle_curves(np.ones(5), t, [])
    assert not c.normalised and c.x.tolist() == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])
    assert c.count == 0


def test_rom_differences_are_after_minus_before():
    def rom(range_, max_):
        return pd.DataFrame(
            {
                "person": [0, 0],
                "angle": ["knee_flexion", "trunk_inclination"],
                "side": ["left", ""],
                "space": "world",
                "label": ["Knee flexion", "Trunk inclination"],
                "min_deg": [0.0, 1.0],
                "max_deg": [max_, 5.0],
                "range_deg": [range_, 4.0],
                "n_valid": [100, 100],
            }
        )

    table = compare.compare_rom(rom(80.0, 85.0), rom(95.0, 100.0))
    knee = table[table.angle == "knee_flexion"].iloc[0]
    assert knee.range_change_deg == pytest.approx(15.0)
    assert knee.max_change_deg == pytest.approx(15.0)
    assert table[table.angle == "trunk_inclination"].iloc[0].range_change_deg == 0
    assert tuple(table.columns) == compare.COMPARE_COLUMNS
    only_before = compare.compare_rom(rom(80.0, 85.0), rom(95.0, 100.0).iloc[:1])
    assert np.isnan(only_before[only_before.angle == "trunk_inclination"].iloc[0].after_range_deg)
    assert set(table.before_validity) == {""}  # tables without verdicts: unknown


def test_compare_carries_each_sessions_verdict_and_the_report_says_it():
    from dashboard.report.tables import comparison_cells

    def rom(range_, level):
        return pd.DataFrame(
            {
                "person": [0],
                "angle": ["knee_flexion"],
                "side": ["left"],
                "space": "world",
                "label": ["Knee flexion"],
                "min_deg": [0.0],
                "max_deg": [range_],
                "range_deg": [range_],
                "n_valid": [100],
                "validity": [level],
            }
        )

    table = compare.compare_rom(rom(np.nan, "withheld"), rom(90.0, "caution"))
    row = table.iloc[0]
    assert (row.before_validity, row.after_validity) == ("withheld", "caution")
    assert np.isnan(row.range_change_deg)  # no change from a withheld range
    (cells,) = comparison_cells(table)
    assert cells[2] == "–" and cells[-1].endswith("; withheld (earlier); caution (now)")


def test_comparison_figure_overlays_both_sessions():
    t = np.arange(0, 10, 0.05)
    x = 45 * (1 - np.cos(2 * np.pi * t / 2.5))
    c = compare.angle_curves(x, t, detect_repetitions(x, t))
    fig = compare.comparison_figure(c, c, "Knee")
    colours = {tr.line.color for tr in fig.data if tr.line and tr.line.color}
    assert {compare.BEFORE_COLOUR, compare.AFTER_COLOUR} <= colours
    assert fig.layout.xaxis.title.text == "% of repetition"


def _table():
    seq = PoseSequence.empty(4, 2, (100, 100), time_s=np.arange(4) / 10.0)
    xy = np.array(seq.image_xy)
    vis = np.array(seq.visibility)
    xy[:, 0] = 10.0
    vis[:, 0] = np.linspace(0, 1, 33)
    xy[2, 1] = 20.0
    vis[2, 1] = 1.0
    seq = PoseSequence(
        image_xy=xy,
        z=np.zeros_like(vis),
        visibility=vis,
        presence=vis,
        world_m=np.zeros((*xy.shape[:3], 3)),
        time_s=seq.time_s.copy(),
        frame_index=seq.frame_index.copy(),
        image_size=(100, 100),
    )
    return landmark_table(seq)


def test_filters():
    table = _table()
    assert len(table) == 5 * 33
    assert len(tables.filter_landmarks(table, people=[1])) == 33
    assert set(tables.filter_landmarks(table, landmarks=["nose"])["landmark"]) == {"nose"}
    assert set(tables.filter_landmarks(table, frames=(1, 2))["frame"]) == {1, 2}
    high = tables.filter_landmarks(table, min_visibility=0.5)
    assert (high["visibility"] >= 0.5).all() and len(high) < len(table)
    assert len(tables.filter_landmarks(table, landmarks=[])) == len(table)


def test_json_and_parquet_hold_the_filtered_rows():
    table = tables.filter_landmarks(_table(), people=[0], frames=(0, 1))
    doc = json.loads(tables.table_json(table, {"source": "x.mp4"}))
    assert doc["format"] == tables.TABLE_FORMAT and doc["metadata"]["source"] == "x.mp4"
    assert len(doc["rows"]) == len(table) and doc["rows"][0]["landmark"] == "nose"
    import pyarrow.parquet as pq

    data = tables.table_parquet(table, {"source": "x.mp4"})
    back = pq.read_table(io.BytesIO(data))
    assert back.num_rows == len(table)
    assert json.loads(back.schema.metadata[b"posedash"])["metadata"]["source"] == "x.mp4"
    pd.testing.assert_frame_equal(back.to_pandas(), table)
