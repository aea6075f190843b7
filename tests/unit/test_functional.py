"""Functional tests (dashboard.functional) on synthetic people with known event times
(tests/functional_person.py) and the synthetic walker (tests/gait_walker.py)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from dashboard.functional import SCHEMA, TestOptions, TestRefused, run_test
from tests.functional_person import Script, sls_script, sts_script, tug_script

TOL = 0.25  # s: the synthetic events are smooth ramps; the detectors fire on thresholds


def _times(doc: dict) -> dict:
    return {e["event"]: e["time_s"] for e in doc["events"]}


def test_sts5_counts_five_stands_and_times_them():
    script = sts_script()
    doc = run_test(script.sequence(), TestOptions("sts5")).to_dict()
    truth, found = script.events, _times(doc)
    assert doc["schema"] == SCHEMA and doc["test"] == "sts5"
    assert doc["result"]["stands"] == 5
    assert doc["start"]["method"] == "first_movement"
    assert abs(doc["start"]["time_s"] - truth["start"]) <= 0.1
    for k in range(1, 6):
        for name in ("seat_off", "full_stand", "seat_on"):
            key = f"{name}_{k}"
            assert abs(found[key] - truth[key]) <= TOL, key
    to_sit = truth["seat_on_5"] - truth["start"]
    to_stand = truth["full_stand_5"] - truth["start"]
    assert abs(doc["result"]["time_to_fifth_sit_s"] - to_sit) <= 0.25
    assert abs(doc["result"]["time_to_fifth_stand_s"] - to_stand) <= 0.25
    assert doc["result"]["total_s"] == doc["result"]["time_to_fifth_sit_s"]
    assert all(0 <= e["confidence"] <= 1 for e in doc["events"])
    json.dumps(doc, allow_nan=False)


def test_sts5_total_protocol_choice_and_given_start():
    seq = sts_script().sequence()
    stand = run_test(seq, TestOptions("sts5", sts_total="fifth_stand")).to_dict()
    assert stand["result"]["total_s"] == stand["result"]["time_to_fifth_stand_s"]
    given = run_test(seq, TestOptions("sts5", start_s=0.5)).to_dict()
    assert given["start"] == {"method": "given", "time_s": 0.5, "frame": 15}
    first = run_test(seq, TestOptions("sts5")).to_dict()
    shift = first["start"]["time_s"] - 0.5
    assert given["result"]["total_s"] == pytest.approx(first["result"]["total_s"] + shift, abs=1e-3)


def test_sts5_with_four_stands_gives_no_time():
    doc = run_test(sts_script(reps=4).sequence(), TestOptions("sts5")).to_dict()
    assert doc["result"]["stands"] == 4
    assert doc["result"]["total_s"] is None
    assert "needs five" in doc["withheld"]["total_s"]


def test_stillness_before_the_first_movement_is_not_timed():
    late = sts_script(still_s=4.0)
    doc = run_test(late.sequence(), TestOptions("sts5")).to_dict()
    assert abs(doc["start"]["time_s"] - 4.0) <= 0.1
    early = run_test(sts_script(still_s=1.0).sequence(), TestOptions("sts5")).to_dict()
    assert doc["result"]["total_s"] == pytest.approx(early["result"]["total_s"], abs=0.05)


def test_other_frame_rate_same_result():
    a = run_test(sts_script(fps=30).sequence(), TestOptions("sts5")).to_dict()
    b = run_test(sts_script(fps=60).sequence(), TestOptions("sts5")).to_dict()
    assert b["result"]["stands"] == 5
    assert b["result"]["total_s"] == pytest.approx(a["result"]["total_s"], abs=0.1)


def test_mirror_image_same_result():
    seq = sts_script().sequence()
    w = seq.image_size[0]
    xy = seq.image_xy.copy()
    xy[..., 0] = w - xy[..., 0]
    mirrored = dataclasses.replace(seq, image_xy=xy)
    a = run_test(seq, TestOptions("sts5")).to_dict()
    b = run_test(mirrored, TestOptions("sts5")).to_dict()
    assert b["result"] == a["result"]


def test_chair30_counts_within_30_s_and_never_extrapolates():
    long = sts_script(reps=16)  # a stand every 2.5 s from 1.0 s
    doc = run_test(long.sequence(), TestOptions("chair30")).to_dict()
    in_time = [k for k in range(1, 17) if long.events[f"full_stand_{k}"] <= 31.0]
    assert doc["result"]["stands"] == len(in_time) == 12
    assert "end_30s" in _times(doc)
    short = sts_script(reps=6)
    doc = run_test(short.sequence(), TestOptions("chair30")).to_dict()
    assert doc["result"]["stands"] is None
    assert doc["result"]["stands_seen"] == 6
    assert "never extrapolated" in doc["withheld"]["stands"]


def test_chair30_counts_a_stand_more_than_halfway_up_at_30_s():
    s = Script(30.0)
    s.hold(1.0)
    s.sts(n=11, stand_s=0.3, sit_s=0.4)  # 11 stands, the last seat-on at 28.5 s
    s.hold(30.45 - s.t)  # seated, then a rise beginning at 30.75 s: 60 % up at 31.0 s
    s.go(0.3, lean=35.0)
    s.go(0.6, theta=90.0, lean=0.0)
    s.hold(1.0)
    doc = run_test(s.sequence(), TestOptions("chair30", start_s=1.0)).to_dict()
    assert doc["result"]["stands_seen"] == 11
    assert doc["result"]["stands"] == 12
    assert any("halfway" in w for w in doc["warnings"])


def test_tug_total_and_phases():
    script = tug_script()
    doc = run_test(script.sequence(), TestOptions("tug")).to_dict()
    truth, found = script.events, _times(doc)
    assert abs(doc["result"]["total_s"] - (truth["seated"] - truth["start"])) <= 0.25
    for key in ("seat_off", "standing", "seated"):
        assert abs(found[key] - truth[key]) <= TOL, key
    for key in ("turn_start", "turn_end", "sit_turn_start"):
        assert abs(found[key] - truth[key]) <= 0.4, key
    phases = {p["phase"]: p for p in doc["phases"]}
    assert set(phases) == {"sit_to_stand", "walk_out", "turn", "walk_back", "turn_and_sit"}
    assert all(p["seen"] for p in phases.values())
    total = sum(p["duration_s"] for p in phases.values())
    assert total == pytest.approx(doc["result"]["total_s"], abs=0.01)


def test_tug_turn_out_of_view_is_not_seen():
    script = tug_script()
    fps = script.fps
    a, b = int(script.events["turn_start"] * fps), int(script.events["turn_end"] * fps)
    doc = run_test(script.sequence(missing=(a, b)), TestOptions("tug")).to_dict()
    assert doc["result"]["total_s"] == pytest.approx(
        script.events["seated"] - script.events["start"], abs=0.25
    )
    phases = {p["phase"]: p for p in doc["phases"]}
    assert not phases["turn"]["seen"] and phases["turn"]["duration_s"] is None
    assert phases["sit_to_stand"]["seen"]
    assert doc["withheld"]["turn_s"] == "not seen"
    assert any("not seen" in w for w in doc["warnings"])


def test_sls_per_side_and_censored_trial():
    script = sls_script()
    doc = run_test(script.sequence(), TestOptions("sls")).to_dict()
    ev = script.events
    left = ev["down_left_stance"] - ev["lift_left_stance"]
    right = ev["down_right_stance"] - ev["lift_right_stance"]
    assert doc["result"]["left_s"] == pytest.approx(left, abs=TOL)
    assert doc["result"]["right_s"] == pytest.approx(right, abs=TOL)
    cut = run_test(sls_script(end_s=0).sequence(), TestOptions("sls")).to_dict()
    assert cut["result"]["right_at_least"] is True
    assert any("at least" in w for w in cut["warnings"])


def _walker(directions=(1,), facing=(), still_s=1.0):
    from tests.gait_walker import walker

    seq, truth = walker(directions=directions, facing=facing, pause_s=1.0)
    n = int(still_s * 30)
    if n:  # standing still before walking: the first movement

        def pad(a):
            return np.concatenate([np.repeat(a[:1], n, axis=0), a])

        seq = dataclasses.replace(
            seq,
            image_xy=pad(seq.image_xy),
            z=pad(seq.z),
            visibility=pad(seq.visibility),
            presence=pad(seq.presence),
            world_m=pad(seq.world_m),
            time_s=np.arange(len(seq.time_s) + n) / 30.0,
            frame_index=np.arange(len(seq.time_s) + n),
            swapped=None,
        )
    return seq, [(s, e, t + still_s, p) for s, e, t, p in truth]


def test_walk10_speed_over_the_timed_zone():
    seq, _truth = _walker()
    # the walker's pelvis moves at 0.75 x 600 = 450 px/s from x = 360
    marks = (700.0, 2050.0)
    doc = run_test(seq, TestOptions("walk10", distance_m=6.0, marks_px=marks)).to_dict()
    duration = (marks[1] - marks[0]) / 450.0
    assert doc["result"]["time_s"] == pytest.approx(duration, abs=0.05)
    assert doc["result"]["speed_m_s"] == pytest.approx(6.0 / duration, rel=0.03)
    assert doc["result"]["steps"] >= 4
    cadence = 2 / 1.1 * 60  # two steps per 1.1 s stride
    assert doc["result"]["cadence_steps_per_min"] == pytest.approx(cadence, rel=0.1)
    with pytest.raises(TestRefused, match="distance"):
        run_test(seq, TestOptions("walk10"))


def test_backward3_needs_backward_walking():
    seq, _ = _walker(facing=(-1,))
    doc = run_test(seq, TestOptions("backward3")).to_dict()
    assert doc["result"]["steps"] >= 5
    assert doc["result"]["distance_m"] == 3.0
    assert abs(doc["start"]["time_s"] - 1.0) <= 0.25  # the walker starts at full speed
    fwd, _ = _walker()
    with pytest.raises(TestRefused, match="backward"):
        run_test(fwd, TestOptions("backward3"))


@pytest.mark.parametrize(
    "opts, words",
    [
        (TestOptions("sts5", age=0), "not plausible"),
        (TestOptions("sts5", age=200), "not plausible"),
        (TestOptions("sts5", age="70"), "whole number"),
        (TestOptions("sts5", sex="x"), "'f' or 'm'"),
        (TestOptions("walk10", distance_m=-3.0), "distance"),
        (TestOptions("walk10", distance_m=float("nan")), "distance"),
        (TestOptions("nope"), "Unknown test"),
        (TestOptions("sts5", start_s=-1.0), "start"),
    ],
)
def test_hostile_options_refused(opts, words):
    with pytest.raises(TestRefused, match=words):
        run_test(sts_script().sequence(), opts)


def test_setup_refusals():
    seq = sts_script().sequence()
    with pytest.raises(TestRefused, match="photo"):
        run_test(seq.select(frames=slice(0, 1)), TestOptions("sts5"))
    slow = dataclasses.replace(seq, time_s=seq.time_s * 6)  # 5 fps
    with pytest.raises(TestRefused, match="frames per second"):
        run_test(slow, TestOptions("sts5"))
    nobody = dataclasses.replace(seq, image_xy=np.full_like(seq.image_xy, np.nan))
    with pytest.raises(TestRefused, match="No one"):
        run_test(nobody, TestOptions("sts5"))
    cut = seq.image_xy.copy()
    cut[..., 1] += 300  # the feet below the picture
    with pytest.raises(TestRefused, match="feet"):
        run_test(dataclasses.replace(seq, image_xy=cut), TestOptions("sts5"))
    front = tug_script().sequence(view="front")
    with pytest.raises(TestRefused, match="side"):
        run_test(front, TestOptions("tug"))


def test_no_stands_gives_a_reason_not_a_number():
    s = Script(30.0)
    s.hold(5.0)
    doc = run_test(s.sequence(), TestOptions("sts5")).to_dict()
    assert doc["result"]["stands"] == 0
    assert "No sit-to-stand" in doc["withheld"]["stands"]
    assert doc["result"]["total_s"] is None


def test_norms_band_by_age_whole_table_without_and_cutoff():
    seq = tug_script().sequence()
    whole = run_test(seq, TestOptions("tug")).to_dict()["norms"]
    assert whole["norm"] is None and whole["table"]
    assert whole["band"].startswith("whole table")
    assert "Bohannon" in whole["source"]
    aged = run_test(seq, TestOptions("tug", age=75, sex="m")).to_dict()["norms"]
    assert aged["band"] == "adults 70–79" and aged["verdict"]
    assert aged["measure"] == "tug.total_s" and aged["field"] == "total_s"
    steadi = [c for c in aged["cutoffs"] if c["threshold"] == 12.0]
    assert steadi and steadi[0]["met"] is False  # the synthetic TUG takes about 7 s
    assert "adults 70–79" in aged["references"][0]["verdict"]


def test_report_names_the_test(tmp_path):
    from dashboard.analysis import Analysis
    from dashboard.report.builder import ReportOptions, build_report

    seq = sts_script().sequence()
    doc = run_test(seq, TestOptions("sts5", age=70)).to_dict()
    analysis = Analysis(seq, "sts.mp4", "ef" * 32, "video", fps=30.0)
    pdf = build_report(analysis, None, ReportOptions(), gait_result=None, test_result=doc)
    assert pdf.startswith(b"%PDF")


def test_a_passer_by_picked_up_for_a_moment_is_ignored():
    script = sts_script()
    seq = script.sequence()
    xy = seq.image_xy.copy()
    a = int(script.events["full_stand_2"] * 30)
    xy[a : a + 12] = xy[a : a + 12] * 0.9 + [900.0, 40.0]  # someone else, elsewhere
    doc = run_test(dataclasses.replace(seq, image_xy=xy), TestOptions("sts5")).to_dict()
    clean = run_test(seq, TestOptions("sts5")).to_dict()
    assert doc["result"]["stands"] == 5
    assert doc["result"]["total_s"] == pytest.approx(clean["result"]["total_s"], abs=0.05)


def test_batch_csv_columns_of_a_test():
    from dashboard.batch.task import headline_numbers

    doc = run_test(sts_script(reps=4).sequence(), TestOptions("sts5", age=70)).to_dict()
    out = headline_numbers({".test.json": json.dumps(doc).encode()})
    assert out["test"] == "sts5" and out["test_stands"] == 4.0
    assert out["test_total_s"] == "" and "needs five" in out["test_withheld"]
    assert "test_total_ends_at" not in out  # text fields are in test.json only
    assert out["test_norm"] == ""  # no result, no verdict
    doc = run_test(sts_script().sequence(), TestOptions("sts5", age=70)).to_dict()
    out = headline_numbers({".test.json": json.dumps(doc).encode()})
    assert out["test_total_s"] == pytest.approx(doc["result"]["total_s"], abs=1e-3)
    assert "Bohannon" in out["test_norm"]


def test_tug_turn_outside_the_picture_is_not_seen_even_when_the_model_guesses():
    script = tug_script()
    seq = script.sequence()
    fps = script.fps
    a, b = int(script.events["turn_start"] * fps), int(script.events["turn_end"] * fps)
    xy = seq.image_xy.copy()
    xy[a : b + 1, ..., 0] += 1500.0  # beyond the picture's right edge (2400 px)
    xy[a : b + 1, ..., 1] += np.linspace(0, 150, 33)  # a guessed, crouching pose
    doc = run_test(dataclasses.replace(seq, image_xy=xy), TestOptions("tug")).to_dict()
    truth = script.events["seated"] - script.events["start"]
    assert doc["result"]["total_s"] == pytest.approx(truth, abs=0.25)
    assert doc["withheld"]["turn_s"] == "not seen"


def test_short_or_odd_recordings_are_refused_or_scored_never_crash():
    rng = np.random.default_rng(0)
    base = sts_script().sequence()
    xy = base.image_xy.copy()
    xy[rng.random(len(xy)) < 0.5] = np.nan
    odd = {
        "3 frames": base.select(frames=slice(0, 3)),
        "10 frames": base.select(frames=slice(0, 10)),
        "half the frames lost": dataclasses.replace(base, image_xy=xy),
        "noise": dataclasses.replace(base, image_xy=rng.uniform(0, 1000, base.image_xy.shape)),
        "invisible": dataclasses.replace(base, visibility=np.zeros_like(base.visibility)),
    }
    for name, seq in odd.items():
        for test in ("sts5", "chair30", "tug", "walk10", "backward3", "sls"):
            try:
                json.dumps(run_test(seq, TestOptions(test, distance_m=6.0)).to_dict())
            except TestRefused as exc:
                assert str(exc).strip() and "\n" not in str(exc), (name, test)
    with pytest.raises(TestRefused, match="too short"):
        run_test(base.select(frames=slice(0, 10)), TestOptions("sts5"))
