"""Correcting a gait event by hand in a real browser (issue 23 item 2): on the walking
clip's session, the last steady right contact of pass 1 is moved 4 frames earlier on
the Gait page; the cadence is recomputed at once (higher: its stride is shorter), the
page says "Events corrected by hand (1 changed: 1 moved)", gait.json says
events_source "edited", and a session saved then reopened keeps the correction."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.words import EVENT_WORDS
from dashboard.outputs.session import save_session
from tests.reference_data import legacy_analysis

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CADENCE = re.compile(
    r"Cadence from these events: ([\d.]+) steps/min on (\d+) strides \(automatic events: "
    r"([\d.]+) steps/min on (\d+) strides\)"
)


def _open(page, app_url, path: Path) -> None:
    page.goto(f"{app_url}/Sessions")
    page.get_by_text("Open a saved session").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(path))
    page.get_by_text("It is now the analysis under review").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Gait").click()
    page.get_by_text("Camera set-up:").first.wait_for()


def _pick(page, label: str) -> None:
    """Type ``label`` into the editor's Event box and choose it; again when a rerun of the
    page (still drawing after the session opened) closed the list meanwhile."""
    page.get_by_role("button", name="Delete it").first.wait_for()  # the editor is drawn
    box = page.locator("[data-testid=stSelectbox]").filter(
        has=page.get_by_text("Event", exact=True)
    )
    option = page.get_by_role("option", name=label)
    for _ in range(3):
        box.locator("input").click()
        box.locator("input").fill(label)
        try:
            option.click(timeout=20_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()


def test_moving_a_gait_event_changes_the_cadence(page, app_url, media_dir, tmp_path):
    analysis = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    auto = analyze_gait(analysis.poses)
    steady = [
        e
        for e in auto.events
        if (e.side, e.event, e.pass_index, e.phase) == ("right", "initial_contact", 0, "steady")
    ]
    e = steady[-1]  # the stride ending there is kept; none starts there
    label = f"Pass 1 · right {EVENT_WORDS[e.event]} · frame {e.frame} · {e.time_s:.2f} s"
    session = tmp_path / "walk.posedash"
    session.write_bytes(save_session(analysis))
    _open(page, app_url, session)

    _pick(page, label)
    slider = page.locator("[data-testid=stMain] [data-testid=stSlider]").filter(has_text="Frame")
    value = slider.locator("[data-testid=stSliderThumbValue]")
    page.wait_for_function(
        "([el, v]) => el.innerText === v", arg=[value.element_handle(), str(e.index)]
    )
    back = page.get_by_role("button", name="◀ Previous frame")
    for k in range(1, 5):  # the frame the contact belongs to: 4 frames earlier
        back.click()
        page.wait_for_function(
            "([el, v]) => el.innerText === v", arg=[value.element_handle(), str(e.index - k)]
        )
    move = page.get_by_role("button", name=f"Move it to frame {e.frame - 4}")
    move.click()
    note = page.get_by_text("Events corrected by hand (1 changed: 1 moved)").first
    note.wait_for()
    found = CADENCE.search(note.inner_text())
    assert found, note.inner_text()
    edited, auto_shown = float(found.group(1)), float(found.group(3))
    cadence = auto.per_side["both"]["cadence_steps_per_min"]["mean"]
    assert auto_shown == pytest.approx(cadence, abs=0.05)
    assert edited > auto_shown + 0.5  # one stride 4 frames shorter: faster cadence
    assert found.group(2) == found.group(4)  # the same strides, one of them shorter
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gait_event_moved.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Gait report (JSON)").click()
    doc = json.loads(Path(download.value.path()).read_text())
    assert doc["events_source"] == "edited"
    assert doc["events_changed"] == dict(n=1, moved=1, added=0, deleted=0)
    assert doc["parameters"]["cadence_steps_per_min"] == pytest.approx(edited, abs=0.05)
    assert len(doc["automatic_events"]) == len(auto.events)

    # saved with the session, the correction comes back when the file is reopened
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_text("With the gait events corrected by hand").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Save session")).click()
    saved = tmp_path / "corrected.posedash"
    Path(download.value.path()).replace(saved)
    fresh = page.context.new_page()
    fresh.set_default_timeout(90_000)
    _open(fresh, app_url, saved)
    fresh.get_by_text("Events corrected by hand (1 changed: 1 moved)").first.wait_for()
    assert fresh.get_by_text("Traceback").count() == 0
    assert page.get_by_text("Traceback").count() == 0
