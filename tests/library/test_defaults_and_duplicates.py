"""The progress chart's first value (a pure rule, then on real gait and arm-raise
sessions) and the detection of a recording saved twice to the same patient."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics.summary import KinematicsSettings
from dashboard.library.progress import CADENCE, default_metric
from dashboard.library.service import Library
from dashboard.outputs.session import save_session
from tests.library.helpers import PASS, fast_kdf, session_bytes
from tests.reference_data import first_frames, legacy_analysis

GAIT = "sports2d_demo4_gait_side.legacy.json"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


def _m(key, value, validity="valid", confidence=0.9, coverage=1.0):
    return {
        "key": key,
        "label": key,
        "unit": "°",
        "value": value,
        "confidence": confidence,
        "coverage": coverage,
        "validity": validity,
        "reasons": [] if validity == "valid" else ["a reason"],
    }


def _doc(movement="other", *values):
    return {"version": 2, "person": 0, "movement": movement, "values": list(values)}


ELBOW = "rom.range:elbow_flexion:left:image"
SHOULDER = "rom.range:shoulder_abduction:left:world"
KNEE = "rom.range:knee_flexion:right:world"
KNEE_2D = "rom.range:knee_flexion:right:image"
FPPA = "rom.range:knee_valgus:right:world"
SPEED = "gait:speed_body_heights_s"


def test_walking_opens_on_speed_then_cadence_never_on_caution():
    walk = _doc("walking", _m(ELBOW, 140.0), _m(CADENCE, 104.0), _m(SPEED, 0.9))
    squat = _doc("squat", _m(ELBOW, 45.0), _m(KNEE, 90.0))
    assert default_metric([walk, walk, squat]) == SPEED
    slow = _doc("walking", _m(CADENCE, 104.0), _m(SPEED, 0.9, "caution"))
    assert default_metric([slow]) == CADENCE  # speed only with caution: not opened on
    # mostly a squat: knee flexion, whatever moved more
    assert default_metric([walk, squat, squat]) == KNEE


def test_the_movement_decides_not_the_largest_range():
    # the 189.4 deg case: the noisiest angle had the largest "range"
    squat = _doc("squat", _m(FPPA, 189.4), _m(KNEE, 85.0), _m(ELBOW, 120.0))
    assert default_metric([squat]) == KNEE
    raise_ = _doc("shoulder_abduction", _m(KNEE, 20.0), _m(SHOULDER, 95.0))
    assert default_metric([raise_]) == SHOULDER


def test_never_opens_on_a_caution_or_withheld_value():
    a = _doc("squat", _m(KNEE, 85.0, "caution"), _m(KNEE_2D, None, "withheld"), _m(ELBOW, 40.0))
    assert default_metric([a]) == ELBOW  # the movement's values are not valid: any valid range
    only_caution = _doc("squat", _m(KNEE, 85.0, "caution"), _m(FPPA, None, "withheld"))
    assert default_metric([only_caution]) is None  # the page asks the clinician
    # valid in more sessions wins
    b = _doc("squat", _m(KNEE, 80.0, "caution"), _m(KNEE_2D, 100.0))
    c = _doc("squat", _m(KNEE, 90.0), _m(KNEE_2D, 110.0))
    assert default_metric([b, c]) == KNEE_2D
    # ties do not depend on the order sessions are stored in
    tie = [_doc("other", _m(ELBOW, 50.0), _m(KNEE, 50.0))]
    assert default_metric(tie) == default_metric([_doc("other", _m(KNEE, 50.0), _m(ELBOW, 50.0))])


def test_nothing_to_choose_from():
    assert default_metric([]) is None
    assert default_metric([_doc("other", _m("angle.value:x:left:image", 10.0))]) is None
    assert default_metric([_doc("other"), {"values": [{"key": ELBOW}]}]) is None
    assert default_metric([_doc("walking", _m(CADENCE, 100.0))]) == CADENCE
    assert default_metric([_doc("other", _m(ELBOW, float("nan")))]) is None


@pytest.fixture()
def lib(tmp_path):
    return Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())


def test_real_walking_patient_opens_on_speed(lib, media_dir):
    gait = legacy_analysis(media_dir / "reference" / GAIT)
    raise_ = legacy_analysis(media_dir / "reference" / RAISE)
    walker, lifter = lib.add_patient(), lib.add_patient()
    lib.add_session(walker.uid, save_session(gait), "2026-01-05")
    lib.add_session(
        walker.uid, save_session(gait, KinematicsSettings(min_confidence=0.3)), "2026-01-12"
    )
    assert lib.default_metric(walker.uid) == SPEED  # no height given: body heights per second
    lib.add_session(lifter.uid, save_session(raise_), "2026-01-05")
    chosen = lib.default_metric(lifter.uid)
    assert chosen.startswith("rom.range:shoulder_abduction:")


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
    part = first_frames(full, 100, full.source_name, "2" * 64)
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
