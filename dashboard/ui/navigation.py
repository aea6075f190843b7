"""The app's pages, registered once with Streamlit's navigation API (``st.navigation``,
``st.Page``), grouped by what a clinician is doing, and the links between them.

Every page is named here once, by a short key; the other modules link to a page with
:func:`link` (or :func:`script` where Streamlit wants its file) and never name a
``pages/*.py`` file themselves. ``app.py`` is the router: it calls :func:`run`, which
draws the menu and runs the chosen page. A page's address (``/Video_analysis``) comes
from its file's name, so a bookmark and the tests' ``AppTest.switch_page`` both hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

#: The project folder (``app.py`` and ``pages/``).
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PageEntry:
    """One page: its ``key``, its ``script`` (relative to app.py), its menu ``title``
    and ``icon``, and the ``section`` of the menu it is listed under."""

    key: str
    script: str
    title: str
    icon: str
    section: str

    @property
    def address(self) -> str:
        """The page's URL path: ``/`` for the start page, else its file's name without
        the number (``pages/3_Joint_angles.py`` -> ``/Joint_angles``)."""
        if self.key == START:
            return "/"
        return "/" + re.sub(r"^\d+_", "", Path(self.script).stem)


#: The page the app opens on.
START = "start"

#: Menu sections in order: what a clinician does first, then by task; the technical
#: pages last, under Advanced.
SECTIONS = ("Start", "Record", "Review", "Measure", "Report", "Patients", "Advanced")

#: Every page of the app, in menu order.
PAGES: tuple[PageEntry, ...] = (
    PageEntry("start", "pages/Start.py", "Start", "🏠", "Start"),
    PageEntry("help", "pages/13_Help.py", "Help", "📖", "Start"),
    PageEntry("photo", "pages/1_Photo_analysis.py", "Photo analysis", "📷", "Record"),
    PageEntry("video", "pages/2_Video_analysis.py", "Video analysis", "🎬", "Record"),
    PageEntry("live", "pages/12_Live_camera.py", "Live camera", "🎥", "Record"),
    PageEntry("sessions", "pages/6_Sessions.py", "Sessions", "💾", "Review"),
    PageEntry("frames", "pages/8_Frame_review.py", "Frame review", "🎞️", "Review"),
    PageEntry("view3d", "pages/4_3D_view.py", "3D view", "🧊", "Review"),
    PageEntry("compare", "pages/7_Compare.py", "Compare sessions", "⚖️", "Review"),
    PageEntry("angles", "pages/3_Joint_angles.py", "Joint angles", "📐", "Measure"),
    PageEntry("gait", "pages/9_Gait.py", "Gait", "🚶", "Measure"),
    PageEntry("tests", "pages/14_Tests.py", "Functional tests", "⏱️", "Measure"),
    PageEntry("report", "pages/10_Report.py", "Report", "📄", "Report"),
    PageEntry("patients", "pages/11_Patients.py", "Patients", "🗂️", "Patients"),
    PageEntry("settings", "pages/Analysis_settings.py", "Model and detection", "⚙️", "Advanced"),
    PageEntry("explorer", "pages/5_Landmark_explorer.py", "Landmark explorer", "🔎", "Advanced"),
)

_BY_KEY = {p.key: p for p in PAGES}


def entries() -> list[PageEntry]:
    """The pages whose script is there (a page being added may not be yet)."""
    return [p for p in PAGES if (ROOT / p.script).is_file()]


def entry(key: str) -> PageEntry:
    """The page of ``key`` (KeyError for a key that names no page)."""
    return _BY_KEY[key]


def script(key: str) -> str:
    """The page's script, as ``st.page_link`` and ``st.switch_page`` take it."""
    return entry(key).script


def link(key: str, label: str | None = None, icon: str | None = None, where=st) -> None:
    """A link to the page of ``key`` (its menu title and icon unless given), drawn in
    ``where`` (a column, the sidebar; the page body by default)."""
    page = entry(key)
    where.page_link(page.script, label=label or page.title, icon=icon or page.icon)


def run() -> None:
    """Register the pages, draw the menu in the sidebar and run the chosen page (the
    start page at first)."""
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    for page in entries():
        sections[page.section].append(
            st.Page(page.script, title=page.title, icon=page.icon, default=page.key == START)
        )
    menu = {name: pages for name, pages in sections.items() if pages}
    st.navigation(menu, expanded=True).run()  # every page listed, none behind "View more"
