"""The sidebar every page shares, under the page menu: the privacy statement and
"Clear my data". The analysis settings and the pose model are on the Advanced page
"Model and detection" (:mod:`dashboard.ui.analysis_settings`)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import state

PRIVACY = (
    "🔒 **Everything stays on this computer.** Photos and videos are analysed "
    "here, in memory; nothing is uploaded anywhere or saved to disk. Results "
    "disappear when you close this tab, unless you download them or save them "
    "to the encrypted patient library (off until you create it)."
)


def render() -> None:
    with st.sidebar:
        st.markdown(PRIVACY)
        if st.button(
            "🧹 Clear my data",
            help="Forget every photo, video and result of this session now.",
            width="stretch",
        ):
            state.clear_my_data()
            st.toast("Your data has been cleared from this session.")
