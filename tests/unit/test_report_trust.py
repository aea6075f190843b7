"""The report carries the trust information the pages show: frames the left/right swap
repair relabelled, values left out of range of motion as implausible, the Gait page's
camera set-up verdict, checks and warnings. Rendered and read back with pdftotext."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dashboard.report import tables
from dashboard.report.builder import ReportOptions, build_report
from dashboard.report.document import Document
from dashboard.report.sections import relabelled
from tests.pdftools import WHEN, render_pages, text_of


def _flat(pdf: bytes) -> str:
    return " ".join(text_of(pdf, layout=False).split())


def _with_swaps(analysis, legs, arms):
    seq = analysis.poses
    swapped = np.zeros((seq.num_frames, seq.num_people, 2), bool)
    swapped[legs, 0, 0] = True
    swapped[arms, 0, 1] = True
    return replace(analysis, poses=replace(seq, swapped=swapped))


def test_header_says_how_many_frames_the_swap_repair_relabelled(raise_analysis):
    analysis = _with_swaps(raise_analysis, legs=list(range(100, 117)), arms=[5, 6, 300])
    pdf = build_report(
        analysis, None, ReportOptions(report_time=WHEN, sections=("angles", "reading"))
    )
    text = _flat(pdf)
    assert (
        "Left/right labels PoseDash's left/right swap repair, run with the pose detection "
        "(after tracking), relabelled the legs in 17 frame(s) and the arms in 3 frame(s) "
        "of the person reported on, where the model looked to have exchanged them. "
        "Angles, range of motion, repetitions and gait here use the repaired labels, as "
        "every page does."
    ) in text
    render_pages(pdf, "relabelled_header", dpi=60)
    legs_only = _with_swaps(raise_analysis, legs=[7], arms=[])
    assert relabelled(legs_only.poses, 0).count("frame(s)") == 1
    assert "relabelled the legs in 1 frame(s) of the person" in relabelled(legs_only.poses, 0)


def test_nothing_is_said_when_no_frame_was_relabelled(raise_analysis):
    assert not raise_analysis.poses.swapped.any()
    assert (
        relabelled(raise_analysis.poses, 0) == "" and relabelled(raise_analysis.poses, None) == ""
    )
    text = _flat(
        build_report(raise_analysis, None, ReportOptions(report_time=WHEN, sections=("reading",)))
    )
    assert "Left/right labels" not in text and "relabelled" not in text
    assert "swap repair off" not in text  # the reference landmarks' settings: repair on


def test_repair_off_is_named_in_the_detection_settings(raise_analysis):
    analysis = replace(raise_analysis, settings=replace(raise_analysis.settings, swap_repair=False))
    text = _flat(
        build_report(analysis, None, ReportOptions(report_time=WHEN, sections=("reading",)))
    )
    assert "left/right limb swap repair off (the labels are the model's)" in text


def test_implausible_values_left_out_are_counted_with_the_exclusions():
    ex = dict(measured=10, not_found=2, off_view=0, low_confidence=3, out_of_plane=0, bridged=0)
    row = dict(exclusions=ex, n_implausible=4, implausible_included=False)
    assert (
        tables.excluded_text(row) == "2 person not found, 3 low confidence, 4 implausible, left out"
    )
    assert (
        tables.excluded_text(dict(row, implausible_included=True))
        == "2 person not found, 3 low confidence"
    )
    only = dict(row, exclusions=dict(ex, not_found=0, low_confidence=0))
    assert tables.excluded_text(only) == "4 implausible, left out"
    assert tables.excluded_text(dict(only, n_implausible=0)) == "none"


def test_gait_section_prints_the_gait_pages_verdict_checks_and_warnings(media_dir):
    """On the shared walking clip's landmarks: the verdict, every set-up check, and
    every warning of the Gait page (the height one too: lengths are printed in body heights)."""
    from dashboard.kinematics.gait import analyze_gait
    from dashboard.report.gait_report import gait_section
    from tests.reference_data import legacy_sequence

    seq = legacy_sequence(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    result = analyze_gait(seq)
    doc = Document("A4", "gait test")
    gait_section(doc, result.to_dict(), result.cycles_table())
    pdf = doc.output()
    text = _flat(pdf)
    assert "Camera set-up: good for gait analysis." in text
    for check in result.checks:
        assert check.label in text and check.detail in text
    assert (
        "Walking forwards or backwards, clearly (met): pass 2: walked backwards, analysed "
        "apart as backward walking"
    ) in text
    shown = list(result.warnings)  # the height one too: lengths are in body heights
    assert any("swap repair" in w for w in shown)  # these landmarks: legs relabelled
    for warning in shown:
        assert text.count(" ".join(warning.split())) == 1, warning  # once, notices too
    assert "Lengths and speed in body heights" in text
    render_pages(pdf, "gait_section_trust", dpi=60)


def test_a_low_pass_that_cannot_run_is_said_not_applied(raise_analysis):
    """As the Joint angles page warns: every 4th frame of a 30 fps clip is 7.5 frames
    per second, too few for a 6 Hz low-pass."""
    sparse = replace(raise_analysis, poses=raise_analysis.poses.select(frames=slice(0, None, 4)))
    text = _flat(build_report(sparse, None, ReportOptions(report_time=WHEN, sections=("reading",))))
    assert (
        "zero-phase Butterworth low-pass at 6 Hz chosen, but NOT applied: about 7.5 "
        "analysed frames per second cannot be smoothed at 6 Hz"
    ) in text
    assert "NOT applied" not in _flat(
        build_report(raise_analysis, None, ReportOptions(report_time=WHEN, sections=("reading",)))
    )


def test_a_withheld_angle_is_not_drawn_and_a_caution_one_is_dashed(raise_analysis, monkeypatch):
    from dashboard.report import charts

    drawn = []
    real = charts.angle_chart

    def spy(time_s, series, title, *a, **k):
        drawn.append((title, [(s[0], s[3]) for s in series]))
        return real(time_s, series, title, *a, **k)

    monkeypatch.setattr(charts, "angle_chart", spy)
    options = ReportOptions(
        report_time=WHEN,
        sections=("angles",),
        space="world",
        angles=("knee_valgus", "knee_flexion"),
    )
    text = _flat(build_report(raise_analysis, None, options))
    # the 3-D knee FPPA is withheld in every view: no chart, the reason in words
    assert not [t for t, _ in drawn if "frontal" in t.lower()]
    assert "Not drawn (left, right): withheld" in text
    # the 3-D knee flexion is caution (a known bias): drawn dashed, said in the caption
    knee = [series for t, series in drawn if t.startswith("Knee flexion")]
    assert knee and {level for _, level in knee[0]} == {"caution"}
    assert "Dashed: caution." in text
