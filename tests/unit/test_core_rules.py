"""Rules the pages used to re-derive, now in the core: automatic repetition thresholds,
frame rate and the Nyquist limit, angle lookup, the dominant camera view, suggested
angles; and the Analysis the engine builds (with its video index)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from dashboard.detect import engine
from dashboard.kinematics import (
    ANGLE_KEYS,
    CATALOGUE,
    ORDERED_KEYS,
    FilterSettings,
    angle_def,
    auto_levels,
    detect_repetitions,
    dominant_view,
    frame_rate_hz,
    lowpass_possible,
    measures,
    robust_range,
    sides,
    suggested_angles,
)
from dashboard.media import video
from dashboard.outputs import interop
from dashboard.settings import AnalysisSettings


def _raises(n=4, rate=30.0, rest=10.0, peak=90.0):
    """n raises (rest -> peak -> rest, 2 s each) with 1 s rests, sampled at ``rate``."""
    t = np.arange(0, n * 3.0 + 1.0, 1.0 / rate)
    phase = np.clip((t % 3.0) - 1.0, 0.0, 2.0) / 2.0  # 0..1 during a raise
    return t, rest + (peak - rest) * np.sin(np.pi * phase) ** 2


def test_auto_levels_are_the_thresholds_detect_repetitions_uses():
    t, x = _raises()
    for polarity, series in (("max", x), ("min", 100.0 - x), ("auto", x), ("auto", -x)):
        auto = auto_levels(series, polarity)
        lo, hi = np.percentile(series, [5, 95])
        assert auto.range_deg == pytest.approx(hi - lo)
        assert auto.polarity == (
            "max"
            if polarity == "auto" and series is x
            else "min"
            if polarity == "auto"
            else polarity
        )
        chosen = detect_repetitions(series, t, polarity=polarity)
        given = detect_repetitions(
            series, t, polarity=auto.polarity, enter_deg=auto.enter_deg, exit_deg=auto.exit_deg
        )
        assert [r.peak_index for r in chosen] == [r.peak_index for r in given]
        assert sum(r.complete for r in chosen) == 4
        by_prominence = detect_repetitions(
            series,
            t,
            method="prominence",
            polarity=auto.polarity,
            prominence_deg=auto.prominence_deg,
        )
        assert len(by_prominence) == len(
            detect_repetitions(series, t, method="prominence", polarity=auto.polarity)
        )
    lo, hi = np.percentile(x, [5, 95])
    assert auto_levels(x, "max").enter_deg == pytest.approx(lo + 0.6 * (hi - lo))
    assert auto_levels(x, "min").exit_deg == pytest.approx(hi - 0.35 * (hi - lo))


def test_auto_levels_and_robust_range_without_enough_values():
    few = np.array([np.nan, 3.0, np.nan, 4.0])
    levels = auto_levels(few, "auto")
    assert levels.polarity == "max" and np.isnan(levels.enter_deg) and levels.range_deg == 0
    assert robust_range(few) == 0.0
    assert robust_range(np.arange(101.0)) == pytest.approx(90.0)


def test_frame_rate_and_the_nyquist_limit():
    t = np.arange(50) / 10.0
    assert frame_rate_hz(t) == pytest.approx(10.0)
    assert frame_rate_hz([0.0]) is None and frame_rate_hz([1.0, 1.0]) is None
    assert interop.frame_rate(t)[0] == pytest.approx(frame_rate_hz(t))
    assert lowpass_possible(4.9, 10.0) and not lowpass_possible(5.0, 10.0)
    assert FilterSettings(cutoff_hz=6.0).lowpass_skipped(t) == pytest.approx(10.0)
    assert FilterSettings(cutoff_hz=4.0).lowpass_skipped(t) is None
    assert FilterSettings(method="one_euro").lowpass_skipped(t) is None
    assert FilterSettings().lowpass_skipped([0.0]) is None  # a photo


def test_angle_lookup_and_one_measuring_function_per_angle():
    assert angle_def("knee_flexion", None) is angle_def("knee_flexion", "left")
    assert angle_def("pelvic_obliquity", None) is angle_def("pelvic_obliquity")
    assert sides("knee_flexion") == ("left", "right") and sides("shoulder_tilt") == ("",)
    with pytest.raises(KeyError):
        sides("nose_wiggle")
    assert sorted(ORDERED_KEYS) == sorted(ANGLE_KEYS)
    for d in CATALOGUE:
        assert d.measure is getattr(measures, d.key)
    assert set(measures.__all__) == set(ANGLE_KEYS)


def test_dominant_view():
    yaw = np.array([80.0, 85.0, np.nan, 75.0, 20.0])
    view = dominant_view(yaw)
    assert view.view == "side" and view.median_yaw_deg == pytest.approx(77.5)
    assert view.share == pytest.approx(0.75)
    assert dominant_view(np.full(3, np.nan)) == ("", pytest.approx(np.nan, nan_ok=True), 0.0)
    assert dominant_view(np.array([30.0, 40.0])).view == "oblique"
    assert dominant_view(np.array([30.0, 40.0]), tolerance_deg=40.0).view == "front"


class _Moves:
    """An AngleSet stand-in whose angles move by a chosen amount."""

    def __init__(self, moves):
        self.moves = moves

    def movement(self, key, side="", person=0):
        return self.moves.get(key, 0.0)


def test_suggested_angles():
    side_view = [k for k in ORDERED_KEYS if angle_def(k, None).view in ("side", "any")]
    assert suggested_angles(None, 0, "side", is_photo=True) == side_view
    assert suggested_angles(None, 0, "oblique", is_photo=True) == list(ORDERED_KEYS)
    # a squat filmed from the side: knee and hip flexion first when they move
    squat = _Moves({"knee_flexion": 90.0, "hip_flexion": 60.0, "ankle_dorsiflexion": 95.0})
    assert suggested_angles(squat, 0, "side", is_photo=False) == ["knee_flexion", "hip_flexion"]
    # a lateral raise from the front: what moves most among the front-view angles
    raise_ = _Moves({"shoulder_abduction": 80.0, "elbow_flexion": 10.0, "knee_flexion": 40.0})
    assert suggested_angles(raise_, 0, "front", is_photo=False) == [
        "shoulder_abduction",
        "elbow_flexion",
    ]


def test_the_engine_builds_the_analysis_and_keeps_the_video_index(media_dir, model_info):
    data = (media_dir / "videos" / "tfjs_pose_squats_front.mp4").read_bytes()
    settings = AnalysisSettings()
    analysis = engine.video_analysis(
        data, model_info, settings, name="squats.mp4", stride=2, workers=1
    )
    assert analysis.kind == "video" and analysis.stride == 2
    assert analysis.source_sha256 == hashlib.sha256(data).hexdigest()
    assert analysis.model == model_info.as_dict() and analysis.settings == settings
    assert analysis.fps == pytest.approx(video.probe_video(data, "squats.mp4").fps)
    assert analysis.video_index.num_frames == video.index_video(data).num_frames
    again = engine.analyze_video(data, model_info, settings, stride=2, workers=1, name="squats.mp4")
    np.testing.assert_array_equal(analysis.poses.image_xy, again.image_xy)
    assert analysis == analysis.__class__(**{**analysis.__dict__, "video_index": None})
    rgb = video.read_frame(data, 0)
    photo = engine.photo_analysis(rgb, model_info, settings, name="frame.png", sha256="ab")
    assert (photo.kind, photo.source_name, photo.source_sha256) == ("photo", "frame.png", "ab")
    assert photo.poses.num_frames == 1 and photo.video_index is None
