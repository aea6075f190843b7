"""The report's functional-test section: the result of a ``posedash.test/1`` document
(:mod:`dashboard.functional`), its norm band with the citation, the events with their
times and confidence, the set-up checks and the warnings.

For the report's layout (``dashboard/report/builder.py``)::

    from dashboard.report.functional import functional_section

    functional_section(doc, test_result)   # test_result: the posedash.test/1 dict

The document is read defensively (a file from elsewhere may lack any field): what is
missing is left out, never guessed.
"""

from __future__ import annotations

from dashboard.report.corrections import corrections_table
from dashboard.report.document import Document

__all__ = ["functional_section"]

_LABELS = {
    "stands": "Stands",
    "stands_seen": "Stands seen",
    "time_to_fifth_stand_s": "Time to the 5th stand",
    "time_to_fifth_sit_s": "Time to the 5th sit",
    "total_s": "Total time",
    "speed_m_s": "Speed",
    "time_s": "Time",
    "distance_m": "Distance",
    "steps": "Steps",
    "cadence_steps_per_min": "Cadence",
    "left_s": "Standing on the left leg",
    "right_s": "Standing on the right leg",
    "sides_note": "Sides",
}
_UNITS = (("speed_m_s", "m/s", 2), ("cadence_steps_per_min", "steps/min", 0), ("_m", "m", 1))


def _value(key: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    for suffix, unit, digits in _UNITS:
        if key.endswith(suffix):
            return f"{value:.{digits}f} {unit}"
    if key.endswith("_s"):
        return f"{value:.1f} s"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _result_rows(test: dict) -> list[tuple[str, str]]:
    result = test.get("result") or {}
    withheld = test.get("withheld") or {}
    rows = []
    for key, label in _LABELS.items():
        if key not in result:
            continue
        text = _value(key, result[key])
        if result[key] is None and withheld.get(key):
            text += f" ({withheld[key]})"
        rows.append((label, text))
    start = test.get("start") or {}
    if start.get("time_s") is not None:
        how = "set by hand" if start.get("method") == "given" else "the first movement"
        rows.append(("Clock started", f"{start['time_s']:.2f} s ({how})"))
    return rows


def _norm_lines(norms: dict) -> list[str]:
    lines = []
    if norms.get("verdict"):
        lines.append(str(norms["verdict"]))
    lines += [str(r) for r in norms.get("table") or []]
    for c in norms.get("cutoffs") or []:
        met = {True: "met", False: "not met"}.get(c.get("met"), "—")
        lines.append(f"Cut-off {c.get('words', '')}: {met}")
    return lines


def functional_section(doc: Document, test: dict) -> None:
    """Print the functional test ``test`` (a ``posedash.test/1`` document)."""
    title = str(test.get("title") or test.get("test") or "Functional test")
    doc.heading(title)
    if test.get("headline"):
        doc.paragraph(str(test["headline"]), bold=True)
    if test.get("events_source") == "edited" and test.get("events_note"):
        doc.paragraph(str(test["events_note"]))
    doc.key_values(_result_rows(test), key_width=55)
    phases = [p for p in test.get("phases") or [] if isinstance(p, dict)]
    if phases:
        rows = [
            [
                str(p.get("phase", "")).replace("_", " "),
                _value("_s", p.get("duration_s")) if p.get("seen") else "not seen",
            ]
            for p in phases
        ]
        doc.table(["Phase", "Duration"], rows, (3, 2))
    norms = test.get("norms") or {}
    lines = _norm_lines(norms)
    if lines:
        doc.heading("Against published norms", level=2)
        doc.bullets(lines)
        cites = [
            f"{r.get('citation', '')} {('doi:' + r['doi']) if r.get('doi') else ''}".strip()
            for r in norms.get("references") or []
            if isinstance(r, dict) and r.get("kind") in ("norm", "cutoff")
        ]
        for c in cites:
            doc.caption(c)
    events = [e for e in test.get("events") or [] if isinstance(e, dict)]
    if events:
        doc.heading("Events", level=2)
        rows = [
            [
                str(e.get("label") or e.get("event", "")),
                f"{float(e.get('time_s', 0)):.2f}",
                str(e.get("frame", "")),
                f"{float(e.get('confidence', 0)):.2f}",
                "by hand" if e.get("placed_by_hand") else "",
            ]
            for e in events
        ]
        doc.table(
            ["Event", "Time (s)", "Video frame", "Confidence", "Placed"], rows, (4, 2, 2, 2, 2)
        )
    corrections_table(doc, test, "Events corrected by hand")
    checks = [c for c in test.get("setup") or [] if isinstance(c, dict)]
    notes = [f"{c.get('status', '')}: {c.get('detail', '')}" for c in checks]
    notes += [str(w) for w in test.get("warnings") or [] if w != test.get("events_note")]
    if notes:
        doc.caption("Set-up checks and warnings: " + " · ".join(notes))
