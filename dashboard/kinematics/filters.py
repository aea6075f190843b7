"""Gap filling and low-pass filters for angle (or coordinate) time series.

Pure, NaN-aware functions of ``(values, time_s)``. ``values`` has the frames
along axis 0 and any trailing shape (``(F,)``, ``(F, P, A)``, ...); every
trailing column is filtered independently. ``time_s`` holds the real
presentation time of each frame, so clips with a variable frame rate are
handled correctly.

Nothing here invents data beyond what :func:`fill_gaps` is told to bridge:
the low-pass filters only ever work on contiguous runs of valid samples and
keep every NaN where it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "FILTER_METHODS",
    "FilterSettings",
    "butterworth_lowpass",
    "fill_gaps",
    "frame_interval_s",
    "frame_rate_hz",
    "lowpass_possible",
    "one_euro",
    "valid_runs",
]

FILTER_METHODS = ("none", "butterworth", "one_euro")


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _check(values, time_s) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=float)
    time_s = np.asarray(time_s, dtype=float)
    if time_s.ndim != 1 or values.ndim < 1 or values.shape[0] != time_s.shape[0]:
        raise ValueError(
            f"values (shape {values.shape}) must have one row per timestamp "
            f"(time_s shape {time_s.shape})"
        )
    if time_s.size > 1 and not np.all(np.diff(time_s) > 0):
        raise ValueError("time_s must be strictly increasing")
    return values, time_s


def _columns(values: np.ndarray) -> np.ndarray:
    """(F, ...) -> (F, N) view of every trailing column."""
    return values.reshape(values.shape[0], -1)


def valid_runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` half-open index ranges of the True runs of a 1-D mask."""
    valid = np.asarray(valid, bool).astype(np.int8)
    edges = np.diff(np.concatenate(([0], valid, [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=False))


# --------------------------------------------------------------------------
# gap filling
# --------------------------------------------------------------------------
def fill_gaps(
    values, time_s, max_gap_s: float | None = None, max_gap_frames: int | None = None
) -> np.ndarray:
    """Bridge short interior runs of NaN by linear interpolation in time.

    Parameters
    ----------
    values
        (F, ...) samples, NaN where missing.
    time_s
        (F,) strictly increasing timestamps in seconds.
    max_gap_s
        Longest gap to fill, measured as the time between the last valid
        sample before the gap and the first valid sample after it (the span
        the straight line bridges). ``None``: no limit in seconds.
    max_gap_frames
        Largest number of consecutive missing samples to fill. ``None``: no
        limit in frames.

    Returns
    -------
    numpy.ndarray
        A copy with the qualifying gaps filled.

    Notes
    -----
    Only gaps with a valid sample on *both* sides are filled: leading and
    trailing NaN are never extrapolated. A gap is filled only when it meets
    every limit given; with both limits ``None`` every interior gap is filled.
    Interpolation uses the real timestamps, so a clip with a variable frame
    rate is interpolated correctly.
    """
    values, time_s = _check(values, time_s)
    out = values.copy()
    cols = _columns(out)
    for c in range(cols.shape[1]):
        x = cols[:, c]
        valid = np.isfinite(x)
        for start, stop in valid_runs(~valid):
            if start == 0 or stop == len(x):
                continue  # leading or trailing: never extrapolate
            before, after = start - 1, stop
            if max_gap_frames is not None and stop - start > max_gap_frames:
                continue
            if max_gap_s is not None and time_s[after] - time_s[before] > max_gap_s + 1e-9:
                continue
            x[start:stop] = np.interp(
                time_s[start:stop], [time_s[before], time_s[after]], [x[before], x[after]]
            )
    return out


# --------------------------------------------------------------------------
# sampling rate
# --------------------------------------------------------------------------
def frame_interval_s(time_s) -> float | None:
    """Median interval (s) between consecutive frames, over the finite, positive
    intervals; None with fewer than two frames or times that never increase."""
    dt = np.diff(np.asarray(time_s, float))
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return float(np.median(dt)) if dt.size else None


def frame_rate_hz(time_s) -> float | None:
    """Frames per second, 1 / :func:`frame_interval_s` (None when unknown)."""
    step = frame_interval_s(time_s)
    return None if step is None else 1.0 / step


def lowpass_possible(cutoff_hz: float, rate_hz: float) -> bool:
    """Whether a low-pass at ``cutoff_hz`` can run on samples at ``rate_hz``: the
    cut-off must be below the Nyquist frequency, half the sampling rate."""
    return float(cutoff_hz) < 0.5 * float(rate_hz)


# --------------------------------------------------------------------------
# Butterworth
# --------------------------------------------------------------------------
def butterworth_lowpass(values, time_s, cutoff_hz: float = 6.0, order: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass filter, run on each contiguous valid run.

    Parameters
    ----------
    values
        (F, ...) samples, NaN where missing.
    time_s
        (F,) strictly increasing timestamps in seconds.
    cutoff_hz
        Cut-off frequency in Hz (default 6 Hz, a common choice for human
        movement kinematics).
    order
        Order of the Butterworth design (default 4).

    Returns
    -------
    numpy.ndarray
        Filtered copy; NaN exactly where the input had NaN.

    Notes
    -----
    - The filter runs forwards and backwards (``scipy.signal.sosfiltfilt``), so
      it adds no phase lag: peaks stay at the frame where they happened. The
      forward-backward response is the square of the design's, so the gain at
      ``cutoff_hz`` is 0.5 (-6 dB), not 0.707 (-3 dB), and the roll-off is that
      of a filter of twice the order. No cut-off correction is applied.
    - Real timestamps: each run of valid samples is linearly resampled onto a
      uniform time base at the run's median sampling rate, filtered, and
      interpolated back to the original timestamps. For a constant frame rate
      the resampling is the identity.
    - Runs too short for the filter's edge padding
      (``3 * (2 * n_sections + 1)`` samples, 16 for order 4) are returned
      unfiltered, as are runs where ``cutoff_hz`` is not below the Nyquist
      frequency (half the sampling rate): a 5 fps clip cannot be low-passed at
      6 Hz, and is left as measured.
    - NaN samples are never filled here: gaps split the signal into runs.
      Use :func:`fill_gaps` first to bridge short gaps.
    """
    values, time_s = _check(values, time_s)
    if cutoff_hz <= 0:
        raise ValueError(f"cutoff_hz must be > 0, got {cutoff_hz}")
    if int(order) < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    out = values.copy()
    cols = _columns(out)
    for c in range(cols.shape[1]):
        x = cols[:, c]
        for start, stop in valid_runs(np.isfinite(x)):
            if stop - start < 2:
                continue
            x[start:stop] = _butter_run(x[start:stop], time_s[start:stop], cutoff_hz, int(order))
    return out


@lru_cache(maxsize=64)
def _butter_sos(order: int, cutoff_hz: float, fs: float) -> np.ndarray:
    """The low-pass design (read-only: copy it), made once per (order, cut-off, rate): every
    angle series of a video shares it, and designing one takes a few ms."""
    from scipy import signal  # imported when a filter runs (a second on a busy computer)

    sos = signal.butter(order, cutoff_hz, btype="low", fs=fs, output="sos")
    sos.setflags(write=False)
    return sos


@lru_cache(maxsize=64)
def _butter_zi(order: int, cutoff_hz: float, fs: float) -> np.ndarray:
    """The design's filter start-up values (``scipy.signal.sosfilt_zi``, read-only), once per
    design: ``sosfiltfilt`` solves for them on every call (about 220 runs of angle series in
    a 2,000-frame video, each solving two small linear systems)."""
    from scipy import signal

    zi = signal.sosfilt_zi(_butter_sos(order, cutoff_hz, fs).copy())
    zi.setflags(write=False)
    return zi


def _filtfilt(sos: np.ndarray, zi: np.ndarray, x: np.ndarray, padlen: int) -> np.ndarray:
    """``scipy.signal.sosfiltfilt(sos, x, padlen=padlen)`` (odd extension, 1-D ``x`` longer
    than ``padlen`` > 0) with the start-up values ``zi`` given: SciPy's own steps in its
    order, so the same numbers, without solving for ``zi`` on every call."""
    from scipy import signal

    left = 2 * x[:1] - x[padlen:0:-1]
    right = 2 * x[-1:] - x[-2 : -(padlen + 2) : -1]
    ext = np.concatenate((left, x, right))
    y, _ = signal.sosfilt(sos, ext, zi=zi * ext[:1])
    y, _ = signal.sosfilt(sos, y[::-1], zi=zi * y[-1:])
    return y[::-1][padlen:-padlen]


def _butter_run(x: np.ndarray, t: np.ndarray, cutoff_hz: float, order: int) -> np.ndarray:
    fs = 1.0 / float(np.median(np.diff(t)))
    if not lowpass_possible(cutoff_hz, fs):
        return x
    sos = _butter_sos(order, cutoff_hz, fs).copy()  # SciPy wants it writable
    padlen = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
    n = int(round((t[-1] - t[0]) * fs)) + 1
    if n <= padlen:
        return x
    grid = t[0] + np.arange(n) / fs
    grid[-1] = min(grid[-1], t[-1])
    uniform = np.interp(grid, t, x)
    if padlen < 1:  # never for a Butterworth low-pass; SciPy's own path then
        from scipy import signal

        return np.interp(t, grid, signal.sosfiltfilt(sos, uniform, padlen=padlen))
    zi = _butter_zi(order, cutoff_hz, fs)
    return np.interp(t, grid, _filtfilt(sos, zi, uniform, padlen))


# --------------------------------------------------------------------------
# One-Euro
# --------------------------------------------------------------------------
def _alpha(cutoff_hz, dt):
    tau = 1.0 / (2.0 * np.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


def one_euro(
    values, time_s, min_cutoff_hz: float = 1.0, beta: float = 0.05, d_cutoff_hz: float = 1.0
) -> np.ndarray:
    """One-Euro filter (Casiez, Roussel and Vogel, CHI 2012) with real time steps.

    Parameters
    ----------
    values
        (F, ...) samples, NaN where missing.
    time_s
        (F,) strictly increasing timestamps in seconds.
    min_cutoff_hz
        Cut-off of the first-order low-pass when the signal is still: lower
        removes more jitter at rest.
    beta
        How fast the cut-off rises with speed: ``cutoff = min_cutoff_hz +
        beta * |speed|``, with the speed in the signal's units per second
        (degrees per second for angles). Higher reduces lag in fast movement.
    d_cutoff_hz
        Cut-off of the low-pass applied to the speed estimate.

    Returns
    -------
    numpy.ndarray
        Filtered copy; NaN exactly where the input had NaN.

    Notes
    -----
    The filter is causal (it lags slightly, unlike the zero-phase Butterworth)
    and adapts to speed, which suits live or very jittery data. Each step uses
    the real interval ``dt = time_s[i] - time_s[i - 1]``. After a NaN the
    filter restarts from the next valid sample, so no value leaks across a gap.
    With ``beta = 0`` it is exactly the exponential smoother
    ``y[i] = y[i-1] + alpha * (x[i] - y[i-1])``, ``alpha = 1 / (1 + tau / dt)``,
    ``tau = 1 / (2 pi min_cutoff_hz)``.
    """
    values, time_s = _check(values, time_s)
    if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
        raise ValueError("min_cutoff_hz and d_cutoff_hz must be > 0 and beta >= 0")
    out = values.copy()
    cols = _columns(out)
    for c in range(cols.shape[1]):
        x = cols[:, c]
        for start, stop in valid_runs(np.isfinite(x)):
            prev_y = x[start]
            prev_dx = 0.0
            for i in range(start + 1, stop):
                dt = time_s[i] - time_s[i - 1]
                dx = (x[i] - prev_y) / dt
                dx_hat = prev_dx + _alpha(d_cutoff_hz, dt) * (dx - prev_dx)
                cutoff = min_cutoff_hz + beta * abs(dx_hat)
                y = prev_y + _alpha(cutoff, dt) * (x[i] - prev_y)
                x[i] = y
                prev_y, prev_dx = y, dx_hat
    return out


# --------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class FilterSettings:
    """How raw angle values become displayed values: fill short gaps, then filter.

    method
        ``'butterworth'`` (zero-phase low-pass, the default), ``'one_euro'`` or
        ``'none'`` (gap filling only).
    max_gap_s
        Longest gap bridged by linear interpolation (see :func:`fill_gaps`);
        0 disables gap filling.
    cutoff_hz, order
        Butterworth parameters.
    min_cutoff_hz, beta, d_cutoff_hz
        One-Euro parameters.
    """

    method: str = "butterworth"
    max_gap_s: float = 0.25
    cutoff_hz: float = 6.0
    order: int = 4
    min_cutoff_hz: float = 1.0
    beta: float = 0.05
    d_cutoff_hz: float = 1.0

    def __post_init__(self) -> None:
        if self.method not in FILTER_METHODS:
            raise ValueError(f"method must be one of {FILTER_METHODS}, got {self.method!r}")
        if self.max_gap_s < 0:
            raise ValueError(f"max_gap_s must be >= 0, got {self.max_gap_s}")
        if self.cutoff_hz <= 0 or self.order < 1:
            raise ValueError("cutoff_hz must be > 0 and order >= 1")
        if self.min_cutoff_hz <= 0 or self.d_cutoff_hz <= 0 or self.beta < 0:
            raise ValueError("min_cutoff_hz and d_cutoff_hz must be > 0 and beta >= 0")

    def apply(self, values, time_s) -> np.ndarray:
        """Fill gaps up to ``max_gap_s``, then run the chosen filter."""
        values, time_s = _check(values, time_s)
        out = (
            fill_gaps(values, time_s, max_gap_s=self.max_gap_s)
            if self.max_gap_s > 0
            else values.copy()
        )
        if self.method == "butterworth":
            out = butterworth_lowpass(out, time_s, self.cutoff_hz, self.order)
        elif self.method == "one_euro":
            out = one_euro(out, time_s, self.min_cutoff_hz, self.beta, self.d_cutoff_hz)
        return out

    def lowpass_skipped(self, time_s) -> float | None:
        """The frame rate (Hz) of ``time_s`` when the Butterworth low-pass chosen
        here cannot run on it (cut-off not below half the frame rate, so the
        values stay as measured); None when it runs or no low-pass is chosen."""
        rate = frame_rate_hz(time_s)
        if self.method != "butterworth" or not rate or lowpass_possible(self.cutoff_hz, rate):
            return None
        return rate

    def as_dict(self) -> dict:
        return asdict(self)
