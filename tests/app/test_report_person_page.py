"""The Report page with two people in a reopened session (the shared walking clip's
reference landmarks as person 2, found in most frames; a shorter walk as person 1):
the person first offered is the one found in most frames, and the report's header
and gait section are that person's; choosing the other one changes both."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.pages import goto, open_session
from tests.session_data import two_people

PAGE = "pages/10_Report.py"


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.decode().split())


def _report(at) -> str:
    next(b for b in at.button if "Create the report" in b.label).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return _text(at.session_state["posedash_report_made"][1])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_the_person_found_in_most_frames_is_offered_first(media_dir):
    from dashboard.outputs.session import save_session
    from tests.reference_data import legacy_analysis

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    at = goto(open_session(save_session(two_people(walk)), "two.posedash"), PAGE)
    person = at.selectbox(key="report_person")
    assert person.value == 1 and person.format_func(person.value) == "Person 2"
    text = _report(at)
    assert "Person 2 of 2 (the one found in most frames), found in 77 % of frames" in text
    assert "2 walking passes" in text
    person.set_value(0).run()
    text = _report(at)
    assert "Person 1 of 2 (chosen for this report), found in 36 % of frames" in text
    assert "1 walking pass " in text and "2 walking passes" not in text


def test_the_gait_page_offers_the_same_person_first(media_dir):
    """The Gait page starts with the person the report describes (found in most frames)."""
    from dashboard.outputs.session import save_session
    from tests.reference_data import legacy_analysis

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    at = goto(open_session(save_session(two_people(walk)), "two.posedash"), "pages/9_Gait.py")
    assert at.selectbox(key="gait_person").value == 1
