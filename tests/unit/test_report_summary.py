"""The report's first page and its parts on synthetic data with known answers: the
headline rows (gait and range of motion, normal values, change against the MDC),
the movement guess, distinct key moments, and hostile text in the clinician,
clinic and reason fields."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import numpy as np
import pytest

from dashboard.analysis import Analysis
from dashboard.kinematics import movements
from dashboard.poses import PoseSequence
from dashboard.report import headline, keyframes
from dashboard.report.builder import ReportOptions, build_report
from tests.pdftools import pages_of, text_of

WHEN = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)


def _gait(speed=1.40, cadence=116.1, metres=True):
    overall = {
        "cadence_steps_per_min": {"mean": cadence, "sd": 2.0, "n": 6},
        "double_support_pct": {"mean": 21.5, "sd": 1.9, "n": 6},
    }
    if metres:
        overall |= {
            "speed_m_s": {"mean": speed, "sd": 0.15, "n": 6},
            "stride_length_m": {"mean": 1.45, "sd": 0.15, "n": 6},
            "step_length_m": {"mean": 0.71, "sd": 0.11, "n": 1},
        }
    else:
        overall |= {
            "speed_body_heights_s": {"mean": speed / 1.65, "sd": 0.09, "n": 6},
            "stride_length_body_heights": {"mean": 0.88, "sd": 0.09, "n": 6},
            "step_length_body_heights": {"mean": 0.43, "sd": 0.06, "n": 12},
        }
    return {"parameters": {"stats": {"overall": overall}}}


def test_gait_headlines_read_mean_sd_and_n():
    rows = {h.measure: h for h in headline.gait_headlines(_gait(), ReportOptions())}
    assert rows["Walking speed"].result == "1.40 ± 0.15 m/s (n = 6 strides)"
    assert rows["Cadence"].result == "116.1 ± 2.0 steps/min (n = 6 strides)"
    assert rows["Step length"].result == "0.71 ± 0.11 m (n = 1 step)"
    assert rows["Walking speed"].normal == "normal values need the patient's age and sex"
    assert rows["Walking speed"].earlier == ""  # no earlier session: no change columns


def test_gait_headlines_in_body_heights_without_a_scale():
    rows = {h.measure: h for h in headline.gait_headlines(_gait(metres=False), ReportOptions())}
    assert rows["Walking speed"].result == "0.85 ± 0.09 body heights/s (n = 6 strides)"
    assert rows["Stride length"].result.endswith("body heights (n = 6 strides)")
    assert rows["Walking speed"].normal == ""  # norms are in m/s: none beside body heights


def test_gait_change_against_the_mdc_with_n():
    rows = headline.gait_headlines(_gait(speed=1.40), ReportOptions(), earlier=_gait(speed=1.10))
    speed = next(h for h in rows if h.measure == "Walking speed")
    assert speed.earlier == "1.10 (n = 6)" and speed.change == "+0.30"
    assert speed.beyond_mdc == "yes (MDC 0.19)"
    small = headline.gait_headlines(_gait(speed=1.20), ReportOptions(), earlier=_gait(speed=1.10))
    assert next(h for h in small if h.measure == "Walking speed").beyond_mdc == "no (MDC 0.19)"
    cadence = next(h for h in rows if h.measure == "Cadence")
    assert cadence.beyond_mdc == "no MDC"  # none shipped: said, not guessed


def test_rom_verdicts_withhold_what_was_not_measured():
    assert headline.verdict({"n_valid": 0, "exclusions": _ex(65)}) == (
        "withheld",
        "not measured (65 not in the view)",
    )
    assert headline.verdict({"n_valid": 4, "exclusions": _ex(0)})[0] == "withheld"
    assert headline.verdict({"n_valid": 50, "exclusions": _ex(0)}) == ("valid", "")
    # the trust engineer's verdict, when a row carries one, wins
    row = {"n_valid": 50, "validity": "caution", "validity_reasons": ["3D estimate", "few"]}
    assert headline.verdict(row) == ("caution", "3D estimate; few")


def _ex(off_view):
    return dict(
        measured=0, not_found=0, off_view=off_view, low_confidence=0, out_of_plane=0, bridged=0
    )


def _aset(ranges: dict[str, float]):
    t = np.arange(100) / 10.0
    defs, cols = [], []
    for key, amp in ranges.items():
        defs.append(SimpleNamespace(key=key, side="left"))
        cols.append(amp / 2 * np.sin(t))
    value = np.stack(cols, axis=-1)[:, None, :]
    return SimpleNamespace(defs=defs, value_deg=value)


def test_movement_guess():
    squat = _aset({"knee_flexion": 90, "hip_flexion": 100, "shoulder_abduction": 10})
    assert movements.guess_movement(squat, 0, walking=False) == "squat"
    raise_ = _aset({"knee_flexion": 5, "hip_flexion": 5, "shoulder_abduction": 90})
    assert movements.guess_movement(raise_, 0, walking=False) == "shoulder_abduction"
    assert movements.guess_movement(raise_, 0, walking=True) == "walking"
    still = _aset({"knee_flexion": 5, "shoulder_flexion": 8})
    assert movements.guess_movement(still, 0, walking=False) == "other"
    assert movements.guess_movement(still, 0, walking=False, is_photo=True) == "other"
    assert movements.movement_keys("squat")[:3] == ("knee_flexion", "hip_flexion", "knee_valgus")
    with pytest.raises(ValueError, match="unknown movement"):
        ReportOptions(movement="juggling")


def _frames(n=300):
    return SimpleNamespace(frame_index=np.arange(n), time_s=np.arange(n) / 30.0)


def test_gait_key_moments_come_from_analysed_strides_only():
    events = [
        {"side": "right", "event": "initial_contact", "frame": 73, "time_s": 73 / 30},
        {"side": "right", "event": "toe_off", "frame": 92, "time_s": 92 / 30},
        {"side": "left", "event": "initial_contact", "frame": 88, "time_s": 88 / 30},
        {"side": "left", "event": "toe_off", "frame": 106, "time_s": 106 / 30},
        {"side": "left", "event": "initial_contact", "frame": 220, "time_s": 220 / 30},
        {"side": "left", "event": "toe_off", "frame": 240, "time_s": 240 / 30},
    ]
    cycles = [
        dict(side="right", pass_index=0, start_s=73 / 30, toe_off_s=92 / 30, kept=True),
        dict(side="left", pass_index=0, start_s=88 / 30, toe_off_s=106 / 30, kept=True),
        dict(side="left", pass_index=0, start_s=106 / 30, toe_off_s=None, kept=False),
        dict(side="left", pass_index=1, start_s=220 / 30, toe_off_s=240 / 30, kept=True),
    ]
    passes = [{"analysed": True}, {"analysed": False}]
    found = keyframes.gait_moments(dict(events=events, cycles=cycles, passes=passes), _frames())
    assert [m.frame for m in found] == [73, 88, 92, 106]  # never pass 2 (left out)
    assert found[0].reasons == ("right initial contact",)
    assert len({m.frame for m in found}) == len(found)  # distinct moments


def test_repetition_key_moments_are_each_repetitions_start_and_peak():
    reps = [
        dict(
            number=i + 1,
            complete=i < 2,
            start_frame=10 + 60 * i,
            peak_frame=40 + 60 * i,
            peak_deg=95.0,
        )
        for i in range(3)
    ]
    series = [dict(angle="knee_flexion", side="left", repetitions=reps)]
    found = keyframes.repetition_moments(series, _frames())
    assert [m.frame for m in found] == [10, 40, 70, 100]  # the incomplete third is left out
    assert found[1].reasons == ("repetition 1 peak, Knee flexion (left) 95.0°",)


HOSTILE = {
    "clinician": '=HYPERLINK("http://evil.example","Dr")\x00\x07',
    "clinic": "<b>Clinic</b> **bold** \u202egnp.exe\u202c [x](http://t.example/p.png)",
    "reason": "Pain\r\non stairs\t" + "x" * 5000,
}


def test_hostile_fields_are_printed_as_plain_text():
    seq = PoseSequence.empty(30, 1, (640, 480), time_s=np.arange(30) / 30.0)
    analysis = Analysis(seq, "clip.mp4", "2" * 64, "video", fps=30.0)
    pdf = build_report(analysis, None, ReportOptions(report_time=WHEN, **HOSTILE))
    text = " ".join(text_of(pdf, layout=False).split())
    assert '=HYPERLINK("http://evil.example","Dr")' in text  # shown as typed: a PDF runs no formula
    assert "<b>Clinic</b> **bold**" in text and "gnp.exe" in text
    assert "\u202e" not in text and "\x07" not in text and "\x00" not in text
    assert "Pain on stairs" in text and "x" * 5000 not in text  # cut to 600 characters
    assert "…" in text and pages_of(pdf) <= 2


def test_a_functional_test_is_named_on_the_first_page():
    from dashboard.report import builder

    test_doc = {
        "title": "Five-times sit-to-stand",
        "headline": "Five-times sit-to-stand: 8.90 s",
        "norms": {
            "references": [
                {
                    "verdict": "within the norm",
                    "band": "60-69 years",
                    "citation": "Bohannon RW. Reference values. 2006.",
                }
            ]
        },
    }
    name, lines = builder._test_lines(test_doc)
    assert name == "Five-times sit-to-stand"
    assert lines == ["Five-times sit-to-stand: 8.90 s (within the norm; 60-69 years; Bohannon RW)"]
    assert builder._test_lines(None) == (None, [])
