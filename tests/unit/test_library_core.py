"""Pure parts of the patient library with known answers: encryption and its associated
data, labels and dates, and the progress metrics of a synthetic elbow bend."""

from __future__ import annotations

import types

import numpy as np
import pytest
from cryptography.exceptions import InvalidTag

from dashboard.analysis import Analysis
from dashboard.library import crypto, gait_values, metrics
from dashboard.library.chart import is_weak, progress_figure, segments as chart_segments
from dashboard.library.errors import BadValue, CorruptLibrary, WrongPassphrase
from dashboard.library.records import ProgressPoint, clean_date, clean_label, next_pseudonym
from dashboard.poses import PoseSequence
from dashboard.skeleton import LANDMARK_NAMES


def test_seal_open_and_associated_data_binding():
    key = crypto.new_data_key()
    assert len(key) == 32
    ad = crypto.aad("lib", "session", "s1", "p1", "data")
    blob = crypto.seal(key, b"landmarks", ad)
    assert crypto.open_sealed(key, blob, ad) == b"landmarks"
    assert crypto.seal(key, b"landmarks", ad) != blob  # fresh nonce every time
    for other in (
        crypto.aad("lib", "session", "s2", "p1", "data"),  # another row
        crypto.aad("lib", "session", "s1", "p2", "data"),  # another patient
        crypto.aad("lib", "session", "s1", "p1", "info"),  # another purpose
        crypto.aad("lib2", "session", "s1", "p1", "data"),
    ):  # another library
        with pytest.raises(InvalidTag):
            crypto.open_sealed(key, blob, other)
    with pytest.raises(InvalidTag):
        crypto.open_sealed(crypto.new_data_key(), blob, ad)
    tampered = bytearray(blob)
    tampered[20] ^= 1
    with pytest.raises(InvalidTag):
        crypto.open_sealed(key, bytes(tampered), ad)


def test_key_wrapping_and_kdf_parameters():
    params = crypto.KdfParams.fresh(2**10)
    assert crypto.KdfParams.from_dict(params.as_dict()) == params
    kek = crypto.derive_key("passphrase one", params)
    assert kek == crypto.derive_key("passphrase one", params)
    assert kek != crypto.derive_key("passphrase one", crypto.KdfParams.fresh(2**10))  # salt
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_key(kek, data_key, b"ad")
    assert crypto.unwrap_key(kek, wrapped, b"ad") == data_key
    with pytest.raises(WrongPassphrase):
        crypto.unwrap_key(crypto.derive_key("passphrase two", params), wrapped, b"ad")
    for bad in (
        {"kdf": "md5"},
        {"kdf": "scrypt", "n": 1000, "r": 8, "p": 1, "salt": "00"},
        {"kdf": "scrypt", "n": 2**40, "r": 8, "p": 1, "salt": "00"},
    ):
        with pytest.raises(CorruptLibrary):
            crypto.KdfParams.from_dict(bad)
    assert crypto.DEFAULT_KDF == (2**17, 8, 1)
    with pytest.raises(BadValue):
        crypto.check_passphrase("short")


def test_labels_dates_and_pseudonyms():
    assert next_pseudonym([]) == "P-0001"
    assert next_pseudonym(["P-0001", "Mrs Smith", "P-0009", "P-12"]) == "P-0010"
    assert clean_label("  Ann  ") == "Ann"
    for bad in ("", "   ", "a\tb", "x" * 81):
        with pytest.raises(BadValue):
            clean_label(bad)
    assert clean_date("2026-03-14") == "2026-03-14"
    assert clean_date("", required=False) == ""
    assert len(clean_date(None)) == 10  # today
    with pytest.raises(BadValue, match="YYYY-MM-DD"):
        clean_date("14/03/2026")


