"""The Help page through AppTest: every document of docs/ shown from disk as Markdown
(never as HTML), chosen in a menu or by the link of the Gait and Joint angles pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.text import helpdocs
from dashboard.ui import help_page, navigation

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120
NAMES = [d.name for d in helpdocs.documents()]


def _help(doc=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if doc is not None:
        at.query_params[help_page.PARAM] = doc
    at.switch_page(navigation.script("help")).run()
    assert not at.exception, at.exception
    return at


def _shown(at) -> str:
    return "\n".join(m.value for m in at.main.markdown)


def _help_links(at):
    return [
        dict(parse_qsl(link.proto.query_string))
        for link in at.main.get("page_link")
        if link.proto.page.endswith("Help")
    ]


def test_the_help_page_is_in_the_menu_beside_the_start_page():
    help_ = navigation.entry("help")
    assert (help_.title, help_.section) == ("Help", navigation.entry(navigation.START).section)
    assert help_ in navigation.entries() and help_.address == "/" + help_page.PAGE_PATH


@pytest.mark.parametrize("name", NAMES)
def test_every_document_is_shown_whole_as_markdown(name):
    at = _help(name)
    assert at.selectbox(key=help_page.CHOICE).value == name
    doc = helpdocs.find(name)
    text = helpdocs.link_documents(helpdocs.read(doc), help_page.PAGE_PATH, help_page.PARAM, NAMES)
    shown = [m for m in at.main.markdown if m.value.strip() == text.strip()]
    assert len(shown) == 1, "the document is not shown whole"
    assert not shown[0].proto.allow_html  # a document's HTML would be shown as text
    assert at.main.title[0].value == "📖 Help"
    assert not at.error and not at.warning


def test_a_link_to_another_document_opens_it_on_the_help_page():
    shown = _shown(_help("angles"))
    assert "(Help?doc=gait)" in shown and "gait.md#" not in shown


def test_the_menu_changes_the_document_and_the_address():
    at = _help()
    assert at.selectbox(key=help_page.CHOICE).value == NAMES[0]
    at.selectbox(key=help_page.CHOICE).set_value("gait").run()
    assert not at.exception
    assert "# Gait analysis" in _shown(at)
    assert at.query_params[help_page.PARAM] == ["gait"]


def test_an_unknown_document_name_is_not_read():
    at = _help("../README")
    assert "was not found" in at.info[0].value
    assert at.selectbox(key=help_page.CHOICE).value == NAMES[0]
    assert "../README" not in _shown(at)


def test_the_gait_page_links_to_the_gait_document():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/9_Gait.py").run()
    assert not at.exception
    assert _help_links(at) == [{"doc": "gait"}]
    assert "docs/gait.md" not in " ".join(c.value for c in at.caption)
    at = _help(_help_links(at)[0]["doc"])
    assert _shown(at).lstrip().startswith("# Gait analysis")


def test_the_joint_angles_page_links_to_the_angles_document():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/3_Joint_angles.py").run()
    assert not at.exception
    assert _help_links(at) == [{"doc": "angles"}]
    at = _help(_help_links(at)[0]["doc"])
    assert _shown(at).lstrip().startswith("# Joint angles in PoseDash")


def test_no_page_names_a_docs_file_a_clinician_cannot_open():
    import re

    for path in (ROOT / "dashboard" / "ui").glob("*.py"):
        assert not re.search(r"docs/\w+\.md", path.read_text()), path.name
