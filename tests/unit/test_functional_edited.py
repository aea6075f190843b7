"""Functional test events corrected by hand (dashboard.functional.edited): synthetic
people with known events (tests/functional_person.py); moving an event by k frames
changes the time it ends by exactly k / fps."""

from __future__ import annotations

import json

import pytest

from dashboard.errors import InputError
from dashboard.functional import TestOptions, TestRefused, run_test
from dashboard.functional.edited import place_events, score_edited
from dashboard.functional.events_file import (
    TestHandEvent,
    events_csv,
    events_from_json,
    hand_events_of,
    read_test_events_csv,
)
from dashboard.functional.rescore import rescore
from dashboard.functional.signals import choose_person, extract
from tests.functional_person import sls_script, sts_script, tug_script

FPS = 30.0


def _hand(result) -> list[TestHandEvent]:
    return list(hand_events_of(result.events))


def _at(hand: list, result, name: str) -> int:
    """Index in ``hand`` of the result's event ``name`` (e.g. full_stand_5)."""
    e = next(e for e in result.events if e.event == name)
    return next(
        i for i, h in enumerate(hand) if abs(h.time_s - e.time_s) < 1e-6 and h.frame == e.frame
    )


def _moved(hand: list, i: int, frames: int) -> list:
    h = hand[i]
    return [*hand[:i], TestHandEvent(h.event, h.time_s + frames / FPS), *hand[i + 1 :]]


@pytest.mark.parametrize(
    "test, script",
    [
        ("sts5", sts_script()),
        ("chair30", sts_script(reps=16)),
        ("tug", tug_script()),
        ("sls", sls_script()),
        ("sls", sls_script(end_s=0)),
    ],
)
def test_the_automatic_events_give_back_the_automatic_result(test, script):
    seq = script.sequence()
    auto = run_test(seq, TestOptions(test))
    sig = extract(seq, choose_person(seq, None))
    placed = place_events(_hand(auto), auto, sig.time_s, sig.frame_index)
    start = placed[0]
    scored = rescore(sig, TestOptions(test), start, placed[1:])
    assert scored["result"] == auto.result
    assert scored["withheld"] == auto.withheld
    assert [e.as_dict() for e in scored["events"]] == [e.as_dict() for e in auto.events[1:]]
    # unchanged events: the automatic result itself, not "corrected by hand"
    assert score_edited(seq, TestOptions(test), _hand(auto)) is not None
    assert score_edited(seq, TestOptions(test), _hand(auto), automatic=auto) is auto


@pytest.mark.parametrize("k", [-4, 3, 9])
def test_moving_the_fifth_stand_by_k_frames_changes_the_time_by_k_over_fps(k):
    seq = sts_script().sequence()
    opts = TestOptions("sts5", sts_total="fifth_stand", age=70)
    auto = run_test(seq, opts)
    hand = _moved(_hand(auto), _at(_hand(auto), auto, "full_stand_5"), k)
    edited = score_edited(seq, opts, hand)
    before, after = auto.result, edited.result
    assert after["time_to_fifth_stand_s"] == pytest.approx(
        before["time_to_fifth_stand_s"] + k / FPS, abs=1e-9
    )
    assert after["total_s"] == after["time_to_fifth_stand_s"]
    assert after["time_to_fifth_sit_s"] == before["time_to_fifth_sit_s"]
    assert after["stands"] == 5
    doc = edited.to_dict()
    assert doc["events_source"] == "edited"
    assert doc["events_changed"] == {"n": 1, "moved": 1, "added": 0, "deleted": 0}
    assert doc["warnings"][0].startswith("Events corrected by hand (1 changed: 1 moved)")
    assert doc["automatic_events"] == [e.as_dict() for e in auto.events]
    by_hand = [e for e in doc["events"] if e["placed_by_hand"]]
    assert [e["event"] for e in by_hand] == ["full_stand_5"] and by_hand[0]["confidence"] == 1.0
    assert doc["norms"]["band"] == auto.to_dict()["norms"]["band"]
    assert doc["headline"].startswith("Five-times sit-to-stand: ")
    json.dumps(doc, allow_nan=False)
    assert run_test(seq, opts).to_dict()["events_source"] == "automatic"


def test_deleting_a_stand_withholds_the_time_and_adding_it_back_restores_it():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    hand = _hand(auto)
    i = _at(hand, auto, "full_stand_3")
    gone = score_edited(seq, TestOptions("sts5"), hand[:i] + hand[i + 1 :])
    assert gone.result["stands"] == 4 and gone.result["total_s"] is None
    assert "needs five" in gone.withheld["total_s"]
    assert gone.edits["events_changed"]["deleted"] == 1
    back = score_edited(seq, TestOptions("sts5"), [*hand[:i], *hand[i + 1 :], hand[i]])
    assert back is not None and back.result == auto.result


def test_moving_the_start_sets_the_clock_on_that_frame():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    hand = _hand(auto)
    edited = score_edited(seq, TestOptions("sts5"), _moved(hand, _at(hand, auto, "start"), -6))
    assert edited.start["method"] == "given"
    assert edited.result["total_s"] == pytest.approx(auto.result["total_s"] + 6 / FPS, abs=1e-9)
    with pytest.raises(TestRefused, match="start is missing"):
        score_edited(seq, TestOptions("sts5"), hand[1:])


