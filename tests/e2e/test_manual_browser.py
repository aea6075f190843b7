"""Measuring by hand in a real browser, on the shared yoga photo: a goniometer of three
clicked points reads the angle of those points (the geometry of the clicked points,
recomputed here), is saved, drawn on the photo and listed as measured by hand; an
angle started from the landmarks starts on the landmarks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from dashboard.manual import angle_at

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHOTO_W = 1000  # tfjs_pose_yoga_warrior.jpg is 1000 x 667: shown and sent at full size
# The front (right) knee in Warrior II, placed by eye on the photo: thigh, knee, shank
FRONT_KNEE = [(480, 478), (430, 600), (330, 485)]
THREE_POINTS = re.compile(r"^\[(\[[^\]]+\],){2}\[[^\]]+\]\]$")


def _open_photo(page, app_url, media_dir):
    page.goto(f"{app_url}/Photo_analysis")
    page.get_by_text("Photo analysis").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
        str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg")
    )
    root = page.locator("[data-testid=posedash-clickframe]")
    root.wait_for()
    assert int(root.get_attribute("data-width")) == PHOTO_W
    return root


def _click(page, root, points):
    svg = root.locator("svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    k = box["width"] / PHOTO_W
    for i, (x, y) in enumerate(points, start=1):
        svg.click(position={"x": x * k, "y": y * k})
        page.wait_for_function(
            "([el, n]) => JSON.parse(el.getAttribute('data-points') || '[]').length === n",
            arg=[root.element_handle(), i],
        )
    return k


def _metric(page) -> float:
    value = page.locator("[data-testid=stMetricValue]").last
    value.wait_for()
    return float(value.inner_text().strip().rstrip("°"))


def test_goniometer_reads_the_angle_of_the_clicked_points(page, app_url, media_dir):
    root = _open_photo(page, app_url, media_dir)
    k = _click(page, root, FRONT_KNEE)
    page.get_by_role("button", name="Save this measurement").wait_for()
    placed = json.loads(root.get_attribute("data-points"))
    shown = _metric(page)
    # the value is the geometry of the points the browser placed (to the 0.1 deg shown) ...
    assert shown == pytest.approx(angle_at(*placed), abs=0.051)
    # ... which are the points clicked, to a screen pixel
    assert np.abs(np.array(placed) - np.array(FRONT_KNEE)).max() <= 1.0 / k + 0.01
    assert shown == pytest.approx(angle_at(*FRONT_KNEE), abs=1.0)
    page.get_by_label("Name (optional)").fill("Front knee")
    page.get_by_label("Name (optional)").press("Enter")
    page.get_by_role("button", name="Save this measurement").click()
    page.get_by_text("0 of 3 points placed").wait_for()  # saved: the points are cleared
    table = page.locator("[data-testid=stDataFrame]").first
    table.wait_for()
    page.get_by_role("button", name="Measurements by hand (CSV)").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Measurements by hand (CSV)").click()
    csv = Path(download.value.path()).read_text()
    assert "measured by hand" in csv and "Front knee" in csv and f"{shown:.1f}°" in csv
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "manual_goniometer_photo.png"), full_page=True)
    assert page.get_by_text("Traceback").count() == 0


def test_an_angle_started_from_the_landmarks_starts_on_them(page, app_url, media_dir):
    root = _open_photo(page, app_url, media_dir)
    page.get_by_text("0 of 3 points placed").wait_for()  # the page has finished running
    joint = page.get_by_role("combobox", name="Start from the landmarks")
    joint.click()
    joint.fill("Knee")
    page.get_by_role("option", name="Knee flexion").click()
    # the component is mounted again with the landmarks: look it up afresh
    root = page.locator("[data-testid=posedash-clickframe]")
    expect(root).to_have_attribute("data-points", THREE_POINTS)
    placed = json.loads(root.get_attribute("data-points"))
    # the left knee: the straight back leg in Warrior II
    shown = _metric(page)
    included = angle_at(*placed)
    assert shown == pytest.approx(180 - included, abs=0.051)  # read as flexion from straight
    assert shown < 20
    assert page.get_by_text("Traceback").count() == 0
