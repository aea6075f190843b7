"""The Patients page's Progress tab through AppTest, with a real library file in a
temporary data folder and sessions from MediaPipe's reference landmarks of real
clips (no model run): what it opens on, the grouped menu and its plain-word search,
the axis from zero, and never a number for a withheld value."""

from __future__ import annotations

import json

from dashboard.analysis import Analysis
from dashboard.outputs.session import save_session
from tests.pages import LIBRARY_PASS, click_button, patients_page, rerun, shown_text
from tests.reference_data import legacy_analysis

SQUAT = "tfjs_pose_squats_front.legacy.json"
RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"
KEY = "library_metric"


def _copy(a: Analysis, name: str, n: int) -> Analysis:
    return Analysis(a.poses, name, f"{n}" * 64, "video", a.settings, a.model, a.fps)


def _unlocked() -> object:
    at = patients_page()
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    return click_button(at, "library_unlock")


def _chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_a_squat_filmed_at_an_angle_opens_on_no_caution_value(library, media_dir):
    """The squat clip is filmed about 34 deg from the front: its knee flexion is a
    3-D value to read with caution, its picture angles withheld. The tab opens on
    none of them and says why; chosen, a caution value is drawn hollow, a withheld
    one without a number."""
    squat = legacy_analysis(media_dir / "reference" / SQUAT)
    p = library.add_patient()
    for i, date in enumerate(("2026-01-05", "2026-01-19")):
        library.add_session(p.uid, save_session(_copy(squat, f"squat{i}.mp4", i + 1)), date)
    at = _unlocked()
    assert at.selectbox(key=KEY).value is None
    assert "opens on no value rather than on one to read with caution" in shown_text(at, "info")
    assert not at.get("plotly_chart")
    # plain-word search: "knee flexion" finds the knee flexion values, and nothing else
    at.text_input(key="library_metric_find").input("knee flexion")
    rerun(at)
    options = at.selectbox(key=KEY).options
    assert options and all(o.startswith("Knee flexion") for o in options)
    at.selectbox(key=KEY).set_value("rom.range:knee_flexion:right:world")
    rerun(at)
    trace = next(t for t in _chart(at)["data"] if t["mode"] == "markers")
    assert trace["marker"]["symbol"] == ["circle-open", "circle-open"]  # caution: hollow
    assert "caution" in trace["text"][0] and "25°" in trace["text"][0]  # the reason, the bias
    lines = [t for t in _chart(at)["data"] if t["mode"] == "lines"]
    assert [t["line"]["dash"] for t in lines] == ["dot"]  # weak points: no solid line
    # the 3-D knee frontal-plane angle (the 189 deg value of version 1): withheld, no number
    at.text_input(key="library_metric_find").input("valgus 3D")
    rerun(at)
    at.selectbox(key=KEY).set_value("rom.range:knee_valgus:right:world")
    rerun(at)
    data = _chart(at)["data"]
    drawn = [t for t in data if t["mode"] != "markers" or t.get("name") != "withheld"]
    assert all(not t.get("x") for t in drawn)  # no number anywhere
    withheld = next(t for t in data if t.get("name") == "withheld")
    assert withheld["x"] == ["2026-01-05", "2026-01-19"]
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert not any(any(c.isdigit() for c in str(v)) for v in table.iloc[:, 1])
    assert all("withheld" in str(v) for v in table["verdict"])


def test_a_lateral_raise_opens_on_abduction_axis_from_zero_groups(library, media_dir):
    raise_ = legacy_analysis(media_dir / "reference" / RAISE)
    squat = legacy_analysis(media_dir / "reference" / SQUAT)
    p = library.add_patient()
    library.add_session(p.uid, save_session(_copy(raise_, "raise1.mp4", 1)), "2026-01-05")
    library.add_session(p.uid, save_session(_copy(squat, "squat.mp4", 2)), "2026-01-12")
    library.add_session(p.uid, save_session(_copy(raise_, "raise2.mp4", 3)), "2026-01-19")
    at = _unlocked()
    chosen = at.selectbox(key=KEY).value
    assert chosen.startswith("rom.range:shoulder_abduction:")
    assert "valid in 2 of 3 sessions" in at.selectbox(key=KEY).options[at.selectbox(key=KEY).index]
    data = _chart(at)["data"]
    marks = next(t for t in data if t["mode"] == "markers")
    # the squat session does not compare with the first (another movement): a diamond,
    # joined to nothing; the two raises are not joined across it
    symbols = dict(zip(marks["x"], marks["marker"]["symbol"], strict=True))
    if "2026-01-12" in symbols:
        assert symbols["2026-01-12"].startswith("diamond")
    lines = [t for t in data if t["mode"] == "lines"]
    assert all("2026-01-12" not in t["x"] for t in lines)
    assert "Change" in shown_text(at, "markdown")
    assert _chart(at)["layout"]["yaxis"].get("rangemode", "normal") == "normal"
    at.toggle(key="library_progress_zero").set_value(True)
    rerun(at)
    assert _chart(at)["layout"]["yaxis"]["rangemode"] == "tozero"
    # the groups: walking values are not offered for these sessions; repetitions are
    groups = at.selectbox(key="library_metric_group").options
    assert groups[0] == "All values" and "Repetitions" in groups and "Walking" not in groups
    at.selectbox(key="library_metric_group").set_value("Repetitions")
    rerun(at)
    assert all("repetitions" in o for o in at.selectbox(key=KEY).options)
