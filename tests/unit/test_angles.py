"""Every catalogue angle, exactly, on synthetic skeletons of known geometry.

A skeleton is built in body coordinates (anterior, up, left) from chosen joint
angles, placed in MediaPipe's camera-aligned world frame (x right, y down,
z away from the camera) facing the camera, away from it, to image right or to
image left, and projected orthographically to pixels of non-square frames
(one pixel scale for x and y, as a real camera has). Image-space and
world-space angles must both equal the angles the skeleton was built with.
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics import (
    ANGLE_KEYS,
    CATALOGUE,
    VIEWS,
    angle_def,
    body_axes,
    camera_yaw_deg,
    classify_view,
    compute_angles,
    image_facing,
    image_left_direction,
)
from dashboard.kinematics.filters import FilterSettings
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, LANDMARK_NAMES, MIRROR
from tests.synthetic_poses import (
    ANTERIOR,
    BETAS,
    NO_FILTER,
    TOL,
    arm_out_of_plane,
    frames_sequence,
    frontal_direction,
    frontal_pose,
    sagittal_pose,
    thigh_out_of_plane,
    to_sequence,
)

FRAMES = [(1280, 720), (720, 1280), (1000, 667)]


def _check(angle_set, expected):
    for (key, side), want in expected.items():
        got = angle_set.raw_deg[0, 0, angle_set.index(key, side)]
        assert abs(got - want) <= TOL, f"{angle_set.space} {key} {side}: {got} != {want}"


# --------------------------------------------------------------------------
# catalogue
# --------------------------------------------------------------------------
def test_catalogue_is_complete_and_documented():
    required = {
        "knee_flexion",
        "hip_flexion",
        "ankle_dorsiflexion",
        "elbow_flexion",
        "shoulder_flexion",
        "shoulder_abduction",
        "trunk_inclination",
        "pelvic_obliquity",
        "shoulder_tilt",
        "knee_valgus",
        "neck_flexion",
    }
    assert required <= set(ANGLE_KEYS)
    names = [d.name for d in CATALOGUE]
    assert len(names) == len(set(names))
    for d in CATALOGUE:
        assert d.side in ("left", "right", "")
        assert d.view in VIEWS and d.plane in ("sagittal", "frontal", "3d")
        assert d.label and d.positive and d.zero and d.description
        assert all(n in INDEX for n in d.world_landmarks)
        assert set(d.landmarks) <= set(d.world_landmarks)
        if d.side:  # a sided angle reads only its own limb (plus the trunk)
            other = "right" if d.side == "left" else "left"
            limb = [n for n in d.landmarks if "shoulder" not in n and "hip" not in n]
            assert not any(n.startswith(other) for n in limb), d.name
            mirror = angle_def(d.key, other)
            assert set(mirror.landmarks) == {LANDMARK_NAMES[MIRROR[INDEX[n]]] for n in d.landmarks}


def test_angles_are_documented_in_docs():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "angles.md").read_text()
    for key in ANGLE_KEYS:
        assert f"`{key}`" in doc, key


def test_angle_def_lookup():
    assert angle_def("knee_flexion", "left").name == "knee_flexion_left"
    assert angle_def("pelvic_obliquity").display == "Pelvic obliquity"
    with pytest.raises(KeyError):
        angle_def("knee_flexion")


# --------------------------------------------------------------------------
# exact geometry
# --------------------------------------------------------------------------
@pytest.mark.parametrize("image_size", FRAMES)
@pytest.mark.parametrize("facing", ["right", "left"])
def test_sagittal_angles_exact_in_side_view(facing, image_size):
    pts, expected = sagittal_pose()
    seq = to_sequence(pts, facing, image_size)
    for space in ("image", "world"):
        _check(compute_angles(seq, space, filter=NO_FILTER), expected)


@pytest.mark.parametrize("image_size", FRAMES)
@pytest.mark.parametrize("facing", ["front", "back"])
def test_frontal_angles_exact_in_front_and_back_view(facing, image_size):
    pts, expected = frontal_pose()
    seq = to_sequence(pts, facing, image_size)
    for space in ("image", "world"):
        _check(compute_angles(seq, space, filter=NO_FILTER), expected)


def _swap_sides(sides):
    return {"left": sides["right"], "right": sides["left"]}


def test_sides_are_not_swapped():
    """Left and right limbs posed differently must report their own values."""
    a = dict(hip=50.0, knee=80.0, ankle=10.0, shoulder=60.0, elbow=90.0)
    b = dict(hip=0.0, knee=0.0, ankle=0.0, shoulder=0.0, elbow=0.0)
    for sides in ({"left": a, "right": b}, {"left": b, "right": a}):
        pts, expected = sagittal_pose(sides=sides)
        for facing in ("right", "left"):
            seq = to_sequence(pts, facing)
            for space in ("image", "world"):
                _check(compute_angles(seq, space, filter=NO_FILTER), expected)


@pytest.mark.parametrize("space", ["image", "world"])
def test_mirrored_side_views_agree(space):
    """A person facing image left is the mirror image of one facing right."""
    pts, _ = sagittal_pose()
    r = compute_angles(to_sequence(pts, "right"), space, filter=NO_FILTER)
    l_ = compute_angles(to_sequence(pts, "left"), space, filter=NO_FILTER)
    np.testing.assert_allclose(r.raw_deg, l_.raw_deg, atol=1e-9)


def test_pixel_mirror_of_front_view_is_back_view():
    """Flipping the image horizontally (x -> w - x) must not change frontal angles."""
    pts, expected = frontal_pose()
    seq = to_sequence(pts, "front", (1280, 720))
    xy = np.array(seq.image_xy)
    xy[..., 0] = 1280 - xy[..., 0]
    flipped = PoseSequence(
        image_xy=xy,
        z=seq.z,
        visibility=seq.visibility,
        presence=seq.presence,
        world_m=seq.world_m,
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=seq.image_size,
    )
    _check(compute_angles(flipped, "image", filter=NO_FILTER), expected)


@pytest.mark.parametrize("space", ["image", "world"])
def test_signed_conventions_sweep(space):
    """Whole ranges, including the signed (negative) side of each convention."""
    for hip, knee, ankle, sh in [
        (-25, -5, -40, -50),
        (0, 0, 0, 0),
        (120, 140, 25, 170),
        (90, 90, -10, 250),
    ]:
        sides = {
            s: dict(hip=hip, knee=knee, ankle=ankle, shoulder=sh, elbow=knee)
            for s in ("left", "right")
        }
        for trunk, neck in [(-15, -20), (45, 30)]:
            pts, expected = sagittal_pose(trunk, neck, sides)
            expected[("elbow_flexion", "left")] = expected[("elbow_flexion", "right")] = abs(knee)
            for facing in ("left", "right"):
                _check(compute_angles(to_sequence(pts, facing), space, filter=NO_FILTER), expected)
    for abd, valgus, lean, obl, tilt in [(-20, -15, -10, -6, 5), (170, 20, 12, 9, -8)]:
        sides = {
            s: dict(abduction=abd, elbow=15.0, hip=5.0, valgus=valgus) for s in ("left", "right")
        }
        pts, expected = frontal_pose(lean, obl, tilt, sides)
        for facing in ("front", "back"):
            _check(compute_angles(to_sequence(pts, facing), space, filter=NO_FILTER), expected)


def test_image_angles_use_pixels_not_normalised_coordinates():
    """On a 16:9 frame, normalised coordinates would distort a 45 deg angle."""
    sides = {
        s: dict(hip=45.0, knee=0.0, ankle=0.0, shoulder=0.0, elbow=0.0) for s in ("left", "right")
    }
    pts, _ = sagittal_pose(0.0, 0.0, sides)
    seq = to_sequence(pts, "right", (1920, 1080))
    got = compute_angles(seq, "image", filter=NO_FILTER).series("hip_flexion", "left")[0]
    assert abs(got - 45.0) <= TOL
    # the same geometry measured on normalised coordinates is clearly wrong
    n = np.array(seq.normalized_xy[0, 0])
    thigh = n[INDEX["left_knee"]] - n[INDEX["left_hip"]]
    wrong = np.degrees(np.arctan2(thigh[0], thigh[1]))
    assert abs(wrong - 45.0) > 10


# --------------------------------------------------------------------------
# confidence and gaps
# --------------------------------------------------------------------------
def test_low_visibility_gives_nan_never_a_number():
    pts, _ = sagittal_pose()
    vis = np.ones(33)
    vis[INDEX["left_knee"]] = 0.3
    seq = to_sequence(pts, "right", visibility=vis)
    for space in ("image", "world"):
        a = compute_angles(seq, space, min_confidence=0.5, filter=NO_FILTER)
        for key in ("knee_flexion", "hip_flexion", "ankle_dorsiflexion", "knee_valgus"):
            i = a.index(key, "left")
            assert np.isnan(a.raw_deg[0, 0, i]) and np.isnan(a.value_deg[0, 0, i])
            assert a.confidence[0, 0, i] == pytest.approx(0.3)
        assert np.isfinite(a.series("knee_flexion", "right")[0])
        assert a.confidence[0, 0, a.index("knee_flexion", "right")] == pytest.approx(1.0)
        # a lower threshold lets it through
        b = compute_angles(seq, space, min_confidence=0.2, filter=NO_FILTER)
        assert np.isfinite(b.series("knee_flexion", "left")[0])


def test_world_space_confidence_includes_body_axes():
    pts, _ = sagittal_pose()
    vis = np.ones(33)
    vis[INDEX["right_hip"]] = 0.2
    seq = to_sequence(pts, "right", visibility=vis)
    img = compute_angles(seq, "image", filter=NO_FILTER)
    wld = compute_angles(seq, "world", filter=NO_FILTER)
    assert np.isfinite(img.series("hip_flexion", "left")[0])  # image: own side only
    assert np.isnan(wld.series("hip_flexion", "left")[0])  # world: needs the pelvis axis
    assert np.isfinite(wld.series("ankle_dorsiflexion", "left")[0])  # needs no body axis


def test_nobody_detected_is_nan():
    seq = PoseSequence.empty(4, 2, (640, 480))
    for space in ("image", "world"):
        a = compute_angles(seq, space)
        assert a.raw_deg.shape == (4, 2, len(CATALOGUE))
        assert np.isnan(a.raw_deg).all() and np.isnan(a.value_deg).all()
        assert np.isnan(a.confidence).all() and not a.foreshortened.any()


def test_unknown_facing_gives_nan_for_image_sagittal_signs():
    """With feet and face invisible the way the person faces is unknown: no sign."""
    pts, _ = sagittal_pose()
    vis = np.ones(33)
    for n in ("left_heel", "right_heel", "left_foot_index", "right_foot_index", "nose"):
        vis[INDEX[n]] = 0.0
    seq = to_sequence(pts, "right", visibility=vis)
    assert np.isnan(image_facing(seq.image_xy, seq.visibility)).all()
    a = compute_angles(seq, "image", filter=NO_FILTER)
    assert a.confidence[0, 0, a.index("hip_flexion", "left")] == 1.0
    assert np.isnan(a.series("hip_flexion", "left")[0])
    assert np.isfinite(a.series("elbow_flexion", "left")[0])  # unsigned: needs no facing
    # world space does not need the image facing
    assert np.isfinite(compute_angles(seq, "world").series("hip_flexion", "left")[0])


def test_facing_does_not_depend_on_overall_orientation():
    """Feet pointing backwards in the image (a deep forward lean) still face right."""
    sides = {
        s: dict(hip=-25.0, knee=-5.0, ankle=-40.0, shoulder=-50.0, elbow=0.0)
        for s in ("left", "right")
    }
    pts, _ = sagittal_pose(45.0, 30.0, sides)
    foot = pts["left_foot_index"] - pts["left_heel"]
    assert foot[0] < 0  # the toes are behind the heel in the image
    for facing, want in (("right", 1), ("left", -1)):
        seq = to_sequence(pts, facing)
        assert image_facing(seq.image_xy, seq.visibility)[0, 0] == want


# --------------------------------------------------------------------------
# foreshortening and views
# --------------------------------------------------------------------------
def test_foreshortened_thigh_is_flagged_in_image_space():
    """A thigh turned 60 deg out of the image plane (half its length) is flagged."""
    frames = 12
    pts, _ = sagittal_pose()
    seq = to_sequence(pts, "right", frames=frames)
    xy = np.array(seq.image_xy)
    hip, knee = INDEX["left_hip"], INDEX["left_knee"]
    xy[3, 0, knee] = xy[3, 0, hip] + 0.5 * (xy[3, 0, knee] - xy[3, 0, hip])
    seq2 = PoseSequence(
        image_xy=xy,
        z=seq.z,
        visibility=seq.visibility,
        presence=seq.presence,
        world_m=seq.world_m,
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=seq.image_size,
    )
    a = compute_angles(seq2, "image", filter=NO_FILTER)
    flagged = a.foreshortened[:, 0, a.index("knee_flexion", "left")]
    assert flagged.tolist() == [i == 3 for i in range(frames)]
    assert a.foreshortened[3, 0, a.index("hip_flexion", "left")]
    assert not a.foreshortened[:, 0, a.index("knee_flexion", "right")].any()


def test_out_of_plane_flag_in_world_space():
    """Sagittal angles of a leg abducted 60 deg are flagged; frontal ones are not."""
    sides = {s: dict(abduction=20.0, elbow=10.0, hip=60.0, valgus=0.0) for s in ("left", "right")}
    pts, _ = frontal_pose(0, 0, 0, sides)
    a = compute_angles(to_sequence(pts, "front"), "world", filter=NO_FILTER)
    assert a.foreshortened[0, 0, a.index("hip_flexion", "left")]
    assert not a.foreshortened[0, 0, a.index("knee_valgus", "left")]
    assert not a.foreshortened[0, 0, a.index("shoulder_abduction", "left")]


def test_view_estimate_and_directions():
    pts, _ = frontal_pose()
    front = to_sequence(pts, "front")
    side = to_sequence(pts, "right")
    assert classify_view(camera_yaw_deg(front.world_m))[0, 0] == "front"
    assert classify_view(camera_yaw_deg(side.world_m))[0, 0] == "side"
    assert image_left_direction(front.image_xy)[0, 0] == 1  # left appears image right
    assert image_left_direction(to_sequence(pts, "back").image_xy)[0, 0] == -1
    spts, _ = sagittal_pose(trunk=0.0)
    assert image_facing(to_sequence(spts, "left").image_xy, np.ones((1, 1, 33)))[0, 0] == -1
    _left, _up, ant = body_axes(to_sequence(spts, "left").world_m)
    np.testing.assert_allclose(ant[0, 0], [-1, 0, 0], atol=1e-9)


def test_filtering_is_applied_to_values_only():
    pts, _expected = sagittal_pose()
    seq = to_sequence(pts, "right", frames=40)
    a = compute_angles(seq, "world")  # default Butterworth 6 Hz on a constant
    np.testing.assert_allclose(a.value_deg, a.raw_deg, atol=1e-6)
    b = a.with_filter(FilterSettings(method="one_euro"))
    np.testing.assert_allclose(b.raw_deg, a.raw_deg)
    assert b.filter.method == "one_euro"


@pytest.mark.parametrize("space", ["world", "image"])
def test_arm_turning_out_of_the_frontal_plane_becomes_a_gap(space):
    """Abduction stays exact while the arm is within 60 deg of the frontal plane
    (flagged past 45), and is NaN beyond: never a wrapped or spinning value."""
    seq = frames_sequence([arm_out_of_plane(b) for b in BETAS])
    a = compute_angles(seq, space, filter=NO_FILTER)
    x = a.raw_deg[:, 0, a.index("shoulder_abduction", "left")]
    flag = a.foreshortened[:, 0, a.index("shoulder_abduction", "left")]
    defined = BETAS <= 58
    np.testing.assert_allclose(x[defined], 30.0, atol=TOL)
    assert np.isnan(x[BETAS >= 62]).all()
    assert (np.isnan(x) | (np.abs(x - 30.0) <= TOL)).all()
    assert flag[(BETAS >= 47) & defined].all() and not flag[BETAS <= 43].any()
    assert not flag[np.isnan(x)].any()  # a gap is a gap, not a flagged value
    # the other arm, in the plane, is untouched
    np.testing.assert_allclose(
        a.raw_deg[:, 0, a.index("shoulder_abduction", "right")], 20.0, atol=TOL
    )
    # the gating is a setting: 0 disables it (the exact in-plane angle remains)
    b = compute_angles(seq, space, filter=NO_FILTER, min_in_plane_fraction=0.0)
    assert np.isfinite(b.raw_deg[:, 0, b.index("shoulder_abduction", "left")]).all()


@pytest.mark.parametrize("space", ["world", "image"])
def test_thigh_turning_forwards_makes_knee_valgus_a_gap(space):
    seq = frames_sequence([thigh_out_of_plane(b) for b in BETAS])
    a = compute_angles(seq, space, filter=NO_FILTER)
    x = a.raw_deg[:, 0, a.index("knee_valgus", "left")]
    np.testing.assert_allclose(x[BETAS <= 58], 10.0, atol=TOL)
    assert np.isnan(x[BETAS >= 62]).all()
    np.testing.assert_allclose(a.raw_deg[:, 0, a.index("knee_valgus", "right")], -7.0, atol=TOL)


def test_noisy_arm_pointing_at_the_camera_never_wraps():
    """With 1 cm of landmark noise, the in-plane angle of an arm pointing almost
    straight forwards spins through every value; gated, it stays near the truth."""
    rng = np.random.default_rng(0)
    betas = np.concatenate([np.linspace(0, 89.5, 120), np.linspace(89.5, 0, 120)])
    pts = [arm_out_of_plane(b, jitter=rng.normal(0, 0.01, 3)) for b in betas]
    seq = frames_sequence(pts)
    ungated = compute_angles(seq, "world", filter=NO_FILTER, min_in_plane_fraction=0.0)
    u = ungated.raw_deg[:, 0, ungated.index("shoulder_abduction", "left")]
    assert np.ptp(u) > 180  # the bug this guards against
    for flt in (NO_FILTER, FilterSettings()):
        a = compute_angles(seq, "world", filter=flt)
        for side in ("left", "right"):
            x = a.series("shoulder_abduction", side, filtered=flt is not NO_FILTER)
            assert np.nanmax(np.abs(x - (30.0 if side == "left" else 20.0))) < 12
        assert np.isnan(a.raw_deg[:, 0, a.index("shoulder_abduction", "left")][betas > 62]).all()
    # nor does it make up a repetition: the arm never abducted or adducted
    from dashboard.kinematics.reps import detect_repetitions

    assert detect_repetitions(a.series("shoulder_abduction", "left"), a.time_s) == []


def test_world_knee_flexion_sign_of_an_abducted_leg_is_flexion():
    """Hip abducted 70 deg, knee bent 30 deg with the shank swinging sideways and a
    touch forwards (a 'frog' position): the leg is far out of the sagittal plane,
    whose projections would call it hyperextension; the 3-D angle stays flexion."""
    sides = {s: dict(abduction=20.0, elbow=10.0, hip=70.0, valgus=0.0) for s in ("left", "right")}
    pts, _ = frontal_pose(0, 0, 0, sides)
    for side, s in (("left", 1.0), ("right", -1.0)):
        shank = frontal_direction(100.0, s) + 0.05 * ANTERIOR
        pts[f"{side}_ankle"] = pts[f"{side}_knee"] + 0.42 * shank / np.linalg.norm(shank)
    want = np.degrees(
        np.arccos(
            np.dot(frontal_direction(70.0, 1), frontal_direction(100.0, 1) + 0.05 * ANTERIOR)
            / np.linalg.norm(frontal_direction(100.0, 1) + 0.05 * ANTERIOR)
        )
    )
    a = compute_angles(to_sequence(pts, "front"), "world", filter=NO_FILTER)
    for side in ("left", "right"):
        assert a.raw_deg[0, 0, a.index("knee_flexion", side)] == pytest.approx(want, abs=TOL)
        assert want > 25
        assert np.isnan(a.raw_deg[0, 0, a.index("hip_flexion", side)])  # 70 deg out of plane


def test_values_crossing_the_cut_are_not_smeared_by_the_filter():
    """An arm swept in the frontal plane past -90 deg (across the body: not a real
    movement, the cut of the abduction range) reads 270 after the cut; the filter
    keeps both sides as measured and every value within the reported range."""
    sweep = np.linspace(-60.0, -120.0, 60)
    pts_list = []
    for th in sweep:
        sides = {
            "left": dict(abduction=float(th), elbow=0.0, hip=5.0, valgus=0.0),
            "right": dict(abduction=20.0, elbow=0.0, hip=5.0, valgus=0.0),
        }
        pts_list.append(frontal_pose(0.0, 0.0, 0.0, sides)[0])
    a = compute_angles(frames_sequence(pts_list), "world")
    i = a.index("shoulder_abduction", "left")
    raw, val = a.raw_deg[:, 0, i], a.value_deg[:, 0, i]
    np.testing.assert_allclose(raw, np.where(sweep < -90, sweep + 360, sweep), atol=TOL)
    assert ((val >= -90) & (val <= 270)).all()
    assert np.max(np.abs(val - raw)) < 1.0


def test_value_ranges_are_documented_and_respected():
    for d in CATALOGUE:
        lo, hi = d.value_range
        assert hi - lo in (180.0, 360.0), d.name
    assert angle_def("shoulder_abduction", "left").value_range == (-90.0, 270.0)
    assert angle_def("knee_valgus", "left").value_range == (-180.0, 180.0)
