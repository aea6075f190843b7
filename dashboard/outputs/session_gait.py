"""Gait events corrected by hand in a session file: the optional ``gait_events`` field.

``{"source": "edited", "person": slot, "events": [{side, event, time_s, frame}],
"automatic": [the detected events, for reference], "changes": {n, moved, added,
deleted}, "note": "Events corrected by hand (N changed: ...)"}``
(:func:`dashboard.kinematics.gait.edited.events_record`). On reading, the events are
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
    """(``{'person', 'events', 'automatic', 'changes'}`` or None, notes for the user)."""
    from dashboard.kinematics.gait.events_file import events_from_json

    if raw is None:
        return None, ()
    try:
        if not isinstance(raw, dict):
            raise InputError("they are not a list of events.")
        person = raw.get("person", 0)
        if isinstance(person, bool) or not isinstance(person, int) or not 0 <= person < people:
            raise InputError("the person they belong to is not in this session.")
        events = events_from_json(raw.get("events"))
    except InputError as exc:
        return None, (
            f"The gait events corrected by hand could not be read ({exc}) The Gait page "
            "shows the automatic events.",
        )
    automatic = raw.get("automatic") if isinstance(raw.get("automatic"), list) else []
    changes = raw.get("changes") if isinstance(raw.get("changes"), dict) else {}
    return dict(person=person, events=events, automatic=automatic, changes=changes), ()
