"""The filed report lists each correction made by hand (dashboard/report/corrections.py), with
known answers: a sit-to-stand with its 5th full stand moved one frame and a seat-on deleted;
a walk with a contact moved, a toe off deleted and a contact added; walking towards the
camera with a contact deleted; nothing when no event was corrected. Pages rendered with
pdftoppm into test-artifacts/report/ to look at."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions, run_test
from dashboard.functional.edited import score_edited
from dashboard.functional.events_file import TestHandEvent, hand_events_of
from dashboard.kinematics.gait import analyze_gait
from dashboard.kinematics.gait.edited import analyze_edited
from dashboard.kinematics.gait.events_file import HandEvent, hand_events_of as gait_hand
from dashboard.kinematics.gait.frontal_edited import with_frontal_edits
from dashboard.report.builder import ReportOptions, build_report
from dashboard.report.document import Document
from dashboard.report.gait_report import gait_section
from tests.functional_person import sts_script
from tests.gait_frontal_walker import frontal_walker
from tests.gait_walker import walker
from tests.pdftools import render_pages, require_poppler, text_of

FPS = 30.0


@pytest.fixture(autouse=True)
def _poppler():
    require_poppler()


def _words(pdf: bytes) -> str:
    return " ".join(text_of(pdf, layout=False).split())


def test_the_test_report_lists_a_one_frame_move_and_a_deletion():
    seq = sts_script().sequence()
    auto = run_test(seq, TestOptions("sts5"))
    hand = list(hand_events_of(auto.events))
    fifth = next(e for e in auto.events if e.event == "full_stand_5")
    gone = next(e for e in auto.events if e.event == "seat_on_2")
    k = next(i for i, h in enumerate(hand) if h.frame == fifth.frame)
    hand[k] = TestHandEvent("full_stand", fifth.time_s + 1 / FPS)
    hand = [h for h in hand if h.frame != gone.frame or h.event != "seat_on"]
    doc = score_edited(seq, TestOptions("sts5"), hand, automatic=auto).to_dict()
    analysis = Analysis(seq, "sts.mp4", "ef" * 32, "video", fps=FPS)
    pdf = build_report(analysis, None, ReportOptions(), gait_result=None, test_result=doc)
    text = _words(pdf)
    n = len(hand_events_of(auto.events))
    assert f"2 of {n} events corrected by hand." in text
    assert (
        f"full stand 5 moved {fifth.time_s:.2f} s (frame {fifth.frame}) "
        f"{fifth.time_s + 1 / FPS:.2f} s (frame {fifth.frame + 1})"
    ) in text
    assert f"seat-on 2 deleted by hand {gone.time_s:.2f} s (frame {gone.frame}) –" in text
    render_pages(pdf, "corrections_test", dpi=60)


def test_the_gait_report_lists_side_and_frontal_corrections():
    seq, _ = walker(fps=FPS, directions=(1, -1), strides=6.0)
    auto = analyze_gait(seq)
    steady = [e for e in auto.events if e.steady and e.pass_index == 0]
    ic = next(e for e in steady if (e.side, e.event) == ("right", "initial_contact"))
    to = next(e for e in steady if (e.side, e.event) == ("left", "toe_off") and e.index > ic.index)
    t, f = seq.time_s, seq.frame_index
    hand = [h for h in gait_hand(auto.events) if h.frame not in (ic.frame, to.frame)]
    hand.append(HandEvent("right", "initial_contact", float(t[ic.index + 3])))
    doc = Document("A4", "gait corrections")
    gait_section(doc, analyze_edited(seq, hand).to_dict())
    text = _words(doc.output())
    assert "Gait events corrected by hand" in text
    assert f"2 of {len(auto.events)} events corrected by hand." in text
    assert (
        f"right initial contact moved {ic.time_s:.2f} s (frame {ic.frame}) "
        f"{float(t[ic.index + 3]):.2f} s (frame {int(f[ic.index + 3])})"
    ) in text
    assert f"left toe off deleted by hand {to.time_s:.2f} s (frame {to.frame}) –" in text

    fseq, _ = frontal_walker(towards=True)
    fauto = analyze_gait(fseq)
    contacts = fauto.frontal.contacts
    given = [HandEvent(c.side, c.event, c.time_s, c.frame) for c in contacts[:-1]]
    frontal = with_frontal_edits(fauto, given, fseq).to_dict()
    doc = Document("A4", "frontal corrections")
    gait_section(doc, frontal)
    pdf = doc.output()
    text = _words(pdf)
    assert "Contacts corrected by hand (walking towards or away from the camera)" in text
    assert f"1 of {len(contacts)} events corrected by hand." in text
    last = contacts[-1]
    put = "foot put down" if last.event == "initial_contact" else "foot lifted"
    assert f"{last.side} {put} deleted by hand {last.time_s:.2f} s (frame {last.frame})" in text
    render_pages(pdf, "corrections_frontal", dpi=60)


def test_nothing_is_listed_without_corrections():
    seq, _ = walker(fps=FPS, directions=(1, -1), strides=6.0)
    auto = analyze_gait(seq)
    for result in (auto, analyze_edited(seq, gait_hand(auto.events))):
        doc = Document("A4", "no corrections")
        gait_section(doc, result.to_dict())
        assert "corrected by hand" not in _words(doc.output()).replace(
            "Events corrected by hand (0", ""
        )
    sts = sts_script().sequence()
    pdf = build_report(
        Analysis(sts, "sts.mp4", "ef" * 32, "video", fps=FPS),
        None,
        ReportOptions(),
        gait_result=None,
        test_result=run_test(sts, TestOptions("sts5")).to_dict(),
    )
    assert "corrected by hand" not in _words(pdf)
