"""The report's gait section: passes and set-up checks, the parameter table with
mean ± SD and n in every cell, key values, the event timeline, and the hip, knee
and ankle cycle curves over the normal band with their comparison.

It reads plain data (the ``posedash.gait/1`` document as a dict and the
cycle-curve table as a DataFrame) computed once by the gait analysis; the band
and its comparison come from :mod:`dashboard.references.gait_band`.
"""

from __future__ import annotations

from dashboard.kinematics.gait.frontal_words import (
    FRONTAL_ONLY_VERDICT,
    VERDICT_WORDS,
    frontal_only,
)
from dashboard.kinematics.gait.parameters import PARAMETER_LABELS
from dashboard.kinematics.symmetry import signed_symmetry
from dashboard.references import gait_band
from dashboard.references.change import exceeds_mdc
from dashboard.report import charts, gait_charts, tables
from dashboard.report.corrections import corrections_table
from dashboard.report.document import Document
from dashboard.report.gait_frontal import frontal_section
from dashboard.report.tables import stat_value

__all__ = ["band_caption", "dash_reason", "gait_overlays", "gait_rows", "gait_section"]


def _stat(gait: dict, key: str, side: str) -> dict:
    """{mean, sd, n} of a parameter for ``side`` (``left``/``right``/``overall``)."""
    p = gait.get("parameters") or {}
    s = ((p.get("stats") or {}).get(side) or {}).get(key)
    if isinstance(s, dict):
        return s
    raw = (p.get(side) or {}).get(key) if side != "overall" else p.get(key)
    if isinstance(raw, dict):
        return raw
    return {"mean": raw, "sd": None, "n": None}


def _numbers(sides: dict) -> dict:
    """{side: {key: {"mean": float}}} with NaN where the document has no number."""
    return {
        s: {
            k: {
                "mean": stat_value(v.get("mean"))
                if stat_value(v.get("mean")) is not None
                else float("nan")
            }
            for k, v in d.items()
        }
        for s, d in sides.items()
    }


def _cell(s: dict, digits: int) -> str:
    mean, sd, n = stat_value(s.get("mean")), stat_value(s.get("sd")), s.get("n")
    if mean is None:
        return tables.DASH
    text = f"{mean:.{digits}f}"
    if sd is not None:
        text += f" ± {sd:.{digits}f}"
    if n:
        text += f" ({int(n)})"
    return text


def _lengths(gait: dict) -> tuple[tuple[str, int], ...]:
    """Length and speed keys in metres when the gait has them, else in body heights."""
    metres = (
        stat_value(_stat(gait, "speed_m_s", "overall").get("mean")) is not None
        or stat_value(_stat(gait, "stride_length_m", "overall").get("mean")) is not None
    )
    if metres:
        return (("step_length_m", 2), ("stride_length_m", 2), ("speed_m_s", 2))
    return (
        ("step_length_body_heights", 3),
        ("stride_length_body_heights", 3),
        ("speed_body_heights_s", 2),
    )


def gait_rows(gait: dict) -> list[list[str]]:
    """Printed rows (parameter, left, right, both sides) of a ``posedash.gait/1``
    document; cells read ``mean ± SD (n)``."""
    step, stride, speed = _lengths(gait)
    sided = (("step_time_s", 2), ("stride_time_s", 2), ("stance_pct", 1), ("swing_pct", 1))
    rows = [
        [
            PARAMETER_LABELS.get(k, k),
            _cell(_stat(gait, k, "left"), d),
            _cell(_stat(gait, k, "right"), d),
            "",
        ]
        for k, d in (*sided, step, stride)
    ]
    p = gait.get("parameters") or {}
    counts = [(p.get(s) or {}).get("n_strides") for s in ("left", "right")]
    rows.append(["Strides"] + [tables.DASH if c is None else str(int(c)) for c in counts] + [""])
    sides = {s: {"step_time_s": _stat(gait, "step_time_s", s)} for s in ("left", "right")}
    for k, d in (
        ("cadence_steps_per_min", 1),
        speed,
        ("double_support_pct", 1),
        ("step_time_symmetry_pct", 1),
        ("stride_time_cv_pct", 1),
    ):
        stat = signed_symmetry(_stat(gait, k, "overall"), _numbers(sides), k)
        rows.append([PARAMETER_LABELS.get(k, k), "", "", _cell(stat, d)])
    return rows


