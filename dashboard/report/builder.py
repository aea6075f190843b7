"""One call from an analysis to the clinician's PDF report::

    pdf = build_report(analysis, source_bytes_or_None, ReportOptions(patient_label="J. D."))

Page 1 is the clinical summary (always; :mod:`~dashboard.report.summary`): who,
when, why, the movement and test, the headline results with their normal values
and, with an earlier session, the change against the minimal detectable change.
Then the evidence, each section when chosen and with data: gait, the functional
test, repetitions, joint angles and range of motion of the movement's measures,
key frames, the comparison with the earlier session, clinical notes. Then the
technical appendix: the file, model and settings, the full range-of-motion
table, how to read the numbers, and the sources of the reference values. An
analysis in which nobody was found gives a short report that says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dashboard.analysis import Analysis
from dashboard.kinematics import gait
from dashboard.kinematics.people import main_person
from dashboard.report import gait_report, headline, measures, sections
from dashboard.report.context import (
    SECTION_LABELS,
    SECTIONS,
    ReportContext,
    ReportOptions,
    make_context,
    recording_date,
)
from dashboard.report.document import Document, plain
from dashboard.report.summary import summary_page

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
    settings=None,
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
    settings
        Gait settings (a height or floor-mark scale); None: :data:`GAIT_SETTINGS`.
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
        return (analyse or gait.analyze_gait)(analysis.poses, settings or GAIT_SETTINGS, person)
    except Exception:
        return None


def gait_data(
    analysis: Analysis, result=AUTO, person: int | None = None, settings=None
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
        result = gait_for_report(analysis, person=person, settings=settings)
    if result is None:
        return None
    try:
        doc, cycles = result.to_dict(), result.cycles_table()
    except Exception:
        return None
    if "normal_band" not in doc:  # gait.json's entry (computed once, where gait.json is made)
        from dashboard.references.gait_band import normal_band

        doc["normal_band"] = normal_band(cycles)
    return doc, cycles


def _footer(options: ReportOptions, analysis: Analysis) -> str:
    label = plain(options.patient_label, 40).strip().replace("\n", " ")
    who = f"{label} · " if label else ""
    return (
        f"PoseDash report · {who}{plain(analysis.source_name, 50)} · "
        "supports clinical review, not a diagnosis"
    )


def _texts(analysis: Analysis, options: ReportOptions, earlier: Analysis | None) -> tuple:
    """Every text from outside printed in the report (for the fonts it needs)."""
    return (
        options.patient_label,
        options.clinician,
        options.clinic,
        options.reason,
        options.notes if options.wants("notes") else "",
        analysis.source_name,
        earlier.source_name if earlier is not None else "",
        options.recording_date or "",
        options.earlier_date or "",
        *analysis.notes,
    )


def _recorded_words(ctx: ReportContext, source: bytes | None) -> str:
    if ctx.recorded:
        return ctx.recorded
    return (
        "not known (the file carries no date)"
        if source
        else "not known (the recording itself is not available to this report)"
    )


@dataclass
class _Bundle:
    """One session's numbers, computed once for every section."""

    ctx: ReportContext
    gait: tuple | None = None  # (gait document, cycles table)


def _bundles(analysis, source, options, earlier, gait_result):
    seq, slot = analysis.poses, options.person
    if slot is None or not (0 <= slot < seq.num_people and seq.detected[:, slot].any()):
        slot = main_person(seq)  # the report's person, as make_context chooses it
    walking = (
        gait_data(analysis, gait_result, slot, options.gait_settings)
        if options.wants("gait") and slot is not None
        else None
    )
    ctx = make_context(analysis, options, walking=walking is not None)
    ctx = replace(ctx, recorded=options.recording_date or recording_date(source, analysis.kind))
    now = _Bundle(ctx, walking)
    if earlier is None:
        return now, None
    walking_b = gait_data(earlier, settings=options.gait_settings) if walking else None
    opts_b = replace(options, person=None, movement=ctx.movement, angles=ctx.keys or None)
    return now, _Bundle(make_context(earlier, opts_b, walking=walking_b is not None), walking_b)


def summary_rows(analysis, source, options, earlier=None, gait_result=AUTO) -> list:
    """The first page's result rows (:class:`~dashboard.report.headline.Headline`:
    result, normal value with its source, and with ``earlier`` the change against the
    MDC), as the report prints them: for the Report page's preview."""
    now, before = _bundles(analysis, source, options, earlier, gait_result)
    return _headlines(now, before) if now.ctx.found else []


def _headlines(now: _Bundle, before: _Bundle | None) -> list:
    ctx = now.ctx
    if now.gait is not None:
        return headline.gait_headlines(
            now.gait[0], ctx.options, before.gait[0] if before and before.gait else None
        )
    rows_b = None
    if before is not None and before.ctx.found:
        rows_b = {(r["angle"], r["side"]): r for r in before.ctx.rom}
    return headline.rom_headlines(ctx, rows_b)


def _repetition_words(ctx: ReportContext) -> list[str]:
    from dashboard.report import tables

    series = tables.repetition_series(
        ctx.summary["repetitions"], ctx.space, ctx.person_id, ctx.keys
    )
    if not series:
        return []
    s = series[0]
    reps = [r for r in s["repetitions"] if r["complete"]]
    if not reps:
        return []
    dur = [r["duration_s"] for r in reps if r.get("duration_s") is not None]
    each = f", {sum(dur) / len(dur):.1f} s each on average" if dur else ""
    name = tables.display_name(s["angle"], s["side"]).lower()
    plural = "s" if s["count"] != 1 else ""
    return [f"{s['count']} complete repetition{plural} of {name}{each}."]


