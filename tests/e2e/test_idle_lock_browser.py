"""The patient library's idle lock in Chromium: when it locks itself, the patient's notes
leave the screen without anybody touching the page (issue 26)."""

from __future__ import annotations

import pytest

from dashboard.library.service import Library
from tests.apprunner import running_app
from tests.library.helpers import fast_kdf

pytestmark = pytest.mark.e2e

PASS = "a clinic passphrase"
NOTE = "Left knee replacement, March; lives alone"


def test_the_idle_lock_takes_the_patients_notes_off_the_screen(browser, tmp_path):
    lib = Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())
    lib.add_patient("Ann", notes=NOTE)
    env = {"POSEDASH_DATA_DIR": str(tmp_path), "POSEDASH_LIBRARY_IDLE_MIN": "0.5"}
    with running_app(env=env, timeout=120) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(90_000)
        try:
            page.goto(f"{url}/Patients")
            page.get_by_label("Passphrase").fill(PASS)
            page.get_by_role("button", name="Unlock").click()
            page.get_by_text("Unlocked.").wait_for()
            note = page.get_by_text(NOTE).first
            note.wait_for()
            # nobody touches the page: 30 s later the library locks itself, and the
            # page is drawn again without the notes
            page.get_by_text("locked itself after 0.5 minutes without use").wait_for(timeout=75_000)
            assert page.get_by_text(NOTE).count() == 0
            assert page.get_by_role("button", name="Unlock").is_visible()
            assert page.get_by_text("Traceback").count() == 0
        finally:
            context.close()
