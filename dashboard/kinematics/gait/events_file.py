"""Gait events given by hand: :class:`HandEvent`, read from a ``gait_events.csv``.

The file has the columns of the ``<stem>.gait_events.csv`` PoseDash writes:
``side`` (left, right), ``event`` (initial_contact, toe_off, foot_off) and
``time_s`` (seconds from the start of the video), ``frame`` optional (the video's
frame number; when given it must agree with ``time_s``); other columns are
ignored. Commas, semicolons or tabs separate the cells (as spreadsheets save
them); with semicolons or tabs a decimal comma is read as a point.

Hostile or damaged files are refused with one sentence naming the row and column:
not UTF-8 text, larger than :data:`MAX_BYTES`, more than :data:`MAX_EVENTS` rows,
missing columns, unknown sides or events, cells that are spreadsheet formulas,
times that are not finite numbers, repeated events, no event at all.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

from dashboard.errors import InputError

__all__ = [
    "EVENT_KINDS",
    "MAX_BYTES",
    "MAX_EVENTS",
    "HandEvent",
    "events_from_json",
    "hand_events_of",
    "read_events_csv",
]

#: The largest events file read: an hour of walking has about 15,000 events of ~60 bytes.
MAX_BYTES = 2 * 1024 * 1024
#: The most events (rows) read from a file.
MAX_EVENTS = 20_000
#: Event names, as in ``gait.json`` and ``gait_events.csv``.
EVENT_KINDS = ("initial_contact", "toe_off", "foot_off")
_SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}
_REQUIRED = ("side", "event", "time_s")
_FORMULA = re.compile(r"^\s*([=@\t\r]|[+-](?![\d.]))")
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")


@dataclass(frozen=True)
class HandEvent:
    """One gait event as the clinician (or a file) gives it.

    ``frame`` is the video's frame number, or None; ``row`` where it came from
    (the file's row number, for messages; not compared).
    """

    side: str
    event: str
    time_s: float
    frame: int | None = None
    row: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        where = f"row {self.row}" if self.row is not None else "event"
        return f"{where} ({self.side} {self.event.replace('_', ' ')} at {self.time_s:.3f} s)"

    def as_dict(self) -> dict:
        return dict(side=self.side, event=self.event, time_s=self.time_s, frame=self.frame)


def hand_events_of(events) -> tuple[HandEvent, ...]:
    """The :class:`HandEvent` of each :class:`~.events.GaitEvent` (the starting point
    of a correction by hand)."""
    return tuple(HandEvent(e.side, e.event, float(e.time_s), int(e.frame)) for e in events)


def shown_cell(cell: str) -> str:
    """A cell quoted in a message: printable, at most 24 characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in cell).strip()
    return repr(text if len(text) <= 24 else text[:23] + "…")


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise InputError(
            f"The events file is {len(data) / 1e6:.1f} MB: a gait events file is at most "
            f"{MAX_BYTES // (1024 * 1024)} MB."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("The events file is not a text (UTF-8) CSV file.") from None


def _header(lines: list[str]) -> tuple[str, list[str]]:
    """The delimiter and the lower-cased column names of the first line."""
    first = lines[0] if lines else ""
    for delim in (",", ";", "\t"):
        names = [c.strip().strip('"').strip().lower() for c in first.split(delim)]
        if all(n in names for n in _REQUIRED):
            return delim, names
    shown = shown_cell(first)
    raise InputError(
        "The events file needs the columns side, event and time_s (frame optional), "
        f"as in the gait_events.csv PoseDash writes; its first line is {shown}."
    )


def refuse_formulas(cells: dict[str, str], row: int) -> None:
    """InputError when a cell of row ``row`` is a spreadsheet formula (=, @, +/- not a number)."""
    for column, cell in cells.items():
        if _FORMULA.match(cell):
            raise InputError(
                f"Row {row}: {column} {shown_cell(cell)} is a spreadsheet formula, not a value."
            )


def seconds_cell(cell: str, delim: str, row: int, column: str) -> float:
    """A cell of seconds (a decimal comma read in a ; or tab file); InputError naming the row."""
    text = cell.strip()
    if delim != "," and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"Row {row}: {column} {shown_cell(cell)} is not a number of seconds.")
    return value


