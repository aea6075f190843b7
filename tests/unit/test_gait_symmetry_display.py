"""The Gait page shows the gait analysis's symmetry indices with the one signed definition
(positive: the person's left larger), on values with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.kinematics.gait.parameters import symmetry_index as gait_size
from dashboard.kinematics.symmetry import signed_key_values, signed_symmetry, symmetry_index


def test_key_values_get_the_core_signed_index_of_the_absolute_means():
    left = np.array([60.0, -10.0, 20.0, np.nan])
    right = np.array([50.0, -12.0, 20.0, 30.0])
    table = pd.DataFrame(
        {
            "left_mean_deg": left,
            "right_mean_deg": right,
            "symmetry_index_pct": [
                gait_size(abs(a), abs(b)) for a, b in zip(left, right, strict=True)
            ],
        }
    )
    shown = signed_key_values(table)
    want = [symmetry_index(abs(a), abs(b)) for a, b in zip(left, right, strict=True)]
    assert shown.iloc[0] == pytest.approx(want[0]) and shown.iloc[0] > 0  # left larger
    assert shown.iloc[1] == pytest.approx(want[1]) and shown.iloc[1] < 0  # |-10| < |-12|
    assert shown.iloc[2] == 0 and np.isnan(shown.iloc[3])


def test_step_and_stance_time_symmetry_take_the_sign_of_left_minus_right():
    per_side = {
        "left": {
            "step_time_s": {"mean": 0.50},
            "stride_time_s": {"mean": 1.0},
            "stance_pct": {"mean": 60.0},
        },
        "right": {
            "step_time_s": {"mean": 0.60},
            "stride_time_s": {"mean": 1.0},
            "stance_pct": {"mean": 62.0},
        },
    }
    step = dict(mean=gait_size(0.50, 0.60), sd=float("nan"), n=4)
    shown = signed_symmetry(step, per_side, "step_time_symmetry_pct")
    assert shown["mean"] == pytest.approx(symmetry_index(0.50, 0.60)) and shown["mean"] < 0
    assert shown["n"] == 4
    stance = dict(mean=3.2, sd=float("nan"), n=4)
    assert signed_symmetry(stance, per_side, "stance_time_symmetry_pct")["mean"] == -3.2
    assert signed_symmetry(step, {}, "step_time_symmetry_pct") == step  # no sides: as given
    assert signed_symmetry({"mean": 5.0}, per_side, "cadence_steps_per_min") == {"mean": 5.0}


def test_the_reports_gait_table_prints_the_step_time_index_signed():
    from dashboard.report.gait_report import gait_rows

    gait = {
        "parameters": {
            "left": {"step_time_s": {"mean": 0.50, "sd": 0.01, "n": 4}},
            "right": {"step_time_s": {"mean": 0.60, "sd": 0.01, "n": 4}},
            "step_time_symmetry_pct": {"mean": gait_size(0.50, 0.60), "sd": None, "n": 4},
            "cadence_steps_per_min": {"mean": None, "sd": None, "n": 0},
        }
    }
    rows = {r[0]: r for r in gait_rows(gait)}
    label = next(k for k in rows if k.lower().startswith("step-time symmetry"))
    assert rows[label][3].startswith(f"{symmetry_index(0.50, 0.60):.1f}")  # negative
    assert rows[label][3].startswith("-")
