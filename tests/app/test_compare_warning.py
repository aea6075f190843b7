"""The Compare sessions page warns when the two sessions may not compare (different
movements, camera views, kinds), and marks the rows: AppTest from session files
saved from the real reference landmarks (no model run)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages import compare_page


def _warnings(at: AppTest):
    return [w.value for w in at.warning]


def test_squats_against_a_lateral_raise_warns_and_marks_rows(compare_sessions):
    at = compare_page(compare_sessions["squat"], compare_sessions["raise"])
    top = [w for w in _warnings(at) if "may not be comparable" in w]
    assert len(top) == 1, _warnings(at)
    assert "Different joints move most" in top[0] and "shoulder abduction" in top[0]
    assert "camera view differs" in top[0]
    rom = at.dataframe[0].value
    assert "comparable?" in rom.columns
    assert rom["comparable?"].str.contains("different movement").all()
    # the chosen angle says why it may not compare, under its menu
    assert any("may not compare between these sessions" in w for w in _warnings(at))


def test_walking_against_squats_names_walking(compare_sessions):
    at = compare_page(compare_sessions["walk"], compare_sessions["squat"])
    (top,) = [w for w in _warnings(at) if "may not be comparable" in w]
    assert "earlier session is walking and the other is not" in top


def test_two_halves_of_one_exercise_compare_without_a_warning(compare_sessions):
    at = compare_page(compare_sessions["raise_half"], compare_sessions["raise"])
    assert not [w for w in _warnings(at) if "comparable" in w or "may not compare" in w]
    rom = at.dataframe[0].value
    row = rom[(rom["angle"] == "Shoulder abduction") & (rom["side"] == "left")].iloc[0]
    assert row["comparable?"] == "yes"
    # the legend names earlier and later, never the side colours
    spec = next(iter(at.get("plotly_chart"))).proto.spec
    assert "earlier (" in spec and "later (" in spec
    assert "#0072B2" not in spec and "#D55E00" not in spec
