"""Measurements made by hand on a frame: angles, distances and pinned notes. Pure.

A :class:`ManualMeasurement` records what the clinician clicked (the points, in the
analysed picture's pixels), on which frame (analysed row, video frame, time), what
it measures (its value and unit, worked out here from the points: never typed in),
and that it was **measured by hand** (:data:`SOURCE`), so every place that shows it
(pages, session files, the patient library, the report, exports) can say so.

Everything from outside (a session file, a form) goes through :func:`from_dict` or
the ``make_*`` functions: text is kept as typed but checked (:func:`clean_text`: no
control characters, a length limit), points must be on the picture, the frame must
exist in the analysis. A problem raises :class:`~dashboard.errors.InputError` with a
sentence for the clinician; :func:`measurements_from_json` (reading a file) leaves a
bad entry out and says why instead, so one damaged entry never loses the others.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

import pandas as pd

from dashboard.errors import InputError
from dashboard.manual.geometry import Scale, angle_at, check_points, segments_angle

__all__ = [
    "KINDS",
    "MAX_LABEL",
    "MAX_MEASUREMENTS",
    "MAX_TEXT",
    "READINGS",
    "SOURCE",
    "FrameRef",
    "ManualMeasurement",
    "clean_text",
    "frame_ref",
    "from_dict",
    "how_text",
    "make_angle",
    "make_distance",
    "make_note",
    "measurements_from_json",
    "measurements_table",
    "value_text",
    "words",
]

#: How every manual value is marked wherever it appears.
SOURCE = "measured by hand"
KINDS = ("angle", "distance", "note")
#: Angle readings: the angle between the arms as drawn, or its difference from a
#: straight line (180° − angle: knee or elbow flexion from full extension).
READINGS = {"between": "angle between the arms", "from_straight": "180° − angle (from straight)"}
METHODS = {"angle": ("three points", "two segments"), "distance": ("two points",)}
MAX_LABEL = 80
MAX_TEXT = 500
#: At most this many manual measurements per analysis (a session file declaring more
#: is read up to this many, with a note).
MAX_MEASUREMENTS = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_POINTS = {("angle", "three points"): 3, ("angle", "two segments"): 4, ("distance", None): 2}


def clean_text(text, limit: int, what: str = "The note") -> str:
    """``text`` as one line of plain text: control and invisible formatting characters
    become spaces, runs of spaces one, ends trimmed. Kept as typed otherwise (markup
    and formulas are neutralised where they are shown or written, not here).

    Raises InputError when it is longer than ``limit`` characters (nothing is cut
    without the user knowing)."""
    text = " ".join(_CONTROL.sub(" ", str(text if text is not None else "")).split())
    if len(text) > limit:
        raise InputError(
            f"{what} is {len(text):,} characters long; at most {limit:,} are kept.",
            "Shorten it (your text is still in the box).",
        )
    return text


@dataclass(frozen=True)
class FrameRef:
    """Where a measurement was made: analysed ``row``, video ``frame``, ``time_s``, and
    the analysed picture's ``image_size`` (width, height) its points are in."""

    row: int
    frame: int
    time_s: float
    image_size: tuple[int, int]


def frame_ref(seq, row) -> FrameRef:
    """The :class:`FrameRef` of analysed row ``row`` of ``seq`` (a PoseSequence).

    Raises InputError when the frame does not exist in the analysis."""
    try:
        r = int(row)
    except (TypeError, ValueError):
        raise InputError("The frame of this measurement is not a number.") from None
    if not 0 <= r < seq.num_frames:
        raise InputError(
            f"Frame {r + 1} is not in this analysis (it has {seq.num_frames:,} analysed "
            f"frame{'s' if seq.num_frames != 1 else ''}).",
            "Choose a frame of the analysis under review.",
        )
    w, h = seq.image_size
    return FrameRef(r, int(seq.frame_index[r]), float(seq.time_s[r]), (int(w), int(h)))


