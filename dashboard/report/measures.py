"""Report sections with measurements: joint angles and range of motion, repetitions,
gait, and the comparison with an earlier session.

The gait section takes plain data (the ``posedash.gait/1`` document as a dict and
the cycle-curve table as a DataFrame), so it does not depend on how gait is
computed.
"""

from __future__ import annotations

import numpy as np

from dashboard.kinematics import angle_def
from dashboard.kinematics.comparability import SessionTraits
from dashboard.kinematics.symmetry import SYMMETRY_WORDS
from dashboard.kinematics.views import VIEW_WORDS
from dashboard.report import charts, tables
from dashboard.report.context import ReportContext, legend_date
from dashboard.report.document import Document, plain
from dashboard.report.tables import display_name, fmt_deg, fmt_s

MAX_REP_ROWS = 30


def _chart(doc: Document, png: bytes) -> None:
    w, h = charts.png_size(png)
    doc.image(png, doc.width, doc.width * h / w)


def _measured(ctx: ReportContext, key: str) -> bool:
    return any(r["angle"] == key and r["n_valid"] for r in ctx.rom)


def _angle_charts(doc: Document, ctx: ReportContext) -> None:
    aset = ctx.aset
    doc.caption(
        "Lines: the filtered angle, left side orange, right side blue, midline "
        "grey; faint dots: the raw values; dots with a black rim: the largest and "
        "smallest value. Breaks in a line and grey bands are gaps: frames without "
        "a trustworthy value (see the table for how many and why)."
    )
    levels = {(r["angle"], r["side"]): r.get("validity", "valid") for r in ctx.rom}
    for key in (k for k in ctx.keys if _measured(ctx, k)):
        sides = [d.side for d in aset.defs if d.key == key]
        drawn = [s for s in sides if levels.get((key, s)) != "withheld"]
        d = angle_def(key, sides[0])
        if drawn:
            series = [
                (
                    side,
                    aset.series(key, side, ctx.slot),
                    aset.series(key, side, ctx.slot, filtered=False),
                    levels.get((key, side), "valid"),
                )
                for side in drawn
            ]
            _chart(
                doc,
                charts.angle_chart(
                    aset.time_s - aset.time_s[0], series, f"{d.label} ({ctx.space} space)"
                ),
            )
        withheld = [s or "midline" for s in sides if s not in drawn]
        doc.caption(
            f"{d.label}: {d.positive}. 0°: {d.zero}. Camera view needed in "
            f"image space: {VIEW_WORDS[d.view]}."
            + (
                f" Not drawn ({', '.join(withheld)}): withheld, see the table for why."
                if withheld
                else ""
            )
            + (" Dashed: caution." if any(levels.get((key, s)) == "caution" for s in drawn) else "")
        )


#: The video range-of-motion table: the normal end of range beside the numbers,
#: the verdicts and known errors as numbered notes under the table (each said once).
_ROM_HEADINGS = (*tables.ROM_HEADINGS[:-1], "Normal (source)", "Frames excluded; notes")
_ROM_WIDTHS = (26, 11, 10, 10, 11, 10, 8, 12, 15, 18, 26, 23)
_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def _mark(i: int) -> str:
    return "".join(_MARKS[int(d) - 1] if d != "0" else "⁰" for d in str(i))


def _noted(cells: list[list[str]], rows: list[dict], ctx: ReportContext):
    """``cells`` with the normal value inserted and the last cell cut to the frame
    counts plus note marks; the notes (verdicts, known errors) in order, each once."""
    from dashboard.text.norm_words import rom_norm_words

    notes: list[str] = []
    out = []
    for cell, r in zip(cells, rows, strict=True):
        note = tables.verdict_note(r)
        marks = ""
        if note:
            if note not in notes:
                notes.append(note)
            marks = " " + _mark(notes.index(note) + 1)
        counts = tables.excluded_text(r)
        normal = rom_norm_words(r["angle"], ctx.options.age_years, ctx.options.sex) or "–"
        out.append([*cell[:-1], normal, ("" if counts == "none" else counts) + marks or "none"])
    return out, notes


