"""The real-clip measurements behind docs/validity.md, with the built-in model.

Each test keeps one row of the validity table true: if the model or the angle code
changes so that a figure no longer holds, the table must be measured again.
Figures (model run 2026-12, printed by benchmarks/validity_figures.py):

- squat, three-quarter front view: 3-D knee flexion at the labelled bottom frames
  93° where the frames show 115-125°; standing 14°; 3-D ankle at the bottom -17 to
  -5° (plantarflexion) where the frames show 25-30° of dorsiflexion, the 3-D foot
  turning with the shin (shin +10.6°, foot +11.8° toes-down);
- sit-to-stand, side view: 3-D foot 29° toes-down against 7° in the picture, 3-D
  ankle 15° below the picture's; 3-D knee 5° above the picture; the far knee up to
  16° from the near one, its range 18° larger;
- lateral raise, front view: 3-D shoulder abduction within 4° of the picture, 3-D
  elbow 17-19° above it, 3-D knee FPPA 12° from the picture's (left knee), a
  standing man's 3-D knee flexion 19-29°.
"""

from __future__ import annotations

import json

import pytest

from dashboard.kinematics.summary import summary_json
from tests import validity_clips as vc


@pytest.fixture(scope="module")
def squat(media_dir, model_info):
    seq = vc.analyse(media_dir, vc.SQUAT, model_info)
    return seq, vc.kinematics(seq)


@pytest.fixture(scope="module")
def sts(media_dir, model_info):
    seq = vc.analyse(media_dir, vc.STS, model_info)
    return seq, vc.kinematics(seq)


@pytest.fixture(scope="module")
def lateral_raise(media_dir, model_info):
    seq = vc.analyse(media_dir, vc.RAISE, model_info)
    return seq, vc.kinematics(seq)


def _record(kin, key, side, space):
    doc = json.loads(summary_json(kin))
    return next(
        r
        for r in doc["range_of_motion"]
        if (r["angle"], r["side"], r["space"], r["person"]) == (key, side, space, 0)
    )


def test_squat_world_ankle_reads_plantarflexion_where_the_frame_shows_dorsiflexion(squat):
    seq, kin = squat
    f = vc.squat_figures(seq, kin)
    assert f["world_ankle_bottom_max"] < 5  # the frames show 25-30° of dorsiflexion
    assert f["world_ankle_dorsiflexion_bottom"] < 0
    # the cause: the 3-D foot turns toes-down with the shin, so the angle hardly moves
    assert f["world_shank_turn"] > 5
    assert abs(f["world_foot_turn"] - f["world_shank_turn"]) < 5
    rec = _record(kin, "ankle_dorsiflexion", "right", "world")
    assert rec["validity"] == "withheld" and rec["range_deg"] is None
    assert "plantarflexion" in rec["validity_reasons"][0]


def test_squat_world_knee_reads_low_at_depth_and_high_standing(squat):
    seq, kin = squat
    f = vc.squat_figures(seq, kin)
    assert f["world_knee_flexion_bottom"] < 105  # the frames show 115-125°
    assert f["world_knee_flexion_standing"] > 8  # the frames show 0-5°
    assert f["world_hip_flexion_bottom"] < 110
    assert f["world_knee_range"] < 100  # the frames show about 110-125°
    rec = _record(kin, "knee_flexion", "left", "world")
    assert rec["validity"] == "caution" and "about 25° less" in rec["validity_reasons"][0]
    assert rec["bias"] and rec["range_deg"] is not None
    # three-quarter view: the picture's sagittal angles are withheld, with the reason
    rec = _record(kin, "knee_flexion", "left", "image")
    assert rec["validity"] == "withheld" and "three-quarter" in rec["validity_reasons"][0]


def test_side_view_foot_ankle_and_knee(sts):
    seq, kin = sts
    f = vc.sts_figures(seq, kin)
    assert f["image_foot_slope"] < 12 and f["world_foot_slope"] > 20
    assert f["ankle_dorsiflexion_world_minus_image"] < -8
    assert 0 < f["knee_flexion_world_minus_image"] < 10
    assert abs(f["knee_flexion_world_range"] - f["knee_flexion_image_range"]) < 8
    assert 8 < f["image_knee_standing"] < 25  # legs straight by eye
    assert 85 < f["image_knee_seated"] < 105


