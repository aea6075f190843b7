"""The report's list of the events corrected by hand: for each, what the automatic analysis
said and what the clinician made of it (moved from one time and frame to another, added by
hand, deleted by hand), under a one-line total ("3 of 24 events corrected by hand"); nothing
when no event was corrected. The list is the core's (:func:`dashboard.kinematics.hand_events.
corrections`), read from the gait and test documents, the same as in gait.json and test.json.
"""

from __future__ import annotations

from dashboard.kinematics.hand_events import correction_words
from dashboard.report.document import Document

__all__ = ["corrections_table"]


def corrections_table(doc: Document, record: dict | None, title: str) -> None:
    """Print ``record``'s ``events_corrected`` under the heading ``title`` (nothing when
    there are none or the record lacks them)."""
    rows = [r for r in (record or {}).get("events_corrected") or [] if isinstance(r, dict)]
    if not rows:
        return
    doc.heading(title, level=2, keep_mm=24)
    note = str((record or {}).get("events_corrected_note") or "")
    if note:
        doc.paragraph(note + ".", size=8.5, bold=True)
    doc.table(
        ("Event", "Correction", "Automatic analysis", "Corrected"),
        [list(correction_words(r)) for r in rows],
        (4, 3, 4, 4),
    )
    doc.caption(
        "Times in seconds from the start of the video, with the video frame. The results "
        "above are computed from the corrected events; the automatic events are kept in "
        "the JSON outputs."
    )
