"""The Patients page through AppTest, with a real library file in a temporary data
folder and sessions from MediaPipe's reference landmarks of a real clip (no model run)."""

from __future__ import annotations

import json

import pytest

from dashboard.library.service import Library
from dashboard.outputs.session import save_session
from tests.library.helpers import found_in_files
from tests.pages import (
    LIBRARY_PASS,
    click_button,
    patients_page,
    rerun,
    save_to_library,
    shown_text,
)
from tests.reference_data import first_frames, legacy_analysis

PAGE = "pages/11_Patients.py"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture(scope="module")
def analyses(media_dir):
    full = legacy_analysis(media_dir / "reference" / RAISE)
    part = first_frames(full, 200, "raise_week1.mp4", "1" * 64)
    return part, full


def test_off_until_created_then_unlock_save_progress_compare_erase(data_dir, analyses):
    part, full = analyses
    at = patients_page(full)
    assert "nothing is stored" in shown_text(at, "info")
    assert not data_dir.exists()

    # create (refused while the passphrases differ)
    at.text_input(key="library_new_pass").input(LIBRARY_PASS)
    at.text_input(key="library_new_pass2").input(LIBRARY_PASS + "x")
    at.checkbox(key="library_new_ok").check()
    click_button(at, "library_create")
    assert "differ" in shown_text(at, "error") and not data_dir.exists()
    at.text_input(key="library_new_pass").input(LIBRARY_PASS)
    at.text_input(key="library_new_pass2").input(LIBRARY_PASS)
    click_button(at, "library_create")
    assert (data_dir / "library.sqlite3").exists()

    # a pseudonymous patient, and three sessions
    at.text_area(key="library_new_notes").input("NOTE_MARKER_page")
    click_button(at, "library_add_patient")
    assert "P-0001" in shown_text(at, "success")
    save_to_library(at, part, "2026-01-05")
    save_to_library(at, full, "2026-01-19")
    save_to_library(at, full, "2026-02-02", region="REGION_MARKER_page", again=True)

    # progress: a dated chart with three points coloured by confidence
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (chart,) = charts
    trace = next(t for t in chart["data"] if t["mode"] == "markers")
    assert trace["x"] == ["2026-01-05", "2026-01-19", "2026-02-02"]
    assert len(trace["marker"]["color"]) == 3
    # a lateral raise: the chart opens on shoulder abduction, valid in every session
    assert at.selectbox(key="library_metric").value.startswith("rom.range:shoulder_abduction:")
    assert set(trace["marker"]["symbol"]) == {"circle"}
    assert "range of motion" in chart["layout"]["title"]["text"]

    # lock, a wrong passphrase, then the right one
    click_button(at, "library_lock")
    at.text_input(key="library_pass").input("not the passphrase")
    click_button(at, "library_unlock")
    assert "does not unlock" in shown_text(at, "error")
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")
    assert at.selectbox(key="library_patient").value is not None

    # reopen the first session for review
    at.selectbox(key="library_session").select_index(0)
    rerun(at)
    click_button(at, "library_open")
    assert "2026-01-05" in shown_text(at, "success")
    assert "now the analysis under review" in shown_text(at, "success")
    reopened = at.session_state["posedash_current_analysis"]
    assert reopened.source_name == "raise_week1.mp4" and reopened.poses.num_frames == 200

    # compare the first and last sessions on the comparison page
    click_button(at, "library_compare")
    at.switch_page("pages/7_Compare.py")
    rerun(at)
    assert at.radio(key="compare_before_source").value == "A patient-library session"
    assert at.selectbox(key="compare_before_library").value.startswith("2026-01-05")
    assert at.selectbox(key="compare_after_library").value.startswith("2026-02-02")
    assert at.get("plotly_chart"), "the comparison chart is drawn"

    # erase: the patient is gone from the file
    at.switch_page(PAGE)
    rerun(at)
    lib = Library(data_dir / "library.sqlite3")
    lib.unlock(LIBRARY_PASS)
    (patient,) = lib.patients()
    path = data_dir / "library.sqlite3"
    assert found_in_files(path, [patient.uid.encode()])
    at.text_input(key="library_erase_confirm").input("P-0001")
    click_button(at, "library_erase")
    assert "erased" in shown_text(at, "success")
    assert lib.patients() == []
    assert (
        found_in_files(path, [patient.uid.encode(), b"NOTE_MARKER_page", b"REGION_MARKER_page"])
        == []
    )


def test_foreign_file_is_reported_not_touched(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 10)
    at = patients_page()
    assert "not a PoseDash patient library" in shown_text(at, "error")
    assert (data_dir / "library.sqlite3").read_bytes() == b"this is not a database" * 10


def test_idle_lock_clear_my_data_rename_export_and_passphrase(data_dir, library, analyses):
    lib = library
    p = lib.add_patient()
    lib.add_session(p.uid, save_session(analyses[0]), "2026-01-05")
    at = patients_page()
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")

    # idle: the library locks itself and says why
    at.session_state["posedash_library"]._last_used -= 10 * 3600
    rerun(at)
    assert "locked itself after 15 minutes" in shown_text(at, "info")
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")

    # rename, export
    at.text_input(key=f"library_label_{p.uid}").input("Mr Example")
    at.text_input(key=f"library_birth_{p.uid}").input("14/03/1950")
    click_button(at, "library_rename")
    assert "YYYY-MM-DD" in shown_text(at, "error")  # refused, nothing changed
    at.text_input(key=f"library_birth_{p.uid}").input("1950-03-14")
    click_button(at, "library_rename")
    assert "Mr Example" in shown_text(at, "success")
    at.toggle(key="library_export_arm").set_value(True)
    rerun(at)
    assert at.get("download_button"), "the export is offered"

    # change the passphrase (refused when the two new ones differ)
    at.text_input(key="library_old_pass").input(LIBRARY_PASS)
    at.text_input(key="library_new1").input("another passphrase")
    at.text_input(key="library_new2").input("another passphrase!")
    click_button(at, "library_change")
    assert "differ" in shown_text(at, "error")
    at.text_input(key="library_old_pass").input(LIBRARY_PASS)
    at.text_input(key="library_new1").input("another passphrase")
    at.text_input(key="library_new2").input("another passphrase")
    click_button(at, "library_change")
    assert "passphrase is changed" in shown_text(at, "success")

    # "Clear my data" forgets the unlocked library too
    next(b for b in at.button if "Clear my data" in b.label).click()
    rerun(at)
    assert at.text_input(key="library_pass") is not None
    check = Library(data_dir / "library.sqlite3")
    check.unlock("another passphrase")
    assert [(x.label, x.birth_date) for x in check.patients()] == [("Mr Example", "1950-03-14")]


def test_a_saved_session_file_is_added_and_a_foreign_one_refused(data_dir, library, analyses):
    lib = library
    lib.add_patient()
    at = patients_page()
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")
    at.radio(key="library_save_source").set_value("A saved session file")
    rerun(at)
    foreign, good = b"\x89PNG\r\n\x1a\n not a session", save_session(analyses[0])
    for name, data in (("photo.posedash", foreign), ("week1.posedash", good)):
        uploader = next(u for u in at.file_uploader if u.label.startswith("Session file"))
        uploader.set_value((name, data, "application/octet-stream"))
        rerun(at)
        click_button(at, "library_save")
        if data is foreign:
            assert "not a PoseDash session" in shown_text(at, "error")
        else:
            assert "Saved raise_week1.mp4" in shown_text(at, "success")
    (patient,) = lib.patients()
    assert [s.source_name for s in lib.sessions(patient.uid)] == ["raise_week1.mp4"]
