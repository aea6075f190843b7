"""The display helper: "–" for missing values, rounding per column, and the
numeric table (the one downloads use) left untouched."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.text.display import MISSING, column_format, display_table, format_value


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Angle": ["Knee flexion", "Knee flexion", "Hip flexion"],
            "Side": ["left", "right", None],
            "Value (°)": [12.345, np.nan, -3.25],
            "Confidence": [0.876, None, 0.5],
            "Time (s)": [1.23456, 2.0, np.inf],
            "Stance (% of gait cycle)": [61.29, 66.351, np.nan],
            "frame": [3, 4, 5],
            "Counted": [True, False, True],
            "end_s": [4.5, None, 7.0],
        }
    )


def test_missing_values_read_as_a_dash():
    shown = display_table(_table())
    assert shown.loc[1, "Value (°)"] == MISSING == "–"
    assert shown.loc[1, "Confidence"] == "–"
    assert shown.loc[2, "Time (s)"] == "–"  # infinite: not a value
    assert shown.loc[2, "Side"] == "–"
    assert shown.loc[1, "end_s"] == "–"
    cells = shown.drop(columns="Counted").to_numpy().ravel().tolist()
    assert "None" not in cells and "nan" not in cells and None not in cells
    assert all(isinstance(c, str) for c in cells)


def test_rounding_per_column():
    shown = display_table(_table())
    assert list(shown["Value (°)"]) == ["12.3", "–", "-3.2"]  # angles: 1 decimal
    assert list(shown["Confidence"]) == ["0.88", "–", "0.50"]  # confidence: 2
    assert list(shown["Time (s)"]) == ["1.23", "2.00", "–"]  # times: 2
    assert list(shown["Stance (% of gait cycle)"]) == ["61.3", "66.4", "–"]  # %: 1
    assert list(shown["frame"]) == ["3", "4", "5"]  # whole numbers stay whole
    assert list(shown["end_s"]) == ["4.50", "–", "7.00"]  # machine names too
    assert list(shown["Counted"]) == [True, False, True]  # check boxes stay booleans


def test_formats_and_kept_columns():
    shown = display_table(_table(), formats={"Value (°)": "%+.0f%%"}, keep=["Confidence"])
    assert list(shown["Value (°)"]) == ["+12%", "–", "-3%"]
    assert shown["Confidence"].dtype == float  # a progress bar needs numbers


def test_the_numeric_table_is_not_changed():
    table = _table()
    before = table.copy()
    csv_before = table.to_csv(index=False)
    display_table(table)
    pd.testing.assert_frame_equal(table, before)
    assert table.to_csv(index=False) == csv_before
    assert math.isnan(table.loc[1, "Value (°)"])


def test_column_format_rules():
    assert column_format("Range (°)") == "%.1f"
    assert column_format("left − right (deg)") == "%.1f"
    assert column_format("mean_deg") == "%.1f"
    assert column_format("Symmetry index (%)") == "%.1f"
    assert column_format("stance_pct") == "%.1f"
    assert column_format("visibility") == "%.2f"
    assert column_format("Min at (s)") == "%.2f"
    assert column_format("velocity_offset_s") == "%.2f"
    assert column_format("strides", pd.Series([3, 0])) == "%d"
    assert column_format("ratio", pd.Series([0.5, np.nan])) == "%.2f"


def test_format_value():
    assert format_value(None) == "–"
    assert format_value(float("nan")) == "–"
    assert format_value(pd.NA) == "–"
    assert format_value(np.float32(2.5), "%.1f") == "2.5"
    assert format_value(np.int64(7), "%d") == "7"
    assert format_value(6.6, "%d") == "7"  # rounded, not truncated
    assert format_value("left") == "left"
    assert format_value(True) == "True"


def test_table_view_keeps_labels_help_and_progress_bars():
    import streamlit as st

    from dashboard.ui.widgets import table_view

    table = _table()
    shown, config = table_view(
        table,
        {
            "Value (°)": st.column_config.NumberColumn("Value", format="%.2f", help="why"),
            "Confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0),
        },
    )
    assert list(shown["Value (°)"]) == ["12.35", "–", "-3.25"]  # the column's own format
    assert config["Value (°)"]["type_config"]["type"] == "text"
    assert config["Value (°)"]["alignment"] == "right"
    assert (config["Value (°)"]["label"], config["Value (°)"]["help"]) == ("Value", "why")
    assert config["Confidence"]["type_config"]["type"] == "progress"
    assert shown["Confidence"].dtype == float
    assert config["Time (s)"]["alignment"] == "right"  # numbers stay right-aligned
    assert "Angle" not in config  # words: nothing to configure


def test_a_number_column_with_every_value_missing_becomes_text():
    """ "–" in a number column would be flagged by the grid as an invalid number."""
    import streamlit as st

    from dashboard.ui.widgets import table_view

    table = pd.DataFrame({"Angle": ["Knee flexion"], "Value (°)": [None]})
    shown, config = table_view(table, {"Value (°)": st.column_config.NumberColumn(format="%.1f")})
    assert list(shown["Value (°)"]) == ["–"]
    assert config["Value (°)"]["type_config"]["type"] == "text"