@dataclass(frozen=True)
class ManualMeasurement:
    """One measurement made by hand (see the module docstring).

    value
        Degrees for an angle (as read: :data:`READINGS`), metres for a distance with
        a scale, NaN for a note (and for a distance when no scale was known: then
        ``pixels`` alone is given).
    started_from
        ``'landmarks'`` when the points started on the automatic landmarks and were
        then checked (and perhaps dragged) by the clinician; ``''`` when clicked.
    """

    kind: str
    where: FrameRef
    points: tuple[tuple[float, float], ...]
    value: float = float("nan")
    unit: str = ""
    method: str = ""
    reading: str = ""
    label: str = ""
    text: str = ""
    pixels: float = float("nan")
    scale: Scale | None = None
    started_from: str = ""
    created_utc: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    source = SOURCE

    @property
    def included_deg(self) -> float:
        """For an angle: the angle between the arms as drawn, whatever the reading."""
        if self.kind != "angle" or not math.isfinite(self.value):
            return float("nan")
        return 180.0 - self.value if self.reading == "from_straight" else self.value

    def as_dict(self) -> dict:
        """A JSON-safe dict (NaN as None) for session files and the library."""

        def num(v):
            return None if v is None or not math.isfinite(v) else round(float(v), 6)

        return dict(
            id=self.id,
            kind=self.kind,
            source=SOURCE,
            row=self.where.row,
            frame=self.where.frame,
            time_s=num(self.where.time_s),
            image_size=list(self.where.image_size),
            points=[[round(x, 3), round(y, 3)] for x, y in self.points],
            value=num(self.value),
            unit=self.unit,
            method=self.method,
            reading=self.reading,
            label=self.label,
            text=self.text,
            pixels=num(self.pixels),
            scale=self.scale.as_dict() if self.scale else None,
            started_from=self.started_from,
            created_utc=self.created_utc,
        )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def make_angle(
    where: FrameRef,
    points: Sequence,
    *,
    method: str = "three points",
    reading: str = "between",
    label: str = "",
    started_from: str = "",
) -> ManualMeasurement:
    """An angle from three points (the vertex second) or two segments (four points:
    each segment from its first point to its second)."""
    if method not in METHODS["angle"]:
        raise ValueError(f"method must be one of {METHODS['angle']}")
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {tuple(READINGS)}")
    need = _POINTS["angle", method]
    if len(points) != need:
        raise InputError(f"An angle from {method} needs {need} points; {len(points)} placed.")
    pts = check_points(points, where.image_size)
    deg = angle_at(*pts) if method == "three points" else segments_angle(*pts)
    value = 180.0 - deg if reading == "from_straight" else deg
    return ManualMeasurement(
        "angle",
        where,
        tuple(pts),
        value,
        "°",
        method,
        reading,
        clean_text(label, MAX_LABEL, "The name"),
        started_from=started_from if started_from in ("", "landmarks") else "",
        created_utc=_now(),
    )


def make_distance(
    where: FrameRef, points: Sequence, scale: Scale | None, *, label: str = ""
) -> ManualMeasurement:
    """The distance between two points: metres with ``scale``, else pixels alone."""
    if len(points) != 2:
        raise InputError(f"A distance needs 2 points; {len(points)} placed.")
    pts = check_points(points, where.image_size)
    px = math.hypot(pts[1][0] - pts[0][0], pts[1][1] - pts[0][1])
    value = px * scale.metres_per_px if scale is not None else float("nan")
    return ManualMeasurement(
        "distance",
        where,
        tuple(pts),
        value,
        "m" if scale is not None else "",
        "two points",
        label=clean_text(label, MAX_LABEL, "The name"),
        pixels=px,
        scale=scale,
        created_utc=_now(),
    )


def make_note(where: FrameRef, point: Sequence | None, text: str) -> ManualMeasurement:
    """A short text note pinned at ``point`` on the frame."""
    pts = check_points([point], where.image_size, names=["The note's pin"])
    body = clean_text(text, MAX_TEXT)
    if not body:
        raise InputError("The note is empty: type what you want to pin on the frame.")
    return ManualMeasurement("note", where, tuple(pts), text=body, created_utc=_now())


def _float(v, default=float("nan")) -> float:
    try:
        out = float(v)
    except (TypeError, ValueError):
        return default
    return out if math.isfinite(out) else default


