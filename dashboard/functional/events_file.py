"""A functional test's events given by hand: :class:`TestHandEvent`, the
``<stem>.test_events.csv`` PoseDash writes (:func:`events_csv`) and reads back
(:func:`read_test_events_csv`, for ``analyze VIDEO --test T --events-from EVENTS.csv``).

The file has the columns ``event`` (``start``, ``seat_off``, ``full_stand``,
``seat_on``, ``standing``, ``turn_start``, ``turn_end``, ``sit_turn_start``,
``seated``, ``zone_entry``, ``zone_exit``, ``end``, ``contact``, ``lift_off``,
``touch_down``; a number after an underscore, ``seat_off_3``, is allowed and not
used: stands, trials and contacts are numbered in time order) and ``time_s``
(seconds on the video's clock); ``frame`` (the video's frame number) is optional and
must agree with ``time_s``. Other columns (``confidence``, ``label``,
``placed_by_hand``) are ignored. Commas, semicolons or tabs separate the cells; with
semicolons or tabs a decimal comma is read as a point.

Hostile or damaged files are refused with one sentence naming the row: not UTF-8
text, larger than :data:`MAX_BYTES`, more than :data:`MAX_EVENTS` rows, missing
columns, unknown events, spreadsheet formulas, times that are not finite numbers,
repeated rows, no event at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from dashboard.errors import InputError
from dashboard.kinematics.gait.events_file import (
    frame_cell,
    refuse_formulas,
    seconds_cell,
    shown_cell,
)

__all__ = [
    "DERIVED",
    "EVENT_KINDS",
    "MAX_BYTES",
    "MAX_EVENTS",
    "TestHandEvent",
    "events_csv",
    "events_from_json",
    "hand_events_of",
    "kind_of",
    "read_test_events_csv",
]

#: A test's events file is small: a 30-s chair stand has about 50 events.
MAX_BYTES = 512 * 1024
MAX_EVENTS = 5_000
#: Every event a test can have, as in ``test.json`` and ``test_events.csv``.
EVENT_KINDS = (
    "start",
    "seat_off",
    "full_stand",
    "seat_on",
    "standing",
    "turn_start",
    "turn_end",
    "sit_turn_start",
    "seated",
    "zone_entry",
    "zone_exit",
    "end",
    "contact",
    "lift_off",
    "touch_down",
)
#: Events placed from others (the 30-s mark is the start plus 30 s): read and not used.
DERIVED = ("end_30s",)
_NUMBERED = re.compile(r"_\d+$")
COLUMNS = ("event", "time_s", "frame", "confidence", "label", "placed_by_hand")


def kind_of(name: str) -> str:
    """``'seat_off'`` of ``'seat_off_3'``: the kind of a numbered event."""
    return _NUMBERED.sub("", name)


@dataclass(frozen=True)
class TestHandEvent:
    """One event of a test as the clinician (or a file) gives it; ``row`` where it
    came from (for messages; not compared)."""

    __test__ = False

    event: str
    time_s: float
    frame: int | None = None
    row: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        where = f"row {self.row}" if self.row is not None else "event"
        return f"{where} ({self.event.replace('_', ' ')} at {self.time_s:.3f} s)"

    def as_dict(self) -> dict:
        return dict(event=self.event, time_s=self.time_s, frame=self.frame)


def hand_events_of(events) -> tuple[TestHandEvent, ...]:
    """The :class:`TestHandEvent` of a result's events (its ``Event`` objects or their
    dicts): the starting point of a correction by hand; derived events left out."""
    out = []
    for e in events:
        d = e if isinstance(e, dict) else e.as_dict() | {"time_s": float(e.time_s)}
        kind = kind_of(str(d["event"]))
        if kind in DERIVED:
            continue
        out.append(TestHandEvent(kind, float(d["time_s"]), int(d["frame"])))
    return tuple(out)


def events_csv(events) -> str:
    """The ``test_events.csv`` text of a result's events (``TestResult.events``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in events:
        d = e.as_dict()
        # full precision: a time read back lands on the same frame
        row = [d["event"], f"{float(e.time_s):.6f}", d["frame"], d["confidence"], d["label"]]
        w.writerow([*row, "yes" if d["placed_by_hand"] else "no"])
    return buf.getvalue()


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise InputError(
            f"The events file is {len(data) / 1e6:.1f} MB: a test's events file is at most "
            f"{MAX_BYTES // 1024} kB."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("The events file is not a text (UTF-8) CSV file.") from None


def _header(first: str) -> tuple[str, list[str]]:
    for delim in (",", ";", "\t"):
        names = [c.strip().strip('"').strip().lower() for c in first.split(delim)]
        if "side" in names:
            raise InputError(
                "This is a gait events file (it has a side column): a test's events file "
                "has the columns event and time_s, as in the test_events.csv PoseDash writes."
            )
        if "event" in names and "time_s" in names:
            return delim, names
    raise InputError(
        "The events file needs the columns event and time_s (frame optional), as in the "
        f"test_events.csv PoseDash writes; its first line is {shown_cell(first)}."
    )


def _event(cells: dict[str, str], delim: str, row: int) -> TestHandEvent | None:
    refuse_formulas(cells, row)
    kind = kind_of(re.sub(r"[\s-]+", "_", cells["event"].strip().lower()))
    if kind in DERIVED:
        return None
    if kind not in EVENT_KINDS:
        raise InputError(
            f"Row {row}: event {shown_cell(cells['event'])} is not one of " + ", ".join(EVENT_KINDS)
        )
    time_s = seconds_cell(cells["time_s"], delim, row, "time_s")
    frame = frame_cell(cells.get("frame", ""), row)
    return TestHandEvent(kind, time_s, frame, row)


def read_test_events_csv(data: bytes | str) -> tuple[TestHandEvent, ...]:
    """The events of a ``test_events.csv`` file, in time order; InputError (one
    sentence naming the row) for a file that cannot be read as one."""
    text = _text(data)
    if not text.strip():
        raise InputError("The events file is empty.")
    delim, names = _header(text.splitlines()[0])
    wanted = {n: names.index(n) for n in ("event", "time_s", "frame") if n in names}
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    next(reader, None)
    out: list[TestHandEvent] = []
    seen: dict[tuple, int] = {}
    try:
        for row, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if row > MAX_EVENTS + 1:
                raise InputError(f"The events file has more than {MAX_EVENTS:,} rows.")
            e = _event(
                {n: cells[i] if i < len(cells) else "" for n, i in wanted.items()}, delim, row
            )
            if e is None:
                continue
            key = (e.event, round(e.time_s, 4))
            if key in seen:
                raise InputError(f"Row {row} repeats row {seen[key]} ({e.label}).")
            seen[key] = row
            out.append(e)
    except csv.Error as exc:
        raise InputError(f"The events file is not a readable CSV file ({exc}).") from None
    if not out:
        raise InputError("The events file has no events (only its header, or nothing).")
    return tuple(sorted(out, key=lambda e: e.time_s))


def events_from_json(rows) -> tuple[TestHandEvent, ...]:
    """The events of a JSON list of ``{event, time_s, frame}`` (a saved correction),
    checked as a CSV file's rows (InputError, one sentence)."""
    if not isinstance(rows, list) or not rows or len(rows) > MAX_EVENTS:
        raise InputError("The test events corrected by hand are not a list of events.")
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or isinstance(row.get("time_s"), bool):
            raise InputError(f"Test event {n} corrected by hand is not an event.")
        cells = {k: "" if row.get(k) is None else str(row.get(k)) for k in ("event", "time_s")}
        cells["frame"] = "" if row.get("frame") is None else str(row.get("frame"))
        e = _event(cells, ",", n)
        if e is not None:
            out.append(TestHandEvent(e.event, e.time_s, e.frame))
    return tuple(sorted(out, key=lambda e: e.time_s))