def _rom_block(doc: Document, ctx: ReportContext, rows: list[dict], every: bool) -> None:
    cells = tables.rom_table_cells(rows, ctx.is_photo)
    if ctx.is_photo:
        doc.table(tables.PHOTO_HEADINGS, cells, tables.PHOTO_WIDTHS, tables.PHOTO_ALIGN)
        return
    doc.caption(
        ("Every angle" if every else "The angles read for this movement")
        + ", over the whole recording, from the filtered values, in "
        f"degrees ({ctx.space} space). The same numbers as the summary.json "
        "export, rounded to 0.1°. Frames used: frames with a value, of all "
        "analysed frames."
    )
    if cells:
        cells, notes = _noted(cells, [r for r in rows if r["n_valid"]], ctx)
        doc.table(_ROM_HEADINGS, cells, _ROM_WIDTHS, (*tables.ROM_ALIGN, "LEFT"), size=6.8)
        for i, text in enumerate(notes, 1):
            doc.caption(f"{_mark(i)} {text}")
    missing = tables.not_measured(rows)
    if missing:
        doc.paragraph(
            "Not measured in "
            + ctx.space
            + " space: "
            + " ".join(missing)
            + (
                " These angles need another camera view; world space "
                "estimates them, with the limits below."
                if ctx.space == "image" and any("not in the view" in m for m in missing)
                else ""
            ),
            size=7.5,
        )
    doc.caption(
        "Why frames are excluded: 'person not found' (no skeleton in that frame); "
        "'not in the view' (image space: the body was turned away from the view "
        "the angle needs); 'low confidence' (a landmark's visibility was below "
        f"{ctx.options.kinematics.min_confidence:.2f}); 'out of plane' (a segment "
        "pointed too far out of the angle's plane, or a landmark was missing); "
        "'implausible, left out' (outside the angle's plausible range, for example "
        "knee hyperextension beyond -15°: a tracking error, left out of the range of "
        "motion). * the frame of that extreme was flagged as foreshortened. SI: "
        + SYMMETRY_WORDS
        + " Conf.: the lowest visibility of the landmarks, 0 to 1: it says the model "
        "saw them, not that the angle is right (the verdict in the last column says that)."
    )


def angles_section(doc: Document, ctx: ReportContext) -> None:
    """A chart per angle read for the movement (video) and their range of motion
    (the full table is in the appendix: :func:`rom_appendix`)."""
    doc.heading(
        "Joint angles" if ctx.is_photo else "Joint angles and range of motion", keep_mm=55
    )  # with the sub-heading and a first row, or a chart
    if not ctx.is_photo:
        _angle_charts(doc, ctx)
    doc.heading("Range of motion" if not ctx.is_photo else "Angles in this photo", level=2)
    rows = ctx.rom if ctx.is_photo else [r for r in ctx.rom if r["angle"] in ctx.keys] or ctx.rom
    _rom_block(doc, ctx, rows, every=rows is ctx.rom)


def rom_appendix(doc: Document, ctx: ReportContext) -> None:
    """The full range-of-motion table: every angle and side."""
    if ctx.is_photo:
        return
    doc.heading("Range of motion of every angle", keep_mm=55)
    _rom_block(doc, ctx, ctx.rom, every=True)


def repetitions_section(doc: Document, ctx: ReportContext) -> None:
    """Count, per-repetition ROM and tempo of the chosen angles."""
    found = tables.repetition_series(ctx.summary["repetitions"], ctx.space, ctx.person_id, ctx.keys)
    doc.heading("Repetitions")
    withheld = [
        w["reason"]
        for w in ctx.summary.get("repetitions_withheld", ())
        if w["person"] == ctx.person_id
    ]
    if withheld:  # a walk: its steps are not exercise repetitions (core rule)
        doc.paragraph(withheld[0])
        return
    if not found:
        doc.paragraph(
            "No repetitions were found in the chosen angles. A repetition is one "
            "excursion of the angle away from its rest level and back; an angle "
            "whose range (5th to 95th percentile) is below "
            f"{ctx.options.kinematics.repetitions.min_range_deg:g}° has none."
        )
        return
    doc.caption(
        "A repetition starts when the angle leaves its rest level and ends when it "
        "returns (10 % of the way to the peak); its ROM is the peak minus the lower "
        "trough around it. Tempo: time to the peak and back down."
    )
    for series in found:
        name = display_name(series["angle"], series["side"])
        reps = [r for r in series["repetitions"] if r["complete"]]
        rom = np.array([r["rom_deg"] for r in reps], float)
        dur = np.array([r["duration_s"] for r in reps], float)
        summary = f"{series['count']} complete repetition{'s' if series['count'] != 1 else ''}" + (
            f"; ROM {fmt_deg(np.nanmean(rom))}° on average "
            f"({fmt_deg(np.nanmin(rom))} to {fmt_deg(np.nanmax(rom))}°), "
            f"{fmt_s(np.nanmean(dur))} s each"
            if len(reps)
            else ""
        )
        doc.heading(f"{name}: {summary}", level=2, keep_mm=25)
        rows = tables.repetition_cells(series)
        if len(rows) > MAX_REP_ROWS:
            rows = rows[:MAX_REP_ROWS]
            doc.caption(f"The first {MAX_REP_ROWS} of {len(series['repetitions'])} shown.")
        doc.table(tables.REP_HEADINGS, rows, tables.REP_WIDTHS, ("CENTER", "LEFT") + ("RIGHT",) * 6)


