"""What every page does first: page settings and the shared sidebar (the page menu
itself is drawn by Streamlit's navigation, :mod:`dashboard.ui.navigation`)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import sidebar


def setup(title: str, icon: str = "🧍") -> None:
    st.set_page_config(
        page_title=f"{title} · PoseDash",
        page_icon=icon,
        layout="wide",
        menu_items={
            "Get help": None,
            "Report a bug": None,
            "About": "PoseDash: local, private pose analysis.",
        },
    )
    from dashboard.ui import (
        video,  # a video analysed in the background may have finished
    )

    video.collect_finished()
    sidebar.render()