def dash_reason(rows) -> str:
    """What a ``–`` in the gait table means ('' when there is none): no usable
    stride at all, or too few of one side (a parameter needs at least one kept
    stride, symmetry both sides, cadence and double support steps of both feet)."""
    if not any(tables.DASH in r[1:] for r in rows):
        return ""
    strides = next((r for r in rows if r[0] == "Strides"), None)
    if (
        strides is not None
        and strides[1] in ("0", tables.DASH)
        and strides[2] in ("0", tables.DASH)
    ):
        return (
            "–: not computed: no stride could be used (see the camera set-up checks "
            "above), so there is nothing to measure."
        )
    return (
        "–: not computed: too few usable strides or steps (of that side, or of both "
        "sides for the values of both) in this recording."
    )


_CHECK_WORDS = {True: "met", False: "not met", None: "cannot tell"}
#: After a pass's direction when it was not plainly walked forwards (see its notice).
_WALKING_TAGS = {
    "backward": ": walked backwards, analysed apart (not in this table)",
    "unclear": ": facing unclear",
}


def _trust(doc: Document, gait: dict, notices) -> None:
    """The Gait page's trust information: the camera set-up verdict and checks, and
    the warnings not already printed as a pass's notice."""
    setup = gait.get("setup") or {}
    verdict = setup.get("verdict")
    if verdict in VERDICT_WORDS:
        frontal = frontal_only(verdict, gait.get("frontal_walking"), len(gait.get("passes") or []))
        doc.paragraph(FRONTAL_ONLY_VERDICT if frontal else VERDICT_WORDS[verdict], bold=True)
        doc.bullets(
            [
                f"{c.get('label')} ({_CHECK_WORDS.get(c.get('ok'), 'cannot tell')}): "
                f"{c.get('detail')}." + ("" if c.get("ok") is True else f" {c.get('advice')}")
                for c in setup.get("checks") or []
            ],
            size=7.5,
        )
    for w in gait.get("warnings") or []:
        if w not in notices:
            doc.paragraph(str(w), size=8)


def _passes(doc: Document, gait: dict) -> list[str]:
    passes = gait.get("passes") or []
    if not passes and gait.get("frontal_walking"):  # walked towards or away only
        doc.paragraph(
            "No walking pass across the picture (side view): the walk is measured from "
            "the front or the back (Walking towards or away from the camera, below).",
            size=8.5,
        )
        return []
    events = gait.get("events") or []
    count = {
        s: sum(1 for e in events if e.get("side") == s and e.get("event") == "initial_contact")
        for s in ("left", "right")
    }
    directions = ", ".join(
        str(p.get("direction", "")).replace("_", " ") + _WALKING_TAGS.get(p.get("walking"), "")
        for p in passes
    )
    doc.paragraph(
        f"{len(passes)} walking pass{'es' if len(passes) != 1 else ''}"
        + (f" ({directions})" if directions else "")
        + f"; initial contacts found: {count['left']} left, {count['right']} right.",
        size=8.5,
    )
    notices = [str(p["notice"]) for p in passes if p.get("notice")]
    for notice in notices:  # a pass walked backwards (analysed apart) or facing unclear
        doc.paragraph(notice, size=8.5, bold=True)
    return notices


def _key_values(doc: Document, gait: dict) -> None:
    rows = []
    for kv in gait.get("key_values") or []:
        rows.append(
            [str(kv.get("label", kv.get("key")))]
            + [_cell(kv.get(s) or {}, 1) for s in ("left", "right")]
        )
    if rows:
        doc.heading("Key values over the gait cycle", level=2, keep_mm=28)
        doc.table(("Key value", "Left", "Right"), rows, (70, 30, 30), ("LEFT", "RIGHT", "RIGHT"))
    for kv in gait.get("key_values") or []:
        if kv.get("validity") == "withheld":  # a dash in the table: say why
            doc.caption(f"{kv.get('label', kv.get('key'))}: – ({kv.get('reason', 'withheld')}).")


def band_caption(comparison: list[dict], angle: str, short: bool = False) -> str:
    """How one angle's curves compare with the normal band, per side: the
    correlation with the normal mean and the share of the cycle outside ±2 SD
    (``short``: for a chart's caption)."""
    parts_r, parts_out = [], []
    for side in ("left", "right"):
        row = next((c for c in comparison if c["side"] == side and c["angle"] == angle), None)
        if row is None or row.get("r") is None:
            continue
        parts_r.append(f"{row['r']:.2f} {side}")
        parts_out.append(f"{row['outside_2sd_pct']:.0f} % {side}")
    if not parts_r:
        return "no comparison (too little of the cycle)"
    if short:
        return f"r = {', '.join(parts_r)}; outside ±2 SD: {', '.join(parts_out)}"
    return f"correlation with the normal mean {', '.join(parts_r)}; outside ±2 SD: " + ", ".join(
        parts_out
    )


