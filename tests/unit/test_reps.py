"""Repetition counting on synthetic signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics.reps import RepetitionSettings, detect_repetitions

FPS = 30.0


def _cycles(n, period=2.0, rest=10.0, peak=100.0, lead=1.0, tail=1.0, noise=0.0, seed=0):
    """n raised-cosine excursions from ``rest`` to ``peak`` with rests around them."""
    t = np.arange(0, lead + n * period + tail, 1 / FPS)
    x = np.full(len(t), rest)
    phase = (t - lead) / period
    inside = (phase >= 0) & (phase < n)
    x[inside] = rest + (peak - rest) * 0.5 * (1 - np.cos(2 * np.pi * phase[inside]))
    x = x + np.random.default_rng(seed).normal(0, noise, len(t)) if noise else x
    return x, t


@pytest.mark.parametrize("method", ["hysteresis", "prominence"])
@pytest.mark.parametrize("seed", range(5))
def test_five_noisy_cycles_give_exactly_five(method, seed):
    x, t = _cycles(5, noise=3.0, seed=seed)
    reps = detect_repetitions(x, t, method=method)
    assert len(reps) == 5 and all(r.complete for r in reps)


def test_timing_rom_and_tempo_of_clean_cycles():
    x, t = _cycles(3, period=2.0, rest=10.0, peak=100.0, lead=1.0)
    reps = detect_repetitions(x, t)
    assert [r.number for r in reps] == [1, 2, 3]
    for k, r in enumerate(reps):
        assert r.peak_time_s == pytest.approx(1.0 + 2.0 * k + 1.0, abs=1 / FPS)
        assert r.peak_deg == pytest.approx(100.0, abs=0.1)
        assert r.rom_deg == pytest.approx(90.0, abs=0.1)
        # 10 % onset of a raised cosine: 1 - cos(2 pi u) = 0.2 -> u = 0.1024
        u = np.arccos(0.8) / (2 * np.pi)
        assert r.start_time_s == pytest.approx(1.0 + 2.0 * k + 2.0 * u, abs=0.005)
        assert r.end_time_s == pytest.approx(1.0 + 2.0 * (k + 1) - 2.0 * u, abs=0.005)
        assert r.duration_s == pytest.approx(2.0 * (1 - 2 * u), abs=0.01)
        assert r.to_peak_s == pytest.approx(r.from_peak_s, abs=0.01)
        assert t[r.peak_index] == r.peak_time_s


def test_asymmetric_tempo():
    """Slow lowering (2 s), fast rise (1 s): the tempo says so."""
    t = np.arange(0, 8, 1 / FPS)
    x = np.zeros(len(t))
    for start in (1.0, 4.5):
        down = (t >= start) & (t < start + 2)
        up = (t >= start + 2) & (t < start + 3)
        x[down] = 90 * (t[down] - start) / 2
        x[up] = 90 * (1 - (t[up] - start - 2))
    reps = detect_repetitions(x, t)
    assert len(reps) == 2
    for r in reps:
        assert r.to_peak_s == pytest.approx(0.9 * 2.0, abs=0.05)
        assert r.from_peak_s == pytest.approx(0.9 * 1.0, abs=0.05)


def test_polarity_min_for_sit_to_stand():
    """Knee flexion 90 (sitting) -> 0 (standing) -> 90: reps are troughs."""
    x, t = _cycles(4, rest=0.0, peak=90.0)
    sit_to_stand = 90.0 - x
    for polarity in ("min", "auto"):
        reps = detect_repetitions(sit_to_stand, t, polarity=polarity)
        assert len(reps) == 4
        assert all(r.peak_deg == pytest.approx(0.0, abs=0.1) for r in reps)
        assert all(r.rom_deg == pytest.approx(90.0, abs=0.1) for r in reps)
    assert len(detect_repetitions(x, t, polarity="auto")) == 4
    # 'max' (the default) on a sit-to-stand signal counts the seated phases
    # between stands instead: only the 3 complete ones between the 4 stands
    assert sum(r.complete for r in detect_repetitions(sit_to_stand, t)) == 3


def test_cut_repetitions_are_reported_as_incomplete():
    x, t = _cycles(3, lead=0.0, tail=0.0)
    x, t = x[15:-20], t[15:-20]  # starts mid-rise, ends mid-descent
    reps = detect_repetitions(x, t, polarity="max")
    assert [r.complete for r in reps] == [False, True, False]
    assert reps[0].start_index == -1 and np.isnan(reps[0].start_time_s)
    assert reps[-1].end_index == -1 and np.isnan(reps[-1].duration_s)
    assert np.isfinite(reps[0].end_time_s) and np.isfinite(reps[-1].start_time_s)


def test_flat_or_noisy_posture_has_no_repetitions():
    t = np.arange(0, 5, 1 / FPS)
    noise = 20 + np.random.default_rng(3).normal(0, 2.0, len(t))
    for method in ("hysteresis", "prominence"):
        assert detect_repetitions(noise, t, method=method) == []
    assert detect_repetitions(np.full(10, np.nan), np.arange(10.0)) == []


def test_explicit_thresholds():
    x, t = _cycles(3)
    x[np.argmax(x)] = 100.0
    # a 2nd rep that only reaches 50 deg: counted with enter=40, not with enter=60
    second = (t > 3.0) & (t < 5.0)
    x[second] = 10 + (x[second] - 10) * 0.45
    assert len(detect_repetitions(x, t, enter_deg=60, exit_deg=30)) == 2
    assert len(detect_repetitions(x, t, enter_deg=40, exit_deg=30)) == 3
    with pytest.raises(ValueError):
        detect_repetitions(x, t, enter_deg=30, exit_deg=60)


def test_nan_gaps_are_skipped():
    x, t = _cycles(4, noise=1.0)
    x[100:110] = np.nan  # a gap during the 2nd rep's rise
    reps = detect_repetitions(x, t)
    assert len(reps) == 4 and all(np.isfinite(r.peak_deg) for r in reps)


def test_prominence_min_interval_merges_close_peaks():
    x, t = _cycles(1, period=2.0)
    bump = (t > 1.9) & (t < 2.1)
    x[bump] -= 30  # a dip at the top splits the peak in two
    assert len(detect_repetitions(x, t, method="prominence", prominence_deg=20)) == 2
    assert (
        len(detect_repetitions(x, t, method="prominence", prominence_deg=20, min_interval_s=0.8))
        == 1
    )
    assert len(detect_repetitions(x, t, method="hysteresis")) == 1


def test_settings_object():
    x, t = _cycles(2)
    s = RepetitionSettings(method="prominence")
    assert len(s.detect(x, t)) == 2
    with pytest.raises(ValueError):
        RepetitionSettings(method="fft")
