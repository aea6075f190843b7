"""The whole app in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.e2e


def _main_uploader(page):
    return page.locator("[data-testid=stMain] input[type=file]").first


def test_photo_upload_shows_overlay_table_and_csv(page, app_url, media_dir):
    page.goto(f"{app_url}/Photo_analysis")
    page.get_by_text("Photo analysis").first.wait_for()
    _main_uploader(page).set_input_files(str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"))
    page.get_by_text("Mean visibility").wait_for()
    image = page.locator("[data-testid=stImage] img").first
    image.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 1000
    assert page.locator("[data-testid=stDataFrame]").count() >= 1
    with page.expect_download() as download:
        page.get_by_role("button", name="Landmarks (CSV)").click()
    table = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(table) == 33 and table.landmark.iloc[0] == "nose"


def test_garbage_upload_shows_message_and_app_keeps_serving(page, app_url, tmp_path):
    junk = tmp_path / "notes.jpg"
    junk.write_bytes(b"definitely not a jpeg")
    page.goto(f"{app_url}/Photo_analysis")
    page.get_by_text("Photo analysis").first.wait_for()
    _main_uploader(page).set_input_files(str(junk))
    page.get_by_text("is not a photo PoseDash can read").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    page.goto(app_url)
    page.get_by_text("Pose analysis for physiotherapists").wait_for()


def test_video_shows_progress_angle_chart_and_csv(page, app_url, media_dir):
    page.goto(f"{app_url}/Video_analysis")
    page.get_by_text("Video analysis").first.wait_for()
    _main_uploader(page).set_input_files(
        str(media_dir / "videos" / "sports2d_demo5_lateral_raise_front.mp4")
    )
    page.get_by_role("button", name="Analyse video").click()
    page.get_by_text("Analysing…").first.wait_for()  # the progress bar, with frames and speed
    assert page.locator("[data-testid=stProgress]").count() == 1
    page.get_by_text("a person was found in").wait_for(timeout=300_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Landmarks, all frames (CSV)").click()
    table = pd.read_csv(download.value.path())
    assert table.frame.nunique() == 540 and table.time_s.max() > 17.5
    page.get_by_role("link", name="Joint angles").first.click()
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    assert page.get_by_text("Traceback").count() == 0


def test_two_sessions_at_once_keep_their_own_results(browser, app_url, media_dir):
    """Two browser sessions analyse different photos at the same time; each sees its
    own picture's landmarks, and nothing of the other's."""
    pages = []
    for name in ("tfjs_pose_yoga_warrior.jpg", "opencv_messi5.jpg"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(f"{app_url}/Photo_analysis")
        pg.get_by_text("Photo analysis").first.wait_for()
        pages.append((name, context, pg))
    for name, _, pg in pages:  # start both uploads before waiting for either
        _main_uploader(pg).set_input_files(str(media_dir / "images" / name))
    for name, context, pg in pages:
        pg.get_by_text("Mean visibility").wait_for()
        caption = pg.locator("[data-testid=stImageCaption]").first.inner_text()
        assert caption.startswith(name), caption
        other = next(n for n, _, _ in pages if n != name)
        assert pg.get_by_text(other).count() == 0
        context.close()