def from_dict(raw, seq) -> ManualMeasurement:
    """A measurement from its saved dict, checked against ``seq`` (the analysis's
    PoseSequence): the frame exists, the points are on the picture, the value is
    recomputed from the points (a saved value that disagrees is not trusted).

    Raises InputError saying what is wrong."""
    if not isinstance(raw, dict):
        raise InputError("a measurement is not a record")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise InputError("a measurement is of an unknown kind")
    where = frame_ref(seq, raw.get("row"))
    points = raw.get("points")
    if not isinstance(points, list) or len(points) > 4:
        raise InputError("a measurement has no valid points")
    label = clean_text(raw.get("label", ""), MAX_LABEL, "A name")
    ident = str(raw.get("id") or uuid.uuid4().hex[:12])[:40]
    created = clean_text(raw.get("created_utc", ""), 40, "A date")
    if kind == "note":
        m = make_note(where, points[0] if points else None, raw.get("text", ""))
    elif kind == "angle":
        if raw.get("method") not in METHODS["angle"] or raw.get("reading") not in READINGS:
            raise InputError("an angle's method or reading is unknown")
        m = make_angle(
            where,
            points,
            method=raw["method"],
            reading=raw["reading"],
            label=label,
            started_from=str(raw.get("started_from") or ""),
        )
    else:
        scale = Scale.from_dict(raw.get("scale"))
        m = make_distance(where, points, scale, label=label)
    return replace(m, created_utc=created, id=ident)


def measurements_from_json(raw, seq) -> tuple[tuple[ManualMeasurement, ...], tuple[str, ...]]:
    """Measurements saved in a file (a list of dicts), and notes on entries left out
    (each with its reason). None or a missing field: no measurement, no note."""
    if raw is None:
        return (), ()
    if not isinstance(raw, list):
        return (), ("The measurements made by hand in this file could not be read.",)
    out, notes = [], []
    for i, item in enumerate(raw[:MAX_MEASUREMENTS]):
        try:
            out.append(from_dict(item, seq))
        except (InputError, ValueError) as exc:
            reason = exc.message if isinstance(exc, InputError) else "it is not valid"
            notes.append(f"Measurement {i + 1} made by hand was left out: {reason}")
    if len(raw) > MAX_MEASUREMENTS:
        notes.append(
            f"This file holds {len(raw):,} measurements made by hand; the first "
            f"{MAX_MEASUREMENTS} were read."
        )
    return tuple(out), tuple(notes)


def value_text(m: ManualMeasurement) -> str:
    """The value as read: '92.4°', '0.412 m (± 5 %)', '318 px (no scale)', or ''."""
    if m.kind == "angle" and math.isfinite(m.value):
        return f"{m.value:.1f}°"
    if m.kind == "distance":
        if m.scale is not None and math.isfinite(m.value):
            err = m.scale.relative_error_pct
            return f"{m.value:.3f} m" + (f" (± {err:.0f} %)" if math.isfinite(err) else "")
        return f"{m.pixels:.0f} px (no scale)"
    return ""


def how_text(m: ManualMeasurement) -> str:
    """How it was measured: 'angle between the arms, three points', 'two points; scale:
    reference of 2.00 m over 812 pixels', 'pinned note'."""
    if m.kind == "note":
        return "pinned note"
    if m.kind == "angle":
        how = f"{READINGS.get(m.reading, '')}, {m.method}"
        return how + (", started from the landmarks" if m.started_from == "landmarks" else "")
    return f"{m.method}; " + (f"scale: {m.scale.detail}" if m.scale else "no scale known")


def words(m: ManualMeasurement) -> str:
    """One sentence: what, value, how, where, and "measured by hand"."""
    when = f"frame {m.where.frame}, {m.where.time_s:.2f} s"
    if m.kind == "note":
        return f"Note at {when}: {m.text} ({SOURCE})"
    name = m.label or m.kind.capitalize()
    return f"{name}: {value_text(m)} ({how_text(m)}; {when}; {SOURCE})"


def measurements_table(measurements: Iterable[ManualMeasurement]) -> pd.DataFrame:
    """One row per measurement, as listed on pages, in exports and in the report:
    Frame, Time (s), What, Name, Value, How, Note, Source (always "measured by hand")."""
    rows = []
    for m in sorted(measurements, key=lambda m: (m.where.row, m.created_utc)):
        rows.append(
            {
                "Frame": m.where.frame,
                "Time (s)": round(m.where.time_s, 3),
                "What": m.kind,
                "Name": m.label,
                "Value": value_text(m),
                "How": how_text(m),
                "Note": m.text,
                "Source": SOURCE,
            }
        )
    return pd.DataFrame(
        rows, columns=["Frame", "Time (s)", "What", "Name", "Value", "How", "Note", "Source"]
    )
