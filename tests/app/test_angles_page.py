"""The Joint angles page through Streamlit's AppTest, on analyses built from the shared
reference landmarks (MediaPipe's own output for real clips; no model run)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import dashboard.kinematics.summary
from dashboard.ui import angles_keys as page
from dashboard.ui.angles_rom import summary_json
from dashboard.ui.angles_video import row_of_selection
from tests.pages import angles_page
from tests.reference_data import legacy_analysis

LATERAL_RAISE = "sports2d_demo5_lateral_raise_front"


@pytest.fixture(scope="module")
def lateral_raise(media_dir):
    return legacy_analysis(media_dir / "reference" / f"{LATERAL_RAISE}.legacy.json")


@pytest.fixture(scope="module")
def yoga(media_dir):
    return legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json")


def _charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _texts(elements):
    return " ".join(e.value for e in elements)


def _frame_caption(at) -> str:
    captions = [i.caption for img in at.get("image") for i in img.proto.imgs]
    return " ".join(captions)


def test_without_an_analysis_it_says_where_to_start():
    at = angles_page()
    assert "Analyse a photo or a video" in _texts(at.info)
    links = {link.proto.page for link in at.main.get("page_link")}
    assert any("Photo_analysis" in p for p in links)
    assert any("Video_analysis" in p for p in links)
    assert not at.get("plotly_chart")


def test_video_gives_chart_rom_table_and_four_lateral_raises(lateral_raise):
    at = angles_page(lateral_raise)
    assert not at.error
    # a front view: the default angles are front-view angles that move, so no warning
    chosen = at.multiselect(key=page.KEYS).value
    assert "shoulder_abduction" in chosen
    assert not [w for w in at.warning if "do not match" in w.value]
    (spec,) = _charts(at)
    curves = [d for d in spec["data"] if d.get("meta", {}).get("kind") == "filtered"]
    shoulder = [d for d in curves if d["meta"]["angle"] == "shoulder_abduction"]
    assert {d["meta"]["side"] for d in shoulder} == {"left", "right"}
    assert {d["line"]["color"] for d in shoulder} == {"#e69f00", "#56b4e9"}
    (peaks,) = [d for d in spec["data"] if d.get("meta", {}).get("kind") == "rep_peak"]
    assert peaks["text"] == ["1", "2", "3", "4"]
    # repetitions: count, and one row each with ROM, duration and tempo
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Repetitions"] == "4"
    reps = next(d.value for d in at.dataframe if "Time to peak (s)" in d.value.columns)
    assert len(reps) == 4 and reps["Counted"].all()
    rom_deg, duration = (reps[c].astype(float) for c in ("Range of motion (°)", "Duration (s)"))
    assert ((rom_deg > 70) & (rom_deg < 110)).all()  # shown as text, rounded
    assert ((duration > 2) & (duration < 4)).all()
    # range of motion, per side, with the symmetry index
    rom = next(d.value for d in at.dataframe if "Symmetry index (%)" in d.value.columns)
    rows = rom[rom["Angle"] == "Shoulder abduction"]
    assert list(rows["Side"]) == ["left", "right"]
    assert (rows["Range (°)"].astype(float) > 80).all()  # shown as text, 1 decimal
    assert rows["Range (°)"].str.fullmatch(r"\d+\.\d").all()
    symmetry = pd.to_numeric(rows["Symmetry index (%)"].str.rstrip("%"), errors="coerce")
    assert symmetry.abs().max() < 20
    # the normal end of range beside it, with its source (AAOS: not by age or sex)
    assert (rows["Normal (source)"] == "abduction 180° (adults; AAOS via Norkin & White)").all()
    _no_none(rom)
    at_frame = next(d.value for d in at.dataframe if "Value (°)" in d.value.columns)
    _no_none(at_frame)
    at.slider(key=page.FRAME_ROW).set_value(150).run()
    at_frame = next(d.value for d in at.dataframe if "Value (°)" in d.value.columns)
    assert list(at_frame.columns) == ["Angle", "Value (°)", "Trust", "Visibility"]  # fits beside
    assert "Shoulder abduction (left)" in set(at_frame["Angle"])
    assert at_frame["Value (°)"].str.match(r"^(–|-?\d+\.\d( ⚠)?)$").all()
    _no_none(at_frame)
    assert "Symmetry index" in _texts(at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    for want in ("Range of motion", "Angles, every frame (CSV)", "Summary (JSON)"):
        assert any(want in label for label in labels), labels
    # the trust note is always there
    assert "never an invented number" in _texts(at.info)


def test_display_options_do_not_recompute_the_angles(lateral_raise, monkeypatch):
    calls = []
    real = dashboard.kinematics.summary.compute_kinematics

    def counting(seq, settings=None):
        calls.append(settings)
        return real(seq, settings)

    monkeypatch.setattr(dashboard.kinematics.summary, "compute_kinematics", counting)
    at = angles_page(lateral_raise)
    assert len(calls) == 1
    at.radio(key=page.SPACE).set_value("world").run()
    at.multiselect(key=page.KEYS).set_value(["shoulder_abduction", "knee_flexion"]).run()
    at.radio(key=page.REP_METHOD).set_value("prominence").run()
    at.slider(key=page.FRAME_ROW).set_value(75).run()
    at.toggle(key=page.ALL_ROM).set_value(True).run()
    assert not at.exception
    assert len(calls) == 1, "a display option recomputed the angles"
    assert at.metric[0].value == "4"  # prominence in world space finds the same four
    # a setting that changes the numbers does recompute, once
    at.slider(key=page.MIN_CONF).set_value(0.7).run()
    at.radio(key=page.SPACE).set_value("image").run()
    assert len(calls) == 2
    assert calls[-1].min_confidence == pytest.approx(0.7)
    # and is kept as this session's angle settings (saved with a session)
    assert at.session_state["posedash_angle_settings"].min_confidence == pytest.approx(0.7)


def test_smoothing_settings_reach_the_numbers(lateral_raise):
    at = angles_page(lateral_raise)
    at.radio(key=page.METHOD).set_value("one_euro").run()
    assert not at.exception
    stored = at.session_state["posedash_angle_settings"]
    assert stored.filter.method == "one_euro"
    at.radio(key=page.METHOD).set_value("butterworth").run()
    at.slider(key=page.CUTOFF).set_value(3.0).run()
    assert at.session_state["posedash_angle_settings"].filter.cutoff_hz == 3.0
    assert at.session_state["posedash_angle_settings"].repetitions.method == "hysteresis"


def test_an_angle_for_another_view_is_warned_about(lateral_raise):
    at = angles_page(lateral_raise)
    at.multiselect(key=page.KEYS).set_value(["shoulder_abduction", "knee_flexion"]).run()
    (warning,) = [w.value for w in at.warning if "do not match" in w.value]
    assert "Knee flexion" in warning and "side view" in warning
    assert "Shoulder abduction" not in warning
    # world space: no longer a projection, but the depth caveat stays
    at.radio(key=page.SPACE).set_value("world").run()
    (warning,) = [w.value for w in at.warning if "do not match" in w.value]
    assert "depth" in warning
    assert "27°" in _texts(at.info)


def test_a_clicked_moment_shows_that_frame(lateral_raise, media_dir):
    source = (media_dir / "videos" / f"{LATERAL_RAISE}.mp4").read_bytes()
    at = angles_page(lateral_raise, source)
    assert "video frame 0" in _frame_caption(at)
    at.slider(key=page.FRAME_ROW).set_value(75).run()  # what a click on the chart sets
    assert not at.exception and not at.error
    assert "video frame 75" in _frame_caption(at)
    (spec,) = _charts(at)
    marker = [s for s in spec["layout"]["shapes"] if s.get("yref") == "paper"]
    assert marker and marker[0]["x0"] == pytest.approx(75 / lateral_raise.fps)


def test_a_click_selects_the_frame_of_the_point():
    """What the chart's selection callback reads from a clicked point."""
    event = {
        "selection": {
            "points": [
                {
                    "curve_number": 1,
                    "point_index": 200,
                    "x": 6.67,
                    "y": 90.0,
                    "customdata": [200, 400, "90.1°", "0.99", ""],
                }
            ],
            "point_indices": [200],
            "box": [],
            "lasso": [],
        }
    }
    assert row_of_selection(event) == 200  # the row, not the video frame
    assert row_of_selection({"selection": {"points": []}}) is None
    assert row_of_selection(None) is None
    no_custom = {"selection": {"points": [{"x": 1.0, "y": 2.0}]}}
    assert row_of_selection(no_custom) is None


