"""Verdicts (valid / caution / withheld) on synthetic sequences with known answers,
and the summary.json contract: a withheld range gives no number, and a symmetry
index needs both sides measured in at least half the frames analysed, seen alike."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dashboard.kinematics import compute_angles
from dashboard.kinematics.catalogue import CATALOGUE, SPACES
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.rom import WITHHELD_FIELDS, rom_csv, rom_table
from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics, summary_json
from dashboard.kinematics.symmetry import symmetry_index
from dashboard.kinematics.validity import (
    CAUTION,
    MIN_FRAMES,
    VALID,
    WITHHELD,
    Verdict,
    frame_levels,
    near_side,
    series_verdict,
    symmetry_verdict,
    worst,
)
from dashboard.kinematics.validity_rules import LEVELS, RULES, VIEWS_JUDGED, rule_for
from dashboard.poses import PoseSequence
from tests.synthetic_poses import frontal_pose, sagittal_pose, to_sequence

NO_FILTER = FilterSettings(method="none", max_gap_s=0)


def _row(df, key, side, space):
    return df[(df.angle == key) & (df.side == side) & (df.space == space)].iloc[0]


def _moving(pose_fn, facing, frames, params):
    """``frames`` frames of ``pose_fn(**params(k))``, k = 0 .. frames - 1."""
    seqs = []
    for k in range(frames):
        pts, _ = pose_fn(**params(k))
        seqs.append(to_sequence(pts, facing, frames=1))
    return PoseSequence(
        image_xy=np.concatenate([s.image_xy for s in seqs]),
        z=np.concatenate([s.z for s in seqs]),
        visibility=np.concatenate([s.visibility for s in seqs]),
        presence=np.concatenate([s.presence for s in seqs]),
        world_m=np.concatenate([s.world_m for s in seqs]),
        time_s=np.arange(frames) / 30.0,
        frame_index=np.arange(frames),
        image_size=seqs[0].image_size,
    )


def _raise(k):
    a = 20.0 + 4.0 * k  # both arms raised alike, 20 -> 96 deg
    return dict(
        sides={
            "left": dict(abduction=a, elbow=10.0, hip=0.0, valgus=2.0),
            "right": dict(abduction=0.8 * a, elbow=10.0, hip=0.0, valgus=-2.0),
        }
    )


@pytest.fixture(scope="module")
def front_raise():
    return _moving(frontal_pose, "front", 20, _raise)


# -- the table ----------------------------------------------------------------------


def test_the_table_covers_every_angle_space_and_view():
    for d in CATALOGUE:
        for space in SPACES:
            rules = RULES[(d.key, space)]
            assert set(rules) == set(VIEWS_JUDGED)
            for rule in rules.values():
                assert rule.level in LEVELS
                assert rule.level == VALID or rule.reason  # every doubt says why


def test_image_angles_are_valid_only_in_their_view():
    for d in CATALOGUE:
        if d.view == "any":
            continue
        for view in VIEWS_JUDGED:
            want = VALID if view == d.view else WITHHELD
            assert rule_for(d.key, "image", view).level == want, (d.key, view)


def test_world_ankle_is_withheld_in_every_view_and_says_why():
    for view in (*VIEWS_JUDGED, ""):
        rule = rule_for("ankle_dorsiflexion", "world", view)
        assert rule.level == WITHHELD and "plantarflexion" in rule.reason
    assert rule_for("ankle_dorsiflexion", "image", "side").level == VALID


def test_known_world_biases_are_stated():
    for key in ("knee_flexion", "hip_flexion"):
        for view in VIEWS_JUDGED:
            rule = rule_for(key, "world", view)
            assert rule.level == CAUTION and rule.bias
    assert rule_for("knee_valgus", "world", "front").level == WITHHELD


# -- one series ---------------------------------------------------------------------


def test_verdict_combines_to_the_worst_level_and_keeps_every_reason():
    v = Verdict().add(CAUTION, "a").add(VALID, "").add(CAUTION, "a").add(WITHHELD, "b")
    assert v.level == WITHHELD and v.reasons == ("a", "b") and v.text == "A; b."
    assert worst([]) == VALID and worst([CAUTION, VALID]) == CAUTION
    with pytest.raises(ValueError):
        Verdict("fine")


@pytest.mark.parametrize(
    "n_valid, found, photo, level",
    [
        (0, 100, False, WITHHELD),
        (MIN_FRAMES - 1, 100, False, WITHHELD),
        (MIN_FRAMES, 100, False, CAUTION),  # under half the frames with the person
        (50, 100, False, VALID),
        (1, 1, True, VALID),  # a photo has one frame
    ],
)
def test_frames_measured_decide_the_level(n_valid, found, photo, level):
    v = series_verdict(
        "knee_flexion", "left", "image", "side", n_valid=n_valid, n_person_frames=found,
        is_photo=photo, near="left",
    )  # fmt: skip
    assert v.level == level


def test_a_value_measured_but_left_out_says_so_not_unmeasured():
    """The yoga photo's bent-knee FPPA was measured, then left out as not meaningful:
    the reason must not say 'not measured' (the report printed that)."""
    common = dict(n_valid=0, n_person_frames=1, is_photo=True)
    left_out = series_verdict("knee_valgus", "right", "image", "front", n_implausible=1, **common)
    unmeasured = series_verdict("knee_valgus", "right", "image", "front", **common)
    assert left_out.level == WITHHELD and "left out" in left_out.text
    assert "not measured" not in left_out.text.lower()
    assert unmeasured.level == WITHHELD and unmeasured.reasons == ("not measured in any frame",)


def test_the_far_limb_in_a_side_view_needs_caution():
    common = dict(n_valid=50, n_person_frames=50)
    near = series_verdict("knee_flexion", "left", "image", "side", near="left", **common)
    far = series_verdict("knee_flexion", "right", "image", "side", near="left", **common)
    front = series_verdict("shoulder_abduction", "right", "image", "front", near="left", **common)
    assert near.level == VALID and far.level == CAUTION and "far leg" in far.text
    assert front.level == VALID  # both sides are seen from the front


def test_near_side_from_depth():
    w = np.zeros((2, 1, 33, 3))
    from dashboard.skeleton import INDEX

    w[0, 0, INDEX["left_hip"], 2] = -0.1  # left hip nearer the camera
    w[1, 0, INDEX["right_shoulder"], 2] = -0.1
    assert near_side(w)[:, 0].tolist() == ["left", "right"]


def test_frame_levels():
    x = np.array([1.0, np.nan, 3.0, 4.0])
    fore = np.array([False, False, True, False])
    out = np.array([False, False, False, True])
    assert frame_levels(VALID, x, fore, out).tolist() == [VALID, WITHHELD, CAUTION, WITHHELD]
    assert set(frame_levels(WITHHELD, x, fore, out)) == {WITHHELD}


# -- symmetry -----------------------------------------------------------------------


def test_symmetry_definition_is_signed():
    assert symmetry_index(110, 90) == pytest.approx(20.0)  # left larger: positive
    assert symmetry_index(90, 110) == pytest.approx(-20.0)
    assert symmetry_index(50, 0) == pytest.approx(200.0) and np.isnan(symmetry_index(np.nan, 1))


def test_symmetry_verdict_rules():
    ok = Verdict()
    full = dict(n_left=20, n_right=20, n_both=20, n_frames=20)
    assert symmetry_verdict(ok, ok, "front", **full).level == VALID
    world = symmetry_verdict(ok, ok, "front", space="world", **full)
    assert world.level == CAUTION and "3D ranges" in world.text
    assert symmetry_verdict(ok, ok, "side", **full).level == WITHHELD
    assert symmetry_verdict(ok, ok, "oblique", **full).level == CAUTION
    few = dict(full, n_left=9)  # fewer than half of 20
    v = symmetry_verdict(ok, ok, "front", **few)
    assert v.level == WITHHELD and "left side was measured in only 9 of 20" in v.text
    apart = dict(full, n_left=12, n_right=12, n_both=4)  # each side half, never together
    assert symmetry_verdict(ok, ok, "front", **apart).level == WITHHELD
    assert symmetry_verdict(Verdict(WITHHELD, ("x",)), ok, "front", **full).level == WITHHELD
    assert symmetry_verdict(Verdict(CAUTION, ("x",)), ok, "front", **full).level == CAUTION


def test_front_view_raise_gives_a_signed_symmetry_index(front_raise):
    aset = compute_angles(front_raise, "image", filter=NO_FILTER)
    assert aset.views == ("front",)
    df = rom_table([aset])
    left, right = (_row(df, "shoulder_abduction", s, "image") for s in ("left", "right"))
    assert left.validity == right.validity == VALID
    assert left.range_deg == pytest.approx(76.0, abs=0.5)
    assert right.range_deg == pytest.approx(0.8 * 76.0, abs=0.5)
    want = symmetry_index(left.range_deg, right.range_deg)
    assert want > 0  # the left moved more
    assert left.symmetry_index_pct == pytest.approx(want) == right.symmetry_index_pct
    assert left.symmetry_validity == VALID


def test_a_side_seen_in_too_few_frames_has_no_symmetry(front_raise):
    vis = np.array(front_raise.visibility)
    from dashboard.skeleton import INDEX

    vis[:11, 0, INDEX["left_elbow"]] = 0.1  # the left arm is lost in 11 of 20 frames
    seq = PoseSequence(
        image_xy=front_raise.image_xy,
        z=front_raise.z,
        visibility=vis,
        presence=front_raise.presence,
        world_m=front_raise.world_m,
        time_s=front_raise.time_s,
        frame_index=front_raise.frame_index,
        image_size=front_raise.image_size,
    )
    df = rom_table([compute_angles(seq, "image", filter=NO_FILTER)])
    left, right = (_row(df, "shoulder_abduction", s, "image") for s in ("left", "right"))
    assert left.n_valid == 9 and right.n_valid == 20
    assert np.isnan(left.symmetry_index_pct) and np.isnan(right.symmetry_index_pct)
    assert left.symmetry_validity == WITHHELD
    assert any("only 9 of 20 frames" in r for r in left.symmetry_reasons)
    assert left.validity == WITHHELD  # 9 frames: too few for a range
    assert all(np.isnan(left[f]) for f in WITHHELD_FIELDS)


# -- the summary.json contract -------------------------------------------------------


def test_summary_json_records_carry_verdicts_and_withheld_records_no_number():
    pts, _ = sagittal_pose()
    kin = compute_kinematics(to_sequence(pts, "right", frames=30), KinematicsSettings())
    doc = json.loads(summary_json(kin))
    records = doc["range_of_motion"]
    assert records and all("validity" in r and "validity_reasons" in r for r in records)
    assert {r["validity"] for r in records} <= set(LEVELS)
    withheld = [r for r in records if r["validity"] == WITHHELD]
    assert withheld  # the 3D ankle, the front-view angles seen from the side...
    for r in withheld:
        assert r["validity_reasons"]
        for f in ("min_deg", "max_deg", "range_deg", "symmetry_index_pct"):
            assert r[f] is None, (r["angle"], r["space"], f)
    ankle = next(r for r in records if r["angle"] == "ankle_dorsiflexion" and r["space"] == "world")
    assert ankle["validity"] == WITHHELD and ankle["range_deg"] is None
    image_knee = next(
        r
        for r in records
        if (r["angle"], r["side"], r["space"]) == ("knee_flexion", "right", "image")
    )
    assert image_knee["validity"] == VALID and image_knee["min_deg"] is not None
    for r in records:  # a side view: no symmetry index anywhere
        assert r["symmetry_index_pct"] is None


def test_symmetry_null_when_a_side_has_fewer_valid_frames_than_half(front_raise):
    for r in json.loads(summary_json(compute_kinematics(front_raise)))["range_of_motion"]:
        n_half = 0.5 * r["n_frames"]
        if r["side"] and r["n_valid"] < n_half:
            assert r["symmetry_index_pct"] is None


def test_rom_csv_writes_reasons_as_text(front_raise):
    text = rom_csv(rom_table([compute_angles(front_raise, "world", filter=NO_FILTER)]))
    assert "validity_reasons" in text.splitlines()[0] and "('" not in text


def test_symmetry_null_when_one_side_is_short_of_half_though_its_range_is_given():
    from dashboard.skeleton import INDEX

    seq = _moving(frontal_pose, "front", 40, _raise)
    vis = np.array(seq.visibility)
    vis[5:30, 0, INDEX["left_elbow"]] = 0.1  # the left arm lost in 25 of 40 frames
    seq = PoseSequence(
        image_xy=seq.image_xy,
        z=seq.z,
        visibility=vis,
        presence=seq.presence,
        world_m=seq.world_m,
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=seq.image_size,
    )
    settings = KinematicsSettings(filter=NO_FILTER)
    doc = json.loads(summary_json(compute_kinematics(seq, settings)))
    rows = {
        (r["side"], r["space"]): r
        for r in doc["range_of_motion"]
        if r["angle"] == "shoulder_abduction"
    }
    left, right = rows[("left", "image")], rows[("right", "image")]
    assert left["n_valid"] == 15 and right["n_valid"] == 40 and left["n_frames"] == 40
    assert left["validity"] == CAUTION and left["range_deg"] is not None  # a range, with care
    assert left["symmetry_index_pct"] is None and right["symmetry_index_pct"] is None
    assert right["symmetry_validity"] == WITHHELD
    # the invariant of the contract, on every record of the document
    by_pair = {}
    for r in doc["range_of_motion"]:
        if r["side"]:
            by_pair.setdefault((r["person"], r["angle"], r["space"]), []).append(r)
    for pair in by_pair.values():
        if any(r["n_valid"] < 0.5 * doc["n_frames"] for r in pair):
            assert all(r["symmetry_index_pct"] is None for r in pair)
    for r in doc["range_of_motion"]:
        if r["validity"] == WITHHELD:
            assert r["min_deg"] is r["max_deg"] is r["range_deg"] is None
            assert r["symmetry_index_pct"] is None


def test_rom_of_is_the_summary_table_and_repetitions_carry_its_verdict():
    from dashboard.kinematics.summary import repetitions_for, rom_of, summary_dict

    pts = []
    for k in range(90):  # three raises of both arms, filmed from the front
        a = 20.0 + 70.0 * 0.5 * (1 - np.cos(2 * np.pi * k / 30))
        one = dict(abduction=a, elbow=10.0, hip=0.0, valgus=0.0)
        pts.append(dict(sides={"left": one, "right": dict(one)}))
    seq = _moving(frontal_pose, "front", 90, lambda k: pts[k])
    kin = compute_kinematics(seq, KinematicsSettings(filter=NO_FILTER))
    table = rom_of(kin)
    records = summary_dict(kin)["range_of_motion"]
    assert len(records) == len(table)
    for rec, row in zip(records, table.itertuples(), strict=True):
        assert (rec["angle"], rec["side"], rec["space"]) == (row.angle, row.side, row.space)
        assert rec["validity"] == row.validity
        if rec["range_deg"] is not None:
            assert rec["range_deg"] == pytest.approx(row.range_deg)
    table.loc[:, "range_deg"] = -1.0  # a copy: the next reader is not affected
    assert (rom_of(kin).range_deg != -1.0).any()
    reps = repetitions_for(kin)
    assert reps
    verdict = {(r.angle, r.side, r.space): r.validity for r in rom_of(kin).itertuples()}
    for entry in reps:
        assert entry["validity"] == verdict[(entry["angle"], entry["side"], entry["space"])]
        assert entry["validity"] != WITHHELD  # no count from a withheld series
    abduction = [e for e in reps if e["angle"] == "shoulder_abduction" and e["space"] == "image"]
    assert abduction and all(e["count"] == 3 for e in abduction)


def test_the_report_counts_repetitions_on_the_side_the_page_counts_on():
    """Review finding: the Joint angles page counted the right knee (the side that moved
    most), the PDF the left (alphabetical). Both now follow the core's movement_deg."""
    from dashboard.kinematics.summary import repetitions_for
    from dashboard.report.tables import repetition_series

    pts = []
    for k in range(90):  # three raises; the right arm goes higher than the left
        wave = 0.5 * (1 - np.cos(2 * np.pi * k / 30))
        left = dict(abduction=20.0 + 50.0 * wave, elbow=10.0, hip=0.0, valgus=0.0)
        right = dict(abduction=20.0 + 80.0 * wave, elbow=10.0, hip=0.0, valgus=0.0)
        pts.append(dict(sides={"left": left, "right": right}))
    seq = _moving(frontal_pose, "front", 90, lambda k: pts[k])
    kin = compute_kinematics(seq, KinematicsSettings(filter=NO_FILTER))
    reps = repetitions_for(kin)
    image = kin.space("image")
    for entry in reps:
        if entry["space"] == "image":
            assert entry["movement_deg"] == pytest.approx(
                image.movement(entry["angle"], entry["side"], 0), abs=0.05
            )
    series = repetition_series(reps, "image", reps[0]["person"], ["shoulder_abduction"])
    assert [s["side"] for s in series][:2] == ["right", "left"]
    page_side = max(("left", "right"), key=lambda s: image.movement("shoulder_abduction", s, 0))
    assert series[0]["side"] == page_side
