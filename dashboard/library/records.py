"""What the library holds, as plain data: patients, sessions, progress points.

These are the decrypted forms; in the file every one of their fields (apart
from the random identifiers) is encrypted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass

from dashboard.library.errors import BadValue

MAX_LABEL = 80
MAX_NOTES = 20_000
PSEUDONYM = re.compile(r"^P-(\d{4,})$")


@dataclass(frozen=True)
class Patient:
    """A patient: a pseudonymous label by default (``P-0001``), notes, optional birth date."""

    uid: str
    label: str
    notes: str = ""
    birth_date: str = ""
    created: str = ""
    sessions: int = 0
    #: True when the patient's encrypted record cannot be read (its label is then
    #: the short identifier, see :func:`short_id`); their sessions may still be.
    damaged: bool = False

    @property
    def ref(self) -> str:
        """How a message names this patient: the label, or ``#1a2b3c4d`` when damaged."""
        return short_id(self.uid) if self.damaged else self.label

    def record(self) -> dict:
        return {
            "label": self.label,
            "notes": self.notes,
            "birth_date": self.birth_date,
            "created": self.created,
        }


@dataclass(frozen=True)
class SessionInfo:
    """One saved session's description (its file and metrics are stored apart)."""

    uid: str
    patient_uid: str
    date: str
    body_region: str = ""
    notes: str = ""
    source_name: str = ""
    source_sha256: str = ""
    kind: str = "video"
    frames: int = 0
    duration_s: float = 0.0
    saved_utc: str = ""
    size_bytes: int = 0
    #: :func:`dashboard.library.sessions.recording_fingerprint` ('' in sessions
    #: saved before it existed).
    fingerprint: str = ""
    #: True when this description cannot be decrypted (then only ``uid`` and
    #: ``patient_uid`` are known; the session file may still be readable).
    damaged: bool = False

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("damaged")
        return d

    @property
    def ref(self) -> str:
        """How a message names this session: its date and short identifier."""
        when = self.date if self.date else "of unknown date"
        return f"{when} ({short_id(self.uid)})"


@dataclass(frozen=True)
class ProgressPoint:
    """One session's value of the metric a progress chart shows.

    ``value`` is None when the value is withheld (``validity``); ``reasons`` and
    ``bias`` say why and by how much to doubt it. ``comparable`` is False when the
    session does not compare with the first session charted (``comparable_reasons``:
    the check Compare uses).
    """

    session_uid: str
    date: str
    value: float | None
    confidence: float | None
    coverage: float | None
    source_name: str
    body_region: str = ""
    validity: str = "valid"
    reasons: tuple[str, ...] = ()
    bias: str = ""
    comparable: bool = True
    comparable_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    """One value of one session, as a progress chart draws it.

    key
        Stable identifier across sessions, e.g. ``rom.range:knee_flexion:left:world``.
    label, unit
        For the chart's title and axis.
    value
        The number; None when withheld.
    confidence
        Visibility 0-1 (see the module notes), or None when the source gives none.
    coverage
        Share of the frames with the person where the value could be measured
        (0-1), or None.
    validity, reasons, bias
        The verdict (see the module notes).
    """

    key: str
    label: str
    unit: str
    value: float | None
    confidence: float | None = None
    coverage: float | None = None
    validity: str = "valid"
    reasons: tuple[str, ...] = ()
    bias: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


def short_id(uid: str) -> str:
    """A random identifier's first 8 characters, ``#1a2b3c4d``: how messages name
    an item whose label or date cannot be read (it says nothing about the patient)."""
    return "#" + "".join(c for c in str(uid) if c.isprintable())[:8]


def clean_label(label: str) -> str:
    """A patient label, trimmed; refuses an empty, overlong or control-character one."""
    text = unicodedata.normalize("NFC", str(label or "")).strip()
    if not text:
        raise BadValue(
            "A patient needs a label.",
            "Leave the suggested pseudonym (such as P-0001) if you prefer not to type a name.",
        )
    if len(text) > MAX_LABEL:
        raise BadValue(f"A patient label can be at most {MAX_LABEL} characters long.")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise BadValue("A patient label cannot contain tabs, line breaks or control characters.")
    return text


def clean_notes(notes: str) -> str:
    text = str(notes or "").strip()
    if len(text) > MAX_NOTES:
        raise BadValue(f"Notes can be at most {MAX_NOTES:,} characters long.")
    return text


def clean_date(value, required: bool = True) -> str:
    """An ISO date ``YYYY-MM-DD`` from a ``date`` or text ('' when optional and empty)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        if required:
            return dt.date.today().isoformat()
        return ""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadValue(
            f"“{text}” is not a date PoseDash can read.",
            "Write dates as YYYY-MM-DD, for example 2026-03-14.",
        ) from None


def next_pseudonym(labels) -> str:
    """``P-0001``, or one more than the highest ``P-NNNN`` label in use."""
    numbers = [int(m.group(1)) for m in (PSEUDONYM.match(x) for x in labels) if m]
    return f"P-{max(numbers, default=0) + 1:04d}"
