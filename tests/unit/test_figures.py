"""Joint-angle charts on synthetic AngleSets with known values, gaps and flags."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from dashboard.figures.charts import (
    MIDLINE_COLOUR,
    RepetitionMarks,
    angle_time_figure,
    series_colour,
)
from dashboard.kinematics import CATALOGUE, AngleSet
from dashboard.kinematics.reps import Repetition
from dashboard.skeleton import hex_colour

F = 50
DEFS = tuple(
    d for d in CATALOGUE if d.key in ("knee_flexion", "shoulder_abduction", "trunk_inclination")
)


def _set(raw=None, value=None, conf=None, flag=None, frame_index=None) -> AngleSet:
    """F frames at 10 fps, one person; every angle a sine unless given."""
    t = np.arange(F) / 10.0
    a = len(DEFS)
    base = 40 + 30 * np.sin(2 * np.pi * 0.5 * t)
    raw = np.repeat(base[:, None, None], a, axis=2) if raw is None else raw
    value = raw + 1.0 if value is None else value  # "filtered" differs from raw
    conf = np.full((F, 1, a), 0.9) if conf is None else conf
    flag = np.zeros((F, 1, a), bool) if flag is None else flag
    return AngleSet(
        defs=DEFS,
        space="image",
        raw_deg=raw,
        value_deg=value,
        confidence=conf,
        foreshortened=flag,
        time_s=t,
        frame_index=np.arange(F) if frame_index is None else frame_index,
        person_ids=np.array([0]),
        min_confidence=0.5,
    )


def _col(key, side=""):
    return next(i for i, d in enumerate(DEFS) if d.key == key and d.side == side)


def _traces(fig, kind, angle=None, side=None):
    return [
        t
        for t in fig.data
        if t.meta
        and t.meta["kind"] == kind
        and (angle is None or t.meta["angle"] == angle)
        and (side is None or t.meta["side"] == side)
    ]


def test_left_and_right_overlaid_in_the_skeleton_colours():
    fig = angle_time_figure(_set(), ["knee_flexion"])
    filtered = _traces(fig, "filtered", "knee_flexion")
    assert [t.meta["side"] for t in filtered] == ["left", "right"]
    for t in filtered:
        assert t.line.color == hex_colour(t.meta["side"])
        assert t.line.width >= 2
    raw = _traces(fig, "raw", "knee_flexion")
    assert [t.meta["side"] for t in raw] == ["left", "right"]
    for t in raw:  # raw: same colour, thin and faint, under the filtered curve
        assert t.line.color == hex_colour(t.meta["side"])
        assert t.line.width < filtered[0].line.width and t.opacity < 1
    assert fig.data.index(raw[0]) < fig.data.index(filtered[0])


def test_midline_angles_are_grey_not_the_overlay_white():
    fig = angle_time_figure(_set(), ["trunk_inclination"])
    (t,) = _traces(fig, "filtered", "trunk_inclination")
    assert t.line.color == MIDLINE_COLOUR == series_colour("")
    assert t.name.startswith("Midline")


def test_one_row_per_angle_sharing_the_time_axis():
    fig = angle_time_figure(_set(), ["knee_flexion", "shoulder_abduction"])
    knee = _traces(fig, "filtered", "knee_flexion")[0]
    shoulder = _traces(fig, "filtered", "shoulder_abduction")[0]
    assert knee.yaxis != shoulder.yaxis
    titles = [a.text for a in fig.layout.annotations]
    assert "Knee flexion" in titles and "Shoulder abduction" in titles
    assert fig.layout.height > angle_time_figure(_set(), ["knee_flexion"]).layout.height


def test_nan_gaps_stay_gaps_and_are_explained():
    s = _set()
    raw = np.array(s.raw_deg)
    conf = np.array(s.confidence)
    i = _col("knee_flexion", "left")
    raw[10:15, 0, i] = np.nan
    conf[10:15, 0, i] = 0.2  # seen, but not well enough
    raw[30:33, 0, i] = np.nan
    conf[30:33, 0, i] = np.nan  # nobody found
    value = raw + 1.0
    fig = angle_time_figure(_set(raw=raw, value=value, conf=conf), ["knee_flexion"])
    (t,) = _traces(fig, "filtered", "knee_flexion", "left")
    y = np.array(t.y, float)
    assert np.isnan(y[10:15]).all() and np.isnan(y[30:33]).all()
    assert np.isfinite(y[:10]).all() and np.isfinite(y[15:30]).all()
    assert t.connectgaps is False
    (raw_t,) = _traces(fig, "raw", "knee_flexion", "left")
    assert raw_t.connectgaps is False and np.isnan(np.array(raw_t.y, float)[10:15]).all()
    (gap,) = _traces(fig, "gap", "knee_flexion", "left")
    assert np.allclose(gap.x, np.r_[np.arange(10, 15), np.arange(30, 33)] / 10.0)
    reasons = [c[3] for c in gap.customdata]
    assert all("confidence below 0.50" in r for r in reasons[:5])
    assert all("nobody found" in r for r in reasons[5:])
    assert max(gap.y) < np.nanmin(value[:, 0, i])  # under the curves
    assert not _traces(fig, "gap", "knee_flexion", "right")  # the right side has no gap
    # what reaches the browser keeps the gap (Plotly draws a break there)
    spec = json.loads(fig.to_json())
    ys = next(d["y"] for d in spec["data"] if d.get("meta", {}).get("kind") == "filtered")
    if isinstance(ys, dict):  # Plotly 6 sends numeric arrays as typed binary
        ys = np.frombuffer(base64.b64decode(ys["bdata"]), dtype=ys["dtype"])
    else:
        ys = np.array([np.nan if v is None else v for v in ys], float)
    assert np.isnan(ys[10:15]).all() and np.isfinite(ys[:10]).all()


def test_a_bridged_gap_is_said_to_be_interpolated():
    s = _set()
    raw = np.array(s.raw_deg)
    i = _col("knee_flexion", "right")
    raw[20:22, 0, i] = np.nan
    value = np.array(s.value_deg)  # the filter bridged it: finite
    fig = angle_time_figure(_set(raw=raw, value=value), ["knee_flexion"])
    (t,) = _traces(fig, "filtered", "knee_flexion", "right")
    notes = [c[4] for c in t.customdata]
    assert "interpolated" in notes[20] and "interpolated" in notes[21]
    assert notes[19] == "" and notes[22] == ""


def test_hover_shows_time_frame_value_and_confidence():
    s = _set(frame_index=np.arange(F) * 3)  # every third video frame analysed
    fig = angle_time_figure(s, ["knee_flexion"])
    (t,) = _traces(fig, "filtered", "knee_flexion", "left")
    for part in (
        "%{x",
        "frame %{customdata[1]}",
        "%{y",
        "visibility %{customdata[3]}",
        "raw %{customdata[2]}",
    ):
        assert part in t.hovertemplate
    custom = np.array(t.customdata, dtype=object)
    assert list(custom[:, 0]) == list(range(F))  # the row: what a click selects
    assert list(custom[:, 1]) == list(np.arange(F) * 3)  # the video frame
    assert custom[0, 3] == "0.90"


def test_every_sample_is_clickable():
    """Plotly selects markers, never lines: the filtered curve carries (invisible) ones."""
    fig = angle_time_figure(_set(), ["knee_flexion"])
    (t,) = _traces(fig, "filtered", "knee_flexion", "left")
    assert "markers" in t.mode and t.marker.opacity == 0
    assert fig.layout.clickmode == "event+select"


def test_foreshortened_values_are_marked():
    flag = np.zeros((F, 1, len(DEFS)), bool)
    i = _col("knee_flexion", "left")
    flag[5:9, 0, i] = True
    fig = angle_time_figure(_set(flag=flag), ["knee_flexion"])
    (t,) = _traces(fig, "foreshortened", "knee_flexion", "left")
    assert np.allclose(t.x, np.arange(5, 9) / 10.0)
    assert not _traces(fig, "foreshortened", "knee_flexion", "right")
    (curve,) = _traces(fig, "filtered", "knee_flexion", "left")
    assert "foreshortened" in curve.customdata[6][4] and curve.customdata[4][4] == ""


def _rep(number, start, peak, end, complete=True):
    return Repetition(
        number=number,
        complete=complete,
        start_index=int(start * 10),
        peak_index=int(peak * 10),
        end_index=int(end * 10) if complete else -1,
        start_time_s=start,
        peak_time_s=peak,
        end_time_s=end if complete else float("nan"),
        peak_deg=70.0,
        rom_deg=60.0,
        duration_s=end - start if complete else float("nan"),
        to_peak_s=peak - start,
        from_peak_s=end - peak if complete else float("nan"),
    )


def test_repetitions_are_shaded_and_their_peaks_numbered():
    reps = (_rep(1, 0.4, 1.0, 1.6), _rep(2, 2.4, 3.0, 3.6), _rep(3, 4.4, 4.9, 0, False))
    marks = RepetitionMarks(
        "shoulder_abduction", "right", reps, "max", ((55.0, "start"), (35.0, "end"))
    )
    fig = angle_time_figure(_set(), ["knee_flexion", "shoulder_abduction"], repetitions=marks)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 3
    assert [(r.x0, r.x1) for r in rects[:2]] == [(0.4, 1.6), (2.4, 3.6)]
    assert rects[2].x0 == 4.4 and rects[2].x1 == pytest.approx(4.9)  # cut: to the end
    assert rects[0].fillcolor == hex_colour("right")
    assert rects[2].line.dash == "dot"  # incomplete: drawn differently
    # on the second row (shoulder abduction), not the first
    assert all(r.yref.startswith("y2") for r in rects)
    (peaks,) = _traces(fig, "rep_peak")
    assert list(peaks.x) == [1.0, 3.0, 4.9]
    assert list(peaks.text) == ["1", "2", "3?"]
    assert peaks.marker.symbol == "triangle-down"
    assert peaks.yaxis == "y2"
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted(s.y0 for s in lines) == [35.0, 55.0]


def test_peak_down_repetitions_point_up():
    marks = RepetitionMarks("knee_flexion", "left", (_rep(1, 0.4, 1.0, 1.6),), "min")
    fig = angle_time_figure(_set(), ["knee_flexion"], repetitions=marks)
    (peaks,) = _traces(fig, "rep_peak")
    assert peaks.marker.symbol == "triangle-up" and peaks.textposition == "bottom center"


def test_repetitions_of_an_angle_not_shown_are_not_drawn():
    marks = RepetitionMarks("shoulder_abduction", "left", (_rep(1, 0.4, 1.0, 1.6),))
    fig = angle_time_figure(_set(), ["knee_flexion"], repetitions=marks)
    assert not _traces(fig, "rep_peak") and not fig.layout.shapes


def test_selected_time_is_a_line_through_every_row():
    fig = angle_time_figure(_set(), ["knee_flexion", "trunk_inclination"], selected_time_s=2.5)
    (line,) = [s for s in fig.layout.shapes if s.type == "line"]
    assert line.x0 == line.x1 == 2.5 and line.yref == "paper" and (line.y0, line.y1) == (0, 1)


def test_identical_raw_and_filtered_draw_one_curve():
    s = _set()
    fig = angle_time_figure(_set(value=np.array(s.raw_deg)), ["knee_flexion"])
    assert not _traces(fig, "raw")
    assert [t.name for t in _traces(fig, "filtered")] == ["Left", "Right"]


def test_a_single_frame_shows_visible_points():
    s = _set()
    one = AngleSet(
        defs=DEFS,
        space="image",
        raw_deg=s.raw_deg[:1],
        value_deg=s.raw_deg[:1],
        confidence=s.confidence[:1],
        foreshortened=s.foreshortened[:1],
        time_s=np.zeros(1),
        frame_index=np.zeros(1, int),
        person_ids=np.array([0]),
    )
    fig = angle_time_figure(one, ["knee_flexion"])
    assert all(t.marker.opacity == 1 for t in _traces(fig, "filtered"))


def test_only_plain_scatter_traces_nothing_from_the_internet():
    reps = (_rep(1, 0.4, 1.0, 1.6),)
    fig = angle_time_figure(
        _set(),
        ["knee_flexion", "shoulder_abduction", "trunk_inclination"],
        repetitions=RepetitionMarks("knee_flexion", "left", reps),
    )
    assert {t.type for t in fig.data} == {"scatter"}
    spec = fig.to_plotly_json()
    layout = {k: v for k, v in spec["layout"].items() if k != "template"}
    assert not {"geo", "mapbox", "map", "images"} & set(layout)
    assert "http" not in json.dumps(layout) + json.dumps(fig.to_plotly_json()["data"], default=str)


def test_bad_requests_fail_clearly():
    with pytest.raises(ValueError):
        angle_time_figure(_set(), [])
    with pytest.raises(KeyError):
        angle_time_figure(_set(), ["hip_flexion"])  # not in this set


def test_the_verdict_not_the_visibility_decides_how_a_series_is_drawn():
    from dashboard.kinematics.validity import CAUTION, WITHHELD, Verdict

    verdicts = {
        ("knee_flexion", "left"): Verdict(WITHHELD, ("the 3D value is known to be wrong",)),
        ("knee_flexion", "right"): Verdict(CAUTION, ("3D estimate",), "reads 14° standing"),
    }
    # every value is well seen (visibility 0.9): the verdict alone changes the drawing
    fig = angle_time_figure(_set(), ["knee_flexion"], verdicts=verdicts)
    assert not [t for t in fig.data if t.meta and t.meta["side"] == "left"]  # no value drawn
    notes = [a.text for a in fig.layout.annotations if (a.name or "").startswith("withheld")]
    assert len(notes) == 1 and "withheld" in notes[0] and "known to be wrong" in notes[0]
    (right,) = _traces(fig, "filtered", "knee_flexion", "right")
    assert right.line.dash == "dot" and "caution" in right.name
    assert "caution" in right.customdata[0][4] and "14° standing" in right.customdata[0][4]
    plain = angle_time_figure(_set(), ["knee_flexion"])
    assert all(t.line.dash in (None, "solid") for t in _traces(plain, "filtered"))


def test_values_left_out_as_implausible_break_the_line():
    s = _set()
    value = np.array(s.value_deg)
    value[10:13, 0, _col("knee_flexion", "left")] = -60.0  # hyperextension: implausible
    fig = angle_time_figure(_set(value=value), ["knee_flexion"])
    (left,) = _traces(fig, "filtered", "knee_flexion", "left")
    assert np.isnan(np.asarray(left.y, float)[10:13]).all()
    (rings,) = _traces(fig, "implausible", "knee_flexion", "left")
    assert len(rings.x) == 3
