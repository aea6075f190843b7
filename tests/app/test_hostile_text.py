"""User text shown as text on every page (AppTest): a file name or a session's
``source.name`` written as Markdown or HTML is never rendered as a link, an image
or a tag, in messages, captions, chart titles and legends."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.outputs.session import save_session
from dashboard.text.textsafe import markdown_text
from dashboard.ui import navigation

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
HOST = "evil.example"
HOSTILE = (
    f"![t](http://{HOST}/p.png) [Click here to re-verify your licence](http://{HOST}) "
    f'<a href="http://{HOST}/a">here</a> **bold** :red[x] www.{HOST}'
)
#: Every page but those that make an analysis (photo, video) and the technical settings.
REVIEW_PAGES = [
    p.script for p in navigation.entries() if p.key not in ("photo", "video", "settings", "tests")
]


def _texts(node):
    """(element type, text) of every element under ``node`` that renders Markdown,
    and the Plotly specs (as JSON text)."""
    children = getattr(node, "children", None)
    if children is not None:
        for child in children.values():
            yield from _texts(child)
        return
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind in (
        "markdown",
        "caption",
        "alert",
        "info",
        "success",
        "warning",
        "error",
        "exception",
        "latex",
        "title",
        "header",
        "subheader",
    ):
        yield kind, getattr(node, "value", "") or ""
    elif kind == "plotly_chart" and proto is not None:
        yield kind, proto.spec
    elif proto is not None:  # images' captions, widget labels, anything else with text
        yield kind or type(node).__name__, str(proto)


def assert_no_markup_from(at: AppTest, text: str = HOSTILE) -> int:
    """Every Markdown element showing ``text`` shows it escaped; no chart carries
    an unescaped tag from it. Returns how many places showed it."""
    shown = 0
    escaped = markdown_text(text)
    for kind, value in _texts(at._tree):
        if kind == "plotly_chart":
            assert (
                f'<a href=\\"http://{HOST}' not in value and f'<a href="http://{HOST}' not in value
            ), value[:500]
            shown += "Click here" in value
            continue
        if "Click here" not in value:
            continue
        shown += 1
        assert f"](http://{HOST}" not in value, (kind, value)
        assert not re.search(r"(?<!\\)<a href", value), (kind, value)
        if kind in ("markdown", "caption", "alert", "info", "success", "warning", "error"):
            assert escaped in value, (kind, value)
    return shown


@pytest.fixture(scope="module")
def hostile_sessions(media_dir):
    from tests.reference_data import legacy_analysis

    video = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    photo = legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json")
    return {
        "video": save_session(replace(video, source_name=HOSTILE + ".mp4")),
        "photo": save_session(replace(photo, source_name=HOSTILE + ".jpg")),
    }


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, label: str, name: str, data: bytes) -> AppTest:
    uploader = next(u for u in at.file_uploader if u.label.startswith(label))
    uploader.set_value((name, data, "application/octet-stream"))
    return _run(at)


@pytest.mark.parametrize("kind", ["video", "photo"])
def test_hostile_session_name_is_text_on_every_review_page(hostile_sessions, kind):
    at = _run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT))
    at.switch_page(navigation.script("sessions"))
    _run(at)
    _upload(at, "Session file", "s.posedash", hostile_sessions[kind])
    assert at.success, [e.value for e in at.error]
    places = assert_no_markup_from(at)
    assert places >= 2  # the saved-analysis line and the "Opened ..." message
    for script in REVIEW_PAGES:
        at.switch_page(script)
        _run(at)
        places += assert_no_markup_from(at)
    # Every page but four shows the name at least once: the Live camera, Help and a
    # locked Patients page do not show the analysis under review, and Gait and Frame
    # review show it for videos only.
    assert places >= len(REVIEW_PAGES) - 4


def test_hostile_names_in_the_comparison_legend(hostile_sessions):
    at = _run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT))
    at.switch_page("pages/7_Compare.py")
    _run(at)
    _upload(at, "Before", "a.posedash", hostile_sessions["video"])
    _upload(at, "After", "b.posedash", hostile_sessions["video"])
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert specs
    names = [t.get("name", "") for t in specs[0]["data"]]
    assert any("Click here" in n for n in names)
    for n in names:
        assert ("<a " not in n and "&lt;a href" in n) or "Click here" not in n
    assert_no_markup_from(at)


def test_hostile_file_name_in_an_error_message_is_text():
    at = _run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT))
    at.switch_page("pages/1_Photo_analysis.py")
    _run(at)
    _upload(at, "Photo", HOSTILE + ".jpg", b"definitely not a jpeg")
    assert at.error
    assert assert_no_markup_from(at) >= 1
