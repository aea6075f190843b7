"""Compare sessions shows exactly the sessions loaded, wherever they came from (issue
20.7). Seen before the fix: opened from Patients ("Compare these two"), the After box
showed week 1 while week 4 was loaded, and both source radios said "A session file":
a value set on another page reached the widgets without their "set" flag, so the
browser showed each widget's default. Checked here on what the browser is sent (the
widget's default, or its value when flagged), through AppTest with a real library
file in a temporary folder; reference landmarks, no model run."""

from __future__ import annotations

import json

from dashboard.analysis import Analysis
from tests.pages import (
    click_button,
    create_library,
    patients_page,
    rerun,
    save_to_library,
)
from tests.reference_data import first_frames, legacy_analysis

RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"
COMPARE = "pages/7_Compare.py"
PATIENTS = "pages/11_Patients.py"
LIBRARY = "A patient-library session"


def _weeks(media_dir, n: int = 4) -> list[Analysis]:
    full = legacy_analysis(media_dir / "reference" / RAISE)
    return [
        first_frames(full, 200 + 100 * i, f"raise_week{i + 1}.mp4", f"{i + 1}" * 64)
        for i in range(n)
    ]


def _shown(widget) -> str:
    """The option the browser shows: the value when the widget is flagged as set,
    else its default (what a browser shows on a page it opens)."""
    p = widget.proto
    if p.set_value:
        return widget.value
    return widget.options[p.default]


def _loaded(at) -> dict:
    """Per side: the source and library session the browser shows, the session the
    page loaded (from the chart legend), and the page's own value."""
    out = {}
    legend = [t["name"] for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    for side, word in (("before", "earlier"), ("after", "later")):
        radio = at.radio(key=f"compare_{side}_source")
        box = at.selectbox(key=f"compare_{side}_library")
        out[side] = {
            "radio shown": _shown(radio),
            "radio value": radio.value,
            "box shown": _shown(box),
            "box value": box.value,
            "loaded": next(n for n in legend if n.startswith(word)),
        }
    return out


def _pair(at, before: int, after: int) -> dict:
    at.switch_page(PATIENTS)
    rerun(at)
    at.selectbox(key="library_cmp_before").select_index(before)
    at.selectbox(key="library_cmp_after").select_index(after)
    rerun(at)
    click_button(at, "library_compare")
    at.switch_page(COMPARE)
    rerun(at)
    return _loaded(at)


def _check(got: dict, before: str, after: str) -> None:
    for side, name in (("before", before), ("after", after)):
        g = got[side]
        assert g["radio shown"] == g["radio value"] == LIBRARY, g
        assert g["box shown"] == g["box value"], g
        assert name in g["box shown"] and name in g["loaded"], g


def _library_with(at, weeks, dates) -> None:
    create_library(at)
    for w, date in zip(weeks, dates, strict=True):
        save_to_library(at, w, date)


def test_compare_shows_the_pair_chosen_on_patients(data_dir, media_dir):
    weeks = _weeks(media_dir)
    at = patients_page(weeks[3])
    _library_with(at, weeks, ("2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"))
    # Compare seen first with its own choices (the analysis under review)
    at.switch_page(COMPARE)
    rerun(at)
    assert _shown(at.radio(key="compare_after_source")) == "The analysis under review"
    # week 1 against week 4, then week 2 against week 3
    _check(_pair(at, 0, 3), "2026-01-05: raise_week1.mp4", "2026-01-26: raise_week4.mp4")
    _check(_pair(at, 1, 2), "2026-01-12: raise_week2.mp4", "2026-01-19: raise_week3.mp4")
    # choices made on the page itself stay what the browser shows
    at.radio(key="compare_after_source").set_value("The analysis under review")
    rerun(at)
    assert at.radio(key="compare_after_source").value == "The analysis under review"


def test_two_sessions_with_the_same_label_stay_apart(data_dir, media_dir):
    """The same file saved twice on one date: each box names exactly one session, and
    the two sides load the two sessions (not one of them twice)."""
    week1, week4 = _weeks(media_dir)[0], _weeks(media_dir)[3]
    same = Analysis(
        week4.poses,
        week1.source_name,
        week4.source_sha256,
        "video",
        week4.settings,
        week4.model,
        week4.fps,
    )
    at = patients_page(week1)
    _library_with(at, [week1, same], ("2026-01-05", "2026-01-05"))
    got = _pair(at, 0, 1)
    assert got["before"]["box shown"] != got["after"]["box shown"]
    assert got["before"]["loaded"][len("earlier") :] != got["after"]["loaded"][len("later") :]
    for side in ("before", "after"):
        assert got[side]["box shown"] == got[side]["box value"]
    # and the two loaded analyses are the two saved ones (540 and 200 frames)
    captions = " ".join(c.value for c in at.caption)
    assert "Both sides come from the same recording" not in captions
