"""Each correction made by hand, listed once in the core for the page, the report and the JSON
outputs (dashboard/kinematics/hand_events.corrections), with known answers on the synthetic
walkers and sit-to-stand: a gait contact moved 3 frames, a toe off deleted, a contact
added; a frontal contact moved and one deleted; a test's start and 5th full stand moved one
frame each (shown to 0.01 s with their frames, so a one-frame move shows); nothing listed
when nothing changed."""

from __future__ import annotations

import json

import pytest

from dashboard.functional import TestOptions, events_file as test_events, run_test
from dashboard.functional.edited import score_edited
from dashboard.functional.events_file import TestHandEvent
from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.edited import analyze_edited
from dashboard.kinematics.gait.events_file import HandEvent, hand_events_of
from dashboard.kinematics.gait.frontal_edited import frontal_edited
from dashboard.kinematics.hand_events import correction_words
from tests.functional_person import sts_script
from tests.gait_frontal_walker import frontal_walker
from tests.gait_walker import walker

FPS = 30.0


def _row(change, words, auto=None, now=None, side=None, event=None) -> dict:
    return {
        "side": side,
        "event": event,
        "words": words,
        "change": change,
        "automatic_time_s": None if auto is None else auto[0],
        "automatic_frame": None if auto is None else auto[1],
        "time_s": None if now is None else now[0],
        "frame": None if now is None else now[1],
    }


def test_gait_moved_deleted_and_added_events_are_listed_in_time_order():
    seq, _ = walker(fps=FPS, directions=(1, -1), strides=6.0)
    auto = analyze_gait(seq)
    steady = [e for e in auto.events if e.steady and e.pass_index == 0]
    ic = next(e for e in steady if (e.side, e.event) == ("right", "initial_contact"))
    to = next(e for e in steady if (e.side, e.event) == ("left", "toe_off") and e.index > ic.index)
    nxt = next(
        e for e in steady if (e.side, e.event) == ("left", "initial_contact") and e.index > to.index
    )
    new_row = (to.index + nxt.index) // 2 + 1  # a left contact between two real ones
    hand = [h for h in hand_events_of(auto.events) if h.frame not in (ic.frame, to.frame)]
    moved_row = ic.index + 3
    t, f = seq.time_s, seq.frame_index
    hand += [
        HandEvent("right", "initial_contact", float(t[moved_row]), int(f[moved_row])),
        HandEvent("left", "initial_contact", float(t[new_row]), int(f[new_row])),
    ]
    doc = to_jsonable(analyze_edited(seq, hand).to_dict())  # gait.json
    assert doc["events_corrected"] == [
        _row(
            "moved",
            "right initial contact",
            (ic.time_s, ic.frame),
            (float(t[moved_row]), int(f[moved_row])),
            "right",
            "initial_contact",
        ),
        _row("deleted", "left toe off", (to.time_s, to.frame), None, "left", "toe_off"),
        _row(
            "added",
            "left initial contact",
            None,
            (float(t[new_row]), int(f[new_row])),
            "left",
            "initial_contact",
        ),
    ]
    total = len(auto.events) + 1  # every event of either list once: one added
    assert doc["events_corrected_note"] == f"3 of {total} events corrected by hand"
    json.dumps(doc, allow_nan=False)
    assert "events_corrected" not in auto.to_dict()  # automatic: nothing listed
    same = analyze_edited(seq, hand_events_of(auto.events)).to_dict()
    assert same["events_corrected"] == [] and same["events_corrected_note"] == ""


def _frontal_words(c) -> str:
    return f"{c.side} {'foot put down' if c.event == 'initial_contact' else 'foot lifted'}"


def test_frontal_contacts_moved_and_deleted():
    seq, _ = frontal_walker(towards=True)
    fr = analyze_gait(seq).frontal
    hand = [HandEvent(c.side, c.event, c.time_s, c.frame) for c in fr.contacts]
    first, last = fr.contacts[0], fr.contacts[-1]
    hand[0] = HandEvent(first.side, first.event, float(seq.time_s[first.index + 2]))
    gone = frontal_edited(fr, hand[:-1], seq.time_s, seq.frame_index).as_dict()
    assert [(r["change"], r["words"]) for r in gone["events_corrected"]] == [
        (
            "moved",
            _frontal_words(first),
        ),
        (
            "deleted",
            _frontal_words(last),
        ),
    ]
    moved = gone["events_corrected"][0]
    assert (moved["automatic_frame"], moved["frame"]) == (
        first.frame,
        int(seq.frame_index[first.index + 2]),
    )
    assert gone["events_corrected_note"] == f"2 of {len(fr.contacts)} events corrected by hand"


def test_a_one_frame_move_of_a_test_event_shows_in_words():
    seq = sts_script().sequence()
    opts = TestOptions(test="sts5")
    auto = run_test(seq, opts)
    hand = list(test_events.hand_events_of(auto.events))
    start = next(i for i, h in enumerate(hand) if h.event == "start")
    fifth = next(e for e in auto.events if e.event == "full_stand_5")
    k = next(i for i, h in enumerate(hand) if h.event == "full_stand" and h.frame == fifth.frame)
    for i in (start, k):
        h = hand[i]
        hand[i] = TestHandEvent(h.event, h.time_s + 1 / FPS)
    doc = score_edited(seq, opts, hand, automatic=auto).to_dict()  # test.json
    rows = doc["events_corrected"]
    assert [(r["event"], r["change"], r["frame"] - r["automatic_frame"]) for r in rows] == [
        ("start", "moved", 1),
        ("full_stand", "moved", 1),
    ]
    words = correction_words(rows[1])
    assert words == (
        "full stand 5",
        "moved",
        f"{fifth.time_s:.2f} s (frame {fifth.frame})",
        f"{fifth.time_s + 1 / FPS:.2f} s (frame {fifth.frame + 1})",
    )
    assert words[2] != words[3]
    n = len(test_events.hand_events_of(auto.events))
    assert doc["events_corrected_note"] == f"2 of {n} events corrected by hand"
    assert "events_corrected" not in auto.to_dict()


@pytest.mark.parametrize(
    "row, words",
    [
        (
            _row("added", "seat-off", None, (1.234, 37)),
            ("seat-off", "added by hand", "–", "1.23 s (frame 37)"),
        ),
        (
            _row("deleted", "seat-on", (2.0, 60)),
            ("seat-on", "deleted by hand", "2.00 s (frame 60)", "–"),
        ),
    ],
)
def test_added_and_deleted_in_words(row, words):
    assert correction_words(row) == words
