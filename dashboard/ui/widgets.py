"""Widgets every page shares: the empty-state notice and the analysis description."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.ui import state
from dashboard.ui.text import plain


def require_current() -> Optional[Analysis]:
    """The analysis under review, or None after telling the user how to get one."""
    analysis = state.current()
    if analysis is None:
        st.info("There is nothing to review yet: analyse a photo or a video first, or "
                "open a session you saved earlier.", icon="ℹ️")
        cols = st.columns(2)
        with cols[0]:
            st.page_link("pages/1_Photo_analysis.py", label="Analyse a photo", icon="📷")
        with cols[1]:
            st.page_link("pages/6_Sessions.py", label="Open a saved session", icon="💾")
    return analysis



def describe(analysis: Analysis) -> str:
    """One line naming the analysis under review."""
    seq = analysis.poses
    if analysis.kind == "video":
        span = float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0
        what = f"video, {seq.num_frames} frames analysed over {span:.1f} s"
    else:
        what = "photo"
    found = int(seq.detected.any(axis=0).sum())
    return (f"**{plain(analysis.source_name)}** ({what}; {found} "
            f"{'person' if found == 1 else 'people'} found)")
