"""The live camera core on synthetic data with known answers: rate statistics,
latest-frame-wins processing, the max/min hold, the streaming repetition counter
and the recording turned into an analysis."""

from __future__ import annotations

import itertools
from datetime import datetime

import numpy as np
import pytest

from dashboard.errors import InputError, ModelError
from dashboard.kinematics.reps import detect_repetitions
from dashboard.kinematics.summary import compute_kinematics
from dashboard.live.processor import LiveOptions, LiveProcessor
from dashboard.live.readout import RomHold, StreamingRepCounter
from dashboard.live.recorder import LiveRecorder, landmarks_sha256, recording_name
from dashboard.live.stats import LiveStats
from dashboard.outputs.session import load_session, save_session
from dashboard.skeleton import NUM_LANDMARKS


# -- stats -------------------------------------------------------------------
def test_rate_and_latency_percentiles():
    stats = LiveStats(window_s=2.0)
    for i in range(100):  # 25 frames per second, latencies 1..100 ms
        stats.add(i * 0.04, (i + 1) / 1000.0, dropped=1 if i % 10 == 0 else 0)
    s = stats.summary(now_s=99 * 0.04)
    assert s.fps == pytest.approx(25.0)
    assert s.fps_text == "25.0 fps"
    assert s.latency_p50_ms == pytest.approx(50.5)
    assert s.latency_p95_ms == pytest.approx(95.05)
    assert (s.processed, s.dropped) == (100, 10)
    assert s.latency_text == "50 ms (p95 95 ms)"


def test_rate_unknown_before_two_frames_and_after_a_stall():
    stats = LiveStats(window_s=2.0)
    assert stats.summary().fps_text == "– fps"
    stats.add(0.0, 0.01)
    assert np.isnan(stats.summary(0.0).fps)
    stats.add(0.03, 0.01)
    assert np.isnan(stats.summary(0.03).fps)  # two frames 30 ms apart: no rate yet
    for t in (0.2, 0.4, 0.6):
        stats.add(t, 0.01)
    assert stats.summary(0.6).fps == pytest.approx(4 / 0.6)
    assert np.isnan(stats.summary(5.0).fps)  # nothing for 5 s: no rate is claimed


# -- processor ---------------------------------------------------------------
def _found(shift: float = 0.0, vis: float = 0.9, people: int = 1):
    """A standing figure, arms down (world and image), all landmarks seen."""
    rng = np.random.default_rng(0)
    xy = rng.uniform(200, 400, (people, NUM_LANDMARKS, 2)) + shift
    world = rng.uniform(-0.5, 0.5, (people, NUM_LANDMARKS, 3))
    return {
        "image_xy": xy,
        "z": np.zeros((people, NUM_LANDMARKS)),
        "visibility": np.full((people, NUM_LANDMARKS), vis),
        "presence": np.full((people, NUM_LANDMARKS), vis),
        "world_m": world,
    }


class FakeLandmarker:
    """Records what it was asked to detect (frame marker, timestamp)."""

    def __init__(self):
        self.seen = []

    def __call__(self, rgb, ms):
        self.seen.append((int(rgb[0, 0, 0]), ms))
        return _found()


