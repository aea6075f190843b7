"""Functional test results in the patient library's progress (issue 21): a test kept with
a session is saved in its session file, stored encrypted with the session's progress
values, scored again by dashboard.functional (never recomputed differently), charted over
sessions with its norm band, cut-off and MDC, and a result the test withholds is withheld
with its reason, never a number. Real library files in temporary folders, synthetic
people with known event times (tests/functional_person.py)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions, run_test
from dashboard.functional.progress import guides
from dashboard.functional.saved import kept_record, read_records
from dashboard.library.chart import progress_figure
from dashboard.library.service import Library
from dashboard.outputs.session import read_session, save_session
from tests.functional_person import Script, sls_script, sts_script
from tests.library.helpers import PASS, fast_kdf

STS_SIT = "test.sts5:time_to_fifth_sit_s"


def _sts(stand_s: float, name: str) -> Script:
    s = Script(30.0)
    s.hold(1.0)
    s.sts(stand_s=stand_s, sit_s=0.4, n=5)
    s.hold(0.5)
    return s


def _session(script, name: str, *opts: TestOptions, tamper=None) -> tuple[bytes, list]:
    analysis = Analysis(script.sequence(), name, name.encode().hex()[:64], "video", fps=30.0)
    results = [run_test(analysis.poses, o) for o in opts]
    records = [kept_record(r) for r in results]
    if tamper:
        tamper(records)
    return save_session(analysis, functional_tests=records), results


@pytest.fixture()
def lib(tmp_path):
    return Library.create(PASS, tmp_path / "library.db", kdf=fast_kdf())


def test_sts5_results_over_sessions_with_norm_band_and_mdc(lib, tmp_path):
    p = lib.add_patient()
    opts = TestOptions("sts5", age=72, sex="f")
    expected = []
    for date, stand_s in (("2026-01-05", 1.0), ("2026-02-05", 0.6), ("2026-03-05", 0.3)):
        data, (result,) = _session(_sts(stand_s, f"{date}.mp4"), f"{date}.mp4", opts)
        lib.add_session(p.uid, data, date=date)
        expected.append(result.result["time_to_fifth_sit_s"])
    assert expected[0] > expected[1] > expected[2]  # faster each month
    points = lib.progress(p.uid, STS_SIT)
    # the numbers dashboard.functional gave, read back: not recomputed differently
    assert [pt.value for pt in points] == pytest.approx(expected, abs=1e-3)
    assert [pt.validity for pt in points] == ["valid"] * 3
    assert all(pt.comparable for pt in points)
    choices = {c["key"]: c for c in lib.metric_choices(p.uid)}
    assert choices[STS_SIT]["group"] == "Functional tests"
    assert choices[STS_SIT]["unit"] == "s"
    assert "test.sts5:time_to_fifth_stand_s" in choices
    assert lib.default_metric(p.uid) == STS_SIT  # opens on the test kept
    # the norm band for the age and sex given with the test, the MDC shipped
    age, sex = lib.norm_context(p.uid, STS_SIT)
    assert (age, sex) == (72, "f")
    g = guides(STS_SIT, age, sex)
    assert "Bohannon 2006" in g["norm"]["words"] and g["norm"]["mean"] == pytest.approx(12.6)
    assert g["mdc"]["mdc95"] == pytest.approx(2.5)
    fig = progress_figure(points, "5xSTS", "s", guides=g)
    ys = sorted(round(s.y0, 3) for s in fig.layout.shapes if s.y0 == s.y1)
    first = expected[0]
    assert ys == sorted([12.6, round(first + 2.5, 3), round(first - 2.5, 3)])
    # stored encrypted: no test key, label or number in the file's bytes
    raw = (tmp_path / "library.db").read_bytes()
    for plain in (b"test.sts5", b"Five-times", b"time_to_fifth"):
        assert plain not in raw
    with sqlite3.connect(tmp_path / "library.db") as conn:
        blobs = [bytes(r[0]) for r in conn.execute("SELECT metrics FROM sessions")]
    assert all(b"sts5" not in b for b in blobs)


def test_a_short_chair_stand_is_withheld_with_its_reason_never_a_number(lib):
    p = lib.add_patient()
    data, (result,) = _session(sts_script(reps=5), "chair.mp4", TestOptions("chair30"))
    assert result.result["stands"] is None and result.result["stands_seen"] == 5
    lib.add_session(p.uid, data, date="2026-01-05")
    (point,) = lib.progress(p.uid, "test.chair30:stands")
    assert point.value is None and point.validity == "withheld"
    assert point.reasons == (result.withheld["stands"],)
    assert "30 s" in point.reasons[0]
    fig = progress_figure([point], "30-s chair stand: stands in 30 s", "stands")
    drawn = [t for t in fig.data if t.name != "withheld"]
    assert all(v is None for t in drawn for v in (t.y or ()))  # no number drawn
    choice = next(c for c in lib.metric_choices(p.uid) if c["key"] == "test.chair30:stands")
    assert choice["withheld"] == 1 and choice["valid"] == 0


def test_the_file_is_scored_again_an_edited_number_is_not_believed(lib):
    def tamper(records):
        records[0]["result"]["result"]["time_to_fifth_sit_s"] = 1.0

    p = lib.add_patient()
    data, (result,) = _session(_sts(0.5, "a.mp4"), "a.mp4", TestOptions("sts5"), tamper=tamper)
    lib.add_session(p.uid, data, date="2026-01-05")
    (point,) = lib.progress(p.uid, STS_SIT)
    assert point.value == pytest.approx(result.result["time_to_fifth_sit_s"], abs=1e-3)
    assert point.value != pytest.approx(1.0)
    # without an age given with the test: no band, and the chart says why
    assert lib.norm_context(p.uid, STS_SIT) == (None, None)
    assert "no age was given" in guides(STS_SIT, None, None)["note"]


def test_a_test_the_recording_cannot_give_is_withheld_with_the_refusal(lib):
    # a 5xSTS video kept as a 10-m walk (the record forged: the page would have refused)
    def tamper(records):
        records[0]["options"] = {"test": "walk10", "distance_m": 6.0}

    p = lib.add_patient()
    data, _ = _session(sts_script(), "b.mp4", TestOptions("sts5"), tamper=tamper)
    lib.add_session(p.uid, data, date="2026-01-05")
    (point,) = lib.progress(p.uid, "test.walk10:speed_m_s")
    assert point.value is None and point.validity == "withheld"
    assert point.reasons[0].startswith("The test could not be scored:")


def test_single_leg_stance_sides_and_the_session_file_round_trip(lib):
    script = sls_script(right_lift_s=5.0, left_lift_s=3.0)
    data, (_, said) = _session(
        script, "sls.mp4", TestOptions("sls"), TestOptions("sls", mirrored=True)
    )
    # one record per test: the last kept wins
    records, notes = read_records(read_session(data).manifest["functional_tests"])
    assert len(records) == 1 and records[0]["options"]["mirrored"] is True and not notes
    p = lib.add_patient()
    lib.add_session(p.uid, data, date="2026-01-05")
    left = lib.progress(p.uid, "test.sls:left_s")[0]
    assert left.value == pytest.approx(said.result["left_s"]) and left.validity == "valid"
    data2, _ = _session(script, "sls2.mp4", TestOptions("sls"))
    lib.add_session(p.uid, data2, date="2026-02-05")
    later = lib.progress(p.uid, "test.sls:left_s")[1]
    assert later.validity == "caution"  # the sides are the model's labels
    assert any("mirror image" in r for r in later.reasons)
    best = lib.progress(p.uid, "test.sls:best_s")[1]
    assert best.validity == "valid"  # the better side does not depend on it


def test_damaged_records_are_left_out_with_a_note():
    records, notes = read_records(
        [{"options": {"test": "nope"}}, {"options": {"test": "tug", "age": "old"}}, 3]
    )
    assert records == [] and len(notes) == 3
    assert read_records("not a list")[0] == []
    assert json.dumps(read_records(None)) == "[[], []]"


def test_a_result_from_events_corrected_by_hand_is_kept_and_scored_again_from_them(lib):
    import dataclasses

    from dashboard.functional.edited import score_edited
    from dashboard.functional.events_file import hand_events_of

    script = _sts(0.5, "c.mp4")
    analysis = Analysis(script.sequence(), "c.mp4", "cc" * 32, "video", fps=30.0)
    opts = TestOptions("sts5", sts_total="fifth_stand")
    auto = run_test(analysis.poses, opts)
    hand = list(hand_events_of(auto.events))
    fifth = [i for i, h in enumerate(hand) if h.event == "full_stand"][4]
    hand[fifth] = dataclasses.replace(hand[fifth], time_s=hand[fifth].time_s + 0.2, frame=None)
    edited = score_edited(analysis.poses, opts, hand, automatic=auto)
    assert edited.edits  # the fifth stand moved 0.2 s later
    record = kept_record(edited)
    assert record["events"]
    p = lib.add_patient()
    lib.add_session(p.uid, save_session(analysis, functional_tests=[record]), "2026-01-05")
    (point,) = lib.progress(p.uid, "test.sts5:time_to_fifth_stand_s")
    assert point.value == pytest.approx(edited.result["time_to_fifth_stand_s"], abs=1e-3)
    assert point.value == pytest.approx(auto.result["time_to_fifth_stand_s"] + 0.2, abs=1e-3)
    assert point.validity == "valid"
    assert point.reasons and point.reasons[-1].startswith("Events corrected by hand")
