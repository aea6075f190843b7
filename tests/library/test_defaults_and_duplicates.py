"""The progress chart's first value (a pure rule, then on real gait and arm-raise
sessions) and the detection of a recording saved twice to the same patient."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.io.session import save_session
from dashboard.kinematics.summary import KinematicsSettings
from dashboard.library.metrics import CADENCE, default_metric
from dashboard.library.service import Library
from tests.library.helpers import PASS, fast_kdf, session_bytes
from tests.reference_data import legacy_analysis

GAIT = "sports2d_demo4_gait_side.legacy.json"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


def _m(key, value, confidence=0.9, coverage=1.0):
    return {
        "key": key,
        "label": key,
        "unit": "°",
        "value": value,
        "confidence": confidence,
        "coverage": coverage,
    }


def _doc(gait="not walking", *values):
    return {"version": 1, "person": 0, "gait": gait, "values": list(values)}


ELBOW = "rom.range:elbow_flexion:left:image"
SHOULDER = "rom.range:shoulder_abduction:left:world"
KNEE = "rom.range:knee_flexion:right:world"


def test_walking_sessions_open_on_cadence():
    walk = _doc("analysed", _m(ELBOW, 140.0), _m(CADENCE, 104.0, None, None))
    squat = _doc("not walking", _m(ELBOW, 45.0), _m(KNEE, 90.0))
    assert default_metric([walk, walk, squat]) == CADENCE
    assert default_metric([walk, squat]) == CADENCE  # half of them walking
    # mostly not walking: a range of motion, the one in most sessions
    assert default_metric([walk, squat, squat]) == ELBOW


def test_range_of_motion_in_most_sessions_then_fewest_weak_then_largest():
    a = _doc("not walking", _m(ELBOW, 30.0), _m(SHOULDER, 120.0))
    b = _doc("not walking", _m(ELBOW, 35.0))
    assert default_metric([a, b]) == ELBOW  # in both sessions beats larger in one
    c = _doc("not walking", _m(ELBOW, 30.0), _m(SHOULDER, 120.0))
    assert default_metric([a, c]) == SHOULDER  # same count: the largest median
    weak = _doc("not walking", _m(ELBOW, 30.0), _m(SHOULDER, 150.0, confidence=0.2))
    assert default_metric([a, weak]) == ELBOW  # fewer weak values first
    low_coverage = _doc("not walking", _m(ELBOW, 30.0), _m(SHOULDER, 150.0, coverage=0.1))
    assert default_metric([a, low_coverage]) == ELBOW
    # ties do not depend on the order sessions are stored in
    tie = [_doc("not walking", _m(ELBOW, 50.0), _m(KNEE, 50.0))]
    assert default_metric(tie) == default_metric(
        [_doc("not walking", _m(KNEE, 50.0), _m(ELBOW, 50.0))]
    )


def test_nothing_to_choose_from():
    assert default_metric([]) is None
    assert default_metric([_doc("photo", _m("angle.value:x:left:image", 10.0))]) is None
    assert default_metric([_doc("not walking"), {"values": [{"key": ELBOW}]}]) is None
    assert default_metric([_doc("analysed", _m(CADENCE, 100.0))]) == CADENCE
    assert default_metric([_doc("not walking", _m(ELBOW, float("nan")))]) is None


@pytest.fixture()
def lib(tmp_path):
    return Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())


def test_real_walking_patient_opens_on_cadence(lib, media_dir):
    gait = legacy_analysis(media_dir / "reference" / GAIT)
    raise_ = legacy_analysis(media_dir / "reference" / RAISE)
    walker, lifter = lib.add_patient(), lib.add_patient()
    lib.add_session(walker.uid, save_session(gait), "2026-01-05")
    lib.add_session(
        walker.uid, save_session(gait, KinematicsSettings(min_confidence=0.3)), "2026-01-12"
    )
    assert lib.default_metric(walker.uid) == CADENCE
    lib.add_session(lifter.uid, save_session(raise_), "2026-01-05")
    chosen = lib.default_metric(lifter.uid)
    assert chosen.startswith("rom.range:") and "shoulder" in chosen


def test_the_same_recording_and_settings_is_a_duplicate(lib, media_dir):
    full = legacy_analysis(media_dir / "reference" / RAISE)
    p, other = lib.add_patient(), lib.add_patient()
    data = save_session(full)
    assert lib.duplicates(p.uid, data) == []
    first = lib.add_session(p.uid, data, "2026-01-05")
    assert first.fingerprint
    # saved again later (a new file: another creation time) -> found
    again = save_session(full)
    assert [s.uid for s in lib.duplicates(p.uid, again)] == [first.uid]
    # another patient, other angle settings, another recording: not duplicates
    assert lib.duplicates(other.uid, again) == []
    assert lib.duplicates(p.uid, save_session(full, KinematicsSettings(min_confidence=0.3))) == []
    part = Analysis(
        full.poses.select(frames=slice(0, 100)),
        full.source_name,
        "2" * 64,
        "video",
        full.settings,
        full.model,
        full.fps,
    )
    assert lib.duplicates(p.uid, save_session(part)) == []


def test_duplicates_of_sessions_saved_before_fingerprints(lib):
    """A session saved by an older PoseDash has no fingerprint: it is computed from
    its file."""
    import dataclasses

    p = lib.add_patient()
    data = session_bytes(seed=3)
    info = lib.add_session(p.uid, data, "2026-01-05")
    key = lib._key()
    old = dataclasses.replace(info, fingerprint="").as_dict()
    del old["fingerprint"]
    blob = lib.seal_json(key, old, "session", info.uid, p.uid, "info")
    with lib._db() as conn:
        conn.execute("UPDATE sessions SET info = ? WHERE uid = ?", (blob, info.uid))
        conn.commit()
    assert lib.sessions(p.uid)[0].fingerprint == ""
    assert [s.uid for s in lib.duplicates(p.uid, session_bytes(seed=3))] == [info.uid]
    assert lib.duplicates(p.uid, session_bytes("other.mp4", seed=3)) == []


def test_gait_values_describe_the_same_person_as_the_angles(media_dir):
    """Two people: slot 0 seen in a few frames, slot 1 (the walker) in most. The
    session's progress values, angles and gait alike, are slot 1's."""
    import numpy as np

    from dashboard.analysis import Analysis
    from dashboard.library.metrics import session_metrics
    from dashboard.poses import PoseSequence
    from tests.reference_data import legacy_analysis

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    one = walk.poses
    fields = {}
    for name in ("image_xy", "z", "visibility", "presence", "world_m"):
        arr = getattr(one, name)
        other = np.full_like(arr, np.nan)
        other[:20] = arr[:20]  # someone else, briefly: the same pose in the first 20 frames
        fields[name] = np.concatenate([other, arr], axis=1)
    seq = PoseSequence(
        **fields,
        time_s=one.time_s,
        frame_index=one.frame_index,
        image_size=one.image_size,
        person_ids=np.array([0, 1]),
    )
    doc = session_metrics(Analysis(seq, "two.mp4", "ab", "video", walk.settings, walk.model))
    assert doc["person"] == 1
    assert doc["gait"] == "analysed"
    cadence = [v for v in doc["values"] if v["key"] == CADENCE]
    assert cadence and abs(cadence[0]["value"] - 116.1) < 1.0
