"""What every page does first: page settings and the shared sidebar."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import sidebar

#: The app's pages in menu order: (script, label, icon). Streamlit's own page menu
#: is hidden (.streamlit/config.toml) so that the pages have readable names.
PAGES = (
    ("app.py", "Home", "🏠"),
    ("pages/1_Photo_analysis.py", "Photo analysis", "📷"),
    ("pages/2_Video_analysis.py", "Video analysis", "🎬"),
    ("pages/12_Live_camera.py", "Live camera", "🎥"),
    ("pages/8_Frame_review.py", "Frame review", "🎞️"),
    ("pages/3_Joint_angles.py", "Joint angles", "📐"),
    ("pages/9_Gait.py", "Gait", "🚶"),
    ("pages/14_Tests.py", "Functional tests", "⏱️"),
    ("pages/4_3D_view.py", "3D view", "🧊"),
    ("pages/5_Landmark_explorer.py", "Landmark explorer", "🔎"),
    ("pages/6_Sessions.py", "Sessions", "💾"),
    ("pages/7_Compare.py", "Compare sessions", "⚖️"),
    ("pages/10_Report.py", "Report", "📄"),
    ("pages/11_Patients.py", "Patients", "🗂️"),
    ("pages/13_Help.py", "Help", "📖"),
)


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
    sidebar.render(PAGES)
