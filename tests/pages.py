"""Driving the app's pages in tests through Streamlit's AppTest (no browser, no server):
open the app or a page (with an analysis under review), upload a file, click, read the
text shown, save to the patient library, wait for a video's analysis."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
#: The longest one run of the app may take, seconds (a loaded machine included).
TIMEOUT = 180
#: The passphrase of the patient libraries the page tests create.
LIBRARY_PASS = "a clinic passphrase"


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def open_app(analysis=None, source=None) -> AppTest:
    """The app on its start page; ``analysis`` (and its ``source`` bytes) under review."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if analysis is not None:
        at.session_state["posedash_current_analysis"] = analysis
        at.session_state["posedash_current_source"] = source
    return rerun(at)


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def open_page(page: str, analysis=None, source=None) -> AppTest:
    return goto(open_app(analysis, source), page)


def click_button(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return rerun(at)


def shown_text(at: AppTest, kind: str) -> str:
    """The elements' text as shown: user text (labels) is Markdown-escaped in the
    element's body (``P\\-0001``), which the browser shows as ``P-0001``."""
    return re.sub(
        r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", " ".join(e.value for e in getattr(at, kind))
    ).replace("\u2060", "")


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


# -- uploads -----------------------------------------------------------------------
def upload_file(at: AppTest, label: str, name: str, data: bytes) -> AppTest:
    """Give ``data`` as ``name`` to the file uploader whose label starts with ``label``."""
    uploader = next(u for u in at.file_uploader if u.label.startswith(label))
    uploader.set_value((name, data, "application/octet-stream"))
    return rerun(at)


def open_session(data: bytes, name: str = "raise.posedash") -> AppTest:
    """The Sessions page with the session file ``data`` opened for review."""
    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", name, data)
    assert not at.error, [e.value for e in at.error]
    assert at.success and "It is now the analysis under review" in at.success[0].value
    return at


# -- pages -------------------------------------------------------------------------
def angles_page(analysis=None, source=None) -> AppTest:
    return open_page("pages/3_Joint_angles.py", analysis, source)


def patients_page(analysis=None) -> AppTest:
    return open_page("pages/11_Patients.py", analysis)


def compare_page(before: bytes, after: bytes) -> AppTest:
    """The Compare page with the session files ``before`` and ``after`` given."""
    at = goto(open_app(), "pages/7_Compare.py")
    for label, name, data in (
        ("Before", "before.posedash", before),
        ("After", "after.posedash", after),
    ):
        uploader = next(u for u in at.file_uploader if u.label.startswith(label))
        uploader.set_value((name, data, "application/octet-stream"))
        at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def create_library(at: AppTest) -> AppTest:
    """On the Patients page: create the patient library (:data:`LIBRARY_PASS`) and
    add a first patient."""
    at.text_input(key="library_new_pass").input(LIBRARY_PASS)
    at.text_input(key="library_new_pass2").input(LIBRARY_PASS)
    at.checkbox(key="library_new_ok").check()
    click_button(at, "library_create")
    return click_button(at, "library_add_patient")


def save_to_library(
    at: AppTest, analysis, date: str, region: str = "left shoulder", again: bool = False
) -> AppTest:
    """Save ``analysis`` on the Patients page's Save tab; ``again``: it is already
    saved, confirm."""
    at.session_state["posedash_current_analysis"] = analysis
    rerun(at)
    at.date_input(key="library_save_date").set_value(dt.date.fromisoformat(date))
    at.text_input(key="library_save_region").input(region)
    click_button(at, "library_save")
    if again:
        assert "already in" in shown_text(at, "warning")
        click_button(at, "library_save_again")
    assert "Saved" in shown_text(at, "success"), shown_text(at, "error")
    return at


# -- the video page ----------------------------------------------------------------
def video_page() -> AppTest:
    return open_page("pages/2_Video_analysis.py")


def upload_video(at: AppTest, name: str, data: bytes) -> AppTest:
    next(u for u in at.file_uploader if u.label == "Video").set_value((name, data, "video/mp4"))
    return rerun(at)


def wait_for_results(at: AppTest, timeout: float = 180) -> AppTest:
    """Rerun until the background analysis shows its results (or its error)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        rerun(at)
        if any("a person was found in" in s.value for s in at.success):
            return at
        if at.error:
            raise AssertionError(at.error[0].value)
    raise AssertionError("the analysis did not finish in time")
