"""The review pages (review_sessions, 3D view, landmark explorer, comparison) through AppTest,
from session files saved from real reference landmarks (no model run)."""

from __future__ import annotations

import pytest

from tests.pages import goto, open_app, open_session, plotly_specs, upload_file

RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"


def test_review_pages_without_an_analysis_explain_what_to_do():
    for page in ("pages/4_3D_view.py", "pages/5_Landmark_explorer.py"):
        at = goto(open_app(), page)
        assert at.info and "analyse a photo or a video first" in at.info[0].value
        assert not plotly_specs(at) and not at.dataframe


def test_3d_page_from_a_saved_video_session(review_sessions):
    at = goto(open_session(review_sessions["after"]), "pages/4_3D_view.py")
    assert not at.error
    (spec,) = plotly_specs(at)
    ratio = spec["layout"]["scene"]["aspectratio"]
    assert ratio["x"] == ratio["y"] == ratio["z"]
    assert 1 < len(spec["frames"]) <= 300  # 540 frames, subsampled
    assert spec["layout"]["sliders"] and spec["layout"]["updatemenus"]
    assert any(t.get("name") == "right wrist path" for t in spec["data"])
    # camera preset and single-frame mode
    at.radio(key="view3d_camera").set_value("top").run()
    at.toggle(key="view3d_animate").set_value(False).run()
    assert not at.exception
    at.slider(key="view3d_frame").set_value(200).run()
    assert not at.exception and not at.error
    (spec,) = plotly_specs(at)
    assert "frames" not in spec or not spec["frames"]
    assert spec["layout"]["scene"]["camera"]["eye"]["z"] > 1


def test_3d_page_from_a_photo_session(review_sessions):
    at = goto(open_session(review_sessions["photo"], "yoga.posedash"), "pages/4_3D_view.py")
    assert not at.error
    (spec,) = plotly_specs(at)
    assert not spec.get("frames")
    assert not at.toggle  # nothing to animate in a photo


def test_landmark_explorer_filters_and_downloads(review_sessions):
    at = goto(open_session(review_sessions["after"]), "pages/5_Landmark_explorer.py")
    assert not at.error
    table = at.dataframe[0].value
    assert set(table["landmark"]) == {*table["landmark"]} and len(table) > 10_000
    assert table["person"].min() == 1  # "Person 1", as every page counts (files: from 0)
    at.multiselect(key="explorer_landmarks_All").set_value(["left_wrist"]).run()
    at.slider(key="explorer_visibility").set_value(0.9).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["landmark"]) == {"left_wrist"} and (table["visibility"] >= 0.9).all()
    labels = [b.label for b in at.get("download_button")]
    for wanted in ("CSV", "JSON", "Parquet", ".trc", ".mot"):
        assert any(wanted in label for label in labels), labels


def test_comparison_page_from_two_saved_sessions(review_sessions):
    at = goto(open_app(), "pages/7_Compare.py")
    upload_file(at, "Before", "week1.posedash", review_sessions["before"])
    upload_file(at, "After", "week6.posedash", review_sessions["after"])
    assert not at.error, [e.value for e in at.error]
    (spec,) = plotly_specs(at)
    # a lateral raise: the default angle is a shoulder angle, normalised to repetitions
    assert "Shoulder" in spec["layout"]["title"]["text"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "% of repetition"
    assert any("repetition" in c.value for c in at.caption)
    rom = at.dataframe[0].value
    assert {"before range", "after range", "change in range"} <= set(rom.columns)
    row = rom[(rom["angle"] == "Shoulder abduction") & (rom["side"] == "left")].iloc[0]
    deg = {
        k: float(row[k].rstrip("°")) for k in ("change in range", "after range", "before range")
    }  # text, 1 decimal
    assert deg["change in range"] == pytest.approx(
        deg["after range"] - deg["before range"], abs=0.11
    )
    # another angle, against time
    at.toggle(key="compare_normalise").set_value(False).run()
    at.selectbox(key="compare_angle").set_value("knee_flexion_left").run()
    assert not at.exception and not at.error
    (spec,) = plotly_specs(at)
    assert spec["layout"]["xaxis"]["title"]["text"] == "time from start (s)"


def test_comparison_with_the_current_analysis(review_sessions):
    at = goto(open_session(review_sessions["after"]), "pages/7_Compare.py")
    upload_file(at, "Before", "week1.posedash", review_sessions["before"])
    assert not at.error
    assert len(plotly_specs(at)) == 1 and at.dataframe


@pytest.mark.parametrize(
    "data,expected",
    [(b"not a session at all", "not a PoseDash session"), (None, "damaged or incomplete")],
)
def test_corrupt_session_file_gives_the_message(review_sessions, data, expected):
    data = review_sessions["after"][:50_000] if data is None else data
    at = goto(open_app(), "pages/6_Sessions.py")
    upload_file(at, "Session file", "broken.posedash", data)
    assert at.error and expected in at.error[0].value
    assert not at.success
    assert "posedash_current_analysis" not in at.session_state  # nothing half-opened
    at = goto(open_app(), "pages/7_Compare.py")
    upload_file(at, "Before", "broken.posedash", data)
    assert at.error and expected in at.error[0].value
    assert not plotly_specs(at)


def test_saving_the_current_analysis_offers_the_file(review_sessions):
    at = open_session(review_sessions["photo"], "yoga.posedash")
    buttons = [b for b in at.get("download_button") if "Save session" in b.label]
    assert buttons