def _curves(doc: Document, cycles) -> None:
    normal = gait_band.normal_band(cycles)
    items = []
    for angle in gait_band.CURVE_ANGLES:
        png = gait_charts.band_chart(cycles, angle, gait_band.band(angle))
        if png is None:
            continue
        caption = band_caption(normal["comparison"], angle, short=True) if normal else ""
        items.append((png, charts.png_size(png), caption))
    if not items:
        return
    doc.heading("Joint angles over the gait cycle, with the normal band", level=2, keep_mm=75)
    doc.image_grid(items, columns=3, max_height_mm=60)
    source = (
        f" Normal band: healthy adults walking overground at comfortable speed, mean ± 1 SD "
        f"({normal['short_source']}; {normal['source']['citation']} "
        f"doi:{normal['source']['doi']}). r: correlation with the normal mean, the shape "
        f"(1 = the same shape); "
        f"outside ±2 SD: the share of the cycle beyond two SD of the normal mean. "
        + gait_band.HIP_NOTE
        if normal
        else " No normal band is shipped with this PoseDash."
    )
    doc.caption(
        "From one initial contact (0 %) to the next of the same foot (100 %): mean ± 1 SD "
        "of the strides per side (n: strides)." + source
    )


def _change_table(doc: Document, gait: dict, earlier: dict) -> None:
    rows = []
    before, now = gait_rows(earlier), gait_rows(gait)
    measures = {"Cadence (steps/min)": "gait.cadence_steps_per_min"}
    measures[PARAMETER_LABELS.get("speed_m_s", "speed_m_s")] = "gait.speed_m_s"
    for b, a in zip(before, now, strict=False):
        for col, side in ((1, "left"), (2, "right"), (3, "")):
            if not (a[col] or b[col]):
                continue
            bv, av = stat_value(b[col].split(" ")[0]), stat_value(a[col].split(" ")[0])
            digits = len(a[col].split(" ")[0].partition(".")[2]) if av is not None else 1
            change = tables.DASH if bv is None or av is None else tables.fmt_signed(av - bv, digits)
            mdc = ""
            if side == "" and a[0] in measures:
                mdc = exceeds_mdc(measures[a[0]], bv, av).verdict()
            label = a[0] + (f" ({side})" if side else "")
            rows.append([label, b[col], a[col], change, mdc])
    doc.heading("Gait parameters: earlier session and now", level=2)
    doc.table(
        ("Parameter", "Earlier", "Now", "Change", "Beyond MDC?"),
        rows,
        (58, 26, 26, 16, 20),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    )
    doc.caption(
        "Cells: mean ± SD (n strides or steps). Beyond MDC?: whether the change is at "
        "least the published minimal detectable change (see the summary for its source); "
        "'no MDC': none is shipped for that parameter."
    )


