"""Measurements made by hand: geometry with known answers, records, hostile input, and
their drawing on a frame."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.errors import InputError
from dashboard.figures.annotate import ANGLE_COLOUR, draw_measurements
from dashboard.manual import (
    SOURCE,
    angle_at,
    check_points,
    frame_ref,
    make_angle,
    make_distance,
    make_note,
    measurements_from_json,
    measurements_table,
    scale_from_height,
    scale_from_reference,
    segments_angle,
    words,
)
from dashboard.manual.records import MAX_TEXT, FrameRef, from_dict
from dashboard.poses import PoseSequence

WHERE = FrameRef(0, 0, 0.0, (1000, 600))


def _seq(frames: int = 5) -> PoseSequence:
    return PoseSequence.empty(frames, 1, (1000, 600), time_s=np.arange(frames) / 30)


# -- geometry: known answers ---------------------------------------------------
@pytest.mark.parametrize("deg", [0.5, 10, 45, 90, 135, 179.5])
def test_angle_at_three_points_known_answers(deg):
    v = (400.0, 300.0)
    a = (v[0] + 200, v[1])  # one arm to the right
    th = math.radians(deg)
    c = (v[0] + 150 * math.cos(th), v[1] - 150 * math.sin(th))  # y down: minus for up
    assert angle_at(a, v, c) == pytest.approx(deg, abs=1e-9)
    assert angle_at(c, v, a) == pytest.approx(deg, abs=1e-9)  # order of the arms


def test_angle_is_stable_near_straight_and_closed():
    assert angle_at((0, 0), (100, 0), (200, 1e-6)) == pytest.approx(180, abs=1e-5)
    assert angle_at((200, 0), (0, 0), (200, 1e-6)) == pytest.approx(0, abs=1e-5)


def test_segments_angle_known_answers():
    assert segments_angle((0, 0), (10, 0), (5, 5), (5, 15)) == pytest.approx(90)
    assert segments_angle((0, 0), (10, 0), (0, 5), (10, 5)) == pytest.approx(0)
    assert segments_angle((0, 0), (10, 0), (10, 5), (0, 5)) == pytest.approx(180)
    # a trunk leaning 30 deg forward of vertical, against a vertical reference line
    trunk = ((0.0, 0.0), (100 * math.sin(math.radians(30)), -100 * math.cos(math.radians(30))))
    assert segments_angle(*trunk, (50, 50), (50, -50)) == pytest.approx(30)


def test_non_square_picture_angles_are_in_pixels():
    """A 1920 x 1080 frame: the angle is the one in the picture's pixels (not in
    coordinates normalised by width and height, which would distort it)."""
    assert angle_at((1920, 0), (0, 0), (1080, 1080)) == pytest.approx(45)


def test_distance_with_a_reference_scale():
    scale = scale_from_reference((100, 500), (900, 500), 2.0)  # 2 m over 800 px
    assert scale.metres_per_px == pytest.approx(0.0025)
    m = make_distance(WHERE, [(100, 100), (400, 500)], scale)  # 500 px (3-4-5)
    assert m.value == pytest.approx(1.25) and m.pixels == pytest.approx(500)
    assert m.unit == "m" and "2.00 m over 800 pixels" in words(m)


def test_distance_with_a_height_scale_and_without_scale():
    scale = scale_from_height(850.0, 1.70)  # 0.002 m per px
    assert scale.metres((0, 0), (0, 300)) == pytest.approx(0.6)
    m = make_distance(WHERE, [(0, 0), (300, 400)], None)
    assert math.isnan(m.value) and "500 px (no scale)" in words(m)


@pytest.mark.parametrize(
    "args, needle",
    [
        (((100, 100), (103, 100), 1.0), "too close together"),
        (((0, 0), (500, 0), 0.0), "between"),
        (((0, 0), (500, 0), float("nan")), "between"),
        (((0, 0), (500, 0), "two"), "not a number"),
    ],
)
def test_bad_reference_scales_are_refused(args, needle):
    with pytest.raises(InputError, match=needle):
        scale_from_reference(*args)


def test_bad_height_scales_are_refused():
    with pytest.raises(InputError, match=r"between 0\.5 and 2\.5"):
        scale_from_height(800, 3.0)
    with pytest.raises(InputError, match="not known on this frame"):
        scale_from_height(float("nan"), 1.7)


# -- hostile points ---------------------------------------------------------------
def test_points_off_the_picture_nan_and_too_close_are_refused_with_reasons():
    with pytest.raises(InputError, match="Point 2 is off the picture"):
        check_points([(10, 10), (1200, 10)], (1000, 600))
    with pytest.raises(InputError, match="Point 1 has no position"):
        make_angle(WHERE, [(float("nan"), 1), (5, 5), (9, 9)])
    with pytest.raises(InputError, match="too close to the vertex"):
        make_angle(WHERE, [(100, 100), (101, 101), (300, 300)])
    with pytest.raises(InputError, match="needs 3 points; 2 placed"):
        make_angle(WHERE, [(100, 100), (200, 200)])
    with pytest.raises(InputError, match="not a point"):
        check_points([("x",)])


def test_a_frame_that_does_not_exist_is_refused():
    seq = _seq(5)
    assert frame_ref(seq, 4).time_s == pytest.approx(4 / 30)
    for row in (5, -1, "x", None):
        with pytest.raises(InputError):
            frame_ref(seq, row)
    with pytest.raises(InputError, match="Frame 6 is not in this analysis"):
        frame_ref(seq, 5)


# -- hostile notes ------------------------------------------------------------------
def test_notes_keep_formulas_and_markup_as_text_and_drop_control_characters():
    m = make_note(WHERE, (10, 10), '=HYPERLINK("http://x")\x00\x1b[31m <b>bold</b>\u202e')
    assert m.text == '=HYPERLINK("http://x") [31m <b>bold</b>'
    assert m.source == SOURCE and m.kind == "note"
    table = measurements_table([m])
    assert table["Note"].iloc[0] == m.text  # neutralised where written (CSV), not here
    assert table["Source"].iloc[0] == "measured by hand"


def test_a_100000_character_note_is_refused_not_cut():
    with pytest.raises(InputError, match="100,000 characters long; at most 500"):
        make_note(WHERE, (10, 10), "x" * 100_000)
    assert len(make_note(WHERE, (10, 10), "y" * MAX_TEXT).text) == MAX_TEXT


def test_empty_note_is_refused():
    with pytest.raises(InputError, match="empty"):
        make_note(WHERE, (10, 10), " \n\t ")


# -- records round trip and damaged files -----------------------------------------
def test_round_trip_recomputes_values_from_points():
    seq = _seq()
    where = frame_ref(seq, 2)
    saved = [
        make_angle(where, [(100, 100), (200, 200), (300, 100)], label="Knee").as_dict(),
        make_angle(
            where,
            [(0, 0), (100, 0), (0, 10), (0, 110)],
            method="two segments",
            reading="from_straight",
        ).as_dict(),
        make_distance(
            where, [(0, 0), (0, 400)], scale_from_reference((0, 0), (0, 200), 1)
        ).as_dict(),
        make_note(where, (5, 5), "ok").as_dict(),
    ]
    saved[0]["value"] = 12.0  # a value edited in the file is not trusted
    got, notes = measurements_from_json(saved, seq)
    assert notes == ()
    assert [m.kind for m in got] == ["angle", "angle", "distance", "note"]
    assert got[0].value == pytest.approx(90) and got[0].label == "Knee"
    assert got[1].value == pytest.approx(90) and got[1].included_deg == pytest.approx(90)
    assert got[2].value == pytest.approx(2.0)
    assert got[0].where.frame == 2 and got[0].id == saved[0]["id"]


def test_damaged_entries_are_left_out_with_a_reason_and_the_rest_kept():
    seq = _seq(3)
    good = make_note(frame_ref(seq, 0), (5, 5), "keep me").as_dict()
    bad_frame = dict(good, row=99)
    bad_point = dict(good, points=[[5000, 5]])
    huge = dict(good, text="z" * 100_000)
    got, notes = measurements_from_json(
        [good, bad_frame, bad_point, huge, "junk", {"kind": "laser"}], seq
    )
    assert [m.text for m in got] == ["keep me"]
    assert len(notes) == 5
    assert "Frame 100 is not in this analysis" in notes[0]
    assert "off the picture" in notes[1]
    assert "100,000 characters" in notes[2]
    assert measurements_from_json(None, seq) == ((), ())
    assert measurements_from_json({"not": "a list"}, seq)[0] == ()
    with pytest.raises(InputError):
        from_dict({"kind": "angle", "row": 0, "points": [[1, 1]] * 3, "method": "x"}, seq)


def test_words_say_measured_by_hand_with_frame_and_time():
    seq = _seq(40)
    m = make_angle(frame_ref(seq, 30), [(100, 100), (200, 200), (300, 100)], label="Knee")
    assert words(m) == (
        "Knee: 90.0° (angle between the arms, three points; frame 30, 1.00 s; measured by hand)"
    )
    row = measurements_table([m]).iloc[0]
    assert (row["Frame"], row["Time (s)"], row["Value"]) == (30, 1.0, "90.0°")


# -- drawing ---------------------------------------------------------------------------
def test_drawing_scales_points_to_the_picture_given():
    m = make_angle(WHERE, [(100, 500), (500, 500), (500, 100)])
    small = np.zeros((300, 500, 3), np.uint8)  # half the analysed size
    out = draw_measurements(small, [m], (1000, 600), mark=False)
    assert out.shape == small.shape and small.sum() == 0  # a copy
    # the horizontal arm runs along y = 250 in the half-size picture
    row = out[250, 60:240]
    assert (np.abs(row.astype(int) - ANGLE_COLOUR).sum(axis=1) < 60).mean() > 0.9
    assert out[50, 50].sum() == 0  # far from every line: untouched


def test_drawing_nothing_returns_the_picture_unmarked():
    img = np.full((50, 60, 3), 7, np.uint8)
    assert np.array_equal(draw_measurements(img, []), img)
    marked = draw_measurements(img, [make_note(FrameRef(0, 0, 0, (60, 50)), (5, 5), "é ° ✓")])
    assert not np.array_equal(marked, img)