def test_tug_moving_the_turn_changes_its_phases_not_the_total():
    seq = tug_script().sequence()
    auto = run_test(seq, TestOptions("tug"))
    hand = _hand(auto)
    edited = score_edited(seq, TestOptions("tug"), _moved(hand, _at(hand, auto, "turn_end"), 6))
    assert edited.result["total_s"] == auto.result["total_s"]
    assert edited.result["turn_s"] == pytest.approx(auto.result["turn_s"] + 6 / FPS, abs=1e-9)
    assert edited.result["walk_back_s"] == pytest.approx(
        auto.result["walk_back_s"] - 6 / FPS, abs=1e-9
    )
    far = _moved(hand, _at(hand, auto, "seated"), 30)  # a unique event: moved, at any distance
    assert score_edited(seq, TestOptions("tug"), far).edits["events_changed"]["moved"] == 1
    with pytest.raises(TestRefused, match="has one turn start"):
        score_edited(seq, TestOptions("tug"), [*hand, TestHandEvent("turn_start", 1.0)])
    with pytest.raises(TestRefused, match="has no full stand"):
        score_edited(seq, TestOptions("tug"), [*hand, TestHandEvent("full_stand", 1.0)])


def test_tug_events_out_of_order_give_no_phase_time():
    seq = tug_script().sequence()
    auto = run_test(seq, TestOptions("tug"))
    hand = _hand(auto)
    turn_start = next(e for e in auto.events if e.event == "turn_start")
    turn_end = next(e for e in auto.events if e.event == "turn_end")
    back = round((turn_end.time_s - turn_start.time_s) * FPS) + 3
    edited = score_edited(seq, TestOptions("tug"), _moved(hand, _at(hand, auto, "turn_end"), -back))
    assert edited.result["turn_s"] is None
    assert "out of order" in edited.withheld["turn_s"]
    assert edited.result["total_s"] == auto.result["total_s"]


def test_sls_moving_a_touch_down_and_adding_a_trial():
    script = sls_script()
    seq = script.sequence()
    auto = run_test(seq, TestOptions("sls"))
    hand = _hand(auto)
    edited = score_edited(
        seq, TestOptions("sls"), _moved(hand, _at(hand, auto, "touch_down_1"), -9)
    )
    assert edited.result["left_s"] == pytest.approx(auto.result["left_s"] - 9 / FPS, abs=1e-9)
    assert edited.result["right_s"] == auto.result["right_s"]
    # a trial given by hand: its side from which foot is lifted (standing on the left)
    lifted = (script.events["lift_left_stance"] + 1.0, script.events["down_left_stance"] - 1.0)
    only = [h for h in hand if h.event == "start"] + [
        TestHandEvent("lift_off", lifted[0]),
        TestHandEvent("touch_down", lifted[1]),
    ]
    new = score_edited(seq, TestOptions("sls"), only)
    assert new.result["left_s"] == pytest.approx(lifted[1] - lifted[0], abs=1.5 / FPS)
    assert new.result["right_s"] is None


def test_events_csv_round_trip_and_hostile_files():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    text = events_csv(auto.events)
    assert text.splitlines()[0] == "event,time_s,frame,confidence,label,placed_by_hand"
    read = read_test_events_csv(text.encode())
    assert score_edited(seq, TestOptions("sts5"), read, automatic=auto) is auto
    semi = text.replace(",", ";").replace(".", ",")
    assert [h.frame for h in read_test_events_csv(semi)] == [h.frame for h in read]
    assert events_from_json([h.as_dict() for h in read]) == read
    for bad, words in [
        (b"", "empty"),
        (b"event,time_s\n", "no events"),
        (b"side,event,time_s\nleft,initial_contact,1.0\n", "gait events file"),
        (b"event,time_s\nseat_off,=1+1\n", "formula"),
        (b"event,time_s\nseat_off,nan\n", "not a number"),
        (b"event,time_s\nsquat,1.0\n", "is not one of"),
        (b"event,time_s\nseat_off,1.0\nseat_off,1.0\n", "repeats row 2"),
        (b"event,time_s,frame\nseat_off,1.0,-3\n", "not a frame number"),
        (b"\xff\xfe\x00", "not a text"),
        (b"event,time_s\n" + b"start,1.0\n" * 200_000, "at most"),
    ]:
        with pytest.raises(InputError, match=words):
            read_test_events_csv(bad)


def test_events_that_cannot_be_placed_are_refused_in_one_sentence():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    hand = _hand(auto)
    end = float(seq.time_s[-1])
    for extra, words in [
        (TestHandEvent("seat_off", end + 1.0), "after the end of the video"),
        (TestHandEvent("seat_off", -1.0), "before the start"),
        (TestHandEvent("seat_off", 2.0, frame=200), "is not at that time"),
    ]:
        with pytest.raises(TestRefused, match=words):
            score_edited(seq, TestOptions("sts5"), [*hand, extra], automatic=auto)


def test_the_report_says_the_events_were_corrected_by_hand(tmp_path):
    import shutil
    import subprocess

    from dashboard.analysis import Analysis
    from dashboard.report.builder import ReportOptions, build_report

    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    hand = _hand(auto)
    doc = score_edited(seq, TestOptions("sts5"), _moved(hand, _at(hand, auto, "seat_on_5"), 5))
    analysis = Analysis(seq, "sts.mp4", "ef" * 32, "video", fps=30.0)
    pdf = build_report(analysis, None, ReportOptions(), gait_result=None, test_result=doc.to_dict())
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "Events corrected by hand (1 changed: 1 moved)" in " ".join(text.split())
        assert "by hand" in text
