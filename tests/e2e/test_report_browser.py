"""The Report page in a real browser: a photo analysed, its PDF report downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


def test_photo_report_downloads_from_the_browser(page, app_url, media_dir, tmp_path):
    page.goto(f"{app_url}/Photo_analysis")
    page.get_by_text("Photo analysis").first.wait_for()
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
        str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg")
    )
    page.get_by_text("Mean visibility").wait_for()
    page.get_by_role("link", name="Report").first.click()
    page.get_by_role("button", name="Create the report").wait_for()
    page.get_by_role("textbox", name="Patient label").fill("Zoë Łukasiewicz")
    page.get_by_role("textbox", name="Patient label").press("Enter")
    page.get_by_role("button", name="Create the report").click()
    page.get_by_text("The report is ready").wait_for(timeout=120_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_page.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (PDF)").click()
    assert download.value.suggested_filename == "tfjs_pose_yoga_warrior.report.pdf"
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert page.get_by_text("Traceback").count() == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60
        ).stdout.decode()
        assert "Zoë Łukasiewicz" in text and "tfjs_pose_yoga_warrior.jpg" in text
