"""The Patients page in Chromium: unlock a library made beforehand, see the progress chart,
and two browser sessions each needing their own unlock."""
from __future__ import annotations

import pytest

from dashboard.io.session import save_session
from dashboard.library.service import Library
from tests.apprunner import running_app
from tests.library.helpers import fast_kdf
from tests.reference_data import legacy_analysis

PASS = "a clinic passphrase"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture()
def library_app(tmp_path, media_dir):
    from dashboard.analysis import Analysis

    full = legacy_analysis(media_dir / "reference" / RAISE)
    lib = Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())
    patient = lib.add_patient()
    for i, stop in enumerate((240, 360, 540)):
        a = Analysis(full.poses.select(frames=slice(0, stop)), f"week{i + 1}.mp4", f"{i}" * 64,
                     "video", full.settings, full.model, full.fps)
        lib.add_session(patient.uid, save_session(a), f"2026-01-{5 + 7 * i:02d}")
    with running_app(env={"POSEDASH_DATA_DIR": str(tmp_path)}, timeout=120) as url:
        yield url


def _unlock(pg, url):
    pg.goto(f"{url}/Patients")
    pg.get_by_label("Passphrase").fill(PASS)
    pg.get_by_role("button", name="Unlock").click()
    pg.get_by_text("Unlocked.").wait_for()


def test_unlock_and_progress_chart_in_the_browser(browser, library_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    try:
        _unlock(pg, library_app)
        patient = pg.get_by_role("combobox", name="Patient")
        assert patient.input_value() == "P-0001 (3 sessions)"
        pg.get_by_role("tab", name="Progress").click()
        chart = pg.locator("[data-testid=stMain] .js-plotly-plot").first
        chart.wait_for()
        assert pg.locator(".js-plotly-plot .scatterlayer .point").count() == 3

        # another browser session sees the library locked
        other = browser.new_context().new_page()
        other.set_default_timeout(90_000)
        other.goto(f"{library_app}/Patients")
        other.get_by_text("Unlock the patient library").wait_for()
        assert other.get_by_role("combobox", name="Patient").count() == 0
        other.context.close()
    except Exception:
        from tests.e2e.conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "patients_browser.png"), full_page=True)
        raise
    finally:
        context.close()
