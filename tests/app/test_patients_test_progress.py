"""Functional test results in the Patients page's Progress tab and the Tests page's
"keep with the session" (issue 21), through AppTest with a real library file in a
temporary data folder and synthetic people with known event times (no model run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions, run_test
from dashboard.functional.saved import kept_record
from dashboard.library.service import Library
from dashboard.outputs.session import read_session, save_session
from tests.functional_person import sts_script
from tests.library.helpers import fast_kdf
from tests.pages import (
    LIBRARY_PASS as PASS,
    click_button as _click,
    patients_page as _page,
    rerun as _run,
    shown_text as _texts,
)

ROOT = Path(__file__).resolve().parents[2]
KEY = "library_metric"
STS_SIT = "test.sts5:time_to_fifth_sit_s"


@pytest.fixture()
def lib(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_DATA_DIR", str(tmp_path / "posedash"))
    return Library.create(PASS, tmp_path / "posedash" / "library.sqlite3", kdf=fast_kdf())


def _analysis(n: int, reps: int = 5) -> Analysis:
    return Analysis(sts_script(reps=reps).sequence(), f"sts{n}.mp4", f"{n}" * 64, "video", fps=30)


def _saved(a: Analysis, opts: TestOptions) -> bytes:
    return save_session(a, functional_tests=[kept_record(run_test(a.poses, opts))])


def test_progress_opens_on_the_test_with_its_norm_cutoff_and_mdc(lib):
    p = lib.add_patient()
    opts = TestOptions("sts5", age=72, sex="f")
    for i, date in enumerate(("2026-01-05", "2026-02-05")):
        lib.add_session(p.uid, _saved(_analysis(i + 1), opts), date)
    lib.add_session(p.uid, _saved(_analysis(3), TestOptions("chair30")), "2026-03-05")
    at = _page()
    at.text_input(key="library_pass").input(PASS)
    at = _click(at, "library_unlock")
    assert at.selectbox(key=KEY).value == STS_SIT
    assert "Functional tests" in at.selectbox(key="library_metric_group").options
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    shapes = spec["layout"].get("shapes", [])
    assert any(s.get("y0") == pytest.approx(12.6) for s in shapes)  # Bohannon 2006, 70-79
    captions = _texts(at, "caption")
    assert "Norm for age 72, female" in captions and "MDC95 2.5 s" in captions
    assert "Goldberg" in captions
    # the 30-s chair stand filmed for less than 30 s: withheld with its reason, no number
    at.selectbox(key=KEY).set_value("test.chair30:stands")
    _run(at)
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert next(t for t in data if t.get("name") == "withheld")["x"] == ["2026-03-05"]
    assert all(not t.get("x") for t in data if t.get("name") != "withheld")
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert table.iloc[0, 1] == "—" and "30 s" in table["verdict"].iloc[0]
    assert "no session has a valid value here" in _texts(at, "caption")


def test_the_tests_page_keeps_a_result_with_the_session_file():
    analysis = _analysis(7)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page("pages/14_Tests.py").run()
    assert not at.exception, at.exception
    at.button(key="posedash_tests_keep").click().run()
    assert not at.exception, at.exception
    assert "is kept with the session" in " ".join(s.value for s in at.success)
    kept = at.session_state["posedash_tests_kept"]
    (records,) = kept.values()
    assert records["sts5"]["options"]["test"] == "sts5"
    # what the library saves for the analysis under review carries it
    from dashboard.functional.saved import read_records

    data = save_session(analysis, functional_tests=list(records.values()))
    found, _ = read_records(read_session(data).manifest["functional_tests"])
    assert found[0]["options"] == records["sts5"]["options"]
    at.button(key="posedash_tests_drop").click().run()
    assert not at.exception, at.exception
    assert not at.session_state["posedash_tests_kept"][next(iter(kept))]
