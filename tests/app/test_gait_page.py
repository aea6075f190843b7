"""The Gait page through Streamlit's AppTest, on analyses built from the shared
reference landmarks (MediaPipe's own output for the real clips; no model run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.reference_data import legacy_analysis

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120
PAGE = "pages/9_Gait.py"
GAIT = "sports2d_demo4_gait_side"
BACKWARD = (
    "In pass 2 the person walks backwards (facing left while moving right). It is "
    "analysed as backward walking (a contact is the toes landing behind) and reported "
    "apart: its figures are not mixed with forward walking."
)


@pytest.fixture(scope="module")
def walk(media_dir):
    return (
        legacy_analysis(media_dir / "reference" / f"{GAIT}.legacy.json"),
        (media_dir / "videos" / f"{GAIT}.mp4").read_bytes(),
    )


def _open(analysis=None, source=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if analysis is not None:
        at.session_state["posedash_current_analysis"] = analysis
        at.session_state["posedash_current_source"] = source
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _text(elements) -> str:
    return " ".join(e.value for e in elements)


def test_without_an_analysis_it_says_where_to_start():
    at = _open()
    assert "walking across the picture, filmed from the side" in _text(at.info)
    assert not _charts(at)


def test_a_photo_is_not_for_gait(media_dir):
    at = _open(legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json"))
    assert "needs a video" in _text(at.info)


def test_walking_video_verdict_events_parameters_curves(walk):
    analysis, data = walk
    at = _open(analysis, data)
    assert not at.error, [e.value for e in at.error]
    # she walks back facing the way she came: pass 2 is analysed apart, and the page
    # says so
    assert "good for gait analysis" in _text(at.success)
    assert BACKWARD in [w.value for w in at.warning]
    assert BACKWARD not in _captions(at)  # said once, as a notice
    checks = _text(at.markdown)
    for label in (
        "Side view",
        "Whole body in the picture",
        "At least two strides per pass",
        "30 frames per second",
    ):
        assert label in checks
    assert (
        "Walking forwards or backwards, clearly**: pass 2: walked backwards, analysed "
        "apart as backward walking." in checks
    )
    timeline, curves = _charts(at)
    names = {t.get("name") for t in timeline["data"]}
    assert {
        "left initial contact",
        "right initial contact",
        "left toe off",
        "right toe off",
        "left initial contact (acceleration/deceleration)",
        "left foot off (heel leaves last)",
    } <= names
    assert all(len(t["customdata"][0]) == 5 for t in timeline["data"] if t.get("customdata"))
    assert [a["text"] for a in timeline["layout"]["annotations"]] == [
        "pass 1 ←",
        "pass 2 → walked backwards (apart)",
    ]
    assert "Open markers: acceleration or deceleration contacts" in _captions(at)
    notes = [a["text"] for a in curves["layout"]["annotations"]]
    assert len(notes) == 4  # hip, knee, ankle titles; the ankle withheld, with the reason
    assert notes[3].startswith("No curve: withheld: the pose model")
    tables = [d.value for d in at.dataframe]
    params = next(t for t in tables if "Parameter" in t.columns)
    assert "Cadence (steps/min)" in set(params.Parameter)
    assert "Step length (body heights)" in set(params.Parameter)
    assert "Stance (% of gait cycle)" in set(params.Parameter)
    per_pass = next(t for t in tables if "Direction" in t.columns)
    assert list(per_pass.Direction) == ["right to left", "left to right"]
    assert list(per_pass.Walking) == ["forward", "backward"]
    assert int(per_pass.Strides.iloc[0]) == 4 and int(per_pass.Strides.iloc[1]) >= 5
    assert list(per_pass.columns) == [
        "Pass",
        "Direction",
        "Walking",
        "Start (s)",
        "End (s)",
        "Strides",
        "Steps",
        "Cadence (steps/min)",
        "Stride time (s)",
        "Step time (s)",
        "Stance (% of gait cycle)",
    ]
    backward = [t for t in tables if "Parameter" in t.columns][1]  # apart, below
    assert "Cadence (steps/min)" in set(backward.Parameter)
    params_left = params.set_index("Parameter")["Left"]
    assert params_left["Stride time (s)"].endswith("(n = 2: too few strides for a spread)")
    assert params_left["Stride-time variability (CV %)"] == "–"
    assert params.set_index("Parameter")["Left"]["Walking speed (body heights/s)"] == ""
    events = next(t for t in tables if "Event" in t.columns)
    assert list(events.columns) == [
        "Side",
        "Event",
        "Time (s)",
        "Video frame",
        "Placed by hand",
        "Confidence",
        "Pass",
        "Cross-check (s)",
        "Phase",
        "Walking",
    ]
    assert set(events.Event) == {"initial contact", "toe off", "foot off (heel leaves last)"}
    assert set(events["Placed by hand"]) == {""}  # automatic events
    assert all(len(t.split(".")[1]) == 2 for t in events["Time (s)"])
    key_values = next(t for t in tables if "Key value" in t.columns)
    assert len(key_values) == 4
    ankle = key_values[key_values["Key value"].str.startswith("Peak ankle")]
    assert list(ankle.Left) == ["–"] and list(ankle.Right) == ["–"]  # withheld
    assert "Peak ankle dorsiflexion in stance (°): – (withheld: " in _captions(at)
    assert all(label.endswith("(°)") or "(°," in label for label in key_values["Key value"])
    for table in tables:  # missing values read "–", never "None" or "nan"
        cells = {str(v) for v in table.to_numpy().ravel()}
        assert not cells & {"None", "nan", "NaN", "<NA>"}, table
    page = " ".join([_text(at.markdown), _captions(at)])
    assert " deg " not in page and "% of stride" not in page
    labels = [b.label for b in at.get("download_button")]
    assert any("JSON" in x for x in labels) and any("Parameters (CSV)" in x for x in labels)
    # the frame shown follows the slider (a click on an event sets the same state)
    event = next(t for t in timeline["data"] if t.get("name") == "right toe off")
    row = int(event["customdata"][0][0])
    at.slider(key="posedash_gait_row").set_value(row).run()
    assert not at.exception
    captions = " ".join(i.caption for img in at.get("image") for i in img.proto.imgs)
    assert f"video frame {row}" in captions


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_page_says_which_stage_relabelled_the_legs(walk):
    """The reference landmarks were made without PoseDash's swap repair: the page
    says gait analysis repaired the legs, and how many frames. The same landmarks
    repaired by the detection stage: the page says that stage did, with the same
    number of frames, and gives the same cadence."""
    import dataclasses

    from dashboard.detect.swaps import repair_sequence

    analysis, data = walk
    at = _open(analysis, data)
    said = _captions(at)
    assert "gait analysis applied the same repair to the legs: 30 frame(s) relabelled" in said
    cadence = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    repaired = dataclasses.replace(analysis, poses=repair_sequence(analysis.poses))
    at = _open(repaired, data)
    said = _captions(at)
    assert (
        "swap repair, run with the pose detection (after tracking), relabelled the legs "
        "in 30 frame(s)"
    ) in said
    assert "gait analysis applied" not in said
    again = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    assert again.equals(cadence)


def test_height_gives_metres_and_is_kept_for_sessions(walk):
    analysis, data = walk
    at = _open(analysis, data)
    at.number_input(key="gait_height_m").set_value(1.65).run()
    assert not at.exception
    params = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    assert "Walking speed (m/s)" in set(params.Parameter)
    assert at.session_state["posedash_gait_settings"].height_m == 1.65


def test_not_walking_is_offered_on_request(media_dir):
    raise_ = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    at = _open(raise_)
    assert "does not look like walking" in _text(at.info)
    assert not _charts(at)
    at.button(key="gait_anyway").click().run()
    assert not at.exception
    assert "not suitable" in _text(at.error)


def test_selection_event_gives_the_row():
    from dashboard.ui.angles_video import row_of_selection

    event = {"selection": {"points": [{"customdata": [42, 42, 0.9]}]}}
    assert row_of_selection(event) == 42


def test_an_unclear_pass_is_analysed_and_flagged():
    """A synthetic walker whose face is turned to the camera: which way the person
    faces is unclear, so the pass is analysed as forward walking with a notice that
    asks to check its events (and the verdict is at best usable)."""
    import hashlib

    from dashboard.analysis import Analysis
    from tests.gait_walker import walker

    seq, _ = walker(fps=30.0, directions=(1,), noise_px=1.0, head=(0,))
    analysis = Analysis(
        seq,
        "walker.mp4",
        hashlib.sha256(b"walker").hexdigest(),
        "video",
        model={
            "path": "model.task",
            "sha256": "0" * 64,
            "origin": "built-in",
            "description": "synthetic (test)",
        },
        fps=30.0,
        stride=1,
    )
    at = _open(analysis)
    warnings = [w.value for w in at.warning]
    assert "Camera set-up: usable, with the reservations below." in warnings
    assert any(
        w.startswith("In pass 1 (moving right) it is unclear which way the person faces")
        for w in warnings
    ), warnings
    assert "clearly**: pass 1: unclear which way the person faces" in _text(at.markdown)
    per_pass = next(d.value for d in at.dataframe if "Direction" in d.value.columns)
    assert list(per_pass.Walking) == ["unclear"] and int(per_pass.Strides.iloc[0]) >= 4


def test_walking_towards_the_camera_gives_timing_only():
    """A frontal pass (synthetic walker filmed from the front): its timing, what needs
    a side view, and no gait-cycle curve."""
    import hashlib

    from dashboard.analysis import Analysis
    from tests.gait_frontal_walker import frontal_walker

    seq, _ = frontal_walker(towards=True)
    analysis = Analysis(
        seq,
        "frontal_walker",
        hashlib.sha256(b"frontal_walker").hexdigest(),
        "video",
        model={"path": "m.task", "sha256": "0" * 64, "origin": "built-in", "description": "t"},
        fps=30.0,
        stride=1,
    )
    at = _open(analysis)
    assert not at.error, [e.value for e in at.error]
    assert "filmed from the front or the back" in _text(at.warning)
    assert "Walking towards or away from the camera" in [h.value for h in at.subheader]
    tables = [d.value for d in at.dataframe]
    frontal = next(t for t in tables if "Both feet" in t.columns)
    assert "Cadence (steps/min)" in set(frontal.Parameter)
    assert "Steps (contacts counted)" in set(frontal.Parameter)
    page = _text(at.markdown)
    assert "step and stride length, walking speed" in page
    assert "hip, knee and ankle angle curves" in page
    assert "Gait-cycle curves" not in [h.value for h in at.subheader]
    # the only chart: the feet's contacts over time (to correct them by hand), no curve
    names = {t.get("name", "") for c in _charts(at) for t in c["data"]}
    assert names and all(n.split()[0] in ("left", "right") for n in names), names


def test_floor_marks_give_metres_and_hostile_marks_are_refused(walk):
    analysis, data = walk
    at = _open(analysis, data)
    at.toggle(key="gait_use_marks").set_value(True).run()
    assert not at.exception
    assert "Click two marks on the floor" in _text(at.info)
    given = "posedash_clickframe_given_gait_floor_marks"
    at.session_state[given] = [(300.0, 650.0), (300.0, 652.0)]  # the same point twice
    at.number_input(key="gait_marks_distance").set_value(2.0).run()
    assert "Floor marks not used" in _text(at.error) and "same point" in _text(at.error)
    params = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    assert "Step length (body heights)" in set(params.Parameter)
    at.session_state[given] = [(200.0, 650.0), (1000.0, 650.0)]
    at.run()
    assert not at.exception and not at.error
    params = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    assert "Walking speed (m/s)" in set(params.Parameter)
    assert "from the floor marks" in " ".join(c.value for c in at.caption)
    marks = at.session_state["posedash_gait_settings"].floor_marks
    assert marks == pytest.approx((200.0, 650.0, 1000.0, 650.0, 2.0))


def test_key_results_beside_normal_values_for_age_and_sex(walk):
    """Issue 22: walking speed beside its normal value for the patient's age and sex,
    the age and sex shared with the Report page."""
    analysis, data = walk
    at = _open(analysis, data)
    at.number_input(key="gait_height_m").set_value(1.65).run()
    table = next(d.value for d in at.dataframe if "Normal (source)" in d.value.columns)
    speed = table[table.Measure == "Walking speed"].iloc[0]
    assert speed.Result.endswith("strides)") and "m/s" in speed.Result
    assert speed["Normal (source)"] == "normal values need the patient's age and sex"
    at.number_input(key="gait_norm_age").set_value(45).run()
    at.selectbox(key="gait_norm_sex").set_value("male").run()
    table = next(d.value for d in at.dataframe if "Normal (source)" in d.value.columns)
    normal = table[table.Measure == "Walking speed"].iloc[0]["Normal (source)"]
    assert normal == "1.43 m/s (men 40–49; Bohannon & Williams Andrews 2011)"
    assert at.session_state["posedash_patient_age"] == 45  # the Report page reads it
    assert at.session_state["posedash_patient_sex"] == "male"