def test_side_view_far_leg_and_symmetry(sts):
    seq, kin = sts
    f = vc.sts_figures(seq, kin)
    assert kin.sets[0].views == ("side",) and kin.sets[0].near_sides == ("left",)
    assert f["far_minus_near_knee_p95"] > 10 and f["far_knee_range_excess"] > 8
    near = _record(kin, "knee_flexion", "left", "image")
    far = _record(kin, "knee_flexion", "right", "image")
    assert near["validity"] == "valid" and far["validity"] == "caution"
    assert any("far leg" in r for r in far["validity_reasons"])
    for rec in (near, far):  # was -17.8 %: a false asymmetry from the hidden leg
        assert rec["symmetry_index_pct"] is None and rec["symmetry_validity"] == "withheld"


def test_front_view_raise_world_against_picture(lateral_raise):
    seq, kin = lateral_raise
    f = vc.raise_figures(seq, kin)
    for side in ("left", "right"):
        assert abs(f[f"shoulder_abduction_{side}_world_minus_image"]) < 5
        assert f[f"elbow_flexion_{side}_world_minus_image"] > 12
        assert f[f"world_knee_flexion_{side}_p5"] > 10  # a man standing upright
    assert abs(f["knee_valgus_left_world_minus_image"]) > 8
    for key in ("trunk_lateral_inclination", "pelvic_obliquity", "shoulder_tilt"):
        assert abs(f[f"{key}_world_minus_image"]) < 3
    assert f["world_shoulder_flexion_p95"] > 80  # a sideways raise read as flexion
    left = _record(kin, "shoulder_abduction", "left", "image")
    assert left["validity"] == "valid" and left["symmetry_index_pct"] is not None
    assert _record(kin, "shoulder_abduction", "left", "world")["validity"] == "valid"
    assert _record(kin, "knee_valgus", "left", "world")["validity"] == "withheld"
    # both arms raised alike: the picture's symmetry index is near 0, the 3-D one is not
    assert abs(f["image_abduction_symmetry_pct"]) < 5
    assert abs(f["world_abduction_symmetry_pct"] - f["image_abduction_symmetry_pct"]) > 8
    world = _record(kin, "shoulder_abduction", "left", "world")
    assert world["symmetry_validity"] == "caution"
    assert any("3D ranges" in r for r in world["symmetry_reasons"])


# slow by hand: its clip fixtures (the model on the shared media) are asked for by name
# inside the test, which the tier marking in tests/conftest.py cannot see
@pytest.mark.slow
@pytest.mark.parametrize("clip", ["squat", "sts", "lateral_raise"])
def test_summary_json_contract_holds_on_the_real_clips(clip, request):
    """Every record carries its verdict; a withheld one gives no number; no symmetry
    index from a side measured in fewer than half the frames analysed."""
    _, kin = request.getfixturevalue(clip)
    doc = json.loads(summary_json(kin))
    records = doc["range_of_motion"]
    assert records
    pairs: dict = {}
    for r in records:
        assert r["validity"] in ("valid", "caution", "withheld") and "validity_reasons" in r
        if r["validity"] == "withheld":
            assert r["validity_reasons"]
            for f in ("min_deg", "max_deg", "range_deg", "symmetry_index_pct"):
                assert r[f] is None, (clip, r["angle"], r["side"], r["space"], f)
        if r["side"]:
            pairs.setdefault((r["person"], r["angle"], r["space"]), []).append(r)
    for pair in pairs.values():
        if any(r["n_valid"] < 0.5 * doc["n_frames"] for r in pair):
            assert all(r["symmetry_index_pct"] is None for r in pair)
    ankle = [r for r in records if r["angle"] == "ankle_dorsiflexion" and r["space"] == "world"]
    assert ankle and all(r["validity"] == "withheld" and r["range_deg"] is None for r in ankle)
    if clip == "sts":  # a side view: no symmetry index at all
        assert all(r["symmetry_index_pct"] is None for r in records)