def _frame(marker: int, size=(64, 48)):
    rgb = np.zeros((size[1], size[0], 3), np.uint8)
    rgb[0, 0, 0] = marker
    rgb[:, : size[0] // 2, 1] = 200  # left half green: shows a mirror
    return rgb


def _processor(fake, clock=None, **options):
    ticks = iter(np.arange(0, 1000, 0.01))
    proc = LiveProcessor(
        options=LiveOptions(**options),
        landmarker_factory=lambda: fake,
        clock=clock or (lambda: float(next(ticks))),
    )
    proc.prepare(background=False)
    return proc


def test_latest_frame_wins_and_drops_are_counted():
    fake = FakeLandmarker()
    proc = _processor(fake)
    out = proc.process_latest([(_frame(1), 0.0), (_frame(2), 0.033), (_frame(3), 0.066)])
    proc.process_latest([(_frame(4), 0.1)])
    proc.process_latest([(_frame(5), 0.133), (_frame(6), 0.166)])
    assert [m for m, _ in fake.seen] == [3, 4, 6]  # only the newest of each batch
    stamps = [ms for _, ms in fake.seen]
    assert all(b > a for a, b in itertools.pairwise(stamps))  # VIDEO mode needs increasing times
    snap = proc.snapshot()
    assert (snap.rate.processed, snap.rate.dropped) == (3, 3)
    assert out.shape == (48, 64, 3) and out[10, 5, 1] == 200  # not mirrored


def test_mirror_flips_the_picture_shown_not_the_landmarks():
    fake = FakeLandmarker()
    proc = _processor(fake, mirror=True)
    proc.start_recording()
    out = proc.process(_frame(1), 0.0)
    assert out[10, 5, 1] == 0 and out[10, 60, 1] == 200
    analysis = proc.stop_recording()
    np.testing.assert_allclose(analysis.poses.image_xy[0, 0], _found()["image_xy"][0])


def test_changing_the_angle_resets_the_hold_and_reps_but_mirror_does_not():
    proc = _processor(FakeLandmarker())
    proc._hold.update(50.0, 0.0)
    proc.configure(LiveOptions(mirror=True))
    assert proc.snapshot().max_deg == 50.0
    proc.configure(LiveOptions(angle_key="elbow_flexion", side="right", mirror=True))
    assert np.isnan(proc.snapshot().max_deg)


def test_a_model_that_cannot_load_gives_a_message_and_the_plain_picture():
    def broken():
        raise ModelError("The model x.task could not be loaded: bad file")

    proc = LiveProcessor(landmarker_factory=broken)
    proc.prepare(background=False)
    frame = _frame(7)
    out = proc.process(frame, 0.0)
    assert np.array_equal(out, frame)
    assert "could not be loaded" in proc.snapshot().error


# -- hold --------------------------------------------------------------------
def test_hold_keeps_max_min_and_the_picture_at_the_max_until_reset():
    hold = RomHold()
    pictures = {}
    for t, v in enumerate([10.0, np.nan, 40.0, 95.0, 60.0, 5.0, 90.0]):
        pictures[t] = np.full((2, 2, 3), t, np.uint8)
        hold.update(v, float(t), picture=lambda t=t: pictures[t])
    assert (hold.max_deg, hold.min_deg, hold.range_deg) == (95.0, 5.0, 90.0)
    assert (hold.max_time_s, hold.min_time_s) == (3.0, 5.0)
    assert hold.max_picture[0, 0, 0] == 3
    assert hold.samples == 6  # the NaN is not a sample
    hold.reset()
    assert np.isnan(hold.max_deg) and hold.max_picture is None
    hold.update(20.0, 9.0)
    assert hold.max_deg == hold.min_deg == 20.0


# -- streaming repetitions -----------------------------------------------------
def _cycles(n_reps=5, rest_s=1.0, rep_s=2.0, fps=30, low=10.0, high=100.0, noise=2.0, seed=1):
    rng = np.random.default_rng(seed)
    parts = [np.full(int(rest_s * fps), low)]
    for _ in range(n_reps):
        phase = np.linspace(0, 2 * np.pi, int(rep_s * fps))
        parts += [low + (high - low) * (1 - np.cos(phase)) / 2, np.full(int(rest_s * fps), low)]
    x = np.concatenate(parts) + rng.normal(0, noise, sum(map(len, parts)))
    return x, np.arange(len(x)) / fps


@pytest.mark.parametrize("n_reps", [1, 3, 6])
def test_streaming_count_matches_the_batch_detector(n_reps):
    x, t = _cycles(n_reps)
    x[::17] = np.nan  # gaps are skipped
    counter = StreamingRepCounter()
    counts = [counter.update(v) for v in x]
    batch = detect_repetitions(x, t, method="hysteresis")
    assert counts[-1] == sum(r.complete for r in batch) == n_reps
    assert counts == sorted(counts)  # never goes back
    assert counter.last_peak_deg == pytest.approx(100.0, abs=8)


def test_a_stream_starting_mid_rep_does_not_count_that_half():
    x, _ = _cycles(3, rest_s=1.0)
    start = 30 + 30  # half way up the first repetition
    counter = StreamingRepCounter()
    for v in x[start:]:
        counter.update(v)
    assert counter.count == 2


def test_min_polarity_and_fixed_thresholds():
    x, t = _cycles(4, low=10.0, high=100.0)
    sit_to_stand = 110.0 - x  # rest high, reps go down
    counter = StreamingRepCounter(polarity="min")
    for v in sit_to_stand:
        counter.update(v)
    assert (
        counter.count
        == 4
        == sum(r.complete for r in detect_repetitions(sit_to_stand, t, polarity="min"))
    )
    fixed = StreamingRepCounter(enter_deg=70.0, exit_deg=40.0)
    for v in x:
        fixed.update(v)
    assert fixed.count == 4
    with pytest.raises(ValueError):
        StreamingRepCounter(enter_deg=30.0, exit_deg=40.0)


def test_noise_around_a_posture_is_no_repetition():
    rng = np.random.default_rng(3)
    counter = StreamingRepCounter()
    for v in 45.0 + rng.normal(0, 3.0, 600):
        counter.update(v)
    assert counter.count == 0


# -- recording -----------------------------------------------------------------
def test_recording_becomes_a_video_analysis_with_true_times():
    rec = LiveRecorder()
    rec.add(0.0, _found(), (640, 480))  # not recording: ignored
    rec.start(datetime(2026, 12, 1, 16, 20, 31))
    times = 100.0 + np.cumsum([0.0, 0.041, 0.039, 0.05, 0.04])
    for i, t in enumerate(times):
        rec.add(t, _found(shift=i), (640, 480))
    rec.add(times[-1], _found(), (640, 480))  # a repeated time is ignored
    rec.add(times[-1] + 0.04, _found(shift=5), (1280, 960))
    rec.stop()
    analysis = rec.to_analysis()
    seq = analysis.poses
    assert analysis.kind == "video"
    assert analysis.source_name == "Live recording 2026-12-01 16:20" == recording_name(rec.started)
    assert seq.num_frames == 6 and seq.image_size == (640, 480)
    np.testing.assert_allclose(seq.time_s, np.r_[times - times[0], times[-1] + 0.04 - times[0]])
    np.testing.assert_array_equal(seq.frame_index, np.arange(6))
    np.testing.assert_allclose(seq.image_xy[5, 0], (_found(shift=5)["image_xy"][0]) / 2)
    assert analysis.fps == pytest.approx(25.0, rel=0.05)
    assert analysis.source_sha256 == landmarks_sha256(seq) and len(analysis.source_sha256) == 64
    # usable as any analysis: angles, and a session file that reopens the same
    kin = compute_kinematics(seq)
    assert kin is not None
    reopened = load_session(save_session(analysis))
    assert reopened.poses.equals(seq) and reopened.source_name == analysis.source_name


def test_frames_without_anybody_are_kept_as_gaps():
    rec = LiveRecorder()
    rec.start()
    rec.add(0.0, _found(), (640, 480))
    empty = {k: v[:0] for k, v in _found().items()}
    rec.add(0.04, empty, (640, 480))
    seq = rec.to_poses()
    assert seq.detected[:, 0].tolist() == [True, False]


def test_an_empty_recording_is_a_clear_error():
    rec = LiveRecorder()
    rec.start()
    with pytest.raises(InputError, match="holds no frame"):
        rec.to_analysis()
    proc = _processor(FakeLandmarker())
    proc.start_recording()
    assert proc.stop_recording() is None


def test_frames_pass_through_undrawn_while_the_model_loads_in_the_background():
    import threading

    release = threading.Event()
    fake = FakeLandmarker()

    def slow():
        release.wait(10)
        return fake

    proc = LiveProcessor(landmarker_factory=slow)
    frame = _frame(1)
    assert np.array_equal(proc.process(frame, 0.0), frame)  # not blocked by the loading
    assert proc.snapshot().loading and proc.snapshot().rate.processed == 0
    release.set()
    for _ in range(100):
        if not proc.snapshot().loading:
            break
        threading.Event().wait(0.05)
    proc.process(_frame(2), 0.04)
    assert [m for m, _ in fake.seen] == [2] and proc.snapshot().rate.processed == 1
    proc.close()
    assert not proc.snapshot().loading
