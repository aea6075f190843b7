"""What every page does first: page settings and the shared sidebar."""
from __future__ import annotations

import streamlit as st

from dashboard.ui import sidebar


#: The app's pages in menu order: (script, label, icon). Streamlit's own page menu
#: is hidden (.streamlit/config.toml) so that the pages have readable names.
PAGES = (
    ("app.py", "Home", "🏠"),
    ("pages/1_Photo_analysis.py", "Photo analysis", "📷"),
)


def setup(title: str, icon: str = "🧍") -> None:
    st.set_page_config(page_title=f"{title} · PoseDash", page_icon=icon, layout="wide",
                       menu_items={"Get help": None, "Report a bug": None,
                                   "About": "PoseDash: local, private pose analysis."})
    sidebar.render(PAGES)
