"""The Report page through AppTest, from session files saved from real reference
landmarks (no model run)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.pages import goto, open_app, open_session, upload_file

PAGE = "pages/10_Report.py"
LABEL = "Zoë Łukasiewicz 李小龍 Ωmega"


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.decode().split())


def _create(at):
    next(b for b in at.button if "Create the report" in b.label).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_report_page_without_an_analysis_explains_what_to_do():
    at = goto(open_app(), PAGE)
    assert at.info and "analyse a photo or a video first" in at.info[0].value
    assert not [b for b in at.button if "Create the report" in b.label]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_report_from_a_reopened_session_with_an_earlier_one(review_sessions):
    at = goto(open_session(review_sessions["after"]), PAGE)
    assert any("keeps no picture or video" in i.value for i in at.info)
    at.text_input[0].input(LABEL).run()
    at.text_area[0].input("Abduction painful above 90°.").run()
    at.text_input(key="report_recorded").input("2026-02-01").run()
    upload_file(at, "Earlier session", "week1.posedash", review_sessions["before"])
    _create(at)
    assert at.success and "The report is ready" in at.success[0].value
    labels = [b.proto.label for b in at.get("download_button")]
    assert "⬇️ Download the report (PDF)" in labels
    _, pdf, name = at.session_state["posedash_report_made"]
    assert name == "sports2d_demo5_lateral_raise_front.report.pdf"
    text = _text(pdf)
    assert LABEL in text and "Abduction painful above 90°." in text
    assert "reopened from a session file" in text and "Recording date 2026-02-01" in text
    assert "Comparison with the earlier session" in text and "Earlier: raise_week1.mp4" in text
    # the earlier session's saved date and the typed recording date name the sessions
    assert re.search(
        r"Earlier: raise_week1\.mp4, session saved \d{4}-\d{2}-\d{2} \d{2}:\d{2} "
        r"UTC\. Now: sports2d_demo5_lateral_raise_front\.mp4, recorded 2026-02-01\.",
        text,
    ), text[:2000]
    # a changed choice asks for a new report instead of offering the old one
    at.text_input[0].input("Someone else").run()
    assert not at.get("download_button") or "⬇️ Download the report (PDF)" not in [
        b.proto.label for b in at.get("download_button")
    ]
    assert any("create it again" in c.value for c in at.caption)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_report_sections_and_paper_are_honoured(review_sessions):
    at = goto(open_session(review_sessions["photo"], "yoga.posedash"), PAGE)
    at.radio(key="report_paper").set_value("Letter").run()
    at.multiselect(key="report_sections").set_value(["angles"]).run()
    _create(at)
    _, pdf, _ = at.session_state["posedash_report_made"]
    text = _text(pdf)
    assert "Angles in this photo" in text
    assert "How to read the numbers" not in text and "Key frames" not in text
    assert b"/MediaBox [0 0 612.00 792.00]" in pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_clinical_details_reach_the_first_page(review_sessions):
    at = goto(open_session(review_sessions["after"]), PAGE)
    movement = at.selectbox(key="report_movement")
    assert movement.value == "auto"
    assert "Recognised from the recording (Shoulder abduction" in movement.format_func("auto")
    at.text_input(key="report_clinician").input("A. Physio, PT").run()
    at.text_input(key="report_clinic").input("=Riverside <b>Clinic</b>").run()
    at.text_area(key="report_reason").input("Shoulder pain\nafter a fall.").run()
    at.number_input(key="report_age").set_value(34).run()
    at.selectbox(key="report_sex").set_value("female").run()
    measures = at.multiselect(key="report_angles_shoulder_abduction")
    assert measures.value[0] == "shoulder_abduction"  # the movement's measures, first
    keep = [b for b in at.button if "for every report" in b.label]
    keep[0].click().run()
    assert at.success and "for this browser session" in at.success[0].value
    _create(at)
    _, pdf, _ = at.session_state["posedash_report_made"]
    first = _text(pdf).split("page 1 of")[0]
    assert "Clinician A. Physio, PT" in first and "Clinic =Riverside <b>Clinic</b>" in first
    assert "Reason for assessment Shoulder pain after a fall." in first
    assert "Movement Shoulder abduction (lateral raise) (recognised" in first
    assert "(34 years, female)" in first and "Summary" in first
    assert "Shoulder abduction (left)" in first  # the movement's measure, on page 1


def test_the_first_page_rows_are_shown_with_normal_values_and_the_mdc(review_sessions):
    """Issue 22: the Report page shows the first page's results beside their normal
    values and, with an earlier session, the change against the MDC."""
    at = goto(open_session(review_sessions["after"]), PAGE)
    table = next(d.value for d in at.dataframe if "Normal (source)" in d.value.columns)
    row = table[table.Measure == "Shoulder abduction (left)"].iloc[0]
    assert row["Normal (source)"] == "abduction 180° (adults; AAOS via Norkin & White)"
    assert "Beyond MDC?" not in table.columns
    upload_file(at, "Earlier session", "week1.posedash", review_sessions["before"])
    table = next(d.value for d in at.dataframe if "Normal (source)" in d.value.columns)
    assert {"Earlier", "Change", "Beyond MDC?"} <= set(table.columns)
    row = table[table.Measure == "Shoulder abduction (left)"].iloc[0]
    assert row["Beyond MDC?"] == "no MDC"  # none shipped for shoulder abduction: said so