def _reference_ids(now: _Bundle) -> list[str]:
    from dashboard.references import available, for_measure

    ids = []
    if now.gait is not None:
        ids += [i for i in available() if i.startswith("gait_cycle")]
        for m in ("gait.speed_m_s", "gait.cadence_steps_per_min"):
            ids += [r["id"] for r in for_measure(m)]
    for key in now.ctx.keys:
        ids += [r["id"] for r in for_measure(f"rom.{key}")]
    return ids


def _test_lines(test_doc: dict | None) -> tuple[str | None, list[str]]:
    """(the test's name, page-1 sentences) of a functional test's ``posedash.test/1``
    document: its headline with the first norm's verdict and source."""
    if not test_doc:
        return None, []
    headline_text = str(test_doc.get("headline") or "").strip()
    title = str(test_doc.get("title") or headline_text.partition(":")[0] or "functional test")
    refs = (test_doc.get("norms") or {}).get("references") or []
    norm = ""
    if refs and isinstance(refs[0], dict):
        r = refs[0]
        parts = [str(x) for x in (r.get("verdict"), r.get("band")) if x]
        cite = str(r.get("citation") or "").split(".")[0]
        norm = f" ({'; '.join(parts + ([cite] if cite else []))})" if parts or cite else ""
    return plain(title, 80), [plain(headline_text, 200) + norm] if headline_text else []


def build_report(
    analysis: Analysis,
    source: bytes | None,
    options: ReportOptions,
    earlier: Analysis | None = None,
    gait_result=AUTO,
    test_result: dict | None = None,
    measurements=(),
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
        Patient, clinician, clinic, reason, movement, notes, sections, paper,
        angles, ... (see :class:`~dashboard.report.context.ReportOptions`).
    earlier
        An earlier session of the same patient to compare with.
    gait_result
        The :func:`gait_for_report` of ``analysis`` when the caller already has it
        (None: no gait section); by default it is computed here. Every section,
        gait included, describes one person (``options.person``, else the one
        found in most frames): a result of another person is computed again.
    test_result
        A functional test's ``posedash.test/1`` document (``dashboard.functional``):
        its headline on page 1, its section after the gait section.
    measurements
        Measurements made by hand (:class:`dashboard.manual.ManualMeasurement`),
        printed in the evidence ("Measured by hand").

    Notes
    -----
    Range-of-motion numbers are those of ``summary.json`` computed with
    ``options.kinematics`` (see :mod:`dashboard.report.tables`).
    """
    now, before = _bundles(analysis, source, options, earlier, gait_result)
    ctx = now.ctx
    doc = Document(
        options.paper,
        _footer(options, analysis),
        options.report_time,
        _texts(analysis, options, earlier),
    )
    rows = _headlines(now, before) if ctx.found else []
    extra = _repetition_words(ctx) if ctx.found and now.gait is None and not ctx.is_photo else []
    test_name, test_words = _test_lines(test_result if options.wants("functional") else None)
    summary_page(
        doc,
        ctx,
        _recorded_words(ctx, source),
        rows,
        gait=now.gait[0] if now.gait else None,
        earlier_name=earlier.source_name if earlier is not None else None,
        extra=test_words + extra,
        test=test_name,
    )
    if not ctx.found:  # a short report: what was looked at, and why nothing is measured
        sections.nobody(doc, ctx)
    else:
        doc.page_break()
        _evidence(doc, now, before, source, earlier, test_result, measurements)
    if options.wants("notes"):
        sections.notes(doc, options.notes)
    _appendix(doc, now)
    return doc.output()


def _evidence(
    doc: Document, now: _Bundle, before, source, earlier, test_result=None, measurements=()
) -> None:
    ctx, options = now.ctx, now.ctx.options
    if now.gait is not None:
        gait_report.gait_section(doc, now.gait[0], now.gait[1], None)
    if test_result and options.wants("functional"):
        from dashboard.report.functional import functional_section  # the tests engineer's

        functional_section(doc, test_result)
    if options.wants("repetitions") and not ctx.is_photo and now.gait is None:
        measures.repetitions_section(doc, ctx)  # a walk has strides, not repetitions
    if measurements:
        from dashboard.report.manual import manual_section

        manual_section(doc, ctx.analysis, measurements, source, blur_faces=options.blur_faces)
    if options.wants("angles") and now.gait is None:  # a walk: the cycle curves say it
        measures.angles_section(doc, ctx)
    if options.wants("keyframes"):
        sections.keyframes_section(doc, ctx, source, now.gait[0] if now.gait else None)
    if options.wants("comparison") and earlier is not None:
        gaits = (before.gait, now.gait) if now.gait is not None else None
        measures.comparison_section(doc, ctx, earlier, gaits)


def _appendix(doc: Document, now: _Bundle) -> None:
    ctx, options = now.ctx, now.ctx.options
    if ctx.found:
        doc.page_break()
    sections.technical(doc, ctx)
    if ctx.found and options.wants("angles"):
        measures.rom_appendix(doc, ctx)
    if options.wants("reading"):
        sections.reading(doc, ctx)
    sections.references_list(doc, _reference_ids(now) if ctx.found else [])