def _elbow_bend(frames: int = 61, kind: str = "video", visibility: float = 0.9) -> Analysis:
    """A left elbow bending from straight (0 deg) to 90 deg and back, in world and image."""
    idx = {n: i for i, n in enumerate(LANDMARK_NAMES)}
    world = np.zeros((frames, 1, 33, 3))
    world[:, 0, :, 0] = np.linspace(-0.2, 0.2, 33)  # spread the others out
    theta = np.radians(
        np.concatenate(
            [np.linspace(0, 90, frames // 2 + 1), np.linspace(90, 0, frames // 2 + 1)[1:]]
        )
    )[:frames]
    world[:, 0, idx["left_shoulder"]] = (0.0, -0.3, 0.0)
    world[:, 0, idx["left_elbow"]] = (0.0, 0.0, 0.0)
    world[:, 0, idx["left_wrist"], 1] = 0.25 * np.cos(theta)
    world[:, 0, idx["left_wrist"], 0] = 0.25 * np.sin(theta)
    xy = 300 + 1000 * world[..., :2]
    vis = np.full((frames, 1, 33), visibility)
    seq = PoseSequence(
        image_xy=xy,
        z=np.zeros((frames, 1, 33)),
        visibility=vis,
        presence=vis,
        world_m=world,
        time_s=np.arange(frames) / 30.0,
        frame_index=np.arange(frames),
        person_ids=np.array([0]),
        image_size=(640, 480),
    )
    return Analysis(seq, "bend.mp4", "0" * 64, kind, fps=30.0 if kind == "video" else None)


def _by_key(doc):
    return {m["key"]: m for m in doc["values"]}


def test_metrics_of_a_known_elbow_bend(monkeypatch):
    monkeypatch.setattr(gait_values, "gait", None)
    from dashboard.kinematics.filters import FilterSettings
    from dashboard.kinematics.summary import KinematicsSettings

    settings = KinematicsSettings(filter=FilterSettings(method="none"))
    doc = metrics.session_metrics(_elbow_bend(), settings)
    values = _by_key(doc)
    assert doc["person"] == 0 and doc["gait"] == "unavailable"
    rng = values["rom.range:elbow_flexion:left:world"]
    assert rng["value"] == pytest.approx(90.0, abs=0.01)
    assert values["rom.max:elbow_flexion:left:world"]["value"] == pytest.approx(90, abs=0.01)
    assert values["rom.min:elbow_flexion:left:world"]["value"] == pytest.approx(0, abs=0.01)
    assert rng["confidence"] == pytest.approx(0.9) and rng["coverage"] == 1.0
    assert rng["unit"] == "°" and "Elbow flexion (left)" in rng["label"]


def test_metrics_of_a_photo_and_of_nobody():
    photo = _elbow_bend(frames=1, kind="photo")
    doc = metrics.session_metrics(photo)
    assert doc["gait"] == "photo"
    assert all(m["key"].startswith("angle.value:") for m in doc["values"])
    empty = PoseSequence(
        image_xy=np.zeros((1, 0, 33, 2)),
        z=np.zeros((1, 0, 33)),
        visibility=np.zeros((1, 0, 33)),
        presence=np.zeros((1, 0, 33)),
        world_m=np.zeros((1, 0, 33, 3)),
        time_s=np.zeros(1),
        frame_index=np.zeros(1, int),
        person_ids=np.zeros(0, int),
        image_size=(640, 480),
    )
    doc = metrics.session_metrics(Analysis(empty, "nobody.jpg", "", "photo"))
    assert doc["values"] == [] and doc["person"] is None


def test_gait_values_are_read_with_their_verdicts(monkeypatch):
    """A stand-in gait analysis with the documented ``parameters`` document: the
    values are read as they are, each with its verdict; nothing else is flattened."""
    result = {
        "parameters": {
            "cadence_steps_per_min": 112.0,
            "stride_time_cv_pct": 3.0,
            "speed_body_heights_s": 0.8,
            "left": {"stride_time_s": 1.05, "stance_pct": 61.0, "n_strides": 4},
            "right": {
                "stride_time_s": 1.07,
                "stance_pct": None,
                "stride_time_cv_pct": None,
                "n_strides": 2,
            },
            "stats": {
                "overall": {
                    "cadence_steps_per_min": {"mean": 112.0, "n": 6},
                    "stride_time_cv_pct": {"mean": 3.0, "n": 6},
                },
                "left": {"stride_time_s": {"mean": 1.05, "sd": 0.02, "n": 4}},
                "right": {"stride_time_s": {"mean": 1.07, "n": 2}},
            },
        },
        "confidence": 0.8,
        "setup": {"verdict": "good"},
    }
    stand_in = types.SimpleNamespace(
        GaitSettings=lambda: None,
        looks_like_walking=lambda seq, person=0: True,
        analyze_gait=lambda seq, s, person=0: types.SimpleNamespace(to_dict=lambda: result),
    )
    monkeypatch.setattr(gait_values, "gait", stand_in)
    status, values = gait_values.gait_metrics(_elbow_bend().poses)
    got = {m.key: m for m in values}
    assert status == "analysed"
    assert set(got) == {
        "gait:cadence_steps_per_min",
        "gait:stride_time_cv_pct",
        "gait:speed_body_heights_s",
        "gait:left.stride_time_s",
        "gait:left.stance_pct",
        "gait:right.stride_time_s",
        "gait:right.stance_pct",
        "gait:right.stride_time_cv_pct",
    }
    assert got["gait:cadence_steps_per_min"].unit == "steps/min"
    assert got["gait:cadence_steps_per_min"].validity == "valid"
    assert got["gait:speed_body_heights_s"].unit == "body heights/s"
    assert got["gait:speed_body_heights_s"].label == "Walking: walking speed"
    assert got["gait:left.stance_pct"].unit == "% of gait cycle"
    assert got["gait:left.stance_pct"].value == 61
    assert got["gait:left.stride_time_s"].label == "Walking: stride time (left)"
    assert got["gait:left.stride_time_s"].confidence == 0.8
    # two strides on the right: a mean with caution, no spread, no number when empty
    right = got["gait:right.stride_time_s"]
    assert right.validity == "caution" and "n = 2 (right)" in right.reasons[0]
    cv = got["gait:right.stride_time_cv_pct"]
    assert cv.value is None and cv.validity == "withheld"
    assert "too few strides for a spread" in cv.reasons[0]
    assert got["gait:right.stance_pct"].value is None
    monkeypatch.setattr(stand_in, "looks_like_walking", lambda seq, person=0: False)
    assert gait_values.gait_metrics(_elbow_bend().poses) == ("not walking", [])

    def broken(seq, s, person=0):
        raise RuntimeError("bug in gait")

    monkeypatch.setattr(stand_in, "looks_like_walking", lambda seq, person=0: True)
    monkeypatch.setattr(stand_in, "analyze_gait", broken)
    assert gait_values.gait_metrics(_elbow_bend().poses) == ("unavailable", [])


def test_progress_figure_cannot_mislead():
    def point(uid, date, value, validity="valid", comparable=True, confidence=0.9, coverage=1.0):
        return ProgressPoint(
            uid,
            date,
            value,
            confidence,
            coverage,
            f"{uid}.mp4",
            "shoulder",
            validity=validity,
            reasons=() if validity == "valid" else ("a reason",),
            comparable=comparable,
            comparable_reasons=() if comparable else ("The camera view differs.",),
        )

    points = [
        point("a", "2026-01-01", 80.0),
        point("b", "2026-01-15", 95.0),
        point("c", "2026-02-01", 101.0, "caution"),
        point("d", "2026-02-15", None, "withheld"),
        point("e", "2026-03-01", 110.0),
        point("f", "2026-03-15", 150.0, comparable=False),
        point("g", "2026-04-01", 112.0, confidence=0.4),
    ]
    assert [is_weak(p) for p in points] == [False, False, True, True, False, False, True]
    solid, dotted = chart_segments(points)
    assert solid == [(0, 1)]  # both valid and comparable
    assert dotted == [(1, 2), (2, 4)]  # a weak end: dotted; the withheld one is skipped
    # nothing joins the session that does not compare (5), on either side
    fig = progress_figure(points, "Shoulder abduction (left), range of motion, 3D", "°")
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.line.dash for t in lines] == ["solid", "dot"]
    marks = next(t for t in fig.data if t.mode == "markers" and t.name != "withheld")
    assert list(marks.x) == [
        "2026-01-01",
        "2026-01-15",
        "2026-02-01",
        "2026-03-01",
        "2026-03-15",
        "2026-04-01",
    ]
    assert list(marks.marker.symbol) == [
        "circle",
        "circle",
        "circle-open",
        "circle",
        "diamond",
        "circle-open",
    ]
    assert "The camera view differs" in marks.text[4]
    withheld = next(t for t in fig.data if t.name == "withheld")
    assert list(withheld.x) == ["2026-02-15"] and "withheld" in withheld.text[0]
    assert "a reason" in withheld.text[0]
    assert all(v is not None for v in marks.y)  # a withheld value is never a number
    assert fig.layout.yaxis.rangemode == "normal"
    assert progress_figure(points, "x", "°", from_zero=True).layout.yaxis.rangemode == "tozero"
    assert fig.layout.xaxis.type == "date"