def test_without_its_video_the_skeleton_alone_is_drawn(lateral_raise):
    at = angles_page(lateral_raise, None)
    assert "not in this session" in _texts(at.info)
    assert "video frame 0" in _frame_caption(at)


def test_manual_thresholds_in_the_wrong_order_give_a_message(lateral_raise):
    at = angles_page(lateral_raise)
    at.toggle(key=page.REP_MANUAL).set_value(True).run()
    key = at.selectbox(key=page.REP_KEY).value
    side = at.radio(key=page.REP_SIDE).value
    enter = at.number_input(key=f"angles_rep_enter_{key}_{side}_max")
    leave = at.number_input(key=f"angles_rep_exit_{key}_{side}_max")
    assert enter.value > leave.value  # seeded with the automatic thresholds
    enter.set_value(20.0).run()
    leave.set_value(60.0).run()
    assert not at.exception
    assert any("start threshold" in w.value for w in at.warning)


def test_guessed_direction_counts_the_same_lateral_raises(lateral_raise):
    """A lateral raise rests low between raises: the guess is 'peak up'."""
    at = angles_page(lateral_raise)
    at.radio(key=page.REP_POLARITY).set_value("auto").run()
    assert at.metric[0].value == "4"
    (spec,) = _charts(at)
    (peaks,) = [d for d in spec["data"] if d.get("meta", {}).get("kind") == "rep_peak"]
    assert peaks["marker"]["symbol"] == "triangle-down"  # pointing down at a high peak


