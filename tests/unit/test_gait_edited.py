"""Gait events corrected by hand (dashboard/kinematics/gait/edited.py, events_file.py),
on the synthetic walker with known events (tests/gait_walker.py) and hostile files."""

from __future__ import annotations

import json

import pytest

from dashboard.errors import InputError
from dashboard.jsonsafe import to_jsonable
from dashboard.kinematics.gait import GaitEvent, analyze_gait
from dashboard.kinematics.gait.edited import analyze_edited, count_changes, outside_passes
from dashboard.kinematics.gait.events_file import (
    MAX_BYTES,
    MAX_EVENTS,
    HandEvent,
    hand_events_of,
    read_events_csv,
)
from dashboard.kinematics.hand_events import correction_words
from tests.gait_walker import walker

FPS = 30.0


@pytest.fixture(scope="module")
def walk():
    seq, _ = walker(fps=FPS, directions=(1, -1), strides=6.0)
    return seq, analyze_gait(seq)


def _steady(result, side, kind="initial_contact", pass_index=0):
    evs = [
        e
        for e in result.events
        if e.side == side and e.event == kind and e.steady and e.pass_index == pass_index
    ]
    return evs[len(evs) // 2]


def _moved(e: GaitEvent, frames: int) -> HandEvent:
    return HandEvent(e.side, e.event, e.time_s + frames / FPS)


def test_the_automatic_events_given_back_give_the_automatic_result(walk):
    seq, auto = walk
    same = analyze_edited(seq, hand_events_of(auto.events))
    assert same.events == auto.events
    for part in ("parameters", "cycles", "key_values", "normal_band"):
        assert same.to_dict()[part] == auto.to_dict()[part]  # NaN as null: comparable
    assert same.events_source == "edited" and auto.events_source == "automatic"
    doc = same.to_dict()
    assert doc["events_source"] == "edited" and auto.to_dict()["events_source"] == "automatic"
    assert doc["events_changed"] == dict(n=0, moved=0, added=0, deleted=0)
    assert doc["events_note"].startswith("Events corrected by hand (0 changed)")
    assert doc["automatic_events"] == [e.as_dict() for e in auto.events]
    assert "automatic_events" not in auto.to_dict()
    json.dumps(doc, allow_nan=False)


def test_a_moved_contact_changes_its_strides_by_the_frames_moved(walk):
    seq, auto = walk
    ic = _steady(auto, "right")
    hand = [h for h in hand_events_of(auto.events) if (h.side, h.frame) != ("right", ic.frame)]
    edited = analyze_edited(seq, [*hand, _moved(ic, 3)])
    assert edited.extra["changes"].as_dict() == dict(n=1, moved=1, added=0, deleted=0)
    new = next(e for e in edited.events if e.side == "right" and e.index == ic.index + 3)
    assert (new.confidence, new.phase, new.frame) == (1.0, "steady", ic.frame + 3)
    before = {c.start: c for c in auto.cycles}
    after = {c.start: c for c in edited.cycles}
    # the stride ending at the contact is 3 frames longer, the one starting there 3 shorter
    prev = next(c for c in auto.cycles if c.side == "right" and c.end == ic.index)
    assert after[prev.start].stride_s == pytest.approx(prev.stride_s + 3 / FPS, abs=1e-9)
    assert after[ic.index + 3].stride_s == pytest.approx(before[ic.index].stride_s - 3 / FPS)
    assert edited.to_dict()["events_placed_by_hand"] == [to_jsonable(new.as_dict())]
    assert edited.warnings[0].startswith("Events corrected by hand (1 changed: 1 moved)")


def test_deleting_a_contact_drops_its_two_strides_and_adding_it_back_restores_them(walk):
    seq, auto = walk
    ic = _steady(auto, "left")
    hand = [h for h in hand_events_of(auto.events) if (h.side, h.frame) != ("left", ic.frame)]
    gone = analyze_edited(seq, hand)
    assert gone.extra["changes"].as_dict() == dict(n=1, moved=0, added=0, deleted=1)
    n = auto.per_side["left"]["stride_time_s"]["n"]
    assert gone.per_side["left"]["stride_time_s"]["n"] == n - 2  # one stride of 2 T: dropped
    back = analyze_edited(seq, [*hand, HandEvent("left", "initial_contact", ic.time_s)])
    assert back.to_dict()["parameters"] == auto.to_dict()["parameters"]
    assert back.extra["changes"].n == 0


def test_an_added_contact_is_counted_and_placed_on_the_nearest_frame(walk):
    seq, auto = walk
    ic = _steady(auto, "left")
    extra = HandEvent("left", "initial_contact", ic.time_s + 0.45 / FPS)  # nearest: its frame
    with pytest.raises(InputError, match="a second initial contact of the left foot"):
        analyze_edited(seq, [*hand_events_of(auto.events), extra])
    far = HandEvent("left", "initial_contact", ic.time_s + 0.5)
    edited = analyze_edited(seq, [*hand_events_of(auto.events), far])
    assert edited.extra["changes"].as_dict() == dict(n=1, moved=0, added=1, deleted=0)
    assert any(not c.kept for c in edited.cycles if c.side == "left" and c.start == ic.index)


def test_events_that_cannot_be_placed_are_refused_in_one_sentence(walk):
    seq, auto = walk
    events = hand_events_of(auto.events)
    end = float(seq.time_s[-1])
    for bad, words in (
        (HandEvent("left", "initial_contact", end + 1.0, row=9), "row 9 .*after the end"),
        (HandEvent("left", "initial_contact", -1.0), "before the start of the video"),
        (HandEvent("left", "initial_contact", 2.0, frame=5), "frame 5 is not at that time"),
        (HandEvent("left", "foot_off", _steady(auto, "left").time_s + 0.2), "not foot_off"),
    ):
        with pytest.raises(InputError, match=words):
            analyze_edited(seq, [*events, bad])


SPANS = "(frames 0-203, 237-446)"  # the synthetic walk's contact windows


def test_events_outside_every_pass_are_not_used_and_named(walk):
    """An event added between the passes: not used, named in one warning line (foot,
    kind, frame, the passes' frames), and no correction (nothing used changed)."""
    seq, auto = walk
    assert [(p.window_start, p.window_end) for p in auto.passes] == [(0, 203), (237, 446)]
    lost = HandEvent("right", "initial_contact", float(seq.time_s[220]), row=7)
    edited = analyze_edited(seq, [*hand_events_of(auto.events), lost])
    assert edited.events == auto.events
    doc = edited.to_dict()
    assert doc["events_not_used"] == [lost.as_dict()]
    assert doc["events_changed"] == dict(n=0, moved=0, added=0, deleted=0)
    assert doc["events_corrected"] == [] and doc["events_corrected_note"] == ""
    line = (
        f"The right initial contact at frame 220 (row 7) is outside the walking passes {SPANS}: "
        "not used; strides are counted within a pass only."
    )
    assert edited.warnings[:2] == (doc["events_note"], line)
    assert edited.extra["events_not_used_note"] == line


def _without(auto, e) -> list[HandEvent]:
    return [h for h in hand_events_of(auto.events) if h != hand_events_of([e])[0]]


def test_an_event_moved_out_of_the_passes_is_listed_as_such_never_as_deleted(walk):
    """The last left toe off (frame 436) moved 11 frames (0.37 s) later, to frame 447,
    past the second pass (frames 237-446): not used; the automatic event is listed as
    moved outside the walking passes, not deleted by hand; the strides are those
    without it."""
    seq, auto = walk
    e = auto.events[-1]
    assert (e.side, e.event, e.frame) == ("left", "toe_off", 436)
    given = [*_without(auto, e), HandEvent("left", "toe_off", 447 / FPS, 447)]
    edited = analyze_edited(seq, given)
    doc = edited.to_dict()
    assert doc["events_changed"] == dict(n=1, moved=0, added=0, deleted=0, moved_out=1)
    assert doc["events_note"].startswith(
        "Events corrected by hand (1 changed: 1 moved outside the walking passes (not used))"
    )
    assert doc["events_corrected"] == [
        dict(
            side="left",
            event="toe_off",
            words="left toe off",
            change="moved_out",
            automatic_time_s=436 / FPS,
            automatic_frame=436,
            time_s=447 / FPS,
            frame=447,
        )
    ]
    n = len(auto.events)  # every event of either list once: the one moved out too
    assert doc["events_corrected_note"] == f"1 of {n} events corrected by hand"
    assert correction_words(doc["events_corrected"][0]) == (
        "left toe off",
        "moved outside the walking passes: not used",
        "14.53 s (frame 436)",
        "14.90 s (frame 447)",
    )
    assert edited.warnings[1] == (
        f"The left toe off at frame 447 is outside the walking passes {SPANS}: "
        "not used; strides are counted within a pass only."
    )
    assert edited.events == analyze_edited(seq, _without(auto, e)).events
    assert doc["events_not_used"] == [
        dict(side="left", event="toe_off", time_s=447 / FPS, frame=447)
    ]


def test_an_event_moved_far_out_is_deleted_and_several_unused_are_one_line(walk):
    """Moved more than 0.4 s (436 -> 460, 0.8 s): as within a pass, the automatic event
    is deleted and the one given (not used) added; four events outside: one line naming
    three of them."""
    seq, auto = walk
    e = auto.events[-1]
    far = [HandEvent("left", "toe_off", 460 / FPS, 460, row=3)]
    far += [HandEvent("right", "initial_contact", f / FPS, f) for f in (205, 210, 215)]
    edited = analyze_edited(seq, [*_without(auto, e), *far])
    doc = edited.to_dict()
    assert doc["events_changed"] == dict(n=1, moved=0, added=0, deleted=1)
    assert [(r["change"], r["automatic_frame"]) for r in doc["events_corrected"]] == [
        ("deleted", 436)
    ]
    assert edited.warnings[1] == (
        "The left toe off at frame 460 (row 3), the right initial contact at frame 205, "
        "the right initial contact at frame 210 and 1 more event are outside the walking "
        f"passes {SPANS}: not used; strides are counted within a pass only."
    )


def _event(side, kind, i, pass_index=0):
    return GaitEvent(side, kind, i, i, i / FPS, 0.9, pass_index, 0.0)


def test_count_changes_pairs_the_nearest_moves_first():
    auto = [_event("left", "initial_contact", 10), _event("left", "initial_contact", 40)]
    auto += [_event("right", "toe_off", 20)]
    edited = [_event("left", "initial_contact", 12), _event("left", "initial_contact", 40)]
    edited += [_event("right", "toe_off", 80), _event("right", "initial_contact", 25)]
    c = count_changes(auto, edited)
    # 10 -> 12 moved; right toe off 20 -> 80 is 2 s away: one deleted, one added; one added IC
    assert (c.moved, c.added, c.deleted, c.n) == (1, 2, 1, 4)
    assert "4 changed: 1 moved, 2 added, 1 deleted" in c.words
    other_pass = [_event("left", "initial_contact", 12, pass_index=1)]
    assert count_changes(auto[:1], other_pass).moved == 0


GOOD = "side,event,frame,time_s,confidence\nleft,initial_contact,57,1.9,0.7\nright,toe_off,,2.0,\n"


def test_reads_the_file_posedash_writes_and_spreadsheet_variants():
    events = read_events_csv(GOOD.encode())
    assert events == (
        HandEvent("left", "initial_contact", 1.9, 57),
        HandEvent("right", "toe_off", 2.0, None),
    )
    assert events[0].row == 2
    semicolons = "\ufeffSide;Event;Time_s\nR;Toe-off;2,0\nLeft;Initial contact;1,9\n"
    assert read_events_csv(semicolons.encode()) == (
        HandEvent("left", "initial_contact", 1.9),
        HandEvent("right", "toe_off", 2.0),
    )
    blank_lines = "side,event,time_s\n\n,,\nleft,initial_contact,1\n"
    assert len(read_events_csv(blank_lines)) == 1


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "is empty"),
        ("side,event,time_s\n", "has no events"),
        ("foot,kind,seconds\nleft,initial_contact,1\n", "needs the columns side, event and time_s"),
        ("side,event,time_s\nleft,initial_contact,nan\n", "Row 2: time_s 'nan' is not a number"),
        ("side,event,time_s\nleft,initial_contact,inf\n", "not a number of seconds"),
        ("side,event,time_s\nleft,initial_contact,\n", "time_s '' is not a number"),
        ('side,event,time_s\n=HYPERLINK("x"),initial_contact,1\n', "spreadsheet formula"),
        ("side,event,time_s\nleft,initial_contact,=1+2\n", "spreadsheet formula"),
        ("side,event,time_s\nleft,@SUM(A1),1\n", "spreadsheet formula"),
        ("side,event,time_s\nmiddle,initial_contact,1\n", "'middle' is not left or right"),
        ("side,event,time_s\nleft,heel_strike,1\n", "'heel_strike' is not one of"),
        ("side,event,time_s,frame\nleft,initial_contact,1,-3\n", "not a frame number"),
        (
            "side,event,time_s\nleft,toe_off,1\nright,toe_off,2\nleft,toe_off,1.0\n",
            "Row 4 repeats row 2",
        ),
    ],
)
def test_hostile_files_are_refused_in_one_sentence(text, words):
    with pytest.raises(InputError, match=words) as err:
        read_events_csv(text.encode())
    assert "\n" not in str(err.value)


