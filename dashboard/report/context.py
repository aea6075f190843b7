"""What a report is made of: the reader's choices (:class:`ReportOptions`) and the
numbers computed once for every section (:class:`ReportContext`)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from dashboard.analysis import Analysis
from dashboard.kinematics.summary import (
    Kinematics,
    KinematicsSettings,
    compute_kinematics,
    summary_dict,
)
from dashboard.report import tables

#: Sections a reader can choose (the first page's summary and the technical appendix
#: are always there).
SECTIONS = (
    "keyframes",
    "angles",
    "repetitions",
    "gait",
    "functional",
    "comparison",
    "notes",
    "reading",
)
SECTION_LABELS = {
    "keyframes": "Key frames (pictures with the skeleton)",
    "angles": "Joint angles and range of motion",
    "repetitions": "Repetitions",
    "gait": "Gait (walking)",
    "functional": "Functional test",
    "comparison": "Comparison with the earlier session",
    "notes": "Clinical notes",
    "reading": "How to read the numbers",
}
MAX_LABEL = 120
MAX_NOTES = 6000
#: Longest clinician, clinic and reason fields printed (longer text is cut with "…").
MAX_PERSON = 120
MAX_REASON = 600
SEX_WORDS = {"female": "female", "male": "male"}


@dataclass(frozen=True)
class ReportOptions:
    """The reader's choices.

    patient_label
        How the patient is named in the report (free text, printed as typed).
    notes
        Free-text clinical notes (printed only when given).
    sections
        Which of :data:`SECTIONS` to include (each appears only when it has data).
    paper
        ``'A4'`` or ``'Letter'``.
    blur_faces
        Blur the faces of the people found in the key frames.
    angles
        Angle keys to chart (e.g. ``('shoulder_abduction',)``); None: those
        valid for the camera view that move most.
    space
        ``'image'`` or ``'world'``; None: image space for a front or side view,
        world space otherwise.
    person
        Person slot to report on; None: the one found in most frames.
    kinematics
        Angle settings (the same as for ``summary.json``).
    report_time
        Date of the report (default: now, UTC).
    recording_date
        Date of the recording as the reader knows it; None: read from the file.
    earlier_date
        When the earlier session (``build_report(..., earlier=...)``) was recorded
        or saved, as known (e.g. ``'session saved 2026-11-02 10:00 UTC'``, printed
        as given); its ``YYYY-MM-DD`` labels the earlier curves. None: not known.
    clinician, clinic
        Who assessed, and where (set once in the app's settings; printed as plain
        text, at most :data:`MAX_PERSON` characters).
    reason
        Reason for the assessment (free text, at most :data:`MAX_REASON` characters).
    movement
        The movement filmed, a key of
        :data:`~dashboard.kinematics.movements.MOVEMENTS`; None: guessed from the
        recording. Its measures are printed unless ``angles`` is given.
    age_years, sex
        The patient's age and sex (``'female'``/``'male'``), to choose the
        normal values; None: not known (values by age and sex are not shown).
    gait_settings
        Gait settings (height or floor-mark scale) when the report computes the gait
        itself; None: no height (lengths and speed in body heights).
    """

    patient_label: str = ""
    notes: str = ""
    sections: tuple[str, ...] = SECTIONS
    paper: str = "A4"
    blur_faces: bool = True
    angles: tuple[str, ...] | None = None
    space: str | None = None
    person: int | None = None
    kinematics: KinematicsSettings = field(default_factory=KinematicsSettings)
    report_time: datetime | None = None
    recording_date: str | None = None
    earlier_date: str | None = None
    clinician: str = ""
    clinic: str = ""
    reason: str = ""
    movement: str | None = None
    age_years: int | None = None
    sex: str | None = None
    gait_settings: object = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.sections if s not in SECTIONS]
        if unknown:
            raise ValueError(f"unknown section(s) {unknown}; known: {SECTIONS}")
        if self.paper not in ("A4", "Letter"):
            raise ValueError(f"paper must be 'A4' or 'Letter', got {self.paper!r}")
        if self.space not in (None, "image", "world"):
            raise ValueError(f"space must be 'image' or 'world', got {self.space!r}")
        if self.space and self.space not in self.kinematics.spaces:
            raise ValueError(f"space {self.space!r} is not computed by these settings")
        if self.sex not in (None, "female", "male"):
            raise ValueError(f"sex must be 'female', 'male' or None, got {self.sex!r}")
        from dashboard.kinematics.movements import MOVEMENTS

        if self.movement is not None and self.movement not in MOVEMENTS:
            raise ValueError(f"unknown movement {self.movement!r}; known: {tuple(MOVEMENTS)}")

    def wants(self, section: str) -> bool:
        return section in self.sections


@dataclass(frozen=True)
class ReportContext:
    """Everything the sections print, computed once."""

    analysis: Analysis
    options: ReportOptions
    kin: Kinematics
    summary: dict
    slot: int | None
    view: str = ""
    yaw_deg: float = float("nan")
    view_share: float = 0.0
    space: str = "image"
    keys: tuple[str, ...] = ()
    rom: list[dict] = field(default_factory=list)
    #: The recording's date (typed, or read from the file); None: not known.
    recorded: str | None = None
    #: The movement filmed (:data:`~dashboard.kinematics.movements.MOVEMENTS` key).
    movement: str = "other"

    @property
    def aset(self):
        return self.kin.space(self.space)

    @property
    def person_id(self) -> int:
        return int(self.analysis.poses.person_ids[self.slot]) if self.slot is not None else 0

    @property
    def is_photo(self) -> bool:
        return self.analysis.kind == "photo"

    @property
    def found(self) -> bool:
        return self.slot is not None


def make_context(
    analysis: Analysis, options: ReportOptions, walking: bool = False
) -> ReportContext:
    """Angles, summary (as written to ``summary.json``), person, view, space, the
    movement (``options.movement``, else guessed; ``walking``: gait analysis found
    walking) and the angles read for it."""
    from dashboard.kinematics.movements import guess_movement, movement_keys

    kin = compute_kinematics(analysis.poses, options.kinematics)
    summary = summary_dict(kin)
    seq = analysis.poses
    slot = options.person if options.person is not None else tables.choose_person(seq)
    if slot is not None and not (0 <= slot < seq.num_people and seq.detected[:, slot].any()):
        slot = tables.choose_person(seq)
    if slot is None:
        return ReportContext(analysis, options, kin, summary, None)
    view, yaw, share = tables.camera_view(kin, slot)
    space = options.space or tables.default_space(view)
    if space not in kin.settings.spaces:
        space = kin.settings.spaces[0]
    aset = kin.space(space)
    is_photo = analysis.kind == "photo"
    movement = options.movement or guess_movement(aset, slot, walking, is_photo)
    present = {d.key for d in aset.defs}
    keys = tuple(options.angles or ()) or tuple(k for k in movement_keys(movement) if k in present)
    keys = keys or tuple(tables.suggest_angles(aset, slot, view, is_photo))
    rom = tables.rom_rows(summary["range_of_motion"], aset, slot)
    return ReportContext(
        analysis, options, kin, summary, slot, view, yaw, share, space, keys, rom, None, movement
    )


def saved_words(created_utc: str | None) -> str | None:
    """``'session saved 2026-11-02 10:00 UTC'`` from a session file's ``created_utc``
    (ISO 8601), for :attr:`ReportOptions.earlier_date`; None when it says no date."""
    try:
        stamp = datetime.fromisoformat(str(created_utc or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return "session saved " + stamp.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def legend_date(text: str | None) -> str:
    """The short date a chart legend prints for a session: the first
    ``YYYY-MM-DD`` in ``text``, else ``text`` as typed (at most 24 characters);
    ``''`` when unknown. A ``$`` is escaped (matplotlib would read it as maths)."""
    text = " ".join(str(text or "").split())
    found = re.search(r"\d{4}-\d{2}-\d{2}", text)
    if found:
        return found.group(0)
    text = text if len(text) <= 24 else text[:23].rstrip() + "…"
    return text.replace("$", r"\$")


def recording_date(source: bytes | None, kind: str) -> str | None:
    """The date the file says it was recorded (photo EXIF, video container
    ``creation_time``), as ``YYYY-MM-DD HH:MM``; None when it does not say."""
    if not source:
        return None
    try:
        if kind == "photo":
            from PIL import Image

            with Image.open(io.BytesIO(source)) as img:
                exif = img.getexif()
                value = exif.get_ifd(0x8769).get(36867) or exif.get(306)
            if value:
                date, _, time = str(value).strip().partition(" ")
                return f"{date.replace(':', '-')} {time[:5]}".strip()
            return None
        import av

        with av.open(io.BytesIO(source)) as container:
            value = (container.metadata or {}).get("creation_time")
            if not value:
                for stream in container.streams:
                    value = (stream.metadata or {}).get("creation_time")
                    if value:
                        break
        if value:
            stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            if stamp.year < 1971:  # an unset clock, not a date
                return None
            return stamp.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except Exception:  # a date is a nicety: an odd file must not stop the report
        return None
    return None
