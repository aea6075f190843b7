"""Gait analysis from events corrected by hand: :func:`analyze_edited`.

The clinician (on the Gait page's timeline) or a researcher (``analyze VIDEO --gait
--events-from EVENTS.csv``) gives the gait events; the strides, steps, parameters
and cycle curves are computed from them exactly as from detected events (same
passes, quality gates and phases), without detecting anything again. The result
says ``events_source: "edited"``, keeps the automatic events for reference and
counts what changed: "Events corrected by hand (N changed: ...)".

Each event given is put on the analysed frame nearest its time, in the walking pass
whose contact window holds it. An event identical to a detected one (same foot,
kind and frame) keeps the detected event's confidence and phase; any other is
placed by hand: confidence 1 (the clinician vouches for it), phase from the pass's
steady stretch as for detected events. Events outside every walking pass are not
used (and named in a warning); an event outside the video, a frame number that
disagrees with its time, the wrong end-of-contact event for the pass's walking or
two events of one kind of one foot on the same frame are refused
(:class:`~dashboard.errors.InputError`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from dashboard.errors import InputError
from dashboard.kinematics.gait.analysis import analyze_gait
from dashboard.kinematics.gait.events import END_EVENT, GaitEvent, _phase_rule
from dashboard.kinematics.gait.events_file import HandEvent, hand_events_of
from dashboard.kinematics.gait.result import GaitResult
from dashboard.kinematics.gait.settings import GaitSettings
from dashboard.kinematics.gait.words import EVENT_WORDS
from dashboard.kinematics.hand_events import (
    EventChanges,
    Matched,
    corrections,
    match_changes,
    nearest_sample,
)

__all__ = [
    "MOVE_WINDOW_S",
    "EventChanges",
    "analyze_edited",
    "count_changes",
    "events_record",
    "hand_events_of",
    "matched",
    "place_events",
]

#: An automatic event and a hand event of the same foot and kind at most this far
#: apart count as one event moved (not one deleted and one added).
MOVE_WINDOW_S = 0.4


def _pass_of(idx: int, passes):
    for p in passes:
        if p.window_start <= idx <= p.window_end:
            return p
    return None


def _placed(h: HandEvent, idx: int, p, sig, t, frame_index) -> GaitEvent:
    phase, reason = _phase_rule(p, sig)(idx, False)
    return GaitEvent(
        h.side,
        h.event,
        idx,
        int(frame_index[idx]),
        float(t[idx]),
        1.0,
        p.index,
        float("nan"),
        phase,
        reason,
        p.mode,
        False,
    )


def place_events(
    hand: Sequence[HandEvent], detected: Sequence[GaitEvent], passes, sig, t, frame_index
) -> tuple[list[GaitEvent], list[HandEvent]]:
    """The hand events as :class:`~.events.GaitEvent` of the passes (in time order),
    and those outside every pass's contact window (not used)."""
    t = np.asarray(t, float)
    auto = {(e.side, e.event, e.index): e for e in detected}
    out: dict[tuple, GaitEvent] = {}
    unused = []
    for h in hand:
        idx = nearest_sample(h, t, frame_index)
        p = _pass_of(idx, passes)
        if p is None:
            unused.append(h)
            continue
        end = END_EVENT[p.mode]
        if h.event not in ("initial_contact", end):
            raise InputError(
                f"{h.label}: pass {p.index + 1} is walked {p.mode}s, so contacts end "
                f"with {end}, not {h.event}."
            )
        key = (h.side, h.event, idx)
        if key in out:
            raise InputError(
                f"{h.label}: a second {h.event.replace('_', ' ')} of the {h.side} foot "
                f"on frame {int(frame_index[idx])}."
            )
        out[key] = auto.get(key) or _placed(h, idx, p, sig, t, frame_index)
    return sorted(out.values(), key=lambda e: (e.index, e.side, e.event)), unused


def count_changes(automatic: Sequence[GaitEvent], edited: Sequence[GaitEvent]) -> EventChanges:
    """Events moved, added and deleted from ``automatic`` to ``edited``
    (:func:`matched`)."""
    return matched(automatic, edited).changes


def matched(automatic: Sequence[GaitEvent], edited: Sequence[GaitEvent]) -> Matched:
    """``edited`` against ``automatic`` (:func:`~dashboard.kinematics.hand_events.match_changes`):
    same foot, kind and frame is unchanged; a remaining pair of the same foot and kind in
    the same pass at most :data:`MOVE_WINDOW_S` apart is one event moved (nearest pairs
    first); the rest are added (edited) or deleted (automatic)."""
    return match_changes(
        automatic,
        edited,
        key=lambda e: (e.side, e.event, e.index),
        movable=lambda a, e: (
            (a.side, a.event, a.pass_index) == (e.side, e.event, e.pass_index)
            and abs(a.time_s - e.time_s) <= MOVE_WINDOW_S
        ),
    )


def _unused_words(unused: Sequence[HandEvent]) -> str:
    shown = "; ".join(h.label for h in unused[:3]) + ("; ..." if len(unused) > 3 else "")
    return (
        f"{len(unused)} event(s) given outside every walking pass were not used ({shown}): "
        "strides are counted within a pass only."
    )


def analyze_edited(
    seq, hand: Sequence[HandEvent], settings: GaitSettings | None = None, person: int = 0
) -> GaitResult:
    """:func:`~.analysis.analyze_gait` with the events ``hand`` in place of the detected
    ones (see the module's notes); the result's ``events_source`` is ``'edited'``.

    ``result.extra`` holds ``automatic_events`` (the detected events),
    ``hand_events`` (as given), ``changes`` (:class:`EventChanges`) and the
    ``events_doc`` merged into ``gait.json``.

    Raises
    ------
    InputError
        As :func:`~.analysis.analyze_gait`, and for an event that cannot be placed.
    """
    state: dict = {}

    def edit(detected, passes, sig, t, frame_index):
        events, unused = place_events(hand, detected, passes, sig, t, frame_index)
        state.update(detected=tuple(detected), unused=unused)
        return events

    result = analyze_gait(seq, settings or GaitSettings(), person, edit_events=edit)
    automatic = state["detected"]
    m = matched(automatic, result.events)
    changes = m.changes
    auto_keys = {(e.side, e.event, e.index) for e in automatic}
    by_hand = [e.as_dict() for e in result.events if (e.side, e.event, e.index) not in auto_keys]
    notes = (changes.words,) + ((_unused_words(state["unused"]),) if state["unused"] else ())
    doc = dict(
        events_note=changes.words,
        events_changed=changes.as_dict(),
        events_placed_by_hand=by_hand,
        events_not_used=[h.as_dict() for h in state["unused"]],
        **corrections(m, len(result.events), lambda e: f"{e.side} {EVENT_WORDS[e.event]}"),
        automatic_events=[e.as_dict() for e in automatic],
    )
    extra = dict(
        result.extra,
        events_source="edited",
        automatic_events=automatic,
        hand_events=tuple(hand),
        changes=changes,
        events_doc=doc,
    )
    return dataclasses.replace(result, warnings=notes + result.warnings, extra=extra)


def events_record(result: GaitResult, person: int) -> dict | None:
    """What a session file keeps of events corrected by hand (``gait_events``): the
    events as given, the person slot ``person`` analysed, the automatic events and
    what changed; None for a result of automatic events."""
    if result.events_source != "edited":
        return None
    doc = result.extra["events_doc"]
    return dict(
        source="edited",
        person=int(person),
        events=[h.as_dict() for h in result.extra["hand_events"]],
        automatic=doc["automatic_events"],
        changes=doc["events_changed"],
        note=doc["events_note"],
    )
