"""Filters on synthetic signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.kinematics.filters import (
    FilterSettings,
    butterworth_lowpass,
    fill_gaps,
    one_euro,
    valid_runs,
)

FS = 100.0
T = np.arange(0, 4, 1 / FS)


def _sine(freq, t=T, amp=10.0):
    return amp * np.sin(2 * np.pi * freq * t)


def _core(x, margin=50):
    return x[margin:-margin]  # away from the edges of the padding


def test_valid_runs():
    assert valid_runs(np.array([0, 1, 1, 0, 1, 0, 0, 1], bool)) == [(1, 3), (4, 5), (7, 8)]
    assert valid_runs(np.zeros(3, bool)) == []


# -- Butterworth -------------------------------------------------------------
def test_butterworth_passes_1hz_nearly_unchanged():
    x = _sine(1.0)
    y = butterworth_lowpass(x, T, cutoff_hz=6.0, order=4)
    assert np.max(np.abs(_core(y - x))) < 0.01 * 10  # < 1 % of the amplitude


def test_butterworth_attenuates_20hz_by_more_than_95_percent():
    x = _sine(20.0)
    y = butterworth_lowpass(x, T, cutoff_hz=6.0)
    assert np.max(np.abs(_core(y))) < 0.05 * 10


def test_butterworth_is_zero_phase():
    x = _sine(1.0) + _sine(25.0, amp=2.0)
    y = butterworth_lowpass(x, T)
    # the peak of the 1 Hz component stays on the same sample
    k = slice(100, 200)
    assert np.argmax(y[k]) == np.argmax(_sine(1.0)[k])


def test_butterworth_keeps_constants_and_nan():
    x = np.full(len(T), 42.0)
    x[150:170] = np.nan
    y = butterworth_lowpass(x, T)
    assert np.isnan(y[150:170]).all()
    np.testing.assert_allclose(y[np.isfinite(x)], 42.0, atol=1e-9)


def test_butterworth_filters_each_run_and_leaves_short_runs_raw():
    rng = np.random.default_rng(0)
    x = _sine(1.0) + rng.normal(0, 1, len(T))
    x[200] = np.nan  # split into two long runs
    x[300:310] = np.nan
    x[310:320] = 5.0 + rng.normal(0, 1, 10)  # a short run: too short to filter
    x[320] = np.nan
    y = butterworth_lowpass(x, T)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x))
    np.testing.assert_array_equal(y[310:320], x[310:320])
    assert np.std(y[50:150] - _sine(1.0)[50:150]) < 0.5 * np.std(x[50:150] - _sine(1.0)[50:150])


def test_butterworth_uses_real_timestamps_with_variable_frame_rate():
    rng = np.random.default_rng(1)
    dt = rng.uniform(0.5, 1.5, 400) / FS  # frame intervals jitter by +-50 %
    t = np.cumsum(dt)
    low = butterworth_lowpass(_sine(1.0, t), t)
    assert np.max(np.abs(_core(low - _sine(1.0, t)))) < 0.3  # < 3 % of 10
    high = butterworth_lowpass(_sine(20.0, t), t)
    assert np.max(np.abs(_core(high))) < 0.05 * 10  # > 95 % attenuation
    # treating the samples as equally spaced would be wrong: the 1 Hz sine,
    # re-timed at the mean rate, is no longer a sine
    assert np.max(np.abs(_core(low - _sine(1.0, np.arange(len(t)) * dt.mean())))) > 1


def test_butterworth_below_nyquist_only():
    t = np.arange(0, 10, 0.2)  # 5 fps: Nyquist 2.5 Hz < 6 Hz cut-off
    x = np.sin(t)
    np.testing.assert_array_equal(butterworth_lowpass(x, t, cutoff_hz=6.0), x)


def test_butterworth_multi_column_shapes():
    x = np.stack([_sine(1.0), _sine(20.0)], -1)[:, None, :]  # (F, 1, 2)
    y = butterworth_lowpass(x, T)
    assert y.shape == x.shape
    assert np.max(np.abs(_core(y[:, 0, 1]))) < 0.5


def test_bad_timestamps_are_rejected():
    with pytest.raises(ValueError):
        butterworth_lowpass(np.zeros(5), np.array([0, 1, 1, 2, 3.0]))
    with pytest.raises(ValueError):
        fill_gaps(np.zeros(5), np.arange(4.0))


# -- gap filling -------------------------------------------------------------
def test_fill_gaps_interpolates_in_time_and_respects_limits():
    t = np.array([0.0, 0.1, 0.2, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1])
    x = np.array([0.0, np.nan, 2.0, np.nan, 6.0, np.nan, np.nan, np.nan, 10.0, np.nan])
    y = fill_gaps(x, t, max_gap_s=0.25)
    assert y[1] == pytest.approx(1.0)  # bridged span 0.2 s
    assert np.isnan(y[3])  # bridged span 0.2 -> 0.6 = 0.4 s: too long
    y = fill_gaps(x, t, max_gap_s=0.45)
    assert y[3] == pytest.approx(5.0)  # uses the real times (0.2 -> 0.6)
    np.testing.assert_allclose(y[5:8], [7.0, 8.0, 9.0])  # span 0.6 -> 1.0 = 0.4 s
    assert np.isnan(y[9])  # trailing: never extrapolated
    y = fill_gaps(x, t, max_gap_frames=3)
    np.testing.assert_allclose(y[5:8], [7.0, 8.0, 9.0])
    y = fill_gaps(x, t, max_gap_frames=2)
    assert np.isnan(y[5:8]).all()


def test_fill_gaps_span_limit():
    t = np.array([0.0, 0.1, 0.2, 0.5, 0.6])
    x = np.array([0.0, np.nan, 2.0, np.nan, 6.0])
    y = fill_gaps(x, t, max_gap_s=0.25)
    assert y[1] == pytest.approx(1.0)
    assert np.isnan(y[3])  # the gap 0.2 -> 0.6 spans 0.4 s


def test_fill_gaps_leading_nan_untouched():
    x = np.array([np.nan, 1.0, np.nan, 3.0])
    y = fill_gaps(x, np.arange(4.0))
    assert np.isnan(y[0]) and y[2] == 2.0


# -- One-Euro ----------------------------------------------------------------
def test_one_euro_constant_stays_constant():
    x = np.full(50, 7.5)
    np.testing.assert_allclose(one_euro(x, np.arange(50) / 30.0), 7.5)


def test_one_euro_with_zero_beta_is_the_exponential_smoother():
    t = np.arange(20) / 30.0
    x = np.r_[0.0, np.ones(19)]
    y = one_euro(x, t, min_cutoff_hz=2.0, beta=0.0)
    tau = 1 / (2 * np.pi * 2.0)
    alpha = 1 / (1 + tau / (1 / 30.0))
    np.testing.assert_allclose(y, 1 - (1 - alpha) ** np.arange(20), atol=1e-12)


def test_one_euro_uses_real_time_steps():
    t = np.array([0.0, 0.01, 0.5])
    y = one_euro(np.array([0.0, 1.0, 1.0]), t, min_cutoff_hz=1.0, beta=0.0)
    a1 = 1 / (1 + (1 / (2 * np.pi)) / 0.01)
    a2 = 1 / (1 + (1 / (2 * np.pi)) / 0.49)
    assert y[1] == pytest.approx(a1)
    assert y[2] == pytest.approx(a1 + a2 * (1 - a1))


def test_one_euro_restarts_after_a_gap_and_keeps_nan():
    x = np.array([0.0, 0.0, np.nan, 5.0, 5.0])
    y = one_euro(x, np.arange(5) / 30.0)
    assert np.isnan(y[2]) and y[3] == 5.0 and y[4] == 5.0


def test_one_euro_beta_reduces_lag():
    t = np.arange(100) / 30.0
    ramp = 100.0 * t
    slow = one_euro(ramp, t, min_cutoff_hz=0.5, beta=0.0)
    fast = one_euro(ramp, t, min_cutoff_hz=0.5, beta=0.1)
    assert np.abs(fast - ramp)[-1] < 0.5 * np.abs(slow - ramp)[-1]


# -- settings ----------------------------------------------------------------
def test_settings_fill_then_filter():
    x = _sine(1.0)
    x[100:103] = np.nan  # 0.04 s span: bridged
    x[200:260] = np.nan  # 0.61 s: stays a gap
    y = FilterSettings(max_gap_s=0.25).apply(x, T)
    assert np.isfinite(y[100:103]).all() and np.isnan(y[200:260]).all()
    assert np.max(np.abs(y[110:190] - _sine(1.0)[110:190])) < 0.1
    none = FilterSettings(method="none", max_gap_s=0).apply(x, T)
    np.testing.assert_array_equal(none, x)
    with pytest.raises(ValueError):
        FilterSettings(method="kalman")