def test_an_oblique_squat_clip_defaults_to_world_space_knees_and_hips(media_dir):
    """The squat clip is filmed at about 34 deg (oblique) and at 5 frames per second."""
    at = angles_page(
        legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    )
    assert at.radio(key=page.SPACE).value == "world"
    assert at.multiselect(key=page.KEYS).value == ["knee_flexion", "hip_flexion"]
    assert at.selectbox(key=page.REP_KEY).value == "knee_flexion"
    # two complete squats; the third is cut by the end of the clip
    assert at.metric[0].value == "2"
    assert "cut by the start or end" in _texts(at.caption)
    # 6 Hz cannot be applied at 5 fps: said outside the (closed) settings expander
    assert any("Not smoothed" in w.value and "2.5 Hz" in w.value for w in at.warning)
    at.slider(key=page.CUTOFF).set_value(2.0).run()
    assert not any("Not smoothed" in w.value for w in at.warning)


def test_several_people_can_be_chosen(lateral_raise):
    seq = lateral_raise.poses

    def twice(x):
        x = np.asarray(x, float)
        second = x.copy()
        second[:100] = np.nan  # the second person arrives later
        return np.concatenate([x, second], axis=1)

    two = replace(
        seq,
        image_xy=twice(seq.image_xy),
        z=twice(seq.z),
        visibility=twice(seq.visibility),
        presence=twice(seq.presence),
        world_m=twice(seq.world_m),
        person_ids=np.array([0, 1]),
    )
    at = angles_page(replace(lateral_raise, poses=two, source_sha256="2" * 64))
    assert at.selectbox(key=page.PERSON).options == ["Person 1", "Person 2"]
    assert at.metric[0].value == "4"
    at.selectbox(key=page.PERSON).set_value(1).run()
    assert not at.exception
    assert at.metric[0].value == "3"  # the first raise happened before they were found
    (spec,) = _charts(at)
    gaps = [d for d in spec["data"] if d.get("meta", {}).get("kind") == "gap"]
    assert gaps, "frames without the second person are marked as gaps"


def test_photo_gives_a_table_of_angles(yoga):
    at = angles_page(yoga)
    assert not at.error
    assert not at.get("plotly_chart")
    table = at.dataframe[0].value
    for column in (
        "Angle",
        "Side",
        "Value (°)",
        "Confidence",
        "Valid camera view",
        "0° means",
        "Positive means",
    ):
        assert column in table.columns
    # a front view: the front-view angles, with values and confidences
    assert "Shoulder abduction" in set(table["Angle"])
    abduction = table[table["Angle"] == "Shoulder abduction"]
    value = abduction["Value (°)"].astype(float)
    assert ((value > 70) & (value < 110)).all()  # arms out
    _no_none(table)
    assert (table["Confidence"].dropna() <= 1).all()
    assert table["Valid camera view"].str.startswith("✅").all()
    # a side-view angle chosen in a front-view photo is flagged in the table and warned
    at.multiselect(key=page.KEYS).set_value(["knee_flexion"]).run()
    table = at.dataframe[0].value
    assert table["Valid camera view"].str.startswith("⚠️").all()
    assert (table["Value (°)"] == "–").all()  # not measured in a front view: a dash
    _no_none(table)
    assert [w for w in at.warning if "do not match" in w.value]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("Summary (JSON)" in label for label in labels)


def test_summary_download_holds_the_chosen_repetition_settings(lateral_raise):
    at = angles_page(lateral_raise)
    at.radio(key=page.REP_METHOD).set_value("prominence").run()
    settings = at.session_state["posedash_angle_settings"]
    assert settings.repetitions.method == "prominence"
    assert settings.repetition_angles == ("shoulder_abduction",)
    # the document the download builds, from the cached angles
    kin = dashboard.kinematics.summary.compute_kinematics(
        lateral_raise.poses, dashboard.kinematics.summary.KinematicsSettings()
    )
    doc = json.loads(summary_json(kin, settings))
    counts = {(r["side"], r["space"]): r["count"] for r in doc["repetitions"]}
    assert counts[("left", "image")] == 4
    assert doc["settings"]["repetitions"]["method"] == "prominence"
    assert np.isfinite(doc["camera_view"][0]["median_yaw_deg"])


def test_another_recording_gets_fresh_choices(lateral_raise, media_dir):
    at = angles_page(lateral_raise)
    at.multiselect(key=page.KEYS).set_value(["elbow_flexion"]).run()
    at.slider(key=page.FRAME_ROW).set_value(500).run()
    squats = legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    at.session_state["posedash_current_analysis"] = squats
    at.run()
    assert not at.exception
    assert at.multiselect(key=page.KEYS).value == ["knee_flexion", "hip_flexion"]
    assert at.slider(key=page.FRAME_ROW).value == 0  # 500 would be past its 65 frames


def _no_none(table) -> None:
    """Missing values read "–" on screen, never "None" or "nan"."""
    cells = {str(v) for v in table.to_numpy().ravel()}
    assert not cells & {"None", "nan", "NaN", "<NA>"}, table
