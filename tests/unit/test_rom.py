"""Range of motion and symmetry on synthetic series."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics import compute_angles
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.rom import ROM_COLUMNS, range_of_motion, rom_table, symmetry_index


def test_range_of_motion_known_answer():
    t = np.linspace(0, 2, 201)
    x = 40 + 30 * np.sin(2 * np.pi * 0.5 * t)  # max at t=0.5, min at t=1.5
    x[:10] = np.nan
    r = range_of_motion(x, t)
    assert r.max_deg == pytest.approx(70) and r.min_deg == pytest.approx(10)
    assert r.range_deg == pytest.approx(60)
    assert r.time_of_max_s == pytest.approx(0.5) and r.time_of_min_s == pytest.approx(1.5)
    assert r.index_of_max == 50 and r.index_of_min == 150
    assert r.n_valid == 191
    assert r.mean_deg == pytest.approx(np.nanmean(x))


def test_range_of_motion_all_nan():
    r = range_of_motion(np.full(5, np.nan), np.arange(5.0))
    assert r.n_valid == 0 and np.isnan(r.range_deg) and r.index_of_min == -1


@pytest.mark.parametrize(
    "left,right,want",
    [
        (100, 100, 0.0),
        (110, 90, 20.0),
        (90, 110, -20.0),
        (50, 0, 200.0),
        (0, 50, -200.0),
        (0, 0, 0.0),
    ],
)
def test_symmetry_index(left, right, want):
    assert symmetry_index(left, right) == pytest.approx(want)


def test_symmetry_index_undefined():
    assert np.isnan(symmetry_index(np.nan, 10))
    assert np.isnan(symmetry_index(-10, -20))  # not ranges


def test_rom_table_from_angle_sets():
    from tests.synthetic_poses import sagittal_pose, to_sequence

    pts, expected = sagittal_pose()
    seq = to_sequence(pts, "right", frames=12)
    sets = [
        compute_angles(seq, s, filter=FilterSettings(method="none")) for s in ("image", "world")
    ]
    assert sets[0].views == ("side",) and sets[0].near_sides == ("right",)  # faces right
    df = rom_table(sets)
    assert tuple(df.columns) == ROM_COLUMNS
    assert len(df) == 2 * len(sets[0].defs)
    row = df[(df.angle == "knee_flexion") & (df.side == "right") & (df.space == "image")].iloc[0]
    assert row.min_deg == pytest.approx(expected[("knee_flexion", "right")], abs=0.01)
    assert row.range_deg == pytest.approx(0, abs=1e-9) and row.n_valid == 12
    assert row.validity == "valid"  # the near leg, in its view
    far = df[(df.angle == "knee_flexion") & (df.side == "left") & (df.space == "image")].iloc[0]
    assert far.validity == "caution" and "far leg" in far.validity_reasons[0]
    # a side view shows one side: no symmetry index, and why
    assert np.isnan(row.symmetry_index_pct) and row.symmetry_validity == "withheld"
    assert any("side view" in r for r in row.symmetry_reasons)
    mid = df[df.angle == "trunk_inclination"]
    assert mid.side.tolist() == ["", ""] and mid.symmetry_index_pct.isna().all()


def _one_angle_set(raw, flag):
    from dashboard.kinematics import AngleSet, angle_def

    defs = (angle_def("shoulder_abduction", "left"), angle_def("shoulder_abduction", "right"))
    raw = np.concatenate([raw, np.full(6, 40.0)])  # 12 valid frames: a range needs 10
    flag = np.concatenate([flag, np.zeros(6, bool)])
    raw = np.stack([raw, raw], -1)[:, None, :]
    flag = np.stack([flag, np.zeros_like(flag)], -1)[:, None, :]
    n = raw.shape[0]
    return AngleSet(
        defs=defs,
        space="world",
        raw_deg=raw,
        value_deg=raw.copy(),
        confidence=np.ones_like(raw),
        foreshortened=flag,
        time_s=np.arange(n) / 10.0,
        frame_index=np.arange(n) + 100,
        person_ids=np.array([0]),
        filter=FilterSettings(method="none"),
        views=("front",),
    )


def test_flagged_values_count_in_the_range_of_motion_and_are_reported():
    """Decision (docs/angles.md): flagged values (45-60 deg out of the plane) count
    in the ROM, and the table says when an extreme is flagged; gaps (NaN, an
    angle undefined out of its plane) never do."""
    raw = np.array([5.0, 20.0, 60.0, np.nan, np.nan, 95.0, 40.0, 10.0])
    flag = np.array([False, False, False, False, False, True, False, False])
    df = rom_table([_one_angle_set(raw, flag)])
    assert tuple(df.columns) == ROM_COLUMNS
    left, right = df.iloc[0], df.iloc[1]
    assert left.max_deg == 95.0 and left.frame_of_max == 105 and left.range_deg == 90.0
    assert bool(left.max_flagged) and not bool(left.min_flagged)
    assert left.n_valid == 12 and left.foreshortened_fraction == pytest.approx(1 / 12)
    assert not bool(right.max_flagged) and right.foreshortened_fraction == 0
    # the maximum seen foreshortened: a number to read with its reason
    assert left.validity == "caution" and right.validity == "valid"
    assert "foreshortened" in left.validity_reasons[0]


def test_rom_of_a_limb_turning_out_of_the_plane_is_bounded():
    """The out-of-plane sweep of tests/synthetic_poses.py: ROM of abduction 0 (a constant 30 deg
    where defined), never the 330-355 deg a wrapping projection gave."""
    from tests.synthetic_poses import BETAS, arm_out_of_plane, frames_sequence

    seq = frames_sequence([arm_out_of_plane(b) for b in BETAS])
    for space in ("image", "world"):
        df = rom_table([compute_angles(seq, space)])
        row = df[(df.angle == "shoulder_abduction") & (df.side == "left")].iloc[0]
        assert row.range_deg == pytest.approx(0.0, abs=0.05)
        assert row.min_deg == pytest.approx(30.0, abs=0.05)
        assert 55 <= row.n_valid <= 70  # about 60 of the 90 frames are defined
