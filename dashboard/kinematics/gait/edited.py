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
steady stretch as for detected events.

An event given outside every walking pass's contact window is not used, and named in
one warning line with its foot, kind and frame and the passes' frames ("The right
initial contact at frame 20 (row 2) is outside the walking passes (frames 37-168,
175-343): not used; strides are counted within a pass only.", the wording of the Gait
page editor's refusal, :func:`outside_passes`). It is no correction by itself (an
event added there changes nothing); but when an automatic event is missing from the
events given and one of its foot and kind lies outside at most :data:`MOVE_WINDOW_S`
from it, the clinician moved it there: it is listed as "moved outside the walking
passes: not used" (``moved_out``), never as deleted by hand (farther, as within a pass:
deleted, and the event given added there, not used).

An event outside the video, a frame number that disagrees with its time, the wrong
end-of-contact event for the pass's walking or two events of one kind of one foot on
the same frame are refused (:class:`~dashboard.errors.InputError`).
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
    moved_outside,
    nearest_sample,
    outside_words,
)

__all__ = [
    "MOVE_WINDOW_S",
    "EventChanges",
    "analyze_edited",
    "count_changes",
    "events_record",
    "hand_events_of",
    "matched",
    "outside_passes",
    "place_events",
    "unused_words",
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
) -> tuple[list[GaitEvent], list[tuple[HandEvent, HandEvent]]]:
    """The hand events as :class:`~.events.GaitEvent` of the passes (in time order),
    and those outside every pass's contact window (not used): each as given and on
    its analysed frame (time and frame of that frame)."""
    t = np.asarray(t, float)
    auto = {(e.side, e.event, e.index): e for e in detected}
    out: dict[tuple, GaitEvent] = {}
    unused = []
    for h in hand:
        idx = nearest_sample(h, t, frame_index)
        p = _pass_of(idx, passes)
        if p is None:
            on = HandEvent(h.side, h.event, float(t[idx]), int(frame_index[idx]), h.row)
            unused.append((h, on))
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


def _spans(passes, frame_index) -> list[tuple[int, int]]:
    """Each pass's contact window in video frames."""
    return [(int(frame_index[p.window_start]), int(frame_index[p.window_end])) for p in passes]


def outside_passes(hand: Sequence[HandEvent], result: GaitResult, t, frame_index) -> str:
    """Why the events ``hand`` cannot be kept as given (on the Gait page: moved or added
    by the clinician), '' when they can: the first event given that ``result`` does not
    already use (same foot, kind and frame) and that lies outside every walking pass's
    contact window would not be used, so it is refused rather than kept and shown as
    deleted: "Frame 20 is outside the walking passes (frames 37-168, 175-343): the
    event would not be used." (the passes' contact windows, video frames)."""
    t = np.asarray(t, float)
    used = {(e.side, e.event, int(e.frame)) for e in result.events}
    for h in hand:
        if (h.side, h.event, h.frame) in used:
            continue
        idx = nearest_sample(h, t, frame_index)
        if _pass_of(idx, result.passes) is None:
            return outside_words(
                f"Frame {int(frame_index[idx])}",
                _spans(result.passes, frame_index),
                "the event would not be used.",
            )
    return ""


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


def unused_words(unused: Sequence[HandEvent], spans: Sequence[tuple[int, int]]) -> str:
    """The one warning line for the events given outside every walking pass (each on
    its analysed frame; ``spans`` the passes' frames): at most three named, with the
    file's row when known."""

    def named(h: HandEvent) -> str:
        row = f" (row {h.row})" if h.row is not None else ""
        return f"the {h.side} {EVENT_WORDS[h.event]} at frame {h.frame}{row}"

    shown = [named(h) for h in unused[:3]]
    if len(unused) > 3:
        more = len(unused) - 3
        shown.append(f"{more} more event{'s' if more > 1 else ''}")
    listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
    then = "not used; strides are counted within a pass only."
    return outside_words(listed[0].upper() + listed[1:], spans, then, many=len(unused) > 1)


def _moved_out(a: GaitEvent, h: HandEvent) -> bool:
    """An automatic event and an event given outside every pass that may be one event
    moved out: same foot and kind, at most :data:`MOVE_WINDOW_S` apart."""
    return (a.side, a.event) == (h.side, h.event) and abs(a.time_s - h.time_s) <= MOVE_WINDOW_S


def analyze_edited(
    seq, hand: Sequence[HandEvent], settings: GaitSettings | None = None, person: int = 0
) -> GaitResult:
    """:func:`~.analysis.analyze_gait` with the events ``hand`` in place of the detected
    ones (see the module's notes); the result's ``events_source`` is ``'edited'``.

    ``result.extra`` holds ``automatic_events`` (the detected events),
    ``hand_events`` (as given), ``changes`` (:class:`EventChanges`), the
    ``events_doc`` merged into ``gait.json`` and ``events_not_used_note`` (the one warning
    line for the events not used, '' for none: the second warning, and the command
    line's note).

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
    given, placed = [h for h, _ in state["unused"]], [on for _, on in state["unused"]]
    m = moved_outside(matched(automatic, result.events), placed, _moved_out)
    changes = m.changes
    auto_keys = {(e.side, e.event, e.index) for e in automatic}
    by_hand = [e.as_dict() for e in result.events if (e.side, e.event, e.index) not in auto_keys]
    unused_note = unused_words(placed, _spans(result.passes, seq.frame_index)) if placed else ""
    notes = (changes.words,) + ((unused_note,) if unused_note else ())
    doc = dict(
        events_note=changes.words,
        events_changed=changes.as_dict(),
        events_placed_by_hand=by_hand,
        events_not_used=[h.as_dict() for h in given],
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
        events_not_used_note=unused_note,
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
