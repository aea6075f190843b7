"""Two trust rules, with known answers on synthetic data.

1. The knee frontal-plane projection angle (FPPA) is not meaningful with the knee
   bent beyond 60 deg (3-D): flagged, left out of the range of motion, with the
   reason (:data:`dashboard.kinematics.plausibility.POSTURE_RULES`).
2. Steps of a walk are not exercise repetitions: a recording that looks like
   walking gets no repetition counts, and says why
   (:mod:`dashboard.kinematics.walking_reps`).
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics import compute_angles
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.plausibility import (
    FPPA_MAX_KNEE_FLEXION_DEG,
    POSTURE_RULES,
    left_out_reason,
    posture_mask,
)
from dashboard.kinematics.rom import rom_table
from dashboard.kinematics.summary import (
    KinematicsSettings,
    compute_kinematics,
    repetitions_for,
    summary_dict,
)
from dashboard.kinematics.walking_reps import (
    SEE_GAIT_PAGE,
    WALKING_NOT_REPETITIONS,
    walking_people,
    withheld_reason,
)
from dashboard.poses import PoseSequence
from tests.gait_walker import walker
from tests.synthetic_poses import frontal_pose, to_sequence

NO_FILTER = FilterSettings(method="none", max_gap_s=0)


# --- rule 1: knee FPPA in a bent knee -------------------------------------------------


def test_posture_mask_known_answers():
    gauge = np.array([[0.0], [59.9], [60.0], [60.1], [120.0], [np.nan]])  # (F=6, P=1)
    mask = posture_mask(
        ["knee_valgus", "knee_valgus", "knee_flexion"],
        ["left", "right", "left"],
        {("knee_flexion", "left"): gauge},
        (6, 1, 3),
    )
    assert mask[:, 0, 0].tolist() == [False, False, False, True, True, False]
    assert not mask[:, 0, 1].any()  # no gauge for the right knee: nothing flagged
    assert not mask[:, 0, 2].any()  # knee flexion itself has no posture rule
    assert set(POSTURE_RULES) == {"knee_valgus"} and FPPA_MAX_KNEE_FLEXION_DEG == 60.0


def test_left_out_reason_words_both_rules():
    assert left_out_reason("knee_valgus", 10.0) is None
    bent = left_out_reason("knee_valgus", 10.0, not_meaningful=True)
    assert bent == ("knee bent more than 60°: the frontal-plane projection is not meaningful")
    assert left_out_reason("knee_valgus", -73.9, not_meaningful=True) == bent  # posture first
    out = left_out_reason("knee_valgus", -73.9)
    assert out.startswith("implausible: outside the plausible range -30° to 35°")
    assert left_out_reason("elbow_flexion", 90.0, not_meaningful=True) is None


def _bent_knee_pose(flexion, rotation):
    """A front-facing pose whose left thigh hangs straight down and whose left shank is
    flexed ``flexion`` deg backwards, the flexion plane turned ``rotation`` deg about
    the vertical (limb rotation, or a camera that is not square to the person)."""
    pts, _ = frontal_pose(
        lean=0.0,
        obliquity=0.0,
        tilt=0.0,
        sides={
            "left": dict(abduction=20.0, elbow=10.0, hip=0.0, valgus=0.0),
            "right": dict(abduction=20.0, elbow=10.0, hip=0.0, valgus=0.0),
        },
    )
    th, r = np.radians(flexion), np.radians(rotation)
    knee = pts["left_hip"] + 0.45 * np.array([0.0, -1.0, 0.0])  # (anterior, up, left)
    shank = np.array([-np.sin(th) * np.cos(r), -np.cos(th), np.sin(th) * np.sin(r)])
    ankle = knee + 0.42 * shank
    pts["left_knee"], pts["left_ankle"] = knee, ankle
    pts["left_heel"] = ankle + np.array([-0.05, -0.03, 0.0])
    pts["left_foot_index"] = pts["left_heel"] + np.array([0.2, 0.0, 0.0])
    return pts


@pytest.mark.parametrize("flexion", [20.0, 45.0, 59.0, 61.0, 75.0, 85.0])
@pytest.mark.parametrize("space", ["world", "image"])
def test_fppa_of_a_bent_knee_is_flexion_seen_at_an_angle(flexion, space):
    """Known answer: 10 deg of rotation turns knee flexion theta into an apparent
    frontal-plane angle of atan(tan(theta) sin 10 deg): 17 deg at 60, 63 deg at 85.
    Beyond 60 deg of 3-D flexion the FPPA is flagged not meaningful and left out of
    the range of motion. (World space: a shank more than 60 deg out of the frontal
    plane, here beyond about 61 deg of flexion, already makes the value NaN; a
    single photo's image space has no such check, which is how the yoga photo's
    -74 deg got through.)"""
    seq = to_sequence(_bent_knee_pose(flexion, 10.0), "front", frames=1)
    a = compute_angles(seq, space, filter=NO_FILTER)
    i = a.index("knee_valgus", "left")
    fppa = a.raw_deg[0, 0, i]
    want = np.degrees(np.arctan(np.tan(np.radians(flexion)) * np.sin(np.radians(10.0))))
    defined = space == "image" or flexion <= 61.0
    assert np.isfinite(fppa) == defined
    if defined:
        assert abs(abs(fppa) - want) < 0.05, (fppa, want)
    assert bool(a.not_meaningful[0, 0, i]) == (defined and flexion > 60.0)
    assert not a.not_meaningful[0, 0, a.index("knee_valgus", "right")]  # straight knee
    row = rom_table([a]).query("angle == 'knee_valgus' and side == 'left'").iloc[0]
    assert row.n_implausible == (1 if defined and flexion > 60.0 else 0)
    assert row.n_valid == (1 if defined and flexion <= 60.0 else 0)


def test_kinematics_flags_include_the_posture_rule():
    kin = compute_kinematics(
        to_sequence(_bent_knee_pose(85.0, 10.0), "front"),
        KinematicsSettings(spaces=("image",), filter=NO_FILTER),
    )
    for s, flags in zip(kin.sets, kin.implausible, strict=False):
        i = s.index("knee_valgus", "left")
        assert flags[0, 0, i] and s.not_meaningful[0, 0, i]


# --- rule 2: steps are not repetitions ------------------------------------------------


def test_withheld_reason_known_answers():
    assert withheld_reason((), 0) is None
    assert withheld_reason((False, True), 0) is None
    assert withheld_reason((False, True), 1, SEE_GAIT_PAGE) == (
        "This looks like walking: steps are not exercise repetitions. See the Gait page "
        "for steps, cadence and gait cycles."
    )
    assert withheld_reason((True,), 5) is None


@pytest.fixture(scope="module")
def walk():
    seq, _ = walker(fps=30.0, directions=(1, -1), noise_px=1.0)
    return seq


def test_a_synthetic_walk_has_no_repetitions_and_says_why(walk):
    assert walking_people(walk) == (True,)
    kin = compute_kinematics(walk, KinematicsSettings(spaces=("image",)))
    assert kin.walking == (True,)
    assert repetitions_for(kin) == []
    doc = summary_dict(kin)
    assert doc["repetitions"] == []
    (entry,) = doc["repetitions_withheld"]
    assert entry["person"] == 0 and entry["reason"].startswith(WALKING_NOT_REPETITIONS)
    assert "gait" in entry["reason"]
    # the steps are there: without the rule the knee would count them
    knee = kin.space("image").series("knee_flexion", "left")
    assert len(kin.settings.repetitions.detect(knee, kin.space("image").time_s)) >= 4


def test_a_knee_bending_on_the_spot_keeps_its_repetitions():
    """Three squats (knee 5 -> 95 deg and back) standing still: not walking, counted."""
    t = np.arange(0, 9.0, 1 / 30.0)
    knees = 5.0 + 45.0 * (1 - np.cos(2 * np.pi * t / 3.0))
    frames = [to_sequence(_bent_knee_pose(k, 0.0), "front") for k in knees[::10]]
    seq = PoseSequence(
        image_xy=np.concatenate([f.image_xy for f in frames]),
        z=np.concatenate([f.z for f in frames]),
        visibility=np.concatenate([f.visibility for f in frames]),
        presence=np.concatenate([f.presence for f in frames]),
        world_m=np.concatenate([f.world_m for f in frames]),
        time_s=t[::10],
        frame_index=np.arange(len(frames)),
        image_size=frames[0].image_size,
    )
    kin = compute_kinematics(
        seq,
        KinematicsSettings(
            spaces=("world",), filter=NO_FILTER, repetition_angles=("knee_flexion",)
        ),
    )
    assert kin.walking == (False,)
    (left,) = [r for r in repetitions_for(kin) if r["side"] == "left"]
    assert left["count"] == 3
    assert summary_dict(kin)["repetitions_withheld"] == []


def test_a_photo_is_never_walking():
    seq = to_sequence(_bent_knee_pose(30.0, 0.0), "front")
    assert walking_people(seq) == (False,)


def test_the_report_says_why_a_walk_has_no_repetitions(media_dir):
    """Repetitions asked for, gait not: the section gives the reason, not 'none found'."""
    from dashboard.report.builder import ReportOptions, build_report
    from tests.pdftools import text_of
    from tests.reference_data import legacy_analysis

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    pdf = build_report(walk, None, ReportOptions(sections=("angles", "repetitions")))
    text = " ".join(text_of(pdf, layout=False).split())
    assert "Repetitions " + WALKING_NOT_REPETITIONS in text
    assert "No repetitions were found" not in text
