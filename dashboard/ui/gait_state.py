"""This browser session's gait events corrected by hand, per analysis (keyed by the
analysis's landmark fingerprint, as the measurements made by hand), and the gait
result every page shows: the automatic one, or the one recomputed from the events
corrected by hand (:func:`dashboard.kinematics.gait.edited.analyze_edited`).
Memory only; saved in a session file or the patient library when the user saves."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.analysis import Analysis
from dashboard.ui import keys, state

KEY = "posedash_gait_hand_events"
FRONTAL = "posedash_gait_frontal_hand"  # contacts of walking towards/away, by hand

__all__ = [
    "automatic",
    "clear",
    "clear_frontal",
    "corrections",
    "frontal_corrections",
    "hand_events",
    "opened",
    "record",
    "result",
    "set_frontal",
    "set_hand_events",
]


def _store() -> dict:
    return keys.GAIT_HAND_EVENTS.setdefault({})


def hand_events(analysis: Analysis, person: int) -> tuple | None:
    """The events corrected by hand of ``analysis``'s ``person``, or None (automatic)."""
    saved = _store().get(state.fingerprint(analysis))
    return saved["events"] if saved and saved["person"] == person else None


def corrections(analysis: Analysis) -> dict | None:
    """``{'person', 'events'}`` corrected by hand on ``analysis``, or None."""
    return _store().get(state.fingerprint(analysis))


def set_hand_events(analysis: Analysis, person: int, events: Iterable) -> None:
    _store()[state.fingerprint(analysis)] = {"person": int(person), "events": tuple(events)}


def clear(analysis: Analysis) -> None:
    """Back to the automatic events."""
    _store().pop(state.fingerprint(analysis), None)


def opened(analysis: Analysis, saved: dict | None) -> None:
    """A session file was opened: its events corrected by hand (None: automatic)."""
    if saved and saved.get("events"):
        set_hand_events(analysis, saved["person"], saved["events"])
    else:
        clear(analysis)
    frontal = saved.get("frontal") if saved else None
    if frontal:
        set_frontal(analysis, frontal["person"], frontal["events"])
    else:
        clear_frontal(analysis)


def automatic(analysis: Analysis, settings, person: int):
    """The automatic gait analysis (once per analysis, settings and person)."""
    from dashboard.kinematics.gait import analyze_gait

    return state.remember(
        ("gait", state.fingerprint(analysis), repr(settings), person),
        lambda: analyze_gait(analysis.poses, settings, person),
        slots=3,
    )


def result(analysis: Analysis, settings, person: int, hand=None, frontal=None):
    """The gait result to show: from ``hand`` events (default: this session's events
    corrected by hand) when there are any, else the automatic one; its walking towards
    or away from the camera from the ``frontal`` contacts (default: this session's
    corrected by hand) when there are any. Raises InputError when an event cannot be
    placed."""
    hand = hand_events(analysis, person) if hand is None else tuple(hand)
    if hand is None:
        base = automatic(analysis, settings, person)
    else:
        from dashboard.kinematics.gait.edited import analyze_edited

        base = state.remember(
            ("gait_edited", state.fingerprint(analysis), repr(settings), person, hand),
            lambda: analyze_edited(analysis.poses, hand, settings, person),
            slots=3,
        )
    if frontal is None:
        saved = state.slot(FRONTAL).get(state.fingerprint(analysis))
        frontal = saved["events"] if saved and saved["person"] == person else None
    if frontal is None or base.frontal is None:
        return base
    from dashboard.kinematics.gait.frontal_edited import with_frontal_edits

    contacts = tuple(frontal)
    return state.remember(
        ("gait_frontal", state.fingerprint(analysis), repr(settings), person, hand, contacts),
        lambda: with_frontal_edits(base, contacts, analysis.poses),
        slots=3,
    )


def set_frontal(analysis: Analysis, person: int, events: Iterable) -> None:
    """The contacts of walking towards or away from the camera corrected by hand."""
    state.slot(FRONTAL)[state.fingerprint(analysis)] = {
        "person": int(person),
        "events": tuple(events),
    }


def frontal_corrections(analysis: Analysis) -> dict | None:
    """``{'person', 'events'}``: the frontal contacts corrected by hand, or None."""
    return state.slot(FRONTAL).get(state.fingerprint(analysis))


def clear_frontal(analysis: Analysis) -> None:
    state.slot(FRONTAL).pop(state.fingerprint(analysis), None)


def record(analysis: Analysis) -> dict | None:
    """What a session file keeps of the events corrected by hand of ``analysis`` (with
    this session's gait settings), or None: no correction, or one that no longer holds.
    The contacts of walking towards or away from the camera corrected by hand go with it
    (``frontal``; ``events`` empty when only those were corrected)."""
    saved = _store().get(state.fingerprint(analysis))
    out = None
    if saved:
        from dashboard.kinematics.gait.edited import events_record

        try:
            person = saved["person"]
            out = events_record(result(analysis, state.gait_settings(), person), person)
        except Exception:  # the page says why; the file keeps the automatic events
            out = None
    frontal = _frontal_record(analysis)
    if frontal:
        base = out or dict(source="edited", person=frontal["person"], events=[], note="")
        note = "; ".join(n for n in (base["note"], frontal["note"]) if n)
        out = {**base, "note": note, "frontal": frontal}
    return out


def _frontal_record(analysis: Analysis) -> dict | None:
    """The contacts of walking towards or away corrected by hand, with their note, or
    None: none, or a correction that no longer holds (the page says why)."""
    front = state.slot(FRONTAL).get(state.fingerprint(analysis))
    if not front:
        return None
    try:
        fr = result(analysis, state.gait_settings(), front["person"]).frontal
    except Exception:  # the page says why; the file keeps the automatic contacts
        return None
    if fr is None or not fr.edits:
        return None
    return dict(
        person=front["person"],
        events=[h.as_dict() for h in front["events"]],
        note=f"walking towards or away from the camera: {fr.edits['events_note']}",
    )
