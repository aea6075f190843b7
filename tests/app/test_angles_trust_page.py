"""Joint angles page (AppTest): a walk has no exercise repetitions and says why with a
link to the Gait page; the yoga photo's bent-knee FPPA is an empty cell with its reason.
Analyses from the shared reference landmarks (MediaPipe's output; no model run)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui import angles_keys as page
from tests.reference_data import legacy_analysis

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/3_Joint_angles.py"
MESSAGE = (
    "This looks like walking: steps are not exercise repetitions. See the Gait page "
    "for steps, cadence and gait cycles."
)


def _open(analysis) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["posedash_current_analysis"] = analysis
    at.session_state["posedash_current_source"] = None
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_a_walk_shows_no_repetitions_but_the_reason_and_the_gait_link(media_dir):
    at = _open(legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json"))
    assert not at.error
    assert MESSAGE in [i.value for i in at.info]
    links = [link.proto.page for link in at.main.get("page_link")]
    assert links.count("Gait") == 2  # the page's suggestion at the top, and this one
    assert not [m for m in at.metric if m.label == "Repetitions"]
    assert REP_CONTROLS_ABSENT(at)
    (spec,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert not [d for d in spec["data"] if d.get("meta", {}).get("kind") == "rep_peak"]
    # the chart and the range of motion are still there
    assert at.dataframe


def REP_CONTROLS_ABSENT(at) -> bool:
    keys = {w.key for w in at.selectbox} | {w.key for w in at.radio}
    return page.REP_KEY not in keys and page.REP_METHOD not in keys


def test_an_exercise_clip_still_counts(media_dir):
    at = _open(
        legacy_analysis(media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json")
    )
    assert MESSAGE not in [i.value for i in at.info]
    assert next(m for m in at.metric if m.label == "Repetitions").value == "4"


def test_the_yoga_photo_leaves_the_bent_knee_fppa_out_and_says_why(media_dir):
    at = _open(legacy_analysis(media_dir / "reference" / "tfjs_pose_yoga_warrior.legacy.json"))
    at.multiselect(key=page.KEYS).set_value(["knee_valgus"]).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Side")
    right, left = table.loc["right"], table.loc["left"]
    assert right["Value (°)"] == "–"  # shown as text (widgets.show_table): empty is "–"
    reason = "left out: knee bent more than 60°: the frontal-plane projection is not meaningful"
    assert right["Note"] == reason
    assert "73" not in right["Note"]  # withheld: no number anywhere, not even in the reason
    # the whole reason under the table too, whatever the Note column's width
    assert f"**Knee frontal-plane projection angle** (right): {reason}." in [
        c.value for c in at.caption
    ]
    assert abs(float(left["Value (°)"]) - 4.4) < 0.5 and left["Note"] in ("", "–")


def test_comparing_two_walks_shows_curves_against_time_and_says_why(media_dir):
    """The Compare page used to say 'mean of 7 repetitions' for a walk: now the core
    counts none, the page says why, and the curves run against time."""
    from dashboard.outputs.session import save_session
    from tests.pages import goto, open_app, plotly_specs, upload_file

    walk = legacy_analysis(media_dir / "reference" / "sports2d_demo4_gait_side.legacy.json")
    data = save_session(walk)
    at = goto(open_app(), "pages/7_Compare.py")
    upload_file(at, "Before", "walk1.posedash", data)
    upload_file(at, "After", "walk2.posedash", data)
    assert not at.exception and not at.error
    at.selectbox(key="compare_angle").set_value("knee_flexion_left").run()
    (spec,) = plotly_specs(at)
    assert spec["layout"]["xaxis"]["title"]["text"] == "time from start (s)"
    captions = " ".join(c.value for c in at.caption)
    assert MESSAGE + " The curves are shown against time." in captions
    assert "mean of" not in json.dumps(spec)


def test_no_repetitions_are_counted_on_a_withheld_series(media_dir):
    at = _open(
        legacy_analysis(media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json")
    )
    at.radio(key=page.SPACE).set_value("world").run()
    at.selectbox(key=page.REP_KEY).set_value("knee_valgus").run()  # the 3-D FPPA: withheld
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning if "withheld in this recording" in w.value]
    assert warnings and "picture (2D) measure" in warnings[0]
    assert not [m for m in at.metric if m.label == "Repetitions"]
    (spec,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    drawn = [d for d in spec["data"] if d.get("meta", {}).get("angle") == "knee_valgus"]
    assert not drawn  # no value of a withheld series on the chart


def test_the_known_error_of_3d_values_is_shown_beside_the_frame_values(media_dir):
    at = _open(
        legacy_analysis(media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json")
    )
    at.radio(key=page.SPACE).set_value("world").run()
    at.multiselect(key=page.KEYS).set_value(["elbow_flexion", "knee_valgus"]).run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption if c.value.startswith("Known error")]
    assert any("Elbow flexion" in c and "17-19°" in c for c in captions), captions
    frame = next(d.value for d in at.dataframe if "Value (°)" in d.value.columns)
    fppa = frame[frame["Angle"].str.startswith("Knee frontal")]
    assert len(fppa) == 2 and (fppa["Value (°)"] == "–").all()  # withheld: no number
    assert (fppa["Trust"] == "– withheld").all()