def comparison_section(
    doc: Document, ctx: ReportContext, earlier, gaits: tuple | None = None
) -> None:
    """ROM differences with an earlier session (change against the MDC) and the
    curves of both overlaid: gait-cycle curves over the normal band for a walk
    (``gaits``: the earlier and the later ``(gait document, cycles table)``),
    repetitions for an exercise."""
    from dashboard.kinematics import comparability, compare
    from dashboard.kinematics.summary import compute_kinematics, rom_of

    doc.heading("Comparison with the earlier session", keep_mm=70)
    before, now = earlier, ctx.analysis
    slot_b = tables.choose_person(before.poses)
    dated = [
        f", {plain(w, 60)}" if w else ""
        for w in (ctx.options.earlier_date, ctx.recorded and f"recorded {ctx.recorded}")
    ]
    doc.paragraph(
        f"Earlier: {before.source_name}{dated[0]}. Now: {now.source_name}{dated[1]}. "
        "Both computed "
        f"with the same angle settings, in {ctx.space} space; change = now minus "
        "earlier (positive: more range, or a higher maximum, now).",
        size=8,
    )
    warn = _comparison_warnings(before, now, slot_b)
    for text in warn:
        doc.note(text)
    if slot_b is None or ctx.slot is None:  # (the evidence pages need someone found now)
        return
    full_b = compute_kinematics(before.poses, ctx.options.kinematics)
    kin_b = full_b.space(ctx.space)
    walks = (full_b.repetitions_withheld(slot_b), ctx.kin.repetitions_withheld(ctx.slot))
    traits = (
        comparability.traits_of(before, full_b, ctx.space, slot_b),
        comparability.traits_of(now, ctx.kin, ctx.space, ctx.slot),
    )
    reasons = comparability.session_reasons(*traits)
    if reasons:
        doc.note(
            "These two sessions may not be comparable: a difference below may come "
            "from what was filmed, not from the patient. "
            + " ".join(reasons)
            + " Rows affected are marked in the last column."
        )
    if gaits is not None and all(g is not None for g in gaits):
        _compare_walks(doc, ctx, gaits)
        return
    rom_b = rom_of(full_b)
    rom_b = rom_b[
        (rom_b.person == int(before.poses.person_ids[slot_b])) & (rom_b.space == ctx.space)
    ].assign(person=0)
    rom_a = rom_of(ctx.kin)
    rom_a = rom_a[(rom_a.person == ctx.person_id) & (rom_a.space == ctx.space)].assign(person=0)
    table = compare.compare_rom(rom_b, rom_a)
    names = [f"{a}_{s}" if s else a for a, s in zip(table["angle"], table["side"], strict=True)]
    flags = comparability.row_flags(*traits, names)
    flagged = any(flags[n] for n in names if n in flags)
    keys = ctx.keys if ctx.keys and not ctx.options.angles else None  # the movement's measures
    cells = tables.comparison_cells(table, keys, flags=flags if flagged else None)
    doc.table(
        tables.COMPARE_HEADINGS + (("May not compare",) if flagged else ()),
        cells,
        tables.COMPARE_WIDTHS + ((44,) if flagged else ()),
        ("LEFT", "LEFT") + ("RIGHT",) * 6 + ("LEFT",) + (("LEFT",) if flagged else ()),
    )
    if any(tables.DASH in row[2:8] for row in cells):
        doc.caption(
            "–: no value in that session (the angle was not measured there, for "
            "example not filmed from its camera view, or every frame left out), so "
            "no change either."
        )
    _comparison_curves(doc, ctx, (kin_b, slot_b), traits, any(walks))