def frame_cell(cell: str, row: int) -> int | None:
    """A cell of a frame number (empty: None); InputError naming the row."""
    text = cell.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0 and value == int(value) and value < 1e9):
        raise InputError(
            f"Row {row}: frame {shown_cell(cell)} is not a frame number (0, 1, 2 ...)."
        )
    return int(value)


def _event(
    cells: dict[str, str], delim: str, row: int, kinds: tuple[str, ...] = EVENT_KINDS
) -> HandEvent:
    refuse_formulas(cells, row)
    side = _SIDES.get(cells["side"].strip().lower())
    if side is None:
        raise InputError(f"Row {row}: side {shown_cell(cells['side'])} is not left or right.")
    kind = re.sub(r"[\s-]+", "_", cells["event"].strip().lower())
    if kind not in kinds:
        raise InputError(
            f"Row {row}: event {shown_cell(cells['event'])} is not one of " + ", ".join(kinds) + "."
        )
    time_s = seconds_cell(cells["time_s"], delim, row, "time_s")
    return HandEvent(side, kind, time_s, frame_cell(cells.get("frame", ""), row), row)


def read_events_csv(data: bytes | str) -> tuple[HandEvent, ...]:
    """The events of a ``gait_events.csv`` file, in time order.

    Raises
    ------
    InputError
        One sentence saying what is wrong and where (see the module's notes).
    """
    text = _text(data)
    lines = text.splitlines()
    if not text.strip():
        raise InputError("The events file is empty.")
    delim, names = _header(lines)
    wanted = {n: names.index(n) for n in (*_REQUIRED, "frame") if n in names}
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    next(reader, None)
    out: list[HandEvent] = []
    seen: dict[tuple, int] = {}
    try:
        for row, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(out) >= MAX_EVENTS:
                raise InputError(
                    f"The events file has more than {MAX_EVENTS:,} events: a gait events "
                    "file has a few per step."
                )
            picked = {n: cells[i] if i < len(cells) else "" for n, i in wanted.items()}
            e = _event(picked, delim, row)
            key = (e.side, e.event, round(e.time_s, 4))
            if key in seen:
                raise InputError(f"Row {row} repeats row {seen[key]} ({e.label}).")
            seen[key] = row
            out.append(e)
    except csv.Error as exc:
        raise InputError(f"The events file is not a readable CSV file ({exc}).") from None
    if not out:
        raise InputError("The events file has no events (only its header, or nothing).")
    return tuple(sorted(out, key=lambda e: (e.time_s, e.side, e.event)))


def events_from_json(rows, kinds: tuple[str, ...] = EVENT_KINDS) -> tuple[HandEvent, ...]:
    """The events of a JSON list of ``{side, event, time_s, frame}`` (a session file's
    ``gait_events``), checked as a CSV file's rows (InputError, one sentence); ``kinds``
    the event names accepted (the frontal contacts': ``initial_contact``, ``foot_lift``)."""
    if not isinstance(rows, list) or not rows:
        raise InputError("The events corrected by hand are not a list of events.")
    if len(rows) > MAX_EVENTS:
        raise InputError(f"More than {MAX_EVENTS:,} events corrected by hand.")
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputError(f"Event {n} corrected by hand is not an event.")
        frame = row.get("frame")
        cells = {
            k: "" if row.get(k) is None else str(row.get(k)) for k in ("side", "event", "time_s")
        }
        cells["frame"] = "" if frame is None else str(frame)
        if isinstance(row.get("time_s"), bool) or isinstance(frame, bool):
            raise InputError(
                f"Event {n} corrected by hand has a time or frame that is not a number."
            )
        e = _event(cells, ",", n, kinds)
        out.append(HandEvent(e.side, e.event, e.time_s, e.frame))
    return tuple(sorted(out, key=lambda e: (e.time_s, e.side, e.event)))
