"""The Patients page through AppTest, with a real library file in a temporary data
folder and sessions from MediaPipe's reference landmarks of a real clip (no model run)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.library.service import Library
from dashboard.outputs.session import save_session
from tests.library.helpers import found_in_files
from tests.reference_data import legacy_analysis

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
PAGE = "pages/11_Patients.py"
PASS = "a clinic passphrase"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


@pytest.fixture(scope="module")
def analyses(media_dir):
    full = legacy_analysis(media_dir / "reference" / RAISE)
    part = Analysis(
        full.poses.select(frames=slice(0, 200)),
        "raise_week1.mp4",
        "1" * 64,
        "video",
        full.settings,
        full.model,
        full.fps,
    )
    return part, full


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return _run(at)


def _texts(at: AppTest, kind: str) -> str:
    """The elements' text as shown: user text (labels) is Markdown-escaped in the
    element's body (``P\\-0001``), which the browser shows as ``P-0001``."""
    return re.sub(
        r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", " ".join(e.value for e in getattr(at, kind))
    ).replace("\u2060", "")


def _page(analysis=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if analysis is not None:
        at.session_state["posedash_current_analysis"] = analysis
    _run(at)
    at.switch_page(PAGE)
    return _run(at)


def _save(
    at: AppTest, analysis, date: str, region: str = "left shoulder", again: bool = False
) -> AppTest:
    """Save ``analysis`` on the Save tab; ``again``: it is already saved, confirm."""
    at.session_state["posedash_current_analysis"] = analysis
    _run(at)
    at.date_input(key="library_save_date").set_value(dt.date.fromisoformat(date))
    at.text_input(key="library_save_region").input(region)
    _click(at, "library_save")
    if again:
        assert "already in" in _texts(at, "warning")
        _click(at, "library_save_again")
    assert "Saved" in _texts(at, "success"), _texts(at, "error")
    return at


def test_off_until_created_then_unlock_save_progress_compare_erase(data_dir, analyses):
    part, full = analyses
    at = _page(full)
    assert "nothing is stored" in _texts(at, "info")
    assert not data_dir.exists()

    # create (refused while the passphrases differ)
    at.text_input(key="library_new_pass").input(PASS)
    at.text_input(key="library_new_pass2").input(PASS + "x")
    at.checkbox(key="library_new_ok").check()
    _click(at, "library_create")
    assert "differ" in _texts(at, "error") and not data_dir.exists()
    at.text_input(key="library_new_pass").input(PASS)
    at.text_input(key="library_new_pass2").input(PASS)
    _click(at, "library_create")
    assert (data_dir / "library.sqlite3").exists()

    # a pseudonymous patient, and three sessions
    at.text_area(key="library_new_notes").input("NOTE_MARKER_page")
    _click(at, "library_add_patient")
    assert "P-0001" in _texts(at, "success")
    _save(at, part, "2026-01-05")
    _save(at, full, "2026-01-19")
    _save(at, full, "2026-02-02", region="REGION_MARKER_page", again=True)

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
    _click(at, "library_lock")
    at.text_input(key="library_pass").input("not the passphrase")
    _click(at, "library_unlock")
    assert "does not unlock" in _texts(at, "error")
    at.text_input(key="library_pass").input(PASS)
    _click(at, "library_unlock")
    assert at.selectbox(key="library_patient").value is not None

    # reopen the first session for review
    at.selectbox(key="library_session").select_index(0)
    _run(at)
    _click(at, "library_open")
    assert "2026-01-05" in _texts(at, "success")
    assert "now the analysis under review" in _texts(at, "success")
    reopened = at.session_state["posedash_current_analysis"]
    assert reopened.source_name == "raise_week1.mp4" and reopened.poses.num_frames == 200

    # compare the first and last sessions on the comparison page
    _click(at, "library_compare")
    at.switch_page("pages/7_Compare.py")
    _run(at)
    assert at.radio(key="compare_before_source").value == "A patient-library session"
    assert at.selectbox(key="compare_before_library").value.startswith("2026-01-05")
    assert at.selectbox(key="compare_after_library").value.startswith("2026-02-02")
    assert at.get("plotly_chart"), "the comparison chart is drawn"

    # erase: the patient is gone from the file
    at.switch_page(PAGE)
    _run(at)
    lib = Library(data_dir / "library.sqlite3")
    lib.unlock(PASS)
    (patient,) = lib.patients()
    path = data_dir / "library.sqlite3"
    assert found_in_files(path, [patient.uid.encode()])
    at.text_input(key="library_erase_confirm").input("P-0001")
    _click(at, "library_erase")
    assert "erased" in _texts(at, "success")
    assert lib.patients() == []
    assert (
        found_in_files(path, [patient.uid.encode(), b"NOTE_MARKER_page", b"REGION_MARKER_page"])
        == []
    )


def test_foreign_file_is_reported_not_touched(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 10)
    at = _page()
    assert "not a PoseDash patient library" in _texts(at, "error")
    assert (data_dir / "library.sqlite3").read_bytes() == b"this is not a database" * 10


def test_idle_lock_clear_my_data_rename_export_and_passphrase(data_dir, analyses):
    from tests.library.helpers import fast_kdf

    lib = Library.create(PASS, data_dir / "library.sqlite3", kdf=fast_kdf())
    p = lib.add_patient()
    lib.add_session(p.uid, save_session(analyses[0]), "2026-01-05")
    at = _page()
    at.text_input(key="library_pass").input(PASS)
    _click(at, "library_unlock")

    # idle: the library locks itself and says why
    at.session_state["posedash_library"]._last_used -= 10 * 3600
    _run(at)
    assert "locked itself after 15 minutes" in _texts(at, "info")
    at.text_input(key="library_pass").input(PASS)
    _click(at, "library_unlock")

    # rename, export
    at.text_input(key=f"library_label_{p.uid}").input("Mr Example")
    at.text_input(key=f"library_birth_{p.uid}").input("14/03/1950")
    _click(at, "library_rename")
    assert "YYYY-MM-DD" in _texts(at, "error")  # refused, nothing changed
    at.text_input(key=f"library_birth_{p.uid}").input("1950-03-14")
    _click(at, "library_rename")
    assert "Mr Example" in _texts(at, "success")
    at.toggle(key="library_export_arm").set_value(True)
    _run(at)
    assert at.get("download_button"), "the export is offered"

    # change the passphrase (refused when the two new ones differ)
    at.text_input(key="library_old_pass").input(PASS)
    at.text_input(key="library_new1").input("another passphrase")
    at.text_input(key="library_new2").input("another passphrase!")
    _click(at, "library_change")
    assert "differ" in _texts(at, "error")
    at.text_input(key="library_old_pass").input(PASS)
    at.text_input(key="library_new1").input("another passphrase")
    at.text_input(key="library_new2").input("another passphrase")
    _click(at, "library_change")
    assert "passphrase is changed" in _texts(at, "success")

    # "Clear my data" forgets the unlocked library too
    next(b for b in at.button if "Clear my data" in b.label).click()
    _run(at)
    assert at.text_input(key="library_pass") is not None
    check = Library(data_dir / "library.sqlite3")
    check.unlock("another passphrase")
    assert [(x.label, x.birth_date) for x in check.patients()] == [("Mr Example", "1950-03-14")]


def test_a_saved_session_file_is_added_and_a_foreign_one_refused(data_dir, analyses):
    from tests.library.helpers import fast_kdf

    lib = Library.create(PASS, data_dir / "library.sqlite3", kdf=fast_kdf())
    lib.add_patient()
    at = _page()
    at.text_input(key="library_pass").input(PASS)
    _click(at, "library_unlock")
    at.radio(key="library_save_source").set_value("A saved session file")
    _run(at)
    foreign, good = b"\x89PNG\r\n\x1a\n not a session", save_session(analyses[0])
    for name, data in (("photo.posedash", foreign), ("week1.posedash", good)):
        uploader = next(u for u in at.file_uploader if u.label.startswith("Session file"))
        uploader.set_value((name, data, "application/octet-stream"))
        _run(at)
        _click(at, "library_save")
        if data is foreign:
            assert "not a PoseDash session" in _texts(at, "error")
        else:
            assert "Saved raise_week1.mp4" in _texts(at, "success")
    (patient,) = lib.patients()
    assert [s.source_name for s in lib.sessions(patient.uid)] == ["raise_week1.mp4"]
