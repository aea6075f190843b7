"""The one core rule for events given by hand (dashboard/kinematics/hand_events.py), with
known answers: what a correction changed (unchanged, moved nearest first, added, deleted)
and where an event given by hand lands (the nearest analysed frame, or refused)."""

from __future__ import annotations

from types import SimpleNamespace as E

import numpy as np
import pytest

from dashboard.errors import InputError
from dashboard.kinematics.hand_events import (
    EventChanges,
    correction_words,
    corrections,
    match_changes,
    moved_outside,
    nearest_sample,
    outside_words,
)


def _ev(kind: str, index: int) -> E:
    return E(event=kind, index=index, time_s=index / 10)


def _match(auto, edited, window=0.4):
    return match_changes(
        auto,
        edited,
        key=lambda e: (e.event, e.index),
        movable=lambda a, e: a.event == e.event and abs(a.time_s - e.time_s) <= window,
    )


def test_unchanged_moved_added_and_deleted():
    auto = [_ev("ic", 10), _ev("ic", 20), _ev("to", 30), _ev("ic", 50)]
    edited = [_ev("ic", 10), _ev("ic", 22), _ev("to", 40), _ev("ic", 70)]
    m = _match(auto, edited)
    # ic 20 -> 22 moved (0.2 s); to 30 and to 40 are 1.0 s apart: one deleted, one added
    assert [(a.index, e.index) for a, e in m.moved] == [(20, 22)]
    assert sorted((e.event, e.index) for e in m.added) == [("ic", 70), ("to", 40)]
    assert sorted((a.event, a.index) for a in m.deleted) == [("ic", 50), ("to", 30)]
    assert m.changes == EventChanges(moved=1, added=2, deleted=2)
    assert m.changes.words.startswith("Events corrected by hand (5 changed: 1 moved, 2 added")


def test_the_nearest_pairs_are_moved_first():
    auto = [_ev("ic", 10), _ev("ic", 14)]
    edited = [_ev("ic", 13), _ev("ic", 17)]
    m = _match(auto, edited)
    # 14 -> 13 (0.1 s) before 10 -> 13 (0.3 s); then 10 -> 17 is 0.7 s: too far
    assert [(a.index, e.index) for a, e in m.moved] == [(14, 13)]
    assert [e.index for e in m.added] == [17] and [a.index for a in m.deleted] == [10]


def test_identical_keys_match_one_to_one():
    auto = [_ev("ic", 10), _ev("ic", 10)]
    m = _match(auto, [_ev("ic", 10)])
    assert m.changes == EventChanges(deleted=1)
    assert _match(auto[:1], auto[:1]).changes.n == 0


def _near(a, e, window=0.4):
    return a.event == e.event and abs(a.time_s - e.time_s) <= window


def test_an_automatic_event_moved_where_it_is_not_used_is_moved_out_not_deleted():
    """Automatic ic 10, 20, 50; given ic 10 (used) and, outside every pass (not used),
    ic 23 (0.3 s from 20), ic 24 (0.4 s) and ic 90 (4 s from 50): 20 -> 23 moved out
    (nearest first), 50 stays deleted, 24 and 90 were added, not used: no correction."""
    auto = [_ev("ic", 10), _ev("ic", 20), _ev("ic", 50)]
    unused = [_ev("ic", 24), _ev("ic", 23), _ev("ic", 90)]
    m = moved_outside(_match(auto, [_ev("ic", 10)]), unused, _near)
    assert [(a.index, e.index) for a, e in m.moved_out] == [(20, 23)]
    assert [a.index for a in m.deleted] == [50] and m.added == ()
    assert m.changes == EventChanges(deleted=1, moved_out=1)
    assert m.changes.as_dict() == dict(n=2, moved=0, added=0, deleted=1, moved_out=1)
    assert EventChanges(moved=1).as_dict() == dict(n=1, moved=1, added=0, deleted=0)
    assert m.changes.words.startswith(
        "Events corrected by hand (2 changed: 1 deleted, 1 moved outside the walking passes "
        "(not used))"
    )
    words = lambda e: f"{e.event} {e.index}"  # noqa: E731
    auto = [E(event="ic", index=i, time_s=i / 10, frame=i) for i in (10, 20, 50)]
    out = E(event="ic", index=23, time_s=2.3, frame=23)
    m = moved_outside(_match(auto, auto[:1]), [out], _near)
    doc = corrections(m, 1, words)
    assert [(r["change"], r["automatic_frame"], r["frame"]) for r in doc["events_corrected"]] == [
        ("moved_out", 20, 23),
        ("deleted", 50, None),
    ]
    assert doc["events_corrected_note"] == "2 of 3 events corrected by hand"  # 1 used + 2
    assert correction_words(doc["events_corrected"][0]) == (
        "ic 20",
        "moved outside the walking passes: not used",
        "2.00 s (frame 20)",
        "2.30 s (frame 23)",
    )


def test_the_one_wording_of_events_outside_every_pass():
    spans = [(37, 168), (175, 343)]
    assert outside_words("Frame 20", spans, "the event would not be used.") == (
        "Frame 20 is outside the walking passes (frames 37-168, 175-343): the event would "
        "not be used."
    )
    assert outside_words("A and B", [], "not used.", where="the passes", many=True) == (
        "A and B are outside the passes (frames none): not used."
    )


def test_an_event_lands_on_the_nearest_frame_or_is_refused():
    t = np.arange(10) / 30.0  # 30 fps, every 2nd video frame analysed
    frames = np.arange(10) * 2
    given = E(time_s=0.16, frame=None, label="event")
    assert nearest_sample(given, t, frames) == 5
    assert nearest_sample(E(time_s=0.16, frame=10, label="event"), t, frames) == 5
    with pytest.raises(InputError, match="frame 16 is not at that time"):
        nearest_sample(E(time_s=0.16, frame=16, label="event"), t, frames)
    with pytest.raises(InputError, match="after the end of the video"):
        nearest_sample(E(time_s=1.0, frame=None, label="event"), t, frames)

    class Refused(InputError):
        pass

    with pytest.raises(Refused, match="before the start"):
        nearest_sample(E(time_s=-0.5, frame=None, label="event"), t, frames, Refused)
