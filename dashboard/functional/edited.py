"""A functional test scored from events corrected by hand: :func:`score_edited`.

The clinician (on the Tests page's event timeline) or a researcher (``analyze VIDEO
--test T --events-from EVENTS.csv``) gives the test's events: the clock's start,
seat-offs, full stands and seat-ons, the TUG's phase boundaries, the timed zone's
entry and exit, the backward walk's end and contacts, the single-leg stance lift-offs
and touch-downs. The result (times, stands, phases, where it falls in the norms) is
recomputed from them by the automatic scoring's own rules (:mod:`.rescore`), without
detecting anything again. The document says ``events_source: "edited"``, "Events
corrected by hand (N changed: ...)", and keeps the automatic events for reference.

Each event given is put on the analysed frame nearest its time; one identical to an
automatic event (same kind and frame, or the same time) is that event, unchanged
(its confidence kept); any other is placed by hand (confidence 1: the clinician
vouches for it). A start moved by hand is a start "set on a frame". Refused
(:class:`~.model.TestRefused`, one sentence): an event the test does not have, one
outside the video, a frame number that disagrees with its time, two events of one
kind on one frame, a second event of a kind the test has once, no start.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from dashboard.functional.events_file import DERIVED, TestHandEvent, kind_of
from dashboard.functional.model import TITLES, Event, TestOptions, TestRefused, TestResult
from dashboard.functional.rescore import rescore
from dashboard.functional.run import headline, run_test
from dashboard.functional.signals import choose_person, extract
from dashboard.kinematics.hand_events import (
    Matched,
    corrections,
    match_changes,
    nearest_sample,
)

__all__ = [
    "EVENT_WORDS",
    "KINDS",
    "MOVE_WINDOW_S",
    "corrected_events",
    "count_changes",
    "matched",
    "place_events",
    "repeated",
    "score_edited",
]

_STS = ("start", "seat_off", "full_stand", "seat_on")
#: The events each test has (the clock's start first).
KINDS = {
    "sts5": _STS,
    "chair30": _STS,
    "tug": ("start", "seat_off", "standing", "turn_start", "turn_end", "sit_turn_start", "seated"),
    "walk10": ("start", "zone_entry", "zone_exit"),
    "backward3": ("start", "end", "contact"),
    "sls": ("start", "lift_off", "touch_down"),
}
#: Each kind of event in words (the Tests page, the report).
EVENT_WORDS = {
    "start": "start of the clock",
    "seat_off": "seat-off",
    "full_stand": "full stand",
    "seat_on": "seat-on",
    "standing": "standing",
    "turn_start": "turn start",
    "turn_end": "turn end",
    "sit_turn_start": "turn to sit",
    "seated": "seated",
    "zone_entry": "timed zone entry",
    "zone_exit": "timed zone exit",
    "end": "end of the walk",
    "contact": "foot contact",
    "lift_off": "lift-off",
    "touch_down": "touch-down",
}
_REPEATED = ("seat_off", "full_stand", "seat_on", "contact", "lift_off", "touch_down")
#: An automatic event and a hand event of the same kind at most this far apart count as
#: one event moved (for a kind the test has once, any distance).
MOVE_WINDOW_S = 0.6


def repeated(test: str, kind: str) -> bool:
    """Can ``test`` have several ``kind`` events? (A TUG has one of each.)"""
    return test != "tug" and kind in _REPEATED


def _automatic(auto: TestResult) -> list[Event]:
    out = []
    for e in auto.events:
        kind = kind_of(e.event)
        if kind not in DERIVED:
            out.append(dataclasses.replace(e, event=kind))
    return out


def place_events(
    hand: Sequence[TestHandEvent], auto: TestResult, t: np.ndarray, frame_index: np.ndarray
) -> list[Event]:
    """The hand events as :class:`~.model.Event` named by kind, in time order (see the
    module's notes for what is refused)."""
    test = auto.test
    automatic = _automatic(auto)
    out: dict[tuple, Event] = {}
    for h in hand:
        if h.event not in KINDS[test]:
            raise TestRefused(
                f"{h.label}: a {TITLES[test]} has no {h.event.replace('_', ' ')} event "
                f"(its events: {', '.join(KINDS[test])})."
            )
        same = [e for e in automatic if e.event == h.event]
        ev = next((e for e in same if abs(e.time_s - h.time_s) < 5e-4), None)
        if ev is None:
            idx = nearest_sample(h, t, frame_index, TestRefused)
            ev = next((e for e in same if e.index == idx), None) or Event(
                h.event, idx, int(frame_index[idx]), float(t[idx]), 1.0, "", by_hand=True
            )
        if (h.event, ev.index) in out:
            raise TestRefused(f"{h.label}: a second {h.event.replace('_', ' ')} on that frame.")
        if not repeated(test, h.event) and any(k == h.event for k, _ in out):
            raise TestRefused(
                f"{h.label}: a {TITLES[test]} has one {h.event.replace('_', ' ')}: "
                "move it rather than adding another."
            )
        out[(h.event, ev.index)] = ev
    if not any(k == "start" for k, _ in out):
        raise TestRefused("The clock's start is missing: move it rather than deleting it.")
    return sorted(out.values(), key=lambda e: (e.index, e.event != "start"))


def count_changes(test: str, automatic: Sequence[Event], edited: Sequence[Event]):
    """Events moved, added and deleted (:class:`~dashboard.kinematics.hand_events.EventChanges`,
    :func:`matched`)."""
    return matched(test, automatic, edited).changes


def matched(test: str, automatic: Sequence[Event], edited: Sequence[Event]) -> Matched:
    """``edited`` against ``automatic`` (:func:`~dashboard.kinematics.hand_events.match_changes`):
    same kind and frame is unchanged; a remaining pair of the same kind (at most
    :data:`MOVE_WINDOW_S` apart for a kind the test has several of) is one event moved,
    nearest pairs first; the rest are added or deleted."""
    return match_changes(
        automatic,
        edited,
        key=lambda e: (e.event, e.index),
        movable=lambda a, e: (
            a.event == e.event
            and (not repeated(test, a.event) or abs(a.time_s - e.time_s) <= MOVE_WINDOW_S)
        ),
    )


def _marked(events, placed: list[Event]) -> list[Event]:
    """The scorer's events, those placed by hand marked (confidence 1)."""
    by_hand = {(e.event, e.index) for e in placed if e.by_hand}
    return [
        dataclasses.replace(e, confidence=1.0, by_hand=True)
        if (kind_of(e.event), e.index) in by_hand
        else e
        for e in events
    ]


def _namer(auto: TestResult):
    """An event's words for the list of corrections: "seat-on 2" as the automatic result
    numbered it, else "seat-on"."""
    names = {(kind_of(e.event), e.index): e.event for e in auto.events}

    def words(e: Event) -> str:
        name = names.get((e.event, e.index), e.event)
        number = name[len(e.event) + 1 :] if name != e.event else ""
        return f"{EVENT_WORDS.get(e.event, e.event)} {number}".strip()

    return words


def _unused_words(unused: Sequence[Event]) -> str:
    shown = "; ".join(f"{e.event.replace('_', ' ')} at {e.time_s:.2f} s" for e in unused[:3])
    return f"{len(unused)} event(s) belong to no stand or trial and are not used ({shown})."


def score_edited(
    seq,
    opts: TestOptions,
    hand: Sequence[TestHandEvent],
    source: dict | None = None,
    automatic: TestResult | None = None,
    notes=(),
) -> TestResult:
    """The test ``opts.test`` on ``seq`` scored from the events ``hand`` (see the module's
    notes); ``automatic``: the automatic result when already computed; ``notes``: the
    analysis's notes (:func:`~.run.run_test`). Without a change
    the automatic result itself. Raises :class:`~.model.TestRefused`."""
    auto = automatic if automatic is not None else run_test(seq, opts, source, notes)
    sig = extract(seq, choose_person(seq, opts.person))
    placed = place_events(hand, auto, sig.time_s, sig.frame_index)
    m = matched(auto.test, _automatic(auto), placed)
    changes = m.changes
    if changes.n == 0:
        return auto
    start = next(e for e in placed if e.event == "start")
    start_doc = auto.start
    if start.by_hand:
        start = dataclasses.replace(start, label="start (set by hand)")
        start_doc = {"method": "given", "time_s": start.time_s, "frame": start.frame}
    gait = None
    if opts.test == "walk10":
        from dashboard.functional.walks import gait_of

        gait = gait_of(seq, choose_person(seq, opts.person))
    others = [e for e in placed if e.event != "start"]
    scored = rescore(sig, opts, start, others, gait=gait)
    events = _marked([start, *scored["events"]], placed)
    events.sort(key=lambda e: (e.index, e.event != "start"))
    warnings = [changes.words, *scored["warnings"]]
    if scored["unused"]:
        warnings.append(_unused_words(scored["unused"]))
    warnings += [c.detail for c in auto.setup if c.status == "caution"]
    from dashboard.functional.norms import place

    result = scored["result"]
    for key in ("sides", "sides_note"):  # the single-leg stance's sides: the automatic run's
        if key in auto.result:
            result[key] = auto.result[key]
    edits = {
        "events_note": changes.words,
        "events_changed": changes.as_dict(),
        **corrections(m, len(placed), _namer(auto)),
        "automatic_events": [e.as_dict() for e in auto.events],
    }
    return dataclasses.replace(
        auto,
        result=result,
        events=tuple(events),
        start=start_doc,
        warnings=tuple(warnings),
        withheld=scored["withheld"],
        phases=tuple(scored.get("phases", ())),
        norms=place(opts.test, result, opts.age, opts.sex),
        headline=headline(opts.test, result),
        edits=edits,
    )


def corrected_events(result: TestResult) -> list[dict] | None:
    """What a saved record keeps of the events corrected by hand (``{event, time_s,
    frame}`` each, read back with :func:`~.events_file.events_from_json` and given to
    :func:`score_edited`); None for a result of automatic events."""
    if not result.edits:
        return None
    from dashboard.functional.events_file import hand_events_of

    return [h.as_dict() for h in hand_events_of(result.events)]
