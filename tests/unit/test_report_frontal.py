"""The filed report prints the results of walking towards or away from the camera
(dashboard/report/gait_frontal.py), from the one frontal result the Gait page shows, with
known answers on a synthetic walker filmed from the front (tests/gait_frontal_walker.py:
strides of 1.10 s, so steps of 0.55 s and a cadence of 60 / 0.55 = 109.1 steps/min):
the steps counted, cadence, step and stride time with their n; the mean without a spread
below 3 values and a dash without any; the contacts corrected by hand with their total,
the figures being those of the corrected contacts; the set-up verdict of a walk filmed
only from the front, as the page says it. Pages rendered with pdftoppm into
test-artifacts/report/ to look at."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.events_file import HandEvent
from dashboard.kinematics.gait.frontal_edited import with_frontal_edits
from dashboard.kinematics.gait.frontal_words import (
    FRONTAL_ONLY_VERDICT,
    VERDICT_WORDS,
    frontal_rows,
)
from dashboard.report.builder import ReportOptions, build_report
from tests.gait_frontal_walker import frontal_walker
from tests.pdftools import render_pages, require_poppler, text_of

FPS = 30.0


@pytest.fixture(autouse=True)
def _poppler():
    require_poppler()


@pytest.fixture(scope="module")
def walk():
    seq, _ = frontal_walker(towards=True, fps=FPS)
    return seq, analyze_gait(seq)


def _report(seq, result) -> tuple[bytes, str]:
    analysis = Analysis(seq, "corridor.mp4", "ab" * 32, "video", fps=FPS)
    pdf = build_report(analysis, None, ReportOptions(), gait_result=result)
    return pdf, " ".join(text_of(pdf, layout=False).split())


def _kept(result, n_contacts: int):
    """The result with only the first ``n_contacts`` contacts (feet put down) kept."""
    contacts = result.frontal.contacts
    ics = [c for c in contacts if c.event == "initial_contact"][:n_contacts]
    hand = [
        HandEvent(c.side, c.event, c.time_s, c.frame)
        for c in contacts
        if c.event != "initial_contact" or c in ics
    ]
    return hand


def test_the_report_prints_the_frontal_results(walk):
    seq, result = walk
    p = result.frontal.parameters
    assert p["step_time_s"]["mean"] == pytest.approx(0.55, abs=0.01)
    assert p["stride_time_s"]["mean"] == pytest.approx(1.10, abs=0.01)
    assert p["cadence_steps_per_min"]["mean"] == pytest.approx(60 / 0.55, abs=1.0)
    pdf, text = _report(seq, result)
    assert "Walking towards or away from the camera" in text
    assert "Pass 1: towards the camera (" in text
    assert "Steps (contacts counted) 7" in text
    assert "Cadence (steps/min) 109.2 ± 3.6 (n=6)" in text
    assert "Step time (s) 0.55 ± 0.02 (n=6)" in text
    assert "Stride time (s) 1.10 ± 0.00 (n=5)" in text
    assert "Stride time (s), left foot 1.10 (n = 2: too few strides for a spread)" in text
    assert "Stride time (s), right foot 1.10 ± 0.00 (n=3)" in text
    for label, cell in frontal_rows(result.frontal.as_dict()):  # the page's rows, all of them
        assert f"{label} {cell}" in text
    assert "Needs a side view: • step and stride length, walking speed" in text
    # filmed only from the front: the page's verdict, not 'should not be trusted'
    assert FRONTAL_ONLY_VERDICT in text
    assert VERDICT_WORDS["not suitable"] not in text
    assert "corrected by hand" not in text
    # no side-view pass: said in words, not as "0 walking passes; ... 0 left, 0 right"
    assert "0 walking passes" not in text
    assert "No walking pass across the picture (side view)" in text
    # nor the side-view tables, which could only hold dashes (the section lists what
    # needs a side view instead)
    assert "Spatiotemporal parameters" not in text
    assert "Key values over the gait cycle" not in text
    render_pages(pdf, "gait_frontal", dpi=60)


def test_corrected_contacts_are_the_figures_printed(walk):
    seq, result = walk
    edited = with_frontal_edits(result, _kept(result, 3), seq)
    pdf, text = _report(seq, edited)
    # three contacts kept: two steps, one stride; the mean without a spread, a dash for none
    assert "Steps (contacts counted) 3" in text
    assert "Cadence (steps/min) 109.2 (n = 2: too few strides for a spread)" in text
    assert "Step time (s) 0.55 (n = 2: too few strides for a spread)" in text
    assert "Stride time (s) 1.10 (n = 1: too few strides for a spread)" in text
    assert "Stride time (s), left foot – " in text
    assert "Stride time (s), right foot 1.10 (n = 1: too few strides for a spread)" in text
    assert (
        "Events corrected by hand (4 changed: 4 deleted); the automatic events are kept "
        "for reference. With the automatic contacts: cadence 109.2 steps/min, 7 steps."
    ) in text
    assert "Contacts corrected by hand (walking towards or away from the camera)" in text
    assert "4 of 14 events corrected by hand." in text
    # the corrections' note once, in the frontal section (not again among the warnings)
    assert text.count("Events corrected by hand (4 changed: 4 deleted)") == 1
    assert "Steps (contacts counted) 7" not in text
    render_pages(pdf, "gait_frontal_corrected", dpi=60)


def test_no_frontal_section_for_a_side_view_walk():
    from tests.gait_walker import walker

    seq, _ = walker(fps=FPS, directions=(1, -1), strides=6.0)
    result = analyze_gait(seq)
    assert result.frontal is None
    _, text = _report(seq, result)
    assert "Walking towards or away from the camera" not in text
    assert FRONTAL_ONLY_VERDICT not in text
