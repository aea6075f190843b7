"""Gait events corrected by hand in a session file: the optional ``gait_events`` field.

``{"source": "edited", "person": slot, "events": [{side, event, time_s, frame}],
"automatic": [the detected events, for reference], "changes": {n, moved, added,
deleted}, "note": "Events corrected by hand (N changed: ...)", "frontal": {"person": slot,
"events": [{side, event, time_s, frame}]}}``
(:func:`dashboard.kinematics.gait.edited.events_record`); ``frontal`` (optional) the
contacts of walking towards or away from the camera corrected by hand (``initial_contact``,
``foot_lift``), ``events`` empty when only those were corrected. On reading, the events are
checked as an events file's rows (:func:`~dashboard.kinematics.gait.events_file.events_from_json`);
the gait analysis is recomputed from them and the landmarks, never read from the file.
A damaged field is left out with a note: the session opens with the automatic events.
"""

from __future__ import annotations

from dashboard.errors import InputError
from dashboard.jsonsafe import to_jsonable

__all__ = ["gait_events_field", "read_gait_events"]


def gait_events_field(record: dict | None) -> dict:
    """The manifest entry for ``record`` (nothing without events corrected by hand)."""
    return {"gait_events": to_jsonable(record)} if record else {}


def read_gait_events(raw, people: int) -> tuple[dict | None, tuple[str, ...]]:
    """(``{'person', 'events', 'automatic', 'changes', 'frontal'}`` or None, notes for the
    user). ``events`` None when only the frontal contacts were corrected; ``frontal``
    ``{'person', 'events'}`` or None."""
    from dashboard.kinematics.gait.events_file import events_from_json

    if raw is None:
        return None, ()
    try:
        if not isinstance(raw, dict):
            raise InputError("they are not a list of events.")
        person = _person(raw.get("person", 0), people)
        frontal = _frontal(raw.get("frontal"), people)
        if raw.get("events") == [] and frontal is not None:
            events = None
        else:
            events = events_from_json(raw.get("events"))
    except InputError as exc:
        return None, (
            f"The gait events corrected by hand could not be read ({exc}) The Gait page "
            "shows the automatic events.",
        )
    automatic = raw.get("automatic") if isinstance(raw.get("automatic"), list) else []
    changes = raw.get("changes") if isinstance(raw.get("changes"), dict) else {}
    return (
        dict(person=person, events=events, automatic=automatic, changes=changes, frontal=frontal),
        (),
    )


def _person(person, people: int) -> int:
    if isinstance(person, bool) or not isinstance(person, int) or not 0 <= person < people:
        raise InputError("the person they belong to is not in this session.")
    return person


def _frontal(raw, people: int) -> dict | None:
    """The frontal contacts corrected by hand, checked (InputError), or None."""
    from dashboard.kinematics.gait.events_file import events_from_json
    from dashboard.kinematics.gait.frontal_edited import FRONTAL_KINDS

    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError("the contacts of walking towards or away are not a list of events.")
    events = events_from_json(raw.get("events"), FRONTAL_KINDS)
    return dict(person=_person(raw.get("person", 0), people), events=events)
