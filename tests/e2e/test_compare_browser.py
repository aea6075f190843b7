"""The Compare sessions page in Chromium: squats against a lateral raise shows the
"may not be comparable" warning above the comparison and the marked rows; the
chart's legend names earlier and later. A screenshot is kept in test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from dashboard.outputs.session import save_session
from tests.apprunner import wait_rendered

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_compare_page_warns_for_different_exercises(
    page, app_url, requests_log, media_dir, tmp_path
):
    from tests.reference_data import legacy_analysis

    ref = media_dir / "reference"
    files = []
    for stem in ("tfjs_pose_squats_front", "sports2d_demo5_lateral_raise_front"):
        path = tmp_path / f"{stem}.posedash"
        path.write_bytes(save_session(legacy_analysis(ref / f"{stem}.legacy.json")))
        files.append(path)
    page.goto(f"{app_url}/Compare")
    wait_rendered(page)
    uploads = page.locator("[data-testid=stMain] input[type=file]")
    uploads.nth(0).set_input_files(str(files[0]))
    wait_rendered(page)
    page.locator("[data-testid=stMain] input[type=file]").nth(1).set_input_files(str(files[1]))
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    wait_rendered(page)
    page.get_by_text("These two sessions may not be comparable").wait_for()
    legend = page.locator("[data-testid=stPlotlyChart] .legendtext").all_text_contents()
    assert any(t.startswith("earlier (") for t in legend), legend
    assert any(t.startswith("later (") for t in legend), legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2600})  # Streamlit scrolls inside
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "compare-warning.png"), full_page=True)
    assert page.get_by_text("Traceback").count() == 0
    assert not requests_log.foreign
