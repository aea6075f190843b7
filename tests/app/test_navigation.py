"""The page registry (dashboard/ui/navigation.py): every page registered once, grouped
by task, linked only through the registry; the app opens on what a clinician does first."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui import navigation

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_script_is_registered_once():
    scripts = [p.script for p in navigation.PAGES]
    assert len(scripts) == len(set(scripts))
    assert len({p.key for p in navigation.PAGES}) == len(navigation.PAGES)
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk <= set(scripts), f"pages not in the menu: {on_disk - set(scripts)}"
    assert {p.section for p in navigation.PAGES} == set(navigation.SECTIONS)


def test_technical_pages_are_under_advanced():
    advanced = {p.key for p in navigation.PAGES if p.section == "Advanced"}
    assert advanced == {"settings", "explorer"}
    assert navigation.SECTIONS[0] == "Start" and navigation.SECTIONS[-1] == "Advanced"


def test_no_module_names_a_page_file():
    """Links go through the registry: no page script is named anywhere else."""
    named = re.compile(r"pages/\w+\.py")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "dashboard").rglob("*.py"), ROOT / "app.py"]
        if path.name != "navigation.py" and named.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_app_opens_on_choosing_a_patient_or_analysing_without_one():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    links = {link.proto.label: link.proto.page for link in at.main.get("page_link")}
    assert "/" + links["Choose or create a patient"] == navigation.entry("patients").address
    for label in ("Analyse a photo", "Analyse a video", "Open a saved session"):
        assert label in links
