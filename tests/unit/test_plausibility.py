"""Implausible angle values: flagged by catalogue range, left out of the ROM by default."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard.kinematics import CATALOGUE, AngleSet, angle_def
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.plausibility import PLAUSIBLE_RANGES, implausible, implausible_mask
from dashboard.kinematics.rom import rom_table


def test_every_catalogue_angle_has_a_range_within_its_reported_range():
    for d in CATALOGUE:
        rng = PLAUSIBLE_RANGES[d.key]
        assert rng.low < 0 <= rng.high or (d.key == "elbow_flexion" and rng.low == 0)
        assert d.value_range[0] <= rng.low < rng.high <= d.value_range[1]


def test_knee_hyperextension_beyond_minus_15_is_implausible():
    values = np.array([-30.0, -15.0, -14.9, 0.0, 90.0, 165.0, 170.0, np.nan])
    assert implausible(values, "knee_flexion").tolist() == [
        True,
        False,
        False,
        False,
        False,
        False,
        True,
        False,
    ]
    assert not implausible(values, "not_an_angle").any()
    mask = implausible_mask(np.stack([values, values], -1), ["knee_flexion", "hip_flexion"])
    assert mask[:, 0].sum() == 2 and mask[:, 1].sum() == 2  # hip: -30 ok, 165/170 not


def _knee_set(values):
    """Knee flexion of both sides in a side view, padded to 12 frames with the mean of
    the plausible values (a range needs at least 10 frames: validity.MIN_FRAMES)."""
    defs = (angle_def("knee_flexion", "left"), angle_def("knee_flexion", "right"))
    values = np.concatenate([values, np.full(12 - len(values), 30.0)])
    raw = np.stack([values, np.abs(values)], -1)[:, None, :]
    n = raw.shape[0]
    return AngleSet(
        defs=defs,
        space="image",
        raw_deg=raw,
        value_deg=raw.copy(),
        confidence=np.ones_like(raw),
        foreshortened=np.zeros(raw.shape, bool),
        time_s=np.arange(n) / 10.0,
        frame_index=np.arange(n),
        person_ids=np.array([0]),
        filter=FilterSettings(method="none"),
        views=("side",),
        near_sides=("left",),
    )


def test_rom_excludes_implausible_values_by_default_and_counts_them():
    values = np.array([5.0, 40.0, -40.0, 60.0, -25.0, 10.0])
    aset = _knee_set(values)
    df = rom_table([aset])
    left = df.iloc[0]
    assert left.min_deg == 5.0 and left.max_deg == 60.0 and left.n_valid == 10
    assert left.n_implausible == 2 and not bool(left.implausible_included)
    assert left.validity == "caution" and "2 values outside the plausible range" in (
        "; ".join(left.validity_reasons)
    )
    incl = rom_table([aset], include_implausible=True).iloc[0]
    assert incl.min_deg == -40.0 and incl.n_valid == 12 and bool(incl.implausible_included)
    assert incl.n_implausible == 2
    right = df.iloc[1]  # |values|: 40 and 25 are plausible flexion
    assert right.n_implausible == 0 and right.n_valid == 12


def test_summary_states_ranges_and_exclusion():
    from dashboard.kinematics.summary import Kinematics, KinematicsSettings, summary_json

    aset = _knee_set(np.array([5.0, 40.0, -40.0, 60.0]))
    kin = Kinematics(
        sets=(aset,),
        settings=KinematicsSettings(spaces=("image",)),
        image_size=(640, 480),
        camera_yaw_deg=np.full((12, 1), 90.0),
    )
    doc = json.loads(summary_json(kin))
    rom = doc["range_of_motion"][0]
    assert rom["n_implausible"] == 1 and rom["implausible_included"] is False
    assert doc["angles"][0]["plausible_range"]["low_deg"] == pytest.approx(-15.0)
    kin2 = Kinematics(
        sets=(aset,),
        settings=KinematicsSettings(spaces=("image",), include_implausible=True),
        image_size=(640, 480),
        camera_yaw_deg=np.full((12, 1), 90.0),
    )
    assert json.loads(summary_json(kin2))["range_of_motion"][0]["min_deg"] == -40.0


def test_compute_kinematics_flags_implausible_values():
    from dashboard.kinematics.summary import compute_kinematics
    from tests.synthetic_poses import sagittal_pose, to_sequence

    pts, _ = sagittal_pose()
    kin = compute_kinematics(to_sequence(pts, "right", frames=3))
    assert len(kin.implausible) == len(kin.sets)
    for s, flags in zip(kin.sets, kin.implausible, strict=False):
        assert flags.shape == s.value_deg.shape and flags.dtype == bool


def test_the_angle_chart_marks_implausible_values():
    """Values outside the plausible range are ringed on the chart (issue 12)."""
    from dashboard.figures.charts import angle_time_figure

    t = np.arange(10) / 10.0
    knee = np.full((10, 1, 1), 20.0)
    knee[3, 0, 0] = -40.0  # hyperextension beyond -15 deg: not physiological
    d = angle_def("knee_flexion", "left")
    aset = AngleSet(
        space="image",
        defs=(d,),
        time_s=t,
        frame_index=np.arange(10),
        raw_deg=knee,
        value_deg=knee,
        confidence=np.ones_like(knee),
        foreshortened=np.zeros_like(knee, bool),
        person_ids=np.array([0]),
    )
    fig = angle_time_figure(aset, ["knee_flexion"])
    marks = [tr for tr in fig.data if (tr.meta or {}).get("kind") == "implausible"]
    assert len(marks) == 1 and list(marks[0].y) == [-40.0] and list(marks[0].x) == [0.3]