def _compare_walks(doc: Document, ctx: ReportContext, gaits: tuple) -> None:
    """Two walks: their gait parameters, key values and cycle curves, not the ranges
    over the whole recordings."""
    from dashboard.report.gait_report import gait_overlays

    doc.paragraph(
        "Two walks: compared by their gait (parameters, key values and the curves over "
        "the gait cycle). The ranges over the whole recordings, which include turns, "
        "standing and anything else filmed, are in each session's own report.",
        size=8,
    )
    gait_overlays(doc, gaits, _labels(ctx))


def _comparison_warnings(before, now, slot_b) -> list[str]:
    """Why two sessions' differences may not be the patient's: the same recording,
    different detection settings or model, nobody found earlier."""
    warn = []
    if before.source_sha256 and before.source_sha256 == now.source_sha256:
        warn.append("Both sessions come from the same recording.")
    differs = [
        w
        for w, x in (
            ("detection settings", before.settings != now.settings),
            ("pose model", (before.model or {}).get("sha256") != (now.model or {}).get("sha256")),
        )
        if x
    ]
    if differs:
        warn.append(
            f"The sessions were analysed with different {' and '.join(differs)}: "
            "part of a difference may come from that, not from the patient."
        )
    if slot_b is None:
        warn.append("Nobody was found in the earlier session: there is nothing to compare.")
    return warn


def _labels(ctx: ReportContext) -> tuple[str, str]:
    """Legend words of the two sessions: 'earlier (2026-11-02)', 'now (...)'."""

    def label(word: str, when: str | None) -> str:
        return f"{word} ({legend_date(when)})" if legend_date(when) else word

    # files named above
    return label("earlier", ctx.options.earlier_date), label("now", ctx.recorded)


def _comparison_curves(
    doc: Document,
    ctx: ReportContext,
    earlier,
    traits: tuple[SessionTraits, SessionTraits],
    walking: bool,
) -> None:
    """The charted angles' curves of both sessions overlaid, each with its verdict
    (``walking``: either session is a walk, whose curves run against time)."""
    from dashboard.kinematics import comparability, compare

    (kin_b, slot_b), aset = earlier, ctx.aset
    labels = _labels(ctx)
    items = []
    reps = ctx.options.kinematics.repetitions
    for key in ctx.keys[:2]:
        for d in (d for d in aset.defs if d.key == key):
            sb = kin_b.series(d.key, d.side, slot_b)
            sa = aset.series(d.key, d.side, ctx.slot)
            # a walk has steps, not repetitions: its curves run against time
            cb = compare.angle_curves(
                sb, kin_b.time_s, None if walking else reps.detect(sb, kin_b.time_s), not walking
            )
            ca = compare.angle_curves(
                sa, aset.time_s, None if walking else reps.detect(sa, aset.time_s), not walking
            )
            if cb.normalised != ca.normalised:
                cb = compare.angle_curves(sb, kin_b.time_s, None, False)
                ca = compare.angle_curves(sa, aset.time_s, None, False)
            png = charts.comparison_chart(cb, ca, d.display, labels, size_in=(3.6, 2.3))
            verdict = comparability.comparability(*traits, d.name)
            own = comparability.angle_reasons(*traits, d.name)
            items.append(
                (
                    png,
                    charts.png_size(png),
                    ""
                    if verdict.comparable
                    else "May not compare: " + (" ".join(own) if own else "see the note above."),
                )
            )
    if items:
        doc.image_grid(items, columns=2, max_height_mm=60)
        doc.caption(
            "Curves of the charted angles: per repetition from its start (0 %) to "
            "its end (100 %) when both sessions have complete repetitions (thin: each "
            "repetition; thick: the mean; band: ±1 SD), else against time."
        )
