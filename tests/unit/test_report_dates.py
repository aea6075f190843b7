"""The comparison says when each session is from: the earlier session's date (the
date its session file was saved, on the Report page) and the recording's date
label the curves' legend ("earlier (2026-11-02)" / "now (2026-12-01)") and the
paragraph naming the two files; without a date the legend keeps "earlier"/"now".
"""

from __future__ import annotations

import pytest

from dashboard.report import charts, measures
from dashboard.report.builder import ReportOptions, build_report
from dashboard.report.context import legend_date, saved_words
from tests.pdftools import RAISE, render_pages, text_of
from tests.reference_data import first_frames


def test_saved_words_and_legend_date():
    assert saved_words("2026-11-02T10:00:07+00:00") == "session saved 2026-11-02 10:00 UTC"
    assert saved_words("2026-11-02T11:00:00+01:00") == "session saved 2026-11-02 10:00 UTC"
    assert saved_words("2026-11-02T10:00:00") == "session saved 2026-11-02 10:00 UTC"
    assert saved_words("") is None and saved_words(None) is None
    assert saved_words("last Tuesday") is None
    assert legend_date("session saved 2026-11-02 10:00 UTC") == "2026-11-02"
    assert legend_date("2026-12-01 08:15 UTC") == "2026-12-01"
    assert legend_date("14 March 2026") == "14 March 2026"
    assert legend_date("cost $5 in the   week of the big storm") == r"cost \$5 in the week of…"
    assert legend_date(None) == "" and legend_date("  ") == ""


@pytest.fixture(scope="module")
def earlier(raise_analysis):
    a = raise_analysis
    return first_frames(a, 270, "raise_week1.mp4", "1" * 64)


def _legends(monkeypatch) -> list:
    """The labels the comparison charts are drawn with (the real charts still run)."""
    seen, real = [], charts.comparison_chart

    def spy(before, after, title, labels, *args, **kwargs):
        seen.append(tuple(labels))
        return real(before, after, title, labels, *args, **kwargs)

    monkeypatch.setattr(measures.charts, "comparison_chart", spy)
    return seen


def test_both_dates_in_the_legend_and_the_paragraph(raise_analysis, earlier, monkeypatch):
    seen = _legends(monkeypatch)
    options = ReportOptions(
        sections=("comparison",),
        recording_date="2026-12-01",
        earlier_date="session saved 2026-11-02 10:00 UTC",
    )
    pdf = build_report(raise_analysis, None, options, earlier)
    assert seen and set(seen) == {("earlier (2026-11-02)", "now (2026-12-01)")}
    text = " ".join(text_of(pdf, layout=False).split())
    assert (
        f"Earlier: raise_week1.mp4, session saved 2026-11-02 10:00 UTC. Now: {RAISE}.mp4, "
        "recorded 2026-12-01. Both computed"
    ) in text
    render_pages(pdf, "compare_dates", dpi=60)


def test_no_dates_keep_earlier_and_later(raise_analysis, earlier, monkeypatch):
    seen = _legends(monkeypatch)
    pdf = build_report(raise_analysis, None, ReportOptions(sections=("comparison",)), earlier)
    assert seen and set(seen) == {("earlier", "now")}
    text = " ".join(text_of(pdf, layout=False).split())
    assert f"Earlier: raise_week1.mp4. Now: {RAISE}.mp4. Both computed" in text


def test_the_files_own_date_labels_the_later_curves(
    raise_analysis, earlier, media_dir, monkeypatch
):
    """With the video, its container date (when it has one) is the later session's."""
    from dashboard.report.context import recording_date

    video = (media_dir / "videos" / f"{RAISE}.mp4").read_bytes()
    own = recording_date(video, "video")
    seen = _legends(monkeypatch)
    build_report(
        raise_analysis,
        video,
        ReportOptions(sections=("comparison",), earlier_date="2026-11-02"),
        earlier,
    )
    later = f"now ({own[:10]})" if own else "now"
    assert set(seen) == {("earlier (2026-11-02)", later)}


def test_gait_dashes_say_why():
    from dashboard.report.gait_report import dash_reason

    full = [
        ["Step time (s)", "0.50", "0.53", ""],
        ["Strides", "1", "2", ""],
        ["Cadence (steps/min)", "", "", "116.1"],
    ]
    assert dash_reason(full) == ""
    some = [
        ["Step time (s)", "0.50", "–", ""],
        ["Strides", "1", "0", ""],
        ["Cadence (steps/min)", "", "", "–"],
    ]
    assert dash_reason(some).startswith("–: not computed: too few usable strides")
    none = [["Step time (s)", "–", "–", ""], ["Strides", "0", "0", ""]]
    assert dash_reason(none).startswith("–: not computed: no stride could be used")


def test_comparison_dashes_say_why(raise_analysis, media_dir):
    """A side-view walk compared with a front-view raise: angles measured in one session
    only print '–', and a caption says why; the same recording twice has no dash."""
    from tests.reference_data import legacy_analysis

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    options = ReportOptions(sections=("comparison",))
    text = " ".join(
        text_of(build_report(raise_analysis, None, options, walk), layout=False).split()
    )
    assert "–: no value in that session (the angle was not measured there" in text
    same = " ".join(
        text_of(build_report(raise_analysis, None, options, raise_analysis), layout=False).split()
    )
    assert "no value in that session" not in same
