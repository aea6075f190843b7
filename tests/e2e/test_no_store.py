"""Patient content is never kept by the browser (issue 26): every response of the app
but Streamlit's own scripts and styles says ``Cache-Control: no-store`` (Chromium's disk
cache held the annotated photo, frames, CSVs and the library export). The patient fields'
autofill: tests/e2e/test_patients_browser.py."""

from __future__ import annotations

import pytest

from dashboard.ui.serve import CACHEABLE_PREFIXES

pytestmark = pytest.mark.e2e


def test_pictures_and_downloads_are_sent_no_store(page, app_url, media_dir):
    seen: list = []
    page.on("response", lambda r: seen.append((r.url, r.headers.get("cache-control", ""))))
    page.goto(f"{app_url}/Photo_analysis")
    page.get_by_text("Photo analysis").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
        str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg")
    )
    page.get_by_text("Mean visibility").wait_for()
    image = page.locator("[data-testid=stImage] img").first
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    with page.expect_download():
        page.get_by_role("button", name="Landmarks (CSV)").click()
    page.wait_for_timeout(500)
    base = app_url.rstrip("/")
    ours = [(u, c) for u, c in seen if u.startswith(base)]
    media = [(u, c) for u, c in ours if "/media/" in u]
    assert media, "no picture or download was fetched"
    kept = [
        (u, c)
        for u, c in ours
        if not u[len(base) :].startswith(CACHEABLE_PREFIXES) and "no-store" not in c
    ]
    print(f"{len(ours)} responses, {len(media)} media; not no-store: {kept}")
    assert not kept, kept
