"""Whether two sessions compare (dashboard.kinematics.comparability): synthetic
sessions with known answers, then the shared recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dashboard.kinematics.catalogue import CATALOGUE, ORDERED_KEYS
from dashboard.kinematics.comparability import (
    SessionTraits,
    angle_reasons,
    comparability,
    main_movement,
    record_reasons,
    row_flags,
    session_reasons,
    session_traits,
)
from dashboard.kinematics.compute import AngleSet

NAMES = [d.name for d in CATALOGUE]


def _traits(kind="video", view="side", walking=False, moves=None, frames=300):
    movement = {k: 5.0 for k in ORDERED_KEYS}
    movement.update(moves or {"knee_flexion": 90.0, "hip_flexion": 60.0})
    return SessionTraits(kind, view, walking, movement, {n: frames for n in NAMES})


SQUAT = dict(moves={"knee_flexion": 90.0, "hip_flexion": 80.0})
RAISE = dict(moves={"shoulder_abduction": 90.0, "elbow_flexion": 20.0})


def test_the_same_session_compares():
    t = _traits(**SQUAT)
    assert session_reasons(t, t) == ()
    assert all(comparability(t, t, n) == (True, ()) for n in NAMES)
    assert set(row_flags(t, t, NAMES).values()) == {""}


def test_different_exercises_are_named():
    reasons = session_reasons(_traits(**SQUAT), _traits(**RAISE))
    assert len(reasons) == 1
    assert "knee flexion" in reasons[0] and "shoulder abduction" in reasons[0]
    verdict = comparability(_traits(**SQUAT), _traits(**RAISE), "knee_flexion_left")
    assert not verdict.comparable and "Different joints move most" in verdict.reasons[0]
    assert set(row_flags(_traits(**SQUAT), _traits(**RAISE), NAMES).values()) == {
        "different movement"
    }


def test_more_range_after_treatment_is_not_a_different_movement():
    # knee 20 deg before surgery (hip moved most), 90 deg after: the improvement compared
    before = _traits(moves={"knee_flexion": 20.0, "hip_flexion": 35.0})
    after = _traits(moves={"knee_flexion": 90.0, "hip_flexion": 40.0})
    assert session_reasons(before, after) == ()
    # nothing moves 30 deg in one session: no main movement, nothing to tell apart
    still = _traits(moves={"knee_flexion": 10.0})
    assert main_movement(still) is None and session_reasons(still, _traits(**RAISE)) == ()


def test_walking_against_an_exercise():
    reasons = session_reasons(_traits(walking=True), _traits())
    assert reasons == (
        "The earlier session is walking and the other is not: they show different movements.",
    )
    assert "later session is walking" in session_reasons(_traits(), _traits(walking=True))[0]
    assert row_flags(_traits(walking=True), _traits(), ["knee_flexion_left"]) == {
        "knee_flexion_left": "walking vs not"
    }


def test_photo_against_video_says_only_that():
    reasons = session_reasons(_traits(kind="photo", frames=1), _traits(**RAISE))
    assert len(reasons) == 1 and "photo and the other a video" in reasons[0]
    # frame counts are not compared across kinds (a photo has one frame)
    assert angle_reasons(_traits(kind="photo", frames=1), _traits(), "knee_flexion_left") == ()


def test_camera_view_marks_only_angles_that_need_one_view():
    side, front = _traits(view="side"), _traits(view="front")
    assert any("camera view differs" in r for r in session_reasons(side, front))
    knee = angle_reasons(side, front, "knee_flexion_left")  # a side-view angle
    assert len(knee) == 1 and "needs a side view" in knee[0]
    abduction = angle_reasons(side, front, "shoulder_abduction_left")  # a front-view angle
    assert "needs a front or back view" in abduction[0]
    any_view = [d.name for d in CATALOGUE if d.view == "any"]
    assert any_view and all(angle_reasons(side, front, n) == () for n in any_view)
    # unknown view: nothing to say
    assert angle_reasons(_traits(view=""), front, "knee_flexion_left") == ()


@pytest.mark.parametrize(
    "before,after,expected",
    [
        (300, 300, None),
        (300, 100, None),
        (300, 75, None),
        (300, 74, "measured in 300 frames earlier and 74 later"),
        (9, 9, "measured in 9 frames earlier and 9 later"),
        (0, 50, "measured only in the later session"),
        (50, 0, "measured only in the earlier session"),
        (0, 0, None),
    ],
)
def test_frame_counts(before, after, expected):
    b = SessionTraits("video", "side", False, {}, {"knee_flexion_left": before})
    a = SessionTraits("video", "side", False, {}, {"knee_flexion_left": after})
    reasons = angle_reasons(b, a, "knee_flexion_left")
    if expected is None:
        assert reasons == ()
    else:
        assert len(reasons) == 1 and expected in reasons[0]
        assert row_flags(b, a, ["knee_flexion_left"])["knee_flexion_left"] == "far less measured"


def _angle_set(values: dict, frames: int = 100) -> AngleSet:
    shape = (frames, 1, len(CATALOGUE))
    v = np.full(shape, np.nan)
    for name, series in values.items():
        v[:, 0, NAMES.index(name)] = series
    t = np.arange(frames) / 30.0
    return AngleSet(
        CATALOGUE,
        "world",
        v,
        v.copy(),
        np.ones(shape),
        np.zeros(shape, bool),
        t,
        np.arange(frames),
        np.array([0]),
    )


def test_traits_from_an_angle_set():
    t = np.linspace(0, 4 * np.pi, 100)
    knee = 45 + 45 * np.sin(t)  # 0..90 deg
    half = knee.copy()
    half[50:] = np.nan
    traits = session_traits(
        _angle_set(
            {
                "knee_flexion_left": knee,
                "knee_flexion_right": half,
                "elbow_flexion_left": 10 + np.sin(t),
            }
        ),
        0,
        "video",
        yaw_deg=np.full(100, 85.0),
        walking=True,
    )
    assert traits.view == "side" and traits.walking and traits.kind == "video"
    assert traits.movement_deg["knee_flexion"] == pytest.approx(90 * 0.988, abs=1.5)
    assert traits.movement_deg["elbow_flexion"] < 3
    assert traits.n_valid["knee_flexion_left"] == 100
    assert traits.n_valid["knee_flexion_right"] == 50
    assert traits.n_valid["hip_flexion_left"] == 0
    assert main_movement(traits) == "knee_flexion"
    # unknown yaw: unknown view
    assert session_traits(_angle_set({}), 0, "video").view == ""


# -- the shared recordings (reference landmarks, no model) ----------------------
@pytest.fixture(scope="module")
def recordings(media_dir):
    from dashboard.kinematics.comparability import traits_of
    from dashboard.kinematics.summary import compute_kinematics
    from tests.reference_data import first_frames, legacy_analysis

    ref = Path(media_dir) / "reference"
    out = {}
    for short, stem in (
        ("walk", "sports2d_demo4_gait_side"),
        ("squat", "tfjs_pose_squats_front"),
        ("raise", "sports2d_demo5_lateral_raise_front"),
    ):
        out[short] = legacy_analysis(ref / f"{stem}.legacy.json")
    full = out["raise"]
    out["raise_half"] = first_frames(full, 270, "raise_week1.mp4", "1" * 64)
    return {k: traits_of(a, compute_kinematics(a.poses), "world", 0) for k, a in out.items()}


def test_shared_recordings(recordings):
    r = recordings
    walk_squat = session_reasons(r["walk"], r["squat"])
    assert any("walking" in x for x in walk_squat)
    squat_raise = session_reasons(r["squat"], r["raise"])
    assert any("Different joints move most" in x for x in squat_raise)
    assert not comparability(r["squat"], r["raise"], "elbow_flexion_left").comparable
    assert session_reasons(r["squat"], r["squat"]) == ()
    assert session_reasons(r["raise_half"], r["raise"]) == ()
    assert comparability(r["raise_half"], r["raise"], "shoulder_abduction_left").comparable


def test_record_reasons_before_opening():
    week1 = dict(kind="video", body_region="Left shoulder", source_sha256="a" * 64)
    assert (
        record_reasons(week1, dict(week1, body_region=" left shoulder ", source_sha256="b" * 64))
        == ()
    )
    assert record_reasons(week1, dict(week1, body_region="")) == (
        "Both sessions come from the same recording.",
    )
    reasons = record_reasons(week1, dict(kind="photo", body_region="right knee"))
    assert reasons[0] == session_reasons(_traits(), _traits(kind="photo"))[0]  # same words
    assert (
        "photo" in reasons[0]
        and "different body regions (Left shoulder earlier, right knee later)" in reasons[1]
    )


@pytest.mark.parametrize(
    "before,after,rates,expected",
    [
        # the same 13 s of exercise at 5 and 30 fps: not flagged for the frame rate per angle
        (65, 390, (5, 30), None),
        (65, 540, (5, 30), None),  # 13 s against 18 s
        (65, 1800, (5, 30), "measured over 13.0 s earlier and 60.0 s later"),
        (300, 74, (None, None), "measured in 300 frames earlier and 74 later"),  # rates unknown
    ],
)
def test_usable_time_not_frame_counts(before, after, rates, expected):
    frame_s = [1 / r if r else float("nan") for r in rates]
    b = SessionTraits("video", "side", False, {}, {"knee_flexion_left": before}, frame_s[0])
    a = SessionTraits("video", "side", False, {}, {"knee_flexion_left": after}, frame_s[1])
    reasons = angle_reasons(b, a, "knee_flexion_left")
    if expected is None:
        assert reasons == ()
    else:
        assert len(reasons) == 1 and expected in reasons[0]


def test_a_low_frame_rate_against_a_high_one_is_said_once():
    b = SessionTraits("video", "front", False, {}, {}, 1 / 5)
    a = SessionTraits("video", "front", False, {}, {}, 1 / 30)
    reasons = session_reasons(b, a)
    assert (
        len(reasons) == 1 and "Analysed at 5 frames per second earlier and 30 later" in reasons[0]
    )
    same = SessionTraits("video", "front", False, {}, {}, 1 / 25)
    assert session_reasons(same, a) == ()  # 25 against 30 fps: nothing to say


def test_traits_carry_the_frame_interval():
    traits = session_traits(_angle_set({"knee_flexion_left": np.zeros(100)}), 0, "video")
    assert traits.frame_s == pytest.approx(1 / 30)
