"""The one core rule for events given by hand (dashboard/kinematics/hand_events.py), with
known answers: what a correction changed (unchanged, moved nearest first, added, deleted)
and where an event given by hand lands (the nearest analysed frame, or refused)."""

from __future__ import annotations

from types import SimpleNamespace as E

import numpy as np
import pytest

from dashboard.errors import InputError
from dashboard.kinematics.hand_events import EventChanges, match_changes, nearest_sample


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
