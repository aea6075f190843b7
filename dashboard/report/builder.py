"""One call from an analysis to the clinician's PDF report::

    pdf = build_report(analysis, source_bytes_or_None, ReportOptions(patient_label="J. D."))

Sections appear when they are chosen and have data: header (always), key frames,
joint angles and range of motion, repetitions, gait, comparison with an earlier
session, clinical notes, and how to read the numbers. An analysis in which
nobody was found gives a short report that says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dashboard.analysis import Analysis
from dashboard.kinematics import gait
from dashboard.kinematics.people import main_person
from dashboard.report import measures, sections
from dashboard.report.context import (
    SECTION_LABELS,
    SECTIONS,
    ReportContext,
    ReportOptions,
    make_context,
    recording_date,
)
from dashboard.report.document import Document, plain

__all__ = [
    "SECTIONS",
    "SECTION_LABELS",
    "ReportOptions",
    "build_report",
    "gait_data",
    "gait_for_report",
    "report_file_name",
]


def report_file_name(analysis: Analysis) -> str:
    """``<source stem>.report.pdf``."""
    from pathlib import PurePath

    stem = PurePath(analysis.source_name.replace("\\", "/")).stem or "recording"
    return f"{stem}.report.pdf"


#: The settings of the report's gait section (no height: lengths in body heights).
GAIT_SETTINGS = gait.GaitSettings(height_m=None)
#: ``gait_result`` default of :func:`build_report`: compute it.
AUTO = object()


def gait_for_report(
    analysis: Analysis,
    walking: Callable[[], bool] | None = None,
    analyse: Callable | None = None,
    person: int | None = None,
):
    """The gait result the report prints (a
    :class:`~dashboard.kinematics.gait.GaitResult`), or None when the analysis is
    not a video that looks like walking, or gait analysis fails.

    Parameters
    ----------
    analysis
        The analysis under review.
    walking, analyse
        Stand-ins for :func:`~dashboard.kinematics.gait.looks_like_walking`
        (called with no argument) and :func:`~dashboard.kinematics.gait.analyze_gait`
        (called as ``analyse(poses, settings, person)``): the command line passes its
        own, which compute each once per input for ``gait.json`` and the report alike.
    person
        Person slot; None: the one found in most frames
        (:func:`~dashboard.kinematics.people.main_person`, as every other section).
    """
    if analysis.kind != "video" or analysis.poses.num_frames < 10:
        return None
    if person is None:
        person = main_person(analysis.poses)
    if person is None:
        return None
    try:
        if not (walking() if walking else gait.looks_like_walking(analysis.poses, person)):
            return None
        return (analyse or gait.analyze_gait)(analysis.poses, GAIT_SETTINGS, person)
    except Exception:
        return None


def gait_data(
    analysis: Analysis, result=AUTO, person: int | None = None
) -> tuple[dict, object] | None:
    """(``posedash.gait/1`` dict, cycle-curve DataFrame) when the analysis is a video
    that looks like walking and gait analysis is available; else None. ``result``:
    the :func:`gait_for_report` of ``analysis`` when already known (None: no gait);
    ``person``: the slot to analyse when it is not (None: the one found in most
    frames). A ``result`` of another person than ``person`` is analysed again."""
    if (
        result is not AUTO
        and result is not None
        and person is not None
        and getattr(result, "person", None) != int(analysis.poses.person_ids[person])
    ):
        result = AUTO  # the caller's gait is of someone else: the report's person counts
    if result is AUTO:
        result = gait_for_report(analysis, person=person)
    if result is None:
        return None
    try:
        return result.to_dict(), result.cycles_table()
    except Exception:
        return None


def _footer(options: ReportOptions, analysis: Analysis) -> str:
    label = plain(options.patient_label, 40).strip().replace("\n", " ")
    who = f"{label} · " if label else ""
    return (
        f"PoseDash report · {who}{plain(analysis.source_name, 50)} · "
        "supports clinical review, not a diagnosis"
    )


def build_report(
    analysis: Analysis,
    source: bytes | None,
    options: ReportOptions,
    earlier: Analysis | None = None,
    gait_result=AUTO,
) -> bytes:
    """The PDF report of ``analysis``, as bytes.

    Parameters
    ----------
    analysis
        The analysis under review (photo or video, fresh or reopened).
    source
        The photo's or video's bytes, for key frames; None when they are not
        available (a reopened session): the report says so.
    options
        Patient label, notes, sections, paper size, angles, ... (see
        :class:`~dashboard.report.context.ReportOptions`).
    earlier
        An earlier session of the same patient to compare with.
    gait_result
        The :func:`gait_for_report` of ``analysis`` when the caller already has it
        (None: no gait section); by default it is computed here. Every section,
        gait included, describes one person (``options.person``, else the one
        found in most frames): a result of another person is computed again.

    Notes
    -----
    Range-of-motion numbers are those of ``summary.json`` computed with
    ``options.kinematics`` (see :mod:`dashboard.report.tables`).
    """
    ctx = make_context(analysis, options)
    ctx = replace(ctx, recorded=options.recording_date or recording_date(source, analysis.kind))
    texts = (
        options.patient_label,
        options.notes if options.wants("notes") else "",
        analysis.source_name,
        earlier.source_name if earlier is not None else "",
        options.recording_date or "",
        options.earlier_date or "",
        *analysis.notes,
    )
    doc = Document(options.paper, _footer(options, analysis), options.report_time, texts)
    sections.header(doc, ctx, source)
    if not ctx.found:
        sections.nobody(doc, ctx)
        if options.wants("notes"):
            sections.notes(doc, options.notes)
        if options.wants("reading"):
            sections.reading(doc, ctx)
        return doc.output()
    _measurements(doc, ctx, source, earlier, gait_result)
    if options.wants("notes"):
        sections.notes(doc, options.notes)
    if options.wants("reading"):
        sections.reading(doc, ctx)
    return doc.output()


def _measurements(
    doc: Document, ctx: ReportContext, source: bytes | None, earlier: Analysis | None, result=AUTO
) -> None:
    options = ctx.options
    if options.wants("keyframes"):
        sections.keyframes_section(doc, ctx, source)
    if options.wants("angles"):
        measures.angles_section(doc, ctx)
    walking = gait_data(ctx.analysis, result, ctx.slot) if options.wants("gait") else None
    if options.wants("repetitions") and not ctx.is_photo and walking is None:
        measures.repetitions_section(doc, ctx)  # walking has strides, not repetitions
    if walking is not None:
        before = gait_data(earlier) if earlier is not None else None
        measures.gait_section(doc, walking[0], walking[1], before[0] if before else None)
    if options.wants("comparison") and earlier is not None:
        measures.comparison_section(doc, ctx, earlier)
