"""The Gait page's section for walking towards or away from the camera: the
temporal parameters a frontal view supports, and what needs a side view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.kinematics.gait.frontal_words import (
    FRONTAL_METHOD,
    frontal_passes_words,
    frontal_rows,
)
from dashboard.ui import widgets

__all__ = ["frontal_section"]


def frontal_section(result, analysis=None, person: int = 0) -> None:
    """Nothing without frontal walking; the rows and words are the core's
    (:mod:`dashboard.kinematics.gait.frontal_words`, the report prints the same); with
    ``analysis`` (and its ``person`` slot analysed) the contacts can be corrected by hand."""
    fr = result.frontal
    if fr is None:
        return
    doc = fr.as_dict()
    st.subheader("Walking towards or away from the camera")
    st.caption(f"{frontal_passes_words(doc)}. {FRONTAL_METHOD}")
    if fr.edits:
        auto = fr.edits.get("automatic_cadence")
        st.info(f"✍️ {fr.edits['events_note']}" + (f" {auto}" if auto else ""))
    rows = [{"Parameter": k, "Both feet": v} for k, v in frontal_rows(doc)]
    widgets.show_table(pd.DataFrame(rows), hide_index=True)
    st.markdown("**Needs a side view:**")
    st.markdown("\n".join(f"- {n['parameters']} ({n['why']})" for n in doc["needs_side_view"]))
    if doc["dropped"]:
        st.caption("Contacts left out: " + "; ".join(doc["dropped"]) + ".")
    if analysis is not None:
        from dashboard.ui.gait_frontal_edit import frontal_editor

        frontal_editor(analysis, result, person)
