"""The clinician PDF report, from real reference landmarks and the real recordings:
the PDF parses, every page renders, the numbers are summary.json's, user text is
printed as typed (Unicode too), and the edge cases say what they are."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics.summary import compute_kinematics, write_kinematics
from dashboard.poses import PoseSequence
from dashboard.report import tables
from dashboard.report.builder import ReportOptions, build_report, report_file_name
from dashboard.report.document import Document
from tests.pdftools import (
    LABEL,
    RAISE,
    WHEN,
    YOGA,
    page_size,
    pages_of,
    render_pages,
    text_of,
)
from tests.reference_data import first_frames

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def raise_video(media_dir) -> bytes:
    return (media_dir / "videos" / f"{RAISE}.mp4").read_bytes()


@pytest.fixture(scope="module")
def raise_report(raise_analysis, raise_video):
    earlier = first_frames(raise_analysis, 270, "raise_week1.mp4", "1" * 64)
    options = ReportOptions(
        patient_label=LABEL, notes="Pain at 90°.\n**not bold** <b>x</b>", report_time=WHEN
    )
    return build_report(raise_analysis, raise_video, options, earlier)


def test_report_parses_and_every_page_renders(raise_report):
    assert raise_report.startswith(b"%PDF-") and raise_report.rstrip().endswith(b"%%EOF")
    n = pages_of(raise_report)
    assert 3 <= n <= 10
    pngs = render_pages(raise_report, "lateral_raise", dpi=70)
    assert len(pngs) == n and all(p.stat().st_size > 5000 for p in pngs)
    assert page_size(raise_report).startswith("595.")  # A4: 595.28 x 841.89 pts
    text = text_of(raise_report)
    for heading in (
        "Movement analysis report",
        "Key frames",
        "Joint angles and range of motion",
        "Range of motion",
        "Repetitions",
        "Comparison with the earlier session",
        "Clinical notes",
        "How to read the numbers",
        "supports clinical review; it does not make a diagnosis",
    ):
        assert heading in text, heading
    assert "Report date" in text and "2026-03-14 09:30 UTC" in text


def test_rom_numbers_are_summary_json_numbers(raise_report, raise_analysis, tmp_path):
    """Every ROM row with values in the reported space is printed, with summary.json's
    numbers rounded to 0.1 deg, in the row of its angle and side."""
    kin = compute_kinematics(raise_analysis.poses)
    _, json_path = write_kinematics(kin, tmp_path, RAISE)
    summary = json.loads(json_path.read_text())
    lines = text_of(raise_report).splitlines()
    rows = [r for r in summary["range_of_motion"] if r["space"] == "image" and r["n_valid"]]
    assert len(rows) >= 6  # a front view: abduction, elbow, valgus, tilt, obliquity, ...
    for r in rows:
        numbers = [tables.fmt_deg(r[k]) for k in ("min_deg", "max_deg", "range_deg", "mean_deg")]
        pattern = re.compile(r"\s+".join(re.escape(n) + r"\*?" for n in numbers))
        side = r["side"] or "midline"
        hits = [ln for ln in lines if pattern.search(ln) and f" {side} " in ln]
        assert hits, (r["label"], side, numbers)
    abduction = next(r for r in rows if r["angle"] == "shoulder_abduction" and r["side"] == "left")
    assert 80 < abduction["range_deg"] < 110


def test_header_names_the_file_the_model_and_the_view(raise_report, raise_analysis):
    text = text_of(raise_report, layout=False)
    assert f"{RAISE}.mp4" in text
    assert raise_analysis.model["description"] in text
    assert "SHA-256 " + raise_analysis.source_sha256[:16] in text
    assert "front or back view" in text and "540 frames" in text
    assert "/home/someone" not in text  # the model's folder may name the user


def test_unicode_label_round_trips_and_notes_are_plain_text(raise_report):
    text = text_of(raise_report, layout=False)
    if shutil.which("pdffonts"):  # every font embedded (subset), none taken from the system
        fonts = (
            subprocess.run(["pdffonts", "-"], input=raise_report, capture_output=True, timeout=60)
            .stdout.decode()
            .splitlines()[2:]
        )
        assert fonts and all(" yes yes yes " in f for f in fonts), fonts
        assert any("DejaVuSans" in f for f in fonts) and any("LastResort" in f for f in fonts)
    assert LABEL in text
    assert "**not bold** <b>x</b>" in text
    assert "drawn as boxes" in text  # the CJK fallback is explained


def test_comparison_prints_the_range_changes(raise_report, raise_analysis):
    from dashboard.kinematics.compare import compare_rom
    from dashboard.kinematics.rom import rom_table

    text = text_of(raise_report)
    assert "Earlier: raise_week1.mp4" in " ".join(text.split())
    before = rom_table(
        [compute_kinematics(raise_analysis.poses.select(frames=slice(0, 270))).space("image")]
    )
    now = rom_table([compute_kinematics(raise_analysis.poses).space("image")])
    table = compare_rom(before, now)
    row = table[(table.angle == "shoulder_abduction") & (table.side == "right")].iloc[0]
    cells = [
        tables.fmt_deg(row.before_range_deg),
        tables.fmt_deg(row.after_range_deg),
        tables.fmt_signed(row.range_change_deg),
    ]
    assert re.search(r"Shoulder abduction\s+right\s+" + r"\s+".join(map(re.escape, cells)), text), (
        cells
    )


def test_nobody_found_gives_a_short_report_that_says_so():
    seq = PoseSequence.empty(30, 1, (640, 480), time_s=np.arange(30) / 30.0)
    analysis = Analysis(seq, "empty_room.mp4", "2" * 64, "video", fps=30.0)
    pdf = build_report(analysis, None, ReportOptions(report_time=WHEN))
    text = text_of(pdf, layout=False)
    assert pages_of(pdf) <= 2
    assert "No person found" in text and "found nobody in this video" in text
    assert "Range of motion" not in text and "Key frames" not in text
    render_pages(pdf, "nobody_found", dpi=50)


def test_reopened_session_says_there_are_no_pictures(raise_analysis):
    options = ReportOptions(sections=("keyframes", "angles"), paper="Letter", report_time=WHEN)
    pdf = build_report(raise_analysis, None, options)
    text = " ".join(text_of(pdf, layout=False).split())
    assert "reopened from a session file" in text
    assert "Repetitions" not in text and "How to read the numbers" not in text
    assert page_size(pdf).startswith("612 x 792")  # Letter


def test_photo_report(media_dir):
    from tests.reference_data import legacy_analysis

    analysis = legacy_analysis(media_dir / "reference" / f"{YOGA}.legacy.json")
    photo = (media_dir / "images" / f"{YOGA}.jpg").read_bytes()
    pdf = build_report(analysis, photo, ReportOptions(report_time=WHEN, space="world"))
    text = text_of(pdf)
    assert "Angles in this photo" in text and "Repetitions" not in text
    kin = compute_kinematics(analysis.poses)
    for r in tables.rom_rows(
        __import__("dashboard.kinematics.summary", fromlist=["x"]).summary_dict(kin)[
            "range_of_motion"
        ],
        kin.space("world"),
        0,
    ):
        if r["n_valid"]:
            assert tables.fmt_deg(r["min_deg"]) in text
    render_pages(pdf, "photo", dpi=60)
    assert report_file_name(analysis) == f"{YOGA}.report.pdf"


def test_faces_are_blurred_in_key_frames(raise_analysis, raise_video):
    from dashboard.media import video
    from dashboard.outputs.export_video import face_ellipses
    from dashboard.report.keyframes import annotate

    rgb = video.read_frame(raise_video, 100, 720)
    seq = raise_analysis.poses
    blurred = annotate(rgb, seq, 100, blur_faces=True).astype(float)
    sharp = annotate(rgb, seq, 100, blur_faces=False).astype(float)
    cx, cy, hw, hh = face_ellipses(seq, 100, rgb.shape[1], rgb.shape[0])[0]
    box = (slice(int(cy - hh / 2), int(cy + hh / 2)), slice(int(cx - hw / 2), int(cx + hw / 2)))
    assert np.abs(blurred[box] - sharp[box]).mean() > 5  # the face is changed
    assert np.array_equal(blurred[int(cy + 3 * hh) :], sharp[int(cy + 3 * hh) :])  # nothing else


def test_gait_section_from_plain_data():
    gait = {
        "schema": "posedash.gait/1",
        "passes": [
            {"start_s": 0.3, "end_s": 6.1, "direction": "left_to_right"},
            {"start_s": 7.0, "end_s": 12.9, "direction": "right_to_left"},
        ],
        "events": [
            {"side": s, "event": e, "frame": i, "time_s": i / 30, "confidence": 0.9}
            for i, (s, e) in enumerate(
                [("left", "initial_contact"), ("right", "initial_contact"), ("left", "toe_off")] * 4
            )
        ],
        "parameters": {
            "cadence_steps_per_min": 108.4,
            "double_support_pct": 22.5,
            "step_time_symmetry_pct": -3.2,
            "left": {
                "step_time_s": 0.52,  # the left's step shorter: a negative index
                "stride_time_s": 1.11,
                "stance_pct": 61.2,
                "swing_pct": 38.8,
                "n_strides": 6,
            },
            "right": {
                "step_time_s": {"mean": 0.54, "sd": 0.02, "n": 6},
                "stride_time_s": 1.12,
                "stance_pct": 60.1,
                "swing_pct": 39.9,
                "n_strides": 5,
            },
        },
    }
    pct = np.linspace(0, 100, 51)
    cycles = pd.DataFrame(
        [
            dict(
                side=side,
                angle=angle,
                cycle_pct=p,
                mean_deg=30 * np.sin(p / 100 * 2 * np.pi) + k,
                sd_deg=3.0,
                n_cycles=5,
            )
            for k, angle in enumerate(("hip_flexion", "knee_flexion", "ankle_dorsiflexion"))
            for side in ("left", "right")
            for p in pct
        ]
    )
    from dashboard.report.gait_report import gait_section

    doc = Document("A4", "gait test")
    earlier = json.loads(json.dumps(gait))
    earlier["parameters"]["cadence_steps_per_min"] = 100.0
    gait_section(doc, gait, cycles, earlier)
    pdf = doc.output()
    text = text_of(pdf)
    assert "2 walking passes (left to right, right to left)" in " ".join(text.split())
    assert "initial contacts found: 4 left, 4 right" in " ".join(text.split())
    for value in ("108.4", "22.5", "-3.2", "0.52", "0.54", "61.2", "39.9", "+8.4"):
        assert value in text, value
    render_pages(pdf, "gait_section", dpi=60)


def test_gait_section_says_a_backward_pass_is_apart(media_dir):
    """The shared walking clip's second pass is walked backwards: the report lists
    it as such and prints the same notice as the Gait page."""
    from dashboard.kinematics.gait import analyze_gait
    from dashboard.report.gait_report import gait_section
    from tests.reference_data import legacy_sequence

    result = analyze_gait(
        legacy_sequence(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    )
    doc = Document("A4", "gait test")
    gait_section(doc, result.to_dict(), result.cycles_table())
    pdf = doc.output()
    text = " ".join(text_of(pdf).split())
    assert (
        "2 walking passes (right to left, left to right: walked backwards, analysed apart "
        "(not in this table))" in text
    )
    assert (
        "In pass 2 the person walks backwards (facing left while moving right). It is "
        "analysed as backward walking (a contact is the toes landing behind) and reported "
        "apart: its figures are not mixed with forward walking."
    ) in text
    render_pages(pdf, "gait_section_backward", dpi=80)


def test_exclusions_account_for_every_frame(raise_analysis):
    kin = compute_kinematics(raise_analysis.poses)
    for space in ("image", "world"):
        aset = kin.space(space)
        for i in range(len(aset.defs)):
            ex = tables.exclusions(aset, 0, i)
            total = (
                ex["measured"]
                + ex["not_found"]
                + ex["off_view"]
                + ex["low_confidence"]
                + ex["out_of_plane"]
            )
            assert total == aset.raw_deg.shape[0]
    knee = kin.space("image").index("knee_flexion", "left")
    assert tables.exclusions(kin.space("image"), 0, knee)["off_view"] == 540


def test_formatting_rules():
    assert tables.fmt_deg(-0.04) == "0.0" and tables.fmt_deg(None) == "–"
    assert tables.fmt_deg(12.25) == f"{12.25:.1f}" and tables.fmt_deg(float("nan")) == "–"
    assert tables.fmt_signed(3.0, 0) == "+3" and tables.fmt_signed(-0.01) == "0.0"
    assert tables.fmt_signed(-0.26) == "-0.3" and tables.fmt_signed(0.0, 2) == "0.00"


def test_options_are_checked():
    with pytest.raises(ValueError):
        ReportOptions(sections=("everything",))
    with pytest.raises(ValueError):
        ReportOptions(paper="A3")
    assert replace(ReportOptions(), paper="Letter").paper == "Letter"


def test_read_frames_matches_read_frame(raise_video):
    from dashboard.media import video

    wanted = [3, 160, 161, 400, 539, 10_000]
    frames = video.read_frames(raise_video, wanted, 360)
    assert sorted(frames) == [3, 160, 161, 400, 539]  # frame 10000 is not in the video
    for i in (3, 161, 539):
        assert np.array_equal(frames[i], video.read_frame(raise_video, i, 360))


def test_builder_uses_the_gait_module_when_the_video_is_walking(monkeypatch, raise_analysis):
    """The gait module is built concurrently (issue 13): the builder's use of its
    contract (looks_like_walking, analyze_gait, GaitResult.to_dict/cycles_table)."""
    from types import SimpleNamespace

    from dashboard.report import builder

    doc = {
        "schema": "posedash.gait/1",
        "passes": [{"direction": "left_to_right"}],
        "events": [],
        "parameters": {"cadence_steps_per_min": 104.7, "left": {"stance_pct": 62.5}, "right": {}},
    }
    result = SimpleNamespace(
        to_dict=lambda: doc,
        cycles_table=lambda: pd.DataFrame(
            columns=["side", "angle", "cycle_pct", "mean_deg", "sd_deg", "n_cycles"]
        ),
    )
    # the person: the one the report describes (slot 0, the only one here)
    fake = SimpleNamespace(
        looks_like_walking=lambda seq, person: person == 0,
        GaitSettings=lambda height_m=None: ("settings", height_m),
        analyze_gait=lambda seq, settings, person: result,
    )
    monkeypatch.setattr(builder, "gait", fake)
    pdf = build_report(raise_analysis, None, ReportOptions(report_time=WHEN))
    text = text_of(pdf)
    assert "Gait" in text and "104.7" in text and "62.5" in text
    assert "Repetitions" not in text  # strides, not repetitions, for walking
    fake.looks_like_walking = lambda seq, person: False
    assert "104.7" not in text_of(build_report(raise_analysis, None, ReportOptions()))
