"""Correcting a functional test's event by hand in a real browser (issues 21 and 23): a
synthetic 5xSTS session (tests/functional_person.py) opened on Sessions, then on the
Tests page the fifth full stand is moved 3 frames later with the frame buttons; the
time to the fifth stand grows by 0.1 s at once and the page says "Events corrected by
hand (1 changed: 1 moved)"."""

from __future__ import annotations

import re

import pytest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions, run_test
from dashboard.outputs.session import save_session
from tests.functional_person import sts_script

pytestmark = pytest.mark.e2e


def _metric(page, label: str) -> float:
    box = page.locator("[data-testid=stMetric]").filter(has_text=label).first
    text = box.locator("[data-testid=stMetricValue]").inner_text()
    return float(re.search(r"[\d.]+", text).group(0))


def test_moving_the_fifth_stand_changes_the_time(page, app_url, tmp_path):
    analysis = Analysis(sts_script().sequence(), "sts.mp4", "cd" * 32, "video", fps=30.0)
    fifth = next(
        e for e in run_test(analysis.poses, TestOptions("sts5")).events if e.event == "full_stand_5"
    )
    session = tmp_path / "sts.posedash"
    session.write_bytes(save_session(analysis))
    page.goto(f"{app_url}/Sessions")
    page.get_by_text("Open a saved session").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(session))
    page.get_by_text("It is now the analysis under review").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Functional tests").click()
    page.get_by_text("Correct the events by hand").wait_for()
    before = _metric(page, "To the 5th stand")

    box = page.locator("[data-testid=stSelectbox]").filter(has_text="Event").first
    box.locator("input").click()
    box.locator("input").fill("full stand 5")
    page.get_by_role("option", name=re.compile(r"^full stand 5 ")).click()
    slider = page.locator("[data-testid=stMain] [data-testid=stSlider]").filter(has_text="Frame")
    value = slider.locator("[data-testid=stSliderThumbValue]")
    page.wait_for_function(
        "([el, v]) => el.innerText === v", arg=[value.element_handle(), str(fifth.index)]
    )
    for k in range(1, 4):
        page.get_by_role("button", name="Next frame ▶").click()
        page.wait_for_function(
            "([el, v]) => el.innerText === v", arg=[value.element_handle(), str(fifth.index + k)]
        )
    page.get_by_role("button", name=f"Move it to frame {fifth.frame + 3}").click()
    page.get_by_text("Events corrected by hand (1 changed: 1 moved)").first.wait_for()
    page.wait_for_function(
        "([b]) => !document.body.innerText.includes('To the 5th stand\\n' + b)",
        arg=[f"{before:.1f} s"],
    )
    assert _metric(page, "To the 5th stand") == pytest.approx(before + 0.1, abs=0.051)
