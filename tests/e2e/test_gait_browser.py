"""The Gait page in a real browser: a click on an event marker shows that event's frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.outputs.session import save_session
from tests.reference_data import legacy_analysis

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.e2e


def test_clicking_an_event_selects_its_frame(page, app_url, media_dir, tmp_path):
    analysis = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    session = tmp_path / "walk.posedash"
    session.write_bytes(save_session(analysis))
    page.goto(f"{app_url}/Sessions")
    page.get_by_text("Open a saved session").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(session))
    page.get_by_text("It is now the analysis under review").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Gait").click()
    # every set-up check passes since backward passes are analysed apart (ca831ba)
    page.get_by_text("Camera set-up: good for gait analysis").wait_for()
    # she walks back facing the way she came: the page says pass 2 is analysed apart
    page.get_by_text(
        "In pass 2 the person walks backwards (facing left while moving right)"
    ).wait_for()
    value = page.locator("[data-testid=stMain] [data-testid=stSliderThumbValue]").first
    value.wait_for()
    before = value.inner_text()
    markers = page.locator("[data-testid=stPlotlyChart]").first.locator("path.point")
    markers.first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gait_backward_notice.png"), full_page=True)
    markers.nth(markers.count() - 1).click(force=True)  # the last event (of pass 1)
    page.wait_for_function("([el, v]) => el.innerText !== v", arg=[value.element_handle(), before])
    assert int(value.inner_text()) > int(before)  # the frame of the last event
    assert page.get_by_text("Traceback").count() == 0