def test_huge_files_are_refused_before_being_read():
    with pytest.raises(InputError, match="at most 2 MB"):
        read_events_csv(b"side,event,time_s\n" + b"left,toe_off,1\n" * (MAX_BYTES // 14))
    rows = "".join(f"left,toe_off,{i}\n" for i in range(MAX_EVENTS + 1))
    with pytest.raises(InputError, match="more than 20,000 events"):
        read_events_csv("side,event,time_s\n" + rows)
    with pytest.raises(InputError, match="not a text"):
        read_events_csv(b"side,event,time_s\n\xff\xfe\x00")
    with pytest.raises(InputError, match="readable CSV"):
        read_events_csv("side,event,time_s\n" + "x" * 200_000)


def _walk_analysis(seq):
    from dashboard.analysis import Analysis

    return Analysis(seq, "walk.mp4", "ab" * 32, "video", fps=FPS)


def test_session_files_keep_the_corrections_with_the_automatic_events(walk):
    from dashboard.kinematics.gait.edited import events_record
    from dashboard.outputs.session import read_session, save_session

    seq, auto = walk
    ic = _steady(auto, "right")
    hand = [h for h in hand_events_of(auto.events) if (h.side, h.frame) != ("right", ic.frame)]
    edited = analyze_edited(seq, [*hand, _moved(ic, 2)])
    assert events_record(auto, 0) is None
    record = events_record(edited, 0)
    opened = read_session(save_session(_walk_analysis(seq), gait_events=record))
    saved = opened.gait_events
    assert saved["person"] == 0 and saved["changes"]["moved"] == 1
    assert saved["automatic"] == [to_jsonable(e.as_dict()) for e in auto.events]
    again = analyze_edited(opened.analysis.poses, saved["events"])
    assert again.to_dict()["parameters"] == edited.to_dict()["parameters"]
    assert opened.notes == ()
    # a file without corrections opens with the automatic events
    assert read_session(save_session(_walk_analysis(seq))).gait_events is None


@pytest.mark.parametrize(
    "field, words",
    [
        (
            {
                "person": 0,
                "events": [{"side": "=cmd|' /C calc'!A0", "event": "toe_off", "time_s": 1}],
            },
            "spreadsheet formula",
        ),
        (
            {"person": 3, "events": [{"side": "left", "event": "toe_off", "time_s": 1}]},
            "person they belong to",
        ),
        (
            {"person": 0, "events": [{"side": "left", "event": "toe_off", "time_s": True}]},
            "not a number",
        ),
        ({"person": 0, "events": []}, "not a list of events"),
        ("events", "not a list of events"),
    ],
)
def test_a_damaged_correction_is_left_out_with_a_note(walk, field, words):
    from dashboard.outputs.session import read_session, save_session

    seq, _ = walk
    opened = read_session(save_session(_walk_analysis(seq), gait_events=field))
    assert opened.gait_events is None
    [note] = opened.notes
    assert words in note and "shows the automatic events" in note


def test_relink_accepts_the_same_recording_only(walk):
    import hashlib

    from dashboard.analysis import Analysis
    from dashboard.media.relink import check_same_recording

    seq, _ = walk
    data = b"\x00\x00\x00\x18ftypmp42 the recording"
    sha = hashlib.sha256(data).hexdigest()
    analysis = Analysis(seq, "walk.mp4", sha, "video")
    assert check_same_recording(analysis, data, "renamed.mp4") == sha
    with pytest.raises(InputError, match=r"not the recording .* \(other.mp4\).* walk.mp4") as e:
        check_same_recording(analysis, data + b" trimmed", "other.mp4")
    assert sha[:12] in str(e.value)
    with pytest.raises(InputError, match="empty"):
        check_same_recording(analysis, b"", "walk.mp4")
    old = Analysis(seq, "walk.mp4", "", "video")
    with pytest.raises(InputError, match="did not save its recording's fingerprint"):
        check_same_recording(old, data, "walk.mp4")


def test_feet_close_up_frames_both_feet(walk):
    import numpy as np

    from dashboard.figures.gait_edited import feet_crop
    from dashboard.skeleton import INDEX

    seq, _ = walk
    w, h = seq.image_size
    row = seq.num_frames // 4
    rgb = np.zeros((h // 2, w // 2, 3), np.uint8)  # a frame shown at half size
    for name in ("left_heel", "right_heel", "left_foot_index", "right_foot_index"):
        x, y = seq.image_xy[row, 0, INDEX[name]] / 2
        rgb[int(y), int(x)] = 255
    crop = feet_crop(rgb, seq, row)
    assert crop.shape[0] == crop.shape[1] >= max(rgb.shape[:2]) / 8
    assert (crop == 255).sum() == 4 * 3  # every foot point inside the close-up
    empty = np.full_like(seq.image_xy, np.nan)
    from dataclasses import replace

    assert feet_crop(rgb, replace(seq, image_xy=empty), row) is None


def test_an_event_moved_outside_every_pass_is_refused_with_the_passes_frames(walk):
    """The editor's rule: an event moved (or added) outside every pass's contact window
    is refused with the passes' frames; events the result already uses, and those moved
    within a pass, are not."""
    seq, auto = walk
    t, f = seq.time_s, seq.frame_index
    (a0, a1), (b0, b1) = ((p.window_start, p.window_end) for p in auto.passes)
    spans = f"{int(f[a0])}-{int(f[a1])}, {int(f[b0])}-{int(f[b1])}"
    hand = list(hand_events_of(auto.events))
    assert outside_passes(hand, auto, t, f) == ""
    gap = (a1 + b0) // 2
    for row in (gap, a0 - 1, b1 + 1):
        moved = HandEvent(hand[0].side, hand[0].event, float(t[row]), int(f[row]))
        assert outside_passes([moved, *hand[1:]], auto, t, f) == (
            f"Frame {int(f[row])} is outside the walking passes (frames {spans}): "
            "the event would not be used."
        )
    inside = HandEvent(hand[0].side, hand[0].event, float(t[a0 + 2]), int(f[a0 + 2]))
    assert outside_passes([inside, *hand[1:]], auto, t, f) == ""
