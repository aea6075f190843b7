"""The data model of a functional test: options, events, set-up checks, the result.

Pure: no UI. The JSON document (``posedash.test/1``) is :meth:`TestResult.to_dict`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dashboard.errors import InputError

__all__ = [
    "SCHEMA",
    "STS_TOTALS",
    "TESTS",
    "TITLES",
    "Check",
    "Event",
    "TestOptions",
    "TestRefused",
    "TestResult",
    "check_options",
]

SCHEMA = "posedash.test/1"

#: Test keys, in the order they are offered.
TESTS = ("sts5", "chair30", "tug", "walk10", "backward3", "sls")
TITLES = {
    "sts5": "Five-times sit-to-stand",
    "chair30": "30-second chair stand",
    "tug": "Timed Up and Go",
    "walk10": "10-metre walk (gait speed)",
    "backward3": "3-metre backward walk",
    "sls": "Single-leg stance",
}
#: 5xSTS: the clock stops at the fifth full stand or when the person sits after it.
STS_TOTALS = ("fifth_stand", "fifth_sit")
#: Default distance of the 3-m backward walk and 10-m walk timed zone, metres.
DEFAULT_DISTANCE_M = {"backward3": 3.0, "walk10": None}


class TestRefused(InputError):
    """The recording cannot give this test's result: the message says why, plainly."""

    __test__ = False  # not a pytest class


@dataclass(frozen=True)
class TestOptions:
    """What the clinician chose.

    test
        One of :data:`TESTS`.
    age, sex
        Optional: whole years (1-120) and ``'f'``/``'m'``; they choose the norm band.
    distance_m
        10-m walk: the distance between the two floor marks of the timed zone;
        3-m backward walk: the distance walked (default 3).
    start_s
        The clock's start set by hand (seconds on the video's clock); None: the
        first movement.
    sts_total
        5xSTS: ``'fifth_sit'`` (default) or ``'fifth_stand'``.
    marks_px
        10-m walk: image x of the two floor marks (None: the picture's edges).
    person
        Person slot to score (None: the one found in most frames).
    mirrored
        Single-leg stance: whether the video is a mirror image (True: the pose model's
        left is the patient's right; None: not said, see :func:`~.sls.sides_basis`).
    """

    __test__ = False

    test: str
    age: int | None = None
    sex: str | None = None
    distance_m: float | None = None
    start_s: float | None = None
    sts_total: str = "fifth_sit"
    marks_px: tuple[float, float] | None = None
    person: int | None = None
    mirrored: bool | None = None


def check_options(opts: TestOptions) -> TestOptions:
    """``opts`` when every choice is sensible; else :class:`TestRefused` naming it."""
    if opts.test not in TESTS:
        raise TestRefused(f"Unknown test {opts.test!r}: choose one of {', '.join(TESTS)}.")
    if opts.age is not None:
        if isinstance(opts.age, bool) or not isinstance(opts.age, int):
            raise TestRefused("The age must be a whole number of years.")
        if not 1 <= opts.age <= 120:
            raise TestRefused(f"An age of {opts.age} years is not plausible: give 1 to 120.")
    if opts.sex not in (None, "f", "m"):
        raise TestRefused("The sex must be 'f' or 'm' (or left out).")
    if opts.distance_m is not None:
        d = opts.distance_m
        if not isinstance(d, (int, float)) or not math.isfinite(d) or not 0.5 <= d <= 100:
            raise TestRefused("The distance must be a number of metres between 0.5 and 100.")
    if opts.start_s is not None and (not math.isfinite(opts.start_s) or opts.start_s < 0):
        raise TestRefused("The start time must be 0 s or later.")
    if opts.mirrored not in (None, True, False):
        raise TestRefused("Whether the video is a mirror image is yes, no or not said.")
    if opts.sts_total not in STS_TOTALS:
        raise TestRefused(f"The 5xSTS total ends at one of {', '.join(STS_TOTALS)}.")
    return opts


@dataclass(frozen=True)
class Event:
    """One event of the test on the video's clock."""

    event: str
    index: int  # array index in the analysed sequence
    frame: int  # source video frame
    time_s: float
    confidence: float
    label: str = ""
    by_hand: bool = False  # placed (or moved) by hand: the clinician vouches for it

    def as_dict(self) -> dict:
        return {
            "event": self.event,
            "frame": int(self.frame),
            "time_s": round(float(self.time_s), 3),
            "confidence": round(float(self.confidence), 2),
            "label": self.label or self.event.replace("_", " "),
            "placed_by_hand": bool(self.by_hand),
        }


@dataclass(frozen=True)
class Check:
    """One set-up check: ``status`` is ``'ok'``, ``'caution'`` or ``'refused'``."""

    check: str
    status: str
    detail: str

    def as_dict(self) -> dict:
        return {"check": self.check, "status": self.status, "detail": self.detail}


def _round(v):
    if isinstance(v, float):
        return round(v, 3) if math.isfinite(v) else None
    return v


@dataclass(frozen=True)
class TestResult:
    """A scored test. ``result`` maps field names to numbers (None: not given, the
    reason in ``withheld``); ``start`` is ``{'method', 'time_s', 'frame'}``."""

    __test__ = False

    test: str
    result: dict
    events: tuple[Event, ...]
    start: dict
    setup: tuple[Check, ...]
    warnings: tuple[str, ...] = ()
    withheld: dict = field(default_factory=dict)
    phases: tuple[dict, ...] = ()
    norms: dict = field(default_factory=dict)
    headline: str = ""
    options: dict = field(default_factory=dict)
    person: int = 0
    source: dict = field(default_factory=dict)
    #: Events corrected by hand (:mod:`.edited`): ``events_note``, ``events_changed``,
    #: ``events_corrected`` and its ``events_corrected_note`` (each change,
    #: :func:`dashboard.kinematics.hand_events.corrections`), ``automatic_events``; empty
    #: for the automatic events.
    edits: dict = field(default_factory=dict)
    #: The signal the events were read from, for a chart (not in the JSON document):
    #: ``{'time_s', 'value', 'label'}`` (arrays over the analysed frames).
    trace: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        return TITLES[self.test]

    def to_dict(self) -> dict:
        """The ``posedash.test/1`` document."""
        return {
            "schema": SCHEMA,
            "test": self.test,
            "title": self.title,
            "headline": self.headline,
            "result": {k: _round(v) for k, v in self.result.items()},
            "withheld": dict(self.withheld),
            "events": [e.as_dict() for e in self.events],
            "events_source": "edited" if self.edits else "automatic",
            **self.edits,
            "phases": [{k: _round(v) for k, v in p.items()} for p in self.phases],
            "start": {k: _round(v) for k, v in self.start.items()},
            "norms": self.norms,
            "setup": [c.as_dict() for c in self.setup],
            "warnings": list(self.warnings),
            "options": dict(self.options),
            "person": int(self.person),
            "source": dict(self.source),
        }
