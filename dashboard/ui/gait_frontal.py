"""The Gait page's section for walking towards or away from the camera: the
temporal parameters a frontal view supports, and what needs a side view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.ui import widgets

__all__ = ["frontal_section"]

_ROWS = (
    ("cadence_steps_per_min", "Cadence (steps/min)", 1),
    ("step_time_s", "Step time (s)", 2),
    ("stride_time_s", "Stride time (s)", 2),
)


def frontal_section(result, fmt, analysis=None, person: int = 0) -> None:
    """Nothing without frontal walking; ``fmt(stats, digits)`` the page's cell format
    (mean ± SD (n), or the mean with 'too few strides for a spread'); with ``analysis``
    (and its ``person`` slot analysed) the contacts can be corrected by hand."""
    fr = result.frontal
    if fr is None:
        return
    doc = fr.as_dict()
    st.subheader("Walking towards or away from the camera")
    dirs = ", ".join(
        f"pass {i + 1}: {p.direction} ({p.start_s:.1f}-{p.end_s:.1f} s)"
        for i, p in enumerate(fr.passes)
    )
    st.caption(
        f"{dirs}. From the front or the back only the timing of the steps is measured, "
        "from the feet's vertical motion in the picture and the alternation of the feet. "
        "No joint-angle curve is drawn from a frontal view."
    )
    if fr.edits:
        auto = fr.edits.get("automatic_cadence")
        st.info(f"✍️ {fr.edits['events_note']}" + (f" {auto}" if auto else ""))
    p = fr.parameters
    rows = [{"Parameter": "Steps (contacts counted)", "Both feet": str(doc["steps"])}]
    for key, label, digits in _ROWS:
        rows.append({"Parameter": label, "Both feet": fmt(p.get(key), digits)})
    for side in ("left", "right"):
        for key, label, digits in _ROWS[1:]:
            rows.append(
                {"Parameter": f"{label}, {side} foot", "Both feet": fmt(p[side].get(key), digits)}
            )
    widgets.show_table(pd.DataFrame(rows), hide_index=True)
    st.markdown("**Needs a side view:**")
    st.markdown("\n".join(f"- {n['parameters']} ({n['why']})" for n in doc["needs_side_view"]))
    if doc["dropped"]:
        st.caption("Contacts left out: " + "; ".join(doc["dropped"]) + ".")
    if analysis is not None:
        from dashboard.ui.gait_frontal_edit import frontal_editor

        frontal_editor(analysis, result, person)
