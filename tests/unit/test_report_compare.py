"""The report's comparison with an earlier session warns when the sessions may not
compare, marks the rows, and draws earlier/later in neutral colours (real reference
landmarks; the text read back with pdftotext)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import numpy as np
import pytest

from dashboard.report.builder import ReportOptions, build_report
from tests.pdftools import render_pages, text_of
from tests.reference_data import first_frames

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def recordings(media_dir):
    from tests.reference_data import legacy_analysis

    ref = media_dir / "reference"
    return {
        k: legacy_analysis(ref / f"{stem}.legacy.json")
        for k, stem in (
            ("squat", "tfjs_pose_squats_front"),
            ("raise", "sports2d_demo5_lateral_raise_front"),
            ("walk", "sports2d_demo4_gait_side"),
        )
    }


def _comparison_text(pdf: bytes) -> str:
    text = text_of(pdf, layout=False)
    start = text.index("Comparison with the earlier session")
    return re.sub(r"\s+", " ", text[start:])


def test_squats_against_a_lateral_raise_warns(recordings):
    options = ReportOptions(report_time=WHEN, sections=("angles", "comparison"))
    pdf = build_report(recordings["raise"], None, options, recordings["squat"])
    text = _comparison_text(pdf)
    assert "These two sessions may not be comparable" in text
    assert (
        "Different joints move most: hip flexion / extension in the earlier session, "
        "shoulder abduction in the later one" in text
    )
    assert "May not compare" in text  # the column heading of the marked rows
    assert "different movement" in text
    render_pages(pdf, "compare-squat-raise")


def test_walking_against_squats_warns(recordings):
    options = ReportOptions(report_time=WHEN, sections=("comparison",))
    text = _comparison_text(build_report(recordings["squat"], None, options, recordings["walk"]))
    assert "earlier session is walking and the other is not" in text


def test_two_halves_of_one_exercise_have_no_warning(recordings):
    full = recordings["raise"]
    half = first_frames(full, 270, "raise_week1.mp4", "1" * 64)
    options = ReportOptions(report_time=WHEN, sections=("comparison",))
    text = _comparison_text(build_report(full, None, options, half))
    assert "may not be comparable" not in text and "May not compare" not in text


def test_comparison_chart_uses_no_side_colour():
    from matplotlib.image import imread

    from dashboard.kinematics.compare import angle_curves
    from dashboard.report import charts
    from dashboard.skeleton import LEFT_COLOUR, RIGHT_COLOUR

    t = np.arange(200) / 30.0
    c = angle_curves(45 + 40 * np.sin(t), t, None, False)
    png = charts.comparison_chart(c, c, "Knee", ("earlier (2026-01-05)", "later (2026-03-14)"))
    rgb = (imread(io.BytesIO(png))[..., :3] * 255).round().astype(int)
    for colour in (LEFT_COLOUR, RIGHT_COLOUR, (0, 114, 178), (213, 94, 0)):
        near = np.abs(rgb - np.array(colour)).sum(axis=-1) < 40
        assert near.sum() == 0, colour
    # neither curve is coloured: every drawn pixel is a grey
    assert (np.ptp(rgb, axis=-1) < 12).all()
