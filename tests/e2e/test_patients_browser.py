"""The Patients page in Chromium: unlock a library made beforehand, see the progress chart,
and two browser sessions each needing their own unlock."""

from __future__ import annotations

import pytest

from dashboard.library.service import Library
from dashboard.outputs.session import save_session
from tests.apprunner import running_app
from tests.library.helpers import fast_kdf
from tests.reference_data import first_frames, legacy_analysis

PASS = "a clinic passphrase"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture()
def library_app(tmp_path, media_dir):
    full = legacy_analysis(media_dir / "reference" / RAISE)
    lib = Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())
    patient = lib.add_patient()
    for i, stop in enumerate((240, 360, 540)):
        a = first_frames(full, stop, f"week{i + 1}.mp4", f"{i}" * 64)
        lib.add_session(patient.uid, save_session(a), f"2026-01-{5 + 7 * i:02d}")
    with running_app(env={"POSEDASH_DATA_DIR": str(tmp_path)}, timeout=120) as url:
        yield url


def ARTIFACTS_DIR():  # the e2e artifacts folder, created on first use
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


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

        # "Compare these two" (week 1 and week 3): the comparison page shows exactly
        # those, its source radios on the library (issue 20.7: they said "A session
        # file" and the After box week 1 while week 3 was loaded)
        pg.get_by_role("tab", name="Compare").click()
        before = pg.get_by_role("combobox", name="Before")
        assert "week1.mp4" in before.input_value()
        assert "week3.mp4" in pg.get_by_role("combobox", name="After").input_value()
        pg.get_by_role("button", name="Compare these two").click()
        pg.get_by_text("Both sessions are open").wait_for()
        pg.get_by_role("link", name="Compare sessions").last.click()  # same browser session
        pg.get_by_role("combobox", name="Before: library session").wait_for()
        assert (
            "week1.mp4" in pg.get_by_role("combobox", name="Before: library session").input_value()
        )
        assert (
            "week3.mp4" in pg.get_by_role("combobox", name="After: library session").input_value()
        )
        for side in ("Before", "After"):
            group = pg.get_by_role("radiogroup", name=f"{side}: source")
            assert group.get_by_role("radio", name="A patient-library session").is_checked()
        pg.screenshot(path=str(ARTIFACTS_DIR() / "compare_from_patients.png"), full_page=True)

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


@pytest.fixture()
def two_sessions(tmp_path, media_dir):
    """A library with P-0001 and two sessions, and a third recording's session file."""
    full = legacy_analysis(media_dir / "reference" / RAISE)
    lib = Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())
    patient = lib.add_patient()
    weeks = [
        first_frames(full, stop, f"week{i + 1}.mp4", f"{i}" * 64)
        for i, stop in enumerate((240, 360, 540))
    ]
    for i, a in enumerate(weeks[:2]):
        lib.add_session(patient.uid, save_session(a), f"2026-01-{5 + 7 * i:02d}")
    third = tmp_path / "week3.posedash"
    third.write_bytes(save_session(weeks[2]))
    with running_app(env={"POSEDASH_DATA_DIR": str(tmp_path)}, timeout=120) as url:
        yield url, third


def test_after_saving_a_third_session_every_label_says_three(browser, two_sessions):
    """The browser keeps a select box's label while its value does not change:
    after a save, the Patient box, the Progress value and Compare's "After" are
    current, the success message stays in the Save tab, and the same file saved
    again asks first."""
    from tests.e2e.conftest import ARTIFACTS

    url, third = two_sessions
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        _unlock(pg, url)
        patient = pg.get_by_role("combobox", name="Patient")
        assert patient.input_value() == "P-0001 (2 sessions)"
        pg.get_by_role("tab", name="Progress").click()
        value = pg.get_by_role("combobox", name="Value")
        assert value.input_value().endswith("(valid in 2 of 2 sessions)")
        pg.get_by_role("tab", name="Save analysis").click()
        pg.get_by_text("A saved session file").click()
        pg.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(third))
        pg.get_by_role("button", name="Save to P-0001").click()
        saved = pg.get_by_text("Saved week3.mp4")
        saved.wait_for()
        pg.get_by_role("tab", name="Sessions (3)").wait_for()
        pg.wait_for_function(
            "() => [...document.querySelectorAll('input[role=combobox]')]"
            ".some(e => e.value === 'P-0001 (3 sessions)')"
        )
        assert patient.input_value() == "P-0001 (3 sessions)"
        pg.get_by_role("tab", name="Sessions (3)").click()
        assert not saved.is_visible(), "the message stays in the Save tab"
        pg.screenshot(path=str(ARTIFACTS / "patients_third_session_sessions.png"), full_page=True)
        pg.get_by_role("tab", name="Progress").click()
        assert value.input_value().endswith("(valid in 3 of 3 sessions)")
        assert pg.locator(".js-plotly-plot .scatterlayer .point").count() == 3
        pg.screenshot(path=str(ARTIFACTS / "patients_third_session_progress.png"), full_page=True)
        pg.get_by_role("tab", name="Compare").click()
        after = pg.get_by_role("combobox", name="After")
        assert after.input_value().startswith("2026-")
        assert "week3.mp4" in after.input_value()

        # the same file again: a warning, nothing saved until confirmed
        pg.get_by_role("tab", name="Save analysis").click()
        pg.get_by_role("button", name="Save to P-0001").click()
        pg.get_by_text("This recording is already in P-0001's sessions").wait_for()
        pg.screenshot(path=str(ARTIFACTS / "patients_duplicate_warning.png"), full_page=True)
        pg.get_by_role("button", name="Cancel").click()
        pg.get_by_role("button", name="Save to P-0001").wait_for()
        assert patient.input_value() == "P-0001 (3 sessions)"
    except Exception:
        pg.screenshot(path=str(ARTIFACTS / "patients_third_session_failure.png"), full_page=True)
        raise
    finally:
        context.close()


def test_patient_fields_are_not_remembered_by_the_browser(browser, library_app):
    """Chromium's autofill stored the patient label (issue 26): every text field of the
    unlocked Patients page says autocomplete="off"."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    try:
        _unlock(pg, library_app)
        for tab in ("Save this analysis", "Details"):
            if pg.get_by_role("tab", name=tab).count():
                pg.get_by_role("tab", name=tab).click()
        pg.wait_for_timeout(1_000)
        fields = pg.locator("[data-testid=stMain] input[type=text]")
        values = [fields.nth(i).get_attribute("autocomplete") for i in range(fields.count())]
        print(f"text fields on the unlocked Patients page: {values}")
        assert len(values) >= 2 and all(v == "off" for v in values), values
    finally:
        context.close()
