"""The report's section for walking towards or away from the camera: the passes, the
steps, cadence, step and stride time of both feet and of each foot with their n (a
dash, or the mean without a spread, by the Gait page's rules), the contacts corrected
by hand with their total, and what needs a side view.

It prints the ``frontal_walking`` entry of the ``posedash.gait/1`` document, computed
once by the gait analysis (from the contacts corrected by hand when there are any),
in the Gait page's words (:mod:`dashboard.kinematics.gait.frontal_words`); nothing is
computed again here.
"""

from __future__ import annotations

from dashboard.kinematics.gait.frontal_words import (
    FRONTAL_METHOD,
    frontal_passes_words,
    frontal_rows,
)
from dashboard.report.corrections import corrections_table
from dashboard.report.document import Document

__all__ = ["CORRECTIONS_TITLE", "frontal_section"]

CORRECTIONS_TITLE = "Contacts corrected by hand (walking towards or away from the camera)"


def frontal_section(doc: Document, frontal: dict | None) -> None:
    """Print the frontal walking document ``frontal`` (nothing when it is None)."""
    if not frontal:
        return
    doc.heading("Walking towards or away from the camera", level=2, keep_mm=50)
    doc.paragraph(f"{frontal_passes_words(frontal)}. {FRONTAL_METHOD}", size=8.5)
    note = str(frontal.get("events_note") or "").rstrip(".")
    if note:  # the contacts were corrected by hand: the figures below are from them
        auto = str(frontal.get("automatic_cadence") or "")
        doc.paragraph(note + "." + (f" {auto}" if auto else ""), size=8.5, bold=True)
    doc.table(
        ("Parameter", "Both feet"),
        [list(r) for r in frontal_rows(frontal)],
        (70, 60),
        ("LEFT", "RIGHT"),
    )
    doc.caption(
        "Cells: mean ± SD (n: the steps or strides behind the value); below 3 the mean "
        "alone, without a spread; –: not computed (no step or stride of that kind). "
        "No normal values are shipped for cadence, step or stride time."
    )
    needs = frontal.get("needs_side_view") or []
    if needs:
        doc.paragraph("Needs a side view:", size=8.5, bold=True)
        doc.bullets([f"{n['parameters']} ({n['why']})" for n in needs], size=7.5)
    if frontal.get("dropped"):
        doc.caption("Contacts left out: " + "; ".join(frontal["dropped"]) + ".")
    corrections_table(doc, frontal, CORRECTIONS_TITLE)
