"""Progress values read the core's numbers (the range of motion ``summary.json``
writes, with its verdict), and a library holding values of metrics version 1 gets
them recomputed from its stored session files: real library files in temporary
folders, no mocks."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics, summary_dict
from dashboard.library import migrations
from dashboard.library.metrics import METRICS_VERSION, session_metrics
from dashboard.library.service import Library
from dashboard.outputs.session import save_session
from dashboard.poses import PoseSequence
from dashboard.skeleton import LANDMARK_NAMES
from tests.library.helpers import PASS, fast_kdf
from tests.reference_data import legacy_analysis

ELBOW = "rom.range:elbow_flexion:left:world"


def _summary_row(analysis, angle, side, space, settings=None):
    doc = summary_dict(compute_kinematics(analysis.poses, settings or KinematicsSettings()))
    return next(
        r
        for r in doc["range_of_motion"]
        if (r["angle"], r["side"], r["space"]) == (angle, side, space)
    )


def _spiked(frames: int = 61) -> Analysis:
    """A left elbow bending from straight (0 deg) to 90 deg and back, in world and
    image, with the wrist thrown back to 175 deg in 3 frames: beyond the elbow's
    plausible 165 deg (a tracking error, not a movement)."""
    idx = {n: i for i, n in enumerate(LANDMARK_NAMES)}
    world = np.zeros((frames, 1, 33, 3))
    world[:, 0, :, 0] = np.linspace(-0.2, 0.2, 33)
    half = frames // 2 + 1
    theta = np.radians(np.concatenate([np.linspace(0, 90, half), np.linspace(90, 0, half)[1:]]))
    theta = theta[:frames]
    theta[[5, 20, 45]] = np.radians(175)
    world[:, 0, idx["left_shoulder"]] = (0.0, -0.3, 0.0)
    world[:, 0, idx["left_elbow"]] = (0.0, 0.0, 0.0)
    world[:, 0, idx["left_wrist"], 1] = 0.25 * np.cos(theta)
    world[:, 0, idx["left_wrist"], 0] = 0.25 * np.sin(theta)
    vis = np.full((frames, 1, 33), 0.9)
    seq = PoseSequence(
        image_xy=300 + 1000 * world[..., :2],
        z=np.zeros((frames, 1, 33)),
        visibility=vis,
        presence=vis,
        world_m=world,
        time_s=np.arange(frames) / 30.0,
        frame_index=np.arange(frames),
        person_ids=np.array([0]),
        image_size=(640, 480),
    )
    return Analysis(seq, "bend.mp4", "0" * 64, "video", fps=30.0)


def test_values_are_the_summary_rows_not_a_range_of_raw_values():
    a = _spiked()
    settings = KinematicsSettings(filter=FilterSettings(method="none"))
    doc = session_metrics(a, settings)
    assert doc["version"] == METRICS_VERSION == 2
    values = {m["key"]: m for m in doc["values"]}
    row = _summary_row(a, "elbow_flexion", "left", "world", settings)
    assert row["n_implausible"] == 3  # the spikes, left out by the core
    assert row["range_deg"] == pytest.approx(90.0, abs=0.01)
    got = values[ELBOW]
    assert got["value"] == pytest.approx(row["range_deg"])
    assert got["validity"] == row["validity"]
    assert got["reasons"] == list(row["validity_reasons"])
    # version 1 took max - min of every value, the implausible ones included
    kin = compute_kinematics(a.poses, settings)
    aset = kin.space("world")
    x = aset.value_deg[:, 0, aset.index("elbow_flexion", "left")]
    old = float(np.nanmax(x) - np.nanmin(x))
    assert old > 165 and got["value"] < old - 20
    # every withheld row of summary.json is a value with no number
    doc_rows = summary_dict(kin)["range_of_motion"]
    for r in doc_rows:
        key = f"rom.range:{r['angle']}:{r['side']}:{r['space']}"
        if key in values:
            assert (values[key]["value"] is None) == (r["validity"] == "withheld")
            assert values[key]["validity"] == r["validity"]


def _library(tmp_path):
    return Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())


def _forge_v1(lib: Library, patient_uid: str, session_uid: str, key: str, value: float) -> None:
    """Store a metrics item as PoseDash version 1 wrote it: one wrong value, no verdict."""
    doc = {
        "version": 1,
        "person": 0,
        "gait": "not walking",
        "values": [
            {
                "key": key,
                "label": "as version 1 labelled it",
                "unit": "°",
                "value": value,
                "confidence": 0.99,
                "coverage": 1.0,
            }
        ],
    }
    blob = lib.seal_json(
        lib._key(), doc, "session", session_uid, patient_uid, "metrics", compress=True
    )
    conn = sqlite3.connect(lib.path)
    conn.execute("UPDATE sessions SET metrics = ? WHERE uid = ?", (blob, session_uid))
    conn.commit()
    conn.close()


def _stored(lib: Library, patient_uid: str, session_uid: str):
    conn = sqlite3.connect(lib.path)
    blob = conn.execute("SELECT metrics FROM sessions WHERE uid = ?", (session_uid,)).fetchone()[0]
    conn.close()
    if blob is None:
        return None
    return lib.open_json(
        lib._key(), blob, "session", session_uid, patient_uid, "metrics", compressed=True
    )


def test_a_stored_version_1_row_is_migrated_on_open(tmp_path):
    a = _spiked()
    lib = _library(tmp_path)
    p = lib.add_patient()
    info = lib.add_session(p.uid, save_session(a), "2026-01-05")
    _forge_v1(lib, p.uid, info.uid, ELBOW, 189.4)
    conn = sqlite3.connect(lib.path)
    conn.execute("PRAGMA user_version = 2")  # the library as the previous PoseDash left it
    conn.commit()
    conn.close()
    assert _stored(lib, p.uid, info.uid)["values"][0]["value"] == 189.4

    again = Library(lib.path)
    again.unlock(PASS)  # opening migrates: the wrong values leave the file
    version = sqlite3.connect(lib.path).execute("PRAGMA user_version").fetchone()[0]
    assert version == migrations.CURRENT == 3
    assert _stored(again, p.uid, info.uid) is None
    (point,) = again.progress(p.uid, ELBOW)  # recomputed from the stored session file
    expected = _summary_row(a, "elbow_flexion", "left", "world")
    assert point.value == pytest.approx(expected["range_deg"])
    assert point.value != pytest.approx(189.4) and point.validity == expected["validity"]
    stored = _stored(again, p.uid, info.uid)
    assert stored["version"] == METRICS_VERSION
    assert all("validity" in m for m in stored["values"])


def test_an_old_item_met_in_a_current_library_is_recomputed(tmp_path):
    """A version-1 item restored from a backup into a current library."""
    a = _spiked()
    lib = _library(tmp_path)
    p = lib.add_patient()
    info = lib.add_session(p.uid, save_session(a), "2026-01-05")
    _forge_v1(lib, p.uid, info.uid, ELBOW, 189.4)
    assert lib.refresh_metrics(p.uid) == 1
    assert lib.refresh_metrics() == 0  # nothing left to do
    assert _stored(lib, p.uid, info.uid)["version"] == METRICS_VERSION
    (point,) = lib.progress(p.uid, ELBOW)
    assert point.value != pytest.approx(189.4)


def test_the_189_degree_case_on_a_real_clip(tmp_path, media_dir):
    """The outdoor clip: version 1's "range" of the 3-D knee frontal-plane angle was
    max - min over 18 implausible frames; the core withholds it (a picture measure)."""
    a = legacy_analysis(media_dir / "reference" / "sports2d_demo_current.legacy.json")
    key = "rom.range:knee_valgus:right:world"
    lib = _library(tmp_path)
    p = lib.add_patient()
    info = lib.add_session(p.uid, save_session(a), "2026-01-05")
    _forge_v1(lib, p.uid, info.uid, key, 189.8)
    (point,) = lib.progress(p.uid, key)
    row = _summary_row(a, "knee_valgus", "right", "world")
    assert row["validity"] == "withheld" and row["range_deg"] is None
    assert point.value is None and point.validity == "withheld" and point.reasons
    assert lib.default_metric(p.uid) != key


def test_export_writes_progress_csv(tmp_path):
    import csv
    import io

    from dashboard.library.export import PROGRESS_COLUMNS

    a = _spiked()
    lib = _library(tmp_path)
    p = lib.add_patient()
    first = lib.add_session(p.uid, save_session(a), "2026-01-05")
    lib.add_session(p.uid, save_session(a), "2026-02-02")
    # a value set whose text could run as a spreadsheet formula, and a negative value
    doc = {
        "version": METRICS_VERSION,
        "person": 0,
        "gait": "not walking",
        "values": [
            {
                "key": "=cmd|' /C calc'!A0",
                "label": "@SUM(1+1)",
                "unit": "°",
                "value": -12.5,
                "validity": "caution",
                "reasons": ["-a reason"],
                "bias": "",
            },
            {
                "key": ELBOW,
                "label": "Elbow",
                "unit": "°",
                "value": None,
                "validity": "withheld",
                "reasons": ["not measured alike"],
                "bias": "",
            },
        ],
    }
    blob = lib.seal_json(lib._key(), doc, "session", first.uid, p.uid, "metrics", compress=True)
    conn = sqlite3.connect(lib.path)
    conn.execute("UPDATE sessions SET metrics = ? WHERE uid = ?", (blob, first.uid))
    conn.commit()
    conn.close()

    written = lib.export_patient(p.uid, tmp_path / "export")
    assert [w.name for w in written][-3:] == ["index.json", "index.csv", "progress.csv"]
    text = (tmp_path / "export" / "progress.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(csv.reader(io.StringIO(text)).__next__()) == PROGRESS_COLUMNS
    files = sorted({r["session_file"] for r in rows})
    assert files == sorted(w.name for w in written if w.suffix == ".posedash")
    forged = [r for r in rows if r["date"] == "2026-01-05"]
    assert forged[0]["key"] == "'=cmd|' /C calc'!A0" and forged[0]["label"] == "'@SUM(1+1)"
    assert forged[0]["value"] == "-12.5000" and forged[0]["reasons"] == "'-a reason"
    assert forged[1]["value"] == "" and forged[1]["validity"] == "withheld"
    assert forged[1]["reasons"] == "not measured alike"
    # the other session: every value its chart can draw, as the chart draws it
    real = {r["key"]: r for r in rows if r["date"] == "2026-02-02"}
    (point,) = [x for x in lib.progress(p.uid, ELBOW) if x.date == "2026-02-02"]
    assert float(real[ELBOW]["value"]) == pytest.approx(point.value, abs=1e-4)
    assert real[ELBOW]["validity"] == point.validity
    keys = {c["key"] for c in lib.metric_choices(p.uid)}
    assert set(real) <= keys
    for r in real.values():
        assert (r["value"] == "") == (r["validity"] == "withheld")
    # the page's zip holds the same file
    import zipfile

    with zipfile.ZipFile(io.BytesIO(lib.export_zip(p.uid))) as zf:
        assert zf.read("progress.csv").decode() == text
