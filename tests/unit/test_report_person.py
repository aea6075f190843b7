"""One person throughout the report, and in ``gait.json``: with two people in a
recording, every section describes the person found in most frames (or the one
the reader chose), the header says which, and the command line's ``gait.json``
analyses the same person.

Known answer: the shared walking clip's reference landmarks (legacy MediaPipe) as
person slot 1, found in every frame the walker is found (307 of 401); slot 0 holds
the second half of the same walk, replayed in the first half of the frames only
(144 frames, one walking pass). Slot 0's gait differs from slot 1's (1 pass vs 2),
so the report shows whose gait it printed.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.people import main_person, people_found, person_sentence
from dashboard.report.builder import ReportOptions, build_report
from tests.pdftools import render_pages, text_of
from tests.session_data import two_people

WALK = "sports2d_demo4_gait_side"


def _flat(pdf: bytes) -> str:
    return " ".join(text_of(pdf, layout=False).split())


@pytest.fixture(scope="module")
def walk(media_dir):
    from tests.reference_data import legacy_analysis

    return legacy_analysis(media_dir / "reference" / f"{WALK}.legacy.json")


@pytest.fixture(scope="module")
def two(walk):
    return two_people(walk)


def test_main_person_is_the_one_found_in_most_frames(two):
    seq = two.poses
    assert seq.detected.sum(axis=0).tolist() == [144, 307]
    assert main_person(seq) == 1 and people_found(seq) == 2
    assert person_sentence(seq, 1) == (
        "Person 2 of 2 (the one found in most frames), found "
        "in 77 % of frames; the others are not reported."
    )
    assert person_sentence(seq, 0).startswith(
        "Person 1 of 2 (chosen for this report), found in 36 % of frames"
    )
    one = seq.select(people=[1])
    assert main_person(one) == 0 and person_sentence(one, 0) == ""
    both = int(np.flatnonzero(seq.detected.all(axis=1))[0])
    photo = seq.frame(both)  # one frame, as a photo: no share of frames
    assert main_person(photo) == 0
    assert person_sentence(photo, 0) == "Person 1 of 2; the others are not reported."
    assert person_sentence(photo, 1) == (
        "Person 2 of 2 (chosen for this report); the others are not reported."
    )
    nobody = seq.select(frames=slice(0, 0))
    assert main_person(nobody) is None


def test_every_section_describes_the_person_found_in_most_frames(two):
    """The gait section is slot 1's (2 passes), not slot 0's (1 pass), as the header says."""
    mine, other = analyze_gait(two.poses, person=1), analyze_gait(two.poses, person=0)
    assert (len(mine.passes), len(other.passes)) == (2, 1)  # the two gaits differ
    assert mine.to_dict()["person"] == 1
    pdf = build_report(two, None, ReportOptions())
    text = _flat(pdf)
    assert (
        "People found 2 people. Person 2 of 2 (the one found in most frames), found in "
        "77 % of frames; the others are not reported. Every section, gait included, "
        "describes this person."
    ) in text
    assert "2 walking passes" in text and "1 walking pass " not in text
    cadence = mine.to_dict()["parameters"]["cadence_steps_per_min"]
    assert re.search(rf"Cadence \(steps/min\) {cadence:.1f}", text), cadence
    # the ROM table is the same person's: 307 frames found, 94 not
    assert "of 401" in text and "94 person not found" in text
    # every gait value of slot 1 is known, but the stride-time variability, withheld with
    # fewer than 3 strides of each foot (issue 20): its dash is the legend's one use
    assert "Stride-time variability (CV %) –" in text
    assert text.count("not computed") == 1
    render_pages(pdf, "two_people", dpi=60)


def test_a_chosen_person_is_used_by_every_section_gait_included(two):
    text = _flat(build_report(two, None, ReportOptions(person=0)))
    assert "Person 1 of 2 (chosen for this report), found in 36 % of frames" in text
    assert "1 walking pass " in text and "2 walking passes" not in text
    assert "257 person not found" in text  # 401 - 144: slot 0's frames
    # slot 0 walks backwards: no stride, and the table's dashes say why
    assert "–: not computed: no stride could be used (see the camera set-up checks above)" in text


def test_a_gait_result_of_another_person_is_not_printed(two):
    """A caller's gait result (the command line's) of another person than the report's
    is analysed again for the report's person."""
    wrong = analyze_gait(two.poses, person=0)
    text = _flat(build_report(two, None, ReportOptions(), gait_result=wrong))
    assert "2 walking passes" in text


def test_one_person_says_no_more_than_before(walk):
    text = _flat(build_report(walk, None, ReportOptions(sections=("angles",))))
    assert "People found 1 person, found in 307 of 401 frames" in text
    assert "the others are not reported" not in text


def test_cli_gait_json_and_report_use_the_same_person(two, tmp_path):
    """``analyze``'s writers (gait.json, report.pdf) on a two-person analysis."""
    from dashboard.pipeline import RunOptions
    from dashboard.pipeline.writers import Analysed, gait_writer, report_writer

    options = RunOptions()
    item = Analysed(two)
    gait_writer(options)(item, tmp_path, "two")
    report_writer(options, options.kinematics_settings())(item, tmp_path, "two")
    doc = json.loads((tmp_path / "two.gait.json").read_text())
    assert doc["person"] == 1 and len(doc["passes"]) == 2
    text = _flat((tmp_path / "two.report.pdf").read_bytes())
    assert "Person 2 of 2" in text and "2 walking passes" in text


def test_cli_notes_name_the_walking_person_when_several(two, tmp_path):
    from dashboard.pipeline import RunOptions
    from dashboard.pipeline.writers import Analysed, kinematics_writer

    item = Analysed(two)
    kinematics_writer(RunOptions().kinematics_settings())(item, tmp_path, "two")
    assert [n.split(":")[0] for n in item.notes] == ["person 1", "person 2"]
    assert all("repetitions not counted: This looks like walking" in n for n in item.notes)
