"""The one schema of a session file's settings: every field, its type and its range.

A session file is user-supplied data: it may have been edited by hand, written by
another program, or crafted. Every setting it carries is checked here on
reading, against the same ranges the app's controls offer:

* the **detection settings** (``settings``) and the recording's description
  (``fps``, ``stride``) say how the landmarks were made; a value outside its
  range means the file cannot be trusted, and it is refused with a message
  naming the field;
* the **angle settings** (``angle_settings``) only say how to display the
  angles; a value outside its range is replaced by the default, and a note
  naming the field says so;
* the **notes on how the recording was read** (``read_notes``: which video
  stream, repaired timestamps, a photo analysed at a reduced size) are text
  from the file: each is made one line of visible characters (control,
  line-break and invisible formatting characters such as bidirectional
  overrides become spaces); a note that is not text or is longer than
  :data:`MAX_READ_NOTE_CHARS`, and notes beyond :data:`MAX_READ_NOTES`, are
  left out, and a note for the user says so. They never refuse the file.

Types are strict: a number given as a string (``"7"``), a boolean for a number,
NaN or infinity are all out of range. Problems quote the value found, cut to
:data:`MAX_QUOTED` characters.

Notes
-----
Limits
    :data:`SESSION_LIMITS` documents the largest session PoseDash opens (frames,
    people, duration); :mod:`dashboard.outputs.session` checks them before reading any
    array, so a file declaring more is refused before memory is allocated.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.errors import InputError
from dashboard.settings import AnalysisSettings
from dashboard.skeleton import NUM_LANDMARKS

#: The largest session PoseDash opens, with the memory that needs.
SESSION_LIMITS = {
    # one hour at 60 frames per second
    "frames": 216_000,
    "people": 10,
    # frames x people: 10 minutes (the default video limit) at 60 fps with 10 people;
    # about 2.1 kB of landmarks each, so at most about 760 MB
    "frame_slots": 360_000,
    "duration_s": 6 * 3600.0,
}

#: Notes on how the recording was read: PoseDash writes at most three sentences
#: of under 300 characters; more, or longer, did not come from PoseDash.
MAX_READ_NOTES = 20
MAX_READ_NOTE_CHARS = 1000
#: Longest quotation of a value from the file in a message.
MAX_QUOTED = 60

#: Why a file is refused: (message, what to do), for :class:`InputError`.
NOT_A_SESSION = (
    "This file is not a PoseDash session.",
    "Choose a file saved by PoseDash with “Save session” (its name ends in .posedash).",
)
DAMAGED = (
    "This session file is damaged or incomplete, so PoseDash cannot open it.",
    "If it was copied or downloaded, copy it again; otherwise open the original "
    "recording and analyse it again.",
)


def quoted(value: Any) -> str:
    """``repr(value)`` for a message, on one line and at most :data:`MAX_QUOTED`
    characters (a hostile file's value must not fill the screen)."""
    text = one_line(repr(value))
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


@dataclass(frozen=True)
class Number:
    """A JSON number in ``[lo, hi]`` (``lo`` excluded when ``open_lo``); whole
    numbers only when ``integer``; None allowed when ``optional``."""

    lo: float
    hi: float
    integer: bool = False
    open_lo: bool = False
    optional: bool = False

    def problem(self, value: Any) -> str | None:
        if value is None:
            return None if self.optional else "missing"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{quoted(value)} is not a number"
        if self.integer and not isinstance(value, int):
            return f"{quoted(value)} is not a whole number"
        if not math.isfinite(value):
            return f"{quoted(value)} is not a finite number"
        low_ok = value > self.lo if self.open_lo else value >= self.lo
        if not (low_ok and value <= self.hi):
            return f"{quoted(value)} is outside {self.describe()}"
        return None

    def describe(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        low = "above" if self.open_lo else "from"
        return f"{kind} {low} {self.lo:g} to {self.hi:g}"


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (or, with ``many``, a non-empty list of them; None
    allowed when ``optional``)."""

    options: tuple[str, ...]
    many: bool = False
    optional: bool = False

    def problem(self, value: Any) -> str | None:
        if value is None:
            return None if self.optional else "missing"
        values = value if self.many and isinstance(value, list) else [value]
        if self.many and (not isinstance(value, list) or not value):
            return f"{quoted(value)} is not a list of {', '.join(self.options)}"
        bad = [v for v in values if not isinstance(v, str) or v not in self.options]
        if bad:
            return f"{quoted(bad[0])} is not one of {', '.join(self.options)}"
        return None


@dataclass(frozen=True)
class Flag:
    """``true`` or ``false`` (not ``"no"``, 0 or 1)."""

    def problem(self, value: Any) -> str | None:
        return None if isinstance(value, bool) else f"{quoted(value)} is not true or false"


#: Detection settings (``AnalysisSettings``): refused when out of range.
DETECTION = {
    "num_poses": Number(1, 10, integer=True),
    "min_detection_confidence": Number(0, 1),
    "min_presence_confidence": Number(0, 1),
    "min_tracking_confidence": Number(0, 1),
    "swap_repair": Flag(),
}

#: The recording's description: refused when out of range.
RECORDING = {
    "fps": Number(0, 10_000, open_lo=True, optional=True),
    "stride": Number(1, 10_000, integer=True),
}


def _angle_schema() -> dict[str, dict[str, Any]]:
    """Angle settings: top level, ``filter`` and ``repetitions`` (as the app's controls)."""
    from dashboard.kinematics import CATALOGUE, SPACES
    from dashboard.kinematics.filters import FILTER_METHODS
    from dashboard.kinematics.reps import METHODS, POLARITIES

    return {
        "": {
            "spaces": Choice(tuple(SPACES), many=True),
            "min_confidence": Number(0, 1),
            "foreshortening_ratio": Number(0, 1),
            "repetition_angles": Choice(tuple(d.key for d in CATALOGUE), many=True, optional=True),
            "min_in_plane_fraction": Number(0, 1),
            "view_tolerance_deg": Number(0, 90),
        },
        "filter": {
            "method": Choice(tuple(FILTER_METHODS)),
            "max_gap_s": Number(0, 10),
            "cutoff_hz": Number(0, 100, open_lo=True),
            "order": Number(1, 8, integer=True),
            "min_cutoff_hz": Number(0, 100, open_lo=True),
            "beta": Number(0, 100),
            "d_cutoff_hz": Number(0, 100, open_lo=True),
        },
        "repetitions": {
            "method": Choice(tuple(METHODS)),
            "polarity": Choice(tuple(POLARITIES)),
            "enter_deg": Number(-360, 360, optional=True),
            "exit_deg": Number(-360, 360, optional=True),
            "prominence_deg": Number(0, 360, optional=True),
            "min_interval_s": Number(0, 3600),
            "min_range_deg": Number(0, 360),
            "onset_fraction": Number(0, 0.99),
        },
    }


def check_fields(raw: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    """Problems with the fields of ``raw`` that ``schema`` knows (absent ones are
    not problems: the defaults apply). Each is a phrase naming the field."""
    return [
        f"{where}{name}: {problem}"
        for name, rule in schema.items()
        if name in raw and (problem := rule.problem(raw[name])) is not None
    ]


def clean_angle_settings(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``raw`` angle settings with every invalid field dropped (so that its default
    applies), and the problems found, one phrase per field.

    Unknown fields are dropped silently by the caller (they may come from a newer
    PoseDash); nested groups that are not JSON objects are dropped with a problem.
    """
    schema = _angle_schema()
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        if key in ("filter", "repetitions"):
            if not isinstance(value, dict):
                problems.append(f"{key}: {quoted(value)} is not a group of settings")
                continue
            bad = check_fields(value, schema[key], f"{key}.")
            problems += bad
            names = {b.split(":")[0].split(".", 1)[1] for b in bad}
            out[key] = {k: v for k, v in value.items() if k not in names}
        elif key in schema[""]:
            problem = schema[""][key].problem(value)
            if problem is None:
                out[key] = value
            else:
                problems.append(f"{key}: {problem}")
        else:
            out[key] = value
    if isinstance(out.get("repetitions"), dict):
        problems += _thresholds_in_order(out["repetitions"])
    return out, problems


def _thresholds_in_order(reps: dict[str, Any]) -> list[str]:
    """Repetition start/end thresholds that contradict the polarity are dropped
    (the detector would refuse them): a peak must be entered beyond its exit."""
    enter, leave = reps.get("enter_deg"), reps.get("exit_deg")
    if enter is None or leave is None:
        return []
    polarity = reps.get("polarity", "max")
    if (polarity == "max" and enter > leave) or (polarity == "min" and enter < leave):
        return []
    reps.pop("enter_deg"), reps.pop("exit_deg")
    return [
        f"repetitions.enter_deg {enter!r} and exit_deg {leave!r} do not fit the "
        f"polarity {polarity!r}"
    ]


def refused(problems: list[str], what: str) -> str:
    """The message for a file refused because of ``problems`` in its ``what``."""
    shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
    return f"This session file's {what} are not valid ({shown}), so PoseDash cannot open it."


# -- detection and angle settings, as read --------------------------------------


def detection_settings(raw: Any) -> AnalysisSettings:
    """The detection settings of a file, checked against :data:`DETECTION`:
    refused (:class:`InputError` naming the field) when not valid."""
    if raw is None:
        return AnalysisSettings()
    if not isinstance(raw, dict):
        raise InputError(*DAMAGED)
    problems = check_fields(raw, DETECTION, "")
    if problems:
        raise InputError(refused(problems, "detection settings"), DAMAGED[1])
    known = AnalysisSettings.__dataclass_fields__
    raw = {"swap_repair": False, **raw}  # files from before the repair were not repaired
    try:
        return AnalysisSettings(**{k: v for k, v in raw.items() if k in known})
    except (TypeError, ValueError):
        raise InputError(*DAMAGED) from None


def angle_settings(raw: Any) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The saved angle settings with invalid fields dropped, and a note if any were."""
    if raw is None:
        return None, ()
    if not isinstance(raw, dict):
        return None, (
            "This session's angle settings could not be read: its angles are "
            "shown with the default settings.",
        )
    cleaned, problems = clean_angle_settings(raw)
    if not problems:
        return cleaned, ()
    shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
    return cleaned, (
        f"Some of this session's angle settings were not valid ({shown}): "
        "the defaults are used for them.",
    )


# -- notes on how the recording was read ----------------------------------------

_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """``text`` with every control, line-break, surrogate and invisible formatting
    character (Unicode categories Cc, Cf, Cs, Zl, Zp: tabs, NUL, ANSI escapes,
    bidirectional overrides, zero-width characters) made a space, runs of spaces
    made one, and no space at either end."""
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") else c for c in text
    )
    return _SPACES.sub(" ", kept).strip()


def read_notes(raw: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A file's notes on how its recording was read (``read_notes``), and a note
    for the user when some could not be used.

    Returns ``(notes, messages)``: the notes as they will be shown (each one line
    of visible text, see :func:`one_line`; empty ones dropped), and at most one
    message naming what was left out. A missing field (files written before the
    notes were kept) gives no notes and no message.
    """
    if raw is None:
        return (), ()
    problems: list[str] = []
    notes: list[str] = []
    if not isinstance(raw, list):
        problems.append(f"{quoted(raw)} is not a list of sentences")
        raw = []
    for i, item in enumerate(raw):
        if len(notes) == MAX_READ_NOTES:
            problems.append(f"more than {MAX_READ_NOTES} notes")
            break
        if not isinstance(item, str):
            problems.append(f"note {i + 1} ({quoted(item)}) is not text")
            continue
        text = one_line(item)
        if len(text) > MAX_READ_NOTE_CHARS:
            problems.append(
                f"note {i + 1} has {len(text):,} characters, more than {MAX_READ_NOTE_CHARS:,}"
            )
        elif text:
            notes.append(text)
    if not problems:
        return tuple(notes), ()
    shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
    return tuple(notes), (
        f"Some of this session's notes on how its recording was read could not be used "
        f"({shown}), so they are left out: the session may not say everything about how "
        "its recording was read.",
    )


_MAX = SESSION_LIMITS


def check_dims(manifest: dict) -> tuple[int, int]:
    """The session's (frames, people), within the limits PoseDash opens."""
    frames, people = manifest.get("frames"), manifest.get("people")
    if not (isinstance(frames, int) and isinstance(people, int)) or frames < 1 or people < 0:
        raise InputError(*DAMAGED)  # people 0: nobody found
    hint = "Open the original recording and analyse a shorter part of it."
    if frames > _MAX["frames"]:
        raise InputError(
            f"This session holds {frames:,} frames; PoseDash opens sessions of up "
            f"to {_MAX['frames']:,} frames (an hour at 60 frames per second).",
            hint,
        )
    if people > _MAX["people"]:
        raise InputError(
            f"This session holds {people} people; PoseDash opens sessions "
            f"with up to {_MAX['people']}.",
            "Analyse the recording again with fewer people.",
        )
    if frames * people > _MAX["frame_slots"]:
        raise InputError(
            f"This session holds {frames:,} frames of {people} people; PoseDash "
            f"opens sessions of up to {_MAX['frame_slots']:,} frames x people "
            "(about 760 MB of landmarks).",
            hint,
        )
    if manifest.get("landmarks", NUM_LANDMARKS) != NUM_LANDMARKS:
        raise InputError(
            "This session holds a skeleton PoseDash does not know "
            f"({manifest.get('landmarks')} landmarks instead of "
            f"{NUM_LANDMARKS}).",
            NOT_A_SESSION[1],
        )
    return frames, people


def check_values(seq) -> None:
    """Values PoseDash itself never writes (inf, negative times...) mean a damaged file."""
    with np.errstate(invalid="ignore"):
        for name in ("image_xy", "z", "world_m", "visibility", "presence"):
            a = getattr(seq, name)
            if np.isinf(a).any():
                raise InputError(*DAMAGED)
        for name in ("visibility", "presence"):
            a = getattr(seq, name)
            if ((a < -1e-6) | (a > 1 + 1e-6)).any():
                raise InputError(*DAMAGED)
    if not np.isfinite(seq.time_s).all():
        raise InputError(*DAMAGED)
    if seq.num_frames > 1 and not (np.diff(seq.time_s) > 0).all():
        raise InputError(
            "This session file's frame times are not in order, so PoseDash cannot open it.",
            DAMAGED[1],
        )
    if seq.num_frames and seq.time_s[-1] - seq.time_s[0] > _MAX["duration_s"]:
        raise InputError(
            f"This session lasts longer than {_MAX['duration_s'] / 3600:g} hours, "
            "the longest PoseDash opens.",
            "Open the original recording and analyse a shorter part of it.",
        )
    if (seq.frame_index < 0).any() or (seq.person_ids < 0).any():
        raise InputError(*DAMAGED)
