"""Functional tests kept with a session: the ``functional_tests`` field of a session
file, and the test scored again from it.

A record is ``{"options": TestResult.options, "result": the posedash.test/1 document
as shown, "events": the events corrected by hand (only when any)}``
(:func:`kept_record`). Like the angles and the measurements made by hand, the result
is **not read back**: PoseDash scores the test again from the landmarks and the
options (:func:`rescore`: the same :func:`~dashboard.functional.run_test` the Tests page
and ``analyze --test`` call, or the same scoring from the events corrected by hand), so
a file whose numbers were edited cannot disagree with its own landmarks. The ``result``
is there for other programs and for a person opening the file. One record per test
(the last one kept wins).

Pure: no UI.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dashboard.functional.model import TESTS, TestOptions, TestRefused, TestResult, check_options
from dashboard.functional.run import run_test
from dashboard.jsonsafe import to_jsonable

__all__ = ["MAX_RECORDS", "kept_record", "options_of", "read_records", "rescore"]

#: One per test at most.
MAX_RECORDS = len(TESTS)
_FIELDS = {f.name for f in dataclasses.fields(TestOptions)}


def kept_record(result: TestResult) -> dict:
    """The record of a scored test, for a session file (with ``events``: the events
    corrected by hand, :func:`~dashboard.functional.edited.corrected_events`, when any)."""
    from dashboard.functional.edited import corrected_events

    record: dict[str, Any] = {"options": dict(result.options), "result": result.to_dict()}
    events = corrected_events(result)
    if events:
        record["events"] = events
    return to_jsonable(record)


def options_of(record: dict) -> TestOptions:
    """The :class:`TestOptions` of a record; :class:`TestRefused` naming what is wrong."""
    raw = record.get("options") if isinstance(record, dict) else None
    if not isinstance(raw, dict) or raw.get("test") not in TESTS:
        raise TestRefused("the test it names is not one PoseDash scores.")
    kept = {k: v for k, v in raw.items() if k in _FIELDS}
    marks = kept.get("marks_px")
    if marks is not None:
        if not (isinstance(marks, (list, tuple)) and len(marks) == 2):
            raise TestRefused("its floor marks are not two positions.")
        kept["marks_px"] = (float(marks[0]), float(marks[1]))
    for name in ("age", "person"):
        value = kept.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TestRefused(f"its {name} is not a whole number.")
    if "distance_m" in kept and isinstance(kept["distance_m"], int):
        kept["distance_m"] = float(kept["distance_m"])
    if "start_s" in kept and isinstance(kept["start_s"], int):
        kept["start_s"] = float(kept["start_s"])
    try:
        return check_options(TestOptions(**kept))
    except TypeError:
        raise TestRefused("its options cannot be read.") from None


def read_records(raw) -> tuple[list[dict], tuple[str, ...]]:
    """(the records of a session file's ``functional_tests`` field that can be scored,
    notes for the user about those left out). The last record of a test wins."""
    if raw is None:
        return [], ()
    if not isinstance(raw, list):
        return [], ("The functional tests kept with this session could not be read.",)
    by_test: dict[str, dict] = {}
    notes = []
    for item in raw[:50]:
        try:
            opts = options_of(item)
        except TestRefused as exc:
            notes.append(f"A functional test kept with this session was left out: {exc}")
            continue
        record = {"options": dict(item["options"]), "result": item.get("result")}
        if item.get("events") is not None:
            record["events"] = item["events"]
        by_test[opts.test] = record
    records = [by_test[t] for t in TESTS if t in by_test]
    return records, tuple(notes)


def rescore(seq, record: dict, notes=(), source: dict | None = None) -> TestResult:
    """The test of ``record`` scored again on ``seq``, from its events corrected by hand
    when it keeps them (:func:`~dashboard.functional.edited.score_edited`), else from the
    events found (:class:`TestRefused` when the recording cannot give it, with the
    reason; InputError when the events kept cannot be read)."""
    opts = options_of(record)
    if record.get("events") is None:
        return run_test(seq, opts, source, notes)
    from dashboard.functional.edited import score_edited
    from dashboard.functional.events_file import events_from_json

    return score_edited(seq, opts, events_from_json(record["events"]), source, notes=notes)