def gait_section(doc: Document, gait: dict, cycles=None, earlier: dict | None = None) -> None:
    """Gait parameters (and their change since an earlier session), key values, the
    event timeline and the cycle curves over the normal band.

    ``gait`` is the ``posedash.gait/1`` document; ``cycles`` the cycle-curve table
    (``side, angle, cycle_pct, mean_deg, sd_deg, n_cycles``); ``earlier`` the
    earlier session's gait document, if any.
    """
    doc.heading("Gait")
    notices = _passes(doc, gait)
    frontal_note = str((gait.get("frontal_walking") or {}).get("events_note") or "")
    # the frontal corrections' note is printed in the frontal section, not among the warnings
    _trust(doc, gait, [*notices, frontal_note] if frontal_note else notices)
    png = gait_charts.timeline_chart(gait)
    if png is not None:
        w, h = charts.png_size(png)
        doc.image(png, doc.width, doc.width * h / w)
        doc.caption(
            "Gait events over time: initial contacts (filled triangles) and toe offs (open "
            "circles) of each foot; green: walking passes analysed, grey hatched: passes "
            "left out."
        )
    corrections_table(doc, gait, "Gait events corrected by hand")
    frontal_section(doc, gait.get("frontal_walking"))
    if not gait.get("passes") and gait.get("frontal_walking"):
        return  # filmed from the front or the back only: no side-view table of dashes
    rows = gait_rows(gait)
    doc.heading("Spatiotemporal parameters", level=2, keep_mm=40)
    doc.table(
        ("Parameter", "Left", "Right", "Both sides"),
        rows,
        (52, 28, 28, 28),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    scale = gait.get("scale") or {}
    doc.caption(
        "Cells: mean ± SD (n: the strides or steps behind the value); walking speed is "
        "one figure for the body. "
        + (
            f"Lengths and speed in metres from two floor marks "
            f"{(scale.get('floor_marks') or {}).get('distance_m', 0):g} m apart (about "
            f"±{scale.get('relative_error_pct', 5):.0f} %)."
            if scale.get("method") == "floor_marks"
            else f"Lengths and speed in metres from the height entered ({scale.get('height_m')} m; "
            f"about ±{scale.get('relative_error_pct', 5):g} %)."
            if scale.get("unit") == "m"
            else "Lengths and speed in body heights: enter the patient's height (or mark the "
            "floor) for metres."
        )
    )
    why = dash_reason(rows)
    if why:
        doc.caption(why)
    _key_values(doc, gait)
    if earlier:
        _change_table(doc, gait, earlier)
    if cycles is not None and len(cycles):
        _curves(doc, cycles)


def gait_overlays(doc: Document, gaits: tuple, labels: tuple[str, str]) -> None:
    """The gait-cycle curves of two sessions overlaid per joint and side, over the
    normal band, with the strides behind each (n) and the change of the walking
    speed and cadence against their MDC; ``gaits``: ((earlier document, cycles),
    (later document, cycles))."""
    (before, cyc_b), (after, cyc_a) = gaits
    items = []
    for side in ("left", "right"):
        for angle in gait_band.CURVE_ANGLES:
            png = gait_charts.overlay_chart(
                cyc_b, cyc_a, angle, side, gait_band.band(angle), labels
            )
            if png is not None:
                items.append((png, charts.png_size(png), ""))
    if not items:
        return
    doc.heading("Gait-cycle curves: earlier session and now", level=2, keep_mm=75)
    doc.image_grid(items, columns=3, max_height_mm=56)
    doc.caption(
        "Mean curve over the strides of each session (n: strides), earlier grey dashed, "
        "now black solid, over the normal band (grey, mean ± 1 SD; "
        + gait_band.short_source()
        + "). Curves from fewer than 3 strides per side are uncertain."
    )
    rows = _overlay_rows(before, after)
    if rows:
        doc.table(
            ("Measure", "Earlier", "Now", "Change", "Beyond MDC?"),
            rows,
            (58, 28, 28, 16, 50),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        )
        doc.caption(
            "Cells: mean ± SD (n: strides or steps). Key values per side from each "
            "session's strides. Beyond MDC?: whether the change reaches the minimal "
            "detectable change (95 %) of the study named; 'no MDC': none is shipped for "
            "that measure, so PoseDash cannot say whether the change is real."
        )


#: (parameter key, label, digits, MDC measure) compared between two walks
_OVERLAY_PARAMETERS = (
    ("speed_m_s", "Walking speed (m/s)", 2, "gait.speed_m_s"),
    ("cadence_steps_per_min", "Cadence (steps/min)", 1, "gait.cadence_steps_per_min"),
    ("stride_length_m", "Stride length (m)", 2, "gait.stride_length_m"),
    ("step_length_m", "Step length (m)", 2, "gait.step_length_m"),
    ("double_support_pct", "Double support (% of cycle)", 1, "gait.double_support_pct"),
)


def _change_row(label: str, b: dict, a: dict, digits: int, measure: str) -> list[str] | None:
    c = exceeds_mdc(
        measure,
        stat_value(b.get("mean")),
        stat_value(a.get("mean")),
        n_before=b.get("n"),
        n_after=a.get("n"),
    )
    if c.before is None and c.after is None:
        return None
    return [
        label,
        _cell(b, digits),
        _cell(a, digits),
        tables.DASH if c.change is None else tables.fmt_signed(c.change, digits),
        c.verdict() + (f" (MDC {c.mdc:g}; {c.source})" if c.mdc is not None else ""),
    ]


def _overlay_rows(before: dict, after: dict) -> list[list[str]]:
    """Parameters (both sides) and key values over the cycle (per side) of two walks:
    earlier, now, change and its verdict against the MDC."""
    rows = []
    for key, label, digits, measure in _OVERLAY_PARAMETERS:
        row = _change_row(
            label, _stat(before, key, "overall"), _stat(after, key, "overall"), digits, measure
        )
        if row is not None:
            rows.append(row)
    earlier_kv = {k.get("key"): k for k in before.get("key_values") or ()}
    for kv in after.get("key_values") or ():
        b = earlier_kv.get(kv.get("key"))
        if b is None:
            continue
        for side in ("left", "right"):
            row = _change_row(
                f"{kv.get('label', kv.get('key'))}, {side}",
                b.get(side) or {},
                kv.get(side) or {},
                1,
                f"gait.{kv.get('key')}",
            )
            if row is not None:
                rows.append(row)
    return rows
