"""The report's first page: the clinical summary.

Who (patient, clinician, clinic), when, why (the reason for the assessment), what
(the movement and the test), and the headline results of the measures relevant
to the movement with their normal values and sources and, when there is an
earlier session, the change and whether it exceeds the minimal detectable
change. The evidence and the technical appendix follow on the next pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from dashboard.kinematics import movements
from dashboard.kinematics.views import VIEW_WORDS
from dashboard.report import headline
from dashboard.report.context import MAX_LABEL, MAX_PERSON, MAX_REASON, ReportContext
from dashboard.report.document import Document, covered, plain
from dashboard.report.tables import DASH

__all__ = ["DISCLAIMER", "summary_page"]

DISCLAIMER = "PoseDash supports clinical review; it does not make a diagnosis."
_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def _field(text: str, limit: int, missing: str = "not given") -> str:
    """A typed field as one printable line (control characters removed, cut)."""
    text = " ".join(plain(text, limit).split())
    return text or missing


def _who_rows(ctx: ReportContext, recorded: str, test: str | None) -> list[tuple[str, str]]:
    o = ctx.options
    when = (o.report_time or datetime.now(timezone.utc)).astimezone(timezone.utc)
    movement = movements.movement_label(ctx.movement)
    if o.movement is None and ctx.found:
        movement += " (recognised from the recording; change it on the Report page)"
    patient = _field(o.patient_label, MAX_LABEL)
    about = []
    if o.age_years is not None:
        about.append(f"{int(o.age_years)} years")
    if o.sex:
        about.append(o.sex)
    rows = [
        ("Patient", patient + (f" ({', '.join(about)})" if about else "")),
        ("Recording date", recorded),
        ("Clinician", _field(o.clinician, MAX_PERSON)),
        ("Clinic", _field(o.clinic, MAX_PERSON)),
        ("Reason for assessment", " ".join(plain(o.reason, MAX_REASON).split()) or "not given"),
        ("Movement", movement),
    ]
    if test:
        rows.append(("Test", test))
    rows.append(("Report date", when.strftime("%Y-%m-%d %H:%M UTC")))
    return rows


def _what(ctx: ReportContext) -> str:
    a, seq = ctx.analysis, ctx.analysis.poses
    if ctx.is_photo:
        kind = "Photo"
    else:
        span = float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0
        kind = f"Video of {span:.1f} s"
    view = VIEW_WORDS.get(ctx.view, ctx.view) if ctx.view else "camera view not known"
    if ctx.space == "world":
        view += "; angles from MediaPipe's 3D estimate (world space)"
    focus = movements.MOVEMENTS.get(ctx.movement)
    read = f" Read for: {focus.focus}." if focus and focus.focus else ""
    return f"{kind} ({plain(a.source_name, 80)}), {view}.{read}"


def _result_cell(h: headline.Headline, notes: list[str]) -> str:
    if h.level == "valid" or not h.reason:
        return h.result
    if h.reason not in notes:
        notes.append(h.reason)
    mark = _MARKS[min(notes.index(h.reason), len(_MARKS) - 1)]
    word = "caution" if h.level == "caution" else "withheld"
    return f"{h.result} ({word}{mark})"


def _table(doc: Document, rows: list[headline.Headline], earlier: bool) -> None:
    notes: list[str] = []
    cells = []
    for h in rows:
        cell = [h.measure, _result_cell(h, notes), h.normal or DASH]
        if earlier:
            cell += [h.earlier or DASH, h.change or DASH, h.beyond_mdc or DASH]
        cells.append(cell)
    heads: tuple[str, ...]
    widths: tuple[int, ...]
    align: tuple[str, ...]
    if earlier:
        heads = ("Measure", "Result", "Normal (source)", "Earlier", "Change", "Beyond MDC?")
        widths, align = (28, 38, 42, 19, 12, 19), ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT")
    else:
        heads = ("Measure", "Result", "Normal (source)")
        widths, align = (34, 52, 62), ("LEFT", "LEFT", "LEFT")
    doc.table(heads, cells, widths, align, size=7.6)
    for i, text in enumerate(notes):
        doc.caption(f"{_MARKS[min(i, len(_MARKS) - 1)]} {text[:1].upper()}{text[1:]}")


def _gait_lines(doc: Document, gait: dict) -> None:
    from dashboard.references import gait_band
    from dashboard.report.gait_report import band_caption

    verdict = (gait.get("setup") or {}).get("verdict")
    if verdict:
        doc.paragraph(
            f"Camera set-up for gait: {verdict} (checks and reasons in the Gait section).",
            size=8,
        )
    normal = gait.get("normal_band")
    if normal is None:
        return
    lines = [
        f"{name}: {band_caption(normal['comparison'], angle)}"
        for angle, name in zip(gait_band.CURVE_ANGLES, ("Hip", "Knee", "Ankle"), strict=True)
        if any(c["angle"] == angle for c in normal["comparison"])
    ]
    if lines:
        doc.paragraph(
            f"Gait-cycle curves against the normal band ({normal['short_source']}):", size=8
        )
        doc.bullets(lines, size=7.6)


def summary_page(
    doc: Document,
    ctx: ReportContext,
    recorded: str,
    rows: list[headline.Headline],
    *,
    gait: dict | None = None,
    earlier_name: str | None = None,
    extra: Sequence[str] = (),
    test: str | None = None,
) -> None:
    """Page 1: who, when, why and what, then the headline results.

    ``rows`` are the :mod:`~dashboard.report.headline` rows of the movement's
    measures; ``gait`` the gait document (with ``normal_band``) when the recording
    is a walk; ``earlier_name`` the earlier session compared with; ``extra`` short
    sentences (repetitions, the functional test) printed under the table."""
    o = ctx.options
    doc.title("Movement analysis report", "PoseDash · local pose analysis · " + DISCLAIMER)
    doc.key_values(_who_rows(ctx, recorded, test), key_width=40, size=8.5)
    label = plain(o.patient_label, MAX_LABEL)
    typed = label + o.clinician + o.clinic + o.reason
    if typed and not covered(typed):
        doc.caption(
            "Some characters typed above have no glyph in the report's font (DejaVu Sans): "
            "they are drawn as boxes naming their script, and kept as text in the PDF "
            "(search and copy work)."
        )
    doc.heading("Summary", keep_mm=60)
    if not ctx.found:
        doc.paragraph("Nobody was found in this recording: there is nothing to measure.")
        return
    doc.paragraph(_what(ctx), size=8.5)
    if earlier_name:
        doc.paragraph(f"Compared with the earlier session: {plain(earlier_name, 80)}.", size=8)
    for line in extra:
        doc.paragraph(line, size=8.5, bold=True)
    if rows:
        _table(doc, rows, earlier=bool(earlier_name))
    if gait:
        _gait_lines(doc, gait)
    doc.caption(
        "Results are shown as measured when valid; 'caution' values with their reason; "
        "withheld values as a dash with the reason. Normal values are those of healthy "
        "adults in the source named; they are a reference, not a target (–: none shipped "
        "for that measure, age and sex). Beyond MDC?: "
        "whether the change is at least the minimal detectable change (95 %) a published "
        "test-retest study reports for that measure (sources in the appendix). The "
        "evidence (events, curves, key frames) and the technical appendix follow."
    )
