"""A metric scale from two floor marks (dashboard/kinematics/gait/scale.py): known
answers on the synthetic walker, hostile marks refused with the reason."""

from __future__ import annotations

import math

import pytest

from dashboard.errors import InputError
from dashboard.kinematics.gait import GaitSettings, analyze_gait
from dashboard.kinematics.gait.scale import floor_error_pct, floor_marks
from tests.gait_walker import GROUND, H, walker

SIZE = (4000, 1000)


def test_marks_give_the_same_metres_as_the_true_height():
    """The walker is H pixels tall; marks H pixels apart said to be 1.70 m give the
    lengths the height 1.70 m gives (the body-height estimate aside: both use it)."""
    seq, _ = walker(fps=30.0, directions=(1, -1))
    by_height = analyze_gait(seq, GaitSettings(height_m=1.70))
    marks = (200.0, GROUND, 200.0 + H, GROUND, 1.70)
    by_marks = analyze_gait(seq, GaitSettings(floor_marks=marks))
    h, m = by_height.per_side["both"], by_marks.per_side["both"]
    implied = by_marks.to_dict()["scale"]["implied_height_m_per_pass"]
    for v in implied:  # the body-height estimate of the walker, in metres
        assert v == pytest.approx(1.70, rel=0.03)
    ratio = 1.70 / implied[0]
    for key in ("stride_length_m", "step_length_m", "speed_m_s"):
        assert m[key]["mean"] == pytest.approx(h[key]["mean"] / ratio, rel=0.01), key
    # the walker's true stride: 0.75 body heights/s x 1.1 s = 0.825 H = 1.4025 m
    assert m["stride_length_m"]["mean"] == pytest.approx(0.825 * 1.70, rel=0.02)
    doc = by_marks.to_dict()["scale"]
    assert doc["method"] == "floor_marks" and doc["unit"] == "m"
    assert doc["floor_marks"]["length_px"] == pytest.approx(H)
    assert 3 < doc["relative_error_pct"] < 5
    assert by_height.to_dict()["scale"]["method"] == "height"
    assert analyze_gait(seq).to_dict()["scale"]["method"] == "none"


def test_the_marks_win_over_the_height_and_say_so():
    seq, _ = walker(fps=30.0, directions=(1,))
    r = analyze_gait(seq, GaitSettings(height_m=1.0, floor_marks=(0, 900, 600, 900, 1.70)))
    assert r.to_dict()["scale"]["method"] == "floor_marks"
    assert any("from the floor marks" in w for w in r.warnings)


@pytest.mark.parametrize(
    ("a", "b", "d", "words"),
    [
        ((100, 500), (100, 500), 1.0, "the same point clicked twice"),
        ((100, 500), (110, 502), 1.0, "the same point clicked twice"),
        ((100, 500), (5000, 500), 1.0, "off the picture"),
        ((-3, 500), (800, 500), 1.0, "off the picture"),
        ((100, 500), (900, 500), 0.0, "above 0 m"),
        ((100, 500), (900, 500), -2.0, "above 0 m"),
        ((100, 500), (900, 500), float("nan"), "finite number"),
        ((100, 500), (900, 500), "two", "must be a number"),
        ((100, 500), (900, 500), 500.0, "in metres"),
        ((100, 100), (150, 900), 1.0, "along the walkway"),
        ((float("inf"), 500), (900, 500), 1.0, "finite number"),
        (None, (900, 500), 1.0, "two numbers"),
    ],
)
def test_hostile_marks_are_refused_with_the_reason(a, b, d, words):
    with pytest.raises(InputError, match=words):
        floor_marks(a, b, d, SIZE)


def test_settings_refuse_hostile_marks_and_a_mark_off_the_video():
    with pytest.raises(ValueError, match="same point"):
        GaitSettings(floor_marks=(10, 10, 10, 10, 1.0))
    with pytest.raises(ValueError, match="above 0 m"):
        GaitSettings(floor_marks=(10, 10, 500, 10, 0))
    with pytest.raises(ValueError, match="floor_marks"):
        GaitSettings(floor_marks=(10, 10, 500))
    seq, _ = walker(fps=30.0, directions=(1,))
    w = seq.image_size[0]
    with pytest.raises(InputError, match="off the picture"):
        analyze_gait(seq, GaitSettings(floor_marks=(10, 900, w + 50, 900, 1.0)))
    # saved and read back
    s = GaitSettings(floor_marks=(10, 900, 500, 900, 1.5))
    assert GaitSettings.from_dict(s.as_dict()) == s


def test_error_estimate():
    far = floor_marks((0, 500), (1000, 500), 2.0)
    near = floor_marks((0, 500), (100, 500), 2.0)
    assert far.click_error_pct == pytest.approx(100 * math.sqrt(2) * 2 / 1000)
    assert floor_error_pct(far) < floor_error_pct(near)
