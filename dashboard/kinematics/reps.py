"""Repetition detection for cyclic exercises (squats, lateral raises, sit-to-stand).

A repetition is one excursion of an angle away from its rest level and back:
knee flexion rising from standing into a squat and back, shoulder abduction
rising from the side and back down. For exercises whose rest level is the
*high* end of the angle (sit-to-stand: knee flexion falls from sitting to
standing and back) the polarity is ``'min'``. The default is ``'max'``;
``'auto'`` guesses from where the signal dwells (its median in the lower or
upper half of its range), which is right when the recording has rests
between or around the repetitions but can flip on continuous cycles.

Two detectors, both tunable, both with automatic defaults taken from the
signal's robust range (its 5th to 95th percentile, ``A``):

``'hysteresis'``
    A repetition starts when the angle rises past ``enter_deg`` (default
    ``p5 + 0.6 A``) after having been below ``exit_deg`` (default
    ``p5 + 0.35 A``), and ends when it falls back below ``exit_deg``. The gap
    between the two thresholds makes the count immune to noise smaller than
    it.
``'prominence'``
    Peaks whose prominence (``scipy.signal.find_peaks``) is at least
    ``prominence_deg`` (default ``0.5 A``), at least ``min_interval_s`` apart.

Timing: the rep's boundaries are its troughs on each side of the peak (the
lowest value between it and the neighbouring peak, or the recording's edge);
the rep **starts** when the angle last leaves the band ``onset_fraction``
(default 10 %) of the way from the left trough to the peak, and **ends** when
it first re-enters the same band on the right, each time linearly
interpolated between frames. ROM is the peak minus the lower trough.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np

__all__ = [
    "METHODS",
    "POLARITIES",
    "AutoLevels",
    "Repetition",
    "RepetitionSettings",
    "auto_levels",
    "detect_repetitions",
    "robust_range",
]

METHODS = ("hysteresis", "prominence")
POLARITIES = ("auto", "max", "min")


@dataclass(frozen=True)
class Repetition:
    """One repetition of a cyclic movement.

    Indices are positions in the series passed in (map them through
    ``frame_index`` for source frames); times are in seconds.

    number
        1-based order in the recording.
    complete
        False for a repetition cut by the start or the end of the recording
        (its unknown start or end is -1 / NaN, and so are the durations
        depending on it).
    peak_deg
        Extreme value of the rep (the maximum, or the minimum for polarity
        'min').
    rom_deg
        Range of motion within the rep: |peak - lower trough| (positive).
    duration_s
        ``end_time_s - start_time_s``.
    to_peak_s, from_peak_s
        Tempo: time from the start to the peak (e.g. the lowering into a
        squat, the raise of a lateral raise) and from the peak to the end.
    """

    number: int
    complete: bool
    start_index: int
    peak_index: int
    end_index: int
    start_time_s: float
    peak_time_s: float
    end_time_s: float
    peak_deg: float
    rom_deg: float
    duration_s: float
    to_peak_s: float
    from_peak_s: float

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RepetitionSettings:
    """Parameters of :func:`detect_repetitions` (``None`` = automatic)."""

    method: str = "hysteresis"
    polarity: str = "max"
    enter_deg: float | None = None
    exit_deg: float | None = None
    prominence_deg: float | None = None
    min_interval_s: float = 0.0
    min_range_deg: float = 15.0
    onset_fraction: float = 0.1

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {POLARITIES}, got {self.polarity!r}")
        if not 0.0 <= self.onset_fraction < 1.0:
            raise ValueError("onset_fraction must be in [0, 1)")

    def detect(self, values, time_s) -> list[Repetition]:
        return detect_repetitions(values, time_s, **asdict(self))

    def as_dict(self) -> dict:
        return asdict(self)


def _choose_polarity(x: np.ndarray, lo: float, hi: float) -> str:
    """'max' when the signal dwells in the lower half of its range, else 'min'."""
    return "max" if np.nanmedian(x) <= 0.5 * (lo + hi) else "min"


#: Automatic thresholds as fractions of the robust range, from the rest level.
ENTER_FRACTION, EXIT_FRACTION, PROMINENCE_FRACTION = 0.6, 0.35, 0.5


def _percentiles(x: np.ndarray):
    """(5th, 95th percentile) of the finite values, or None with fewer than 3."""
    ok = x[np.isfinite(x)]
    if ok.size < 3:
        return None
    lo, hi = np.percentile(ok, [5, 95])
    return lo, hi


def robust_range(values) -> float:
    """The 5th-to-95th percentile range of the finite values (0 with fewer than 3).

    The size of a movement, insensitive to a few outliers: a series whose robust
    range is below ``min_range_deg`` has no repetitions.
    """
    bounds = _percentiles(np.asarray(values, float))
    return 0.0 if bounds is None else float(bounds[1] - bounds[0])


class AutoLevels(NamedTuple):
    """The thresholds :func:`detect_repetitions` chooses itself (:func:`auto_levels`)."""

    polarity: str  # 'max' or 'min' ('auto' resolved)
    enter_deg: float  # NaN with fewer than 3 values
    exit_deg: float
    prominence_deg: float
    range_deg: float  # robust range (5th to 95th percentile); 0 with fewer than 3 values


def auto_levels(values, polarity: str = "max") -> AutoLevels:
    """The automatic thresholds of :func:`detect_repetitions` for ``values``, in degrees.

    Hysteresis: start ``ENTER_FRACTION`` (0.6) and end ``EXIT_FRACTION`` (0.35)
    of the robust range ``A`` from the rest level (the 5th percentile for
    polarity 'max', the 95th for 'min'); prominence: ``0.5 A``. ``'auto'``
    polarity is resolved as :func:`detect_repetitions` resolves it.
    """
    x = np.asarray(values, float)
    bounds = _percentiles(x)
    if bounds is None:
        nan = float("nan")
        return AutoLevels(polarity if polarity != "auto" else "max", nan, nan, nan, 0.0)
    lo, hi = bounds
    amp = float(hi - lo)
    if polarity == "auto":
        polarity = _choose_polarity(x, lo, hi)
    if polarity == "max":
        enter, leave = lo + ENTER_FRACTION * amp, lo + EXIT_FRACTION * amp
    else:
        enter, leave = hi - ENTER_FRACTION * amp, hi - EXIT_FRACTION * amp
    return AutoLevels(polarity, float(enter), float(leave), PROMINENCE_FRACTION * amp, amp)


def detect_repetitions(
    values,
    time_s,
    method: str = "hysteresis",
    polarity: str = "max",
    enter_deg: float | None = None,
    exit_deg: float | None = None,
    prominence_deg: float | None = None,
    min_interval_s: float = 0.0,
    min_range_deg: float = 15.0,
    onset_fraction: float = 0.1,
) -> list[Repetition]:
    """Find the repetitions in one angle series.

    Parameters
    ----------
    values
        (F,) angle in degrees, NaN where unknown (NaN samples are skipped).
    time_s
        (F,) strictly increasing timestamps.
    method
        ``'hysteresis'`` or ``'prominence'`` (see the module docstring).
    polarity
        ``'max'``: a rep is an excursion upwards from a low rest level (squat
        knee flexion, lateral-raise abduction); ``'min'``: downwards from a
        high rest level (sit-to-stand knee flexion); ``'auto'``: ``'max'``
        when the median lies in the lower half of the robust range, else
        ``'min'``. Default ``'max'``.
    enter_deg, exit_deg
        Hysteresis thresholds in degrees, in the signal's own units. For
        polarity 'max' the angle must rise above ``enter_deg`` and fall back
        below ``exit_deg`` (``enter_deg > exit_deg``); for 'min' it must fall
        below ``enter_deg`` and rise back above ``exit_deg``.
    prominence_deg
        Minimum peak prominence for the ``'prominence'`` method.
    min_interval_s
        Minimum time between two peaks (prominence method; 0: no limit).
    min_range_deg
        A signal whose robust range (5th to 95th percentile) is below this
        has no repetitions: it is noise around a posture.
    onset_fraction
        Fraction of the trough-to-peak excursion that marks the start and end.

    Returns
    -------
    list of Repetition
        In time order. Repetitions cut by the recording's start or end are
        included with ``complete=False``.
    """
    RepetitionSettings(method=method, polarity=polarity, onset_fraction=onset_fraction)
    x = np.asarray(values, float).copy()
    t = np.asarray(time_s, float)
    if x.ndim != 1 or t.shape != x.shape:
        raise ValueError("values and time_s must be 1-D arrays of the same length")
    valid = np.isfinite(x)
    if valid.sum() < 3:
        return []
    lo, hi = np.percentile(x[valid], [5, 95])
    amplitude = hi - lo
    if amplitude < min_range_deg or amplitude <= 0:
        return []
    if polarity == "auto":
        polarity = _choose_polarity(x, lo, hi)
    sign = 1.0 if polarity == "max" else -1.0
    y = sign * x  # work on an upward-peaking signal
    lo, hi = (lo, hi) if sign > 0 else (-hi, -lo)

    idx = np.flatnonzero(valid)
    if method == "hysteresis":
        enter = lo + ENTER_FRACTION * amplitude if enter_deg is None else sign * float(enter_deg)
        leave = lo + EXIT_FRACTION * amplitude if exit_deg is None else sign * float(exit_deg)
        if not enter > leave:
            raise ValueError("enter_deg must be beyond exit_deg in the direction of the peak")
        peaks = _hysteresis_peaks(y, idx, enter, leave)
    else:
        prom = PROMINENCE_FRACTION * amplitude if prominence_deg is None else float(prominence_deg)
        peaks = _prominence_peaks(y, t, idx, prom, min_interval_s)
    return _measure_peaks(y, t, valid, idx, peaks, onset_fraction, sign)


def _measure_peaks(y, t, valid, idx, peaks, onset_fraction: float, sign: float) -> list[Repetition]:
    """One :class:`Repetition` per peak, each bounded by its neighbours' peaks."""
    reps = []
    for k, (peak, complete_left, complete_right) in enumerate(peaks):
        left_bound = peaks[k - 1][0] if k > 0 else idx[0]
        right_bound = peaks[k + 1][0] if k + 1 < len(peaks) else idx[-1]
        reps.append(
            _measure(
                y,
                t,
                valid,
                peak,
                left_bound,
                right_bound,
                complete_left,
                complete_right,
                onset_fraction,
                sign,
                k + 1,
            )
        )
    return reps


def _hysteresis_peaks(y, idx, enter, leave):
    """[(peak index, complete on the left, complete on the right)]."""
    out = []
    armed = None  # None: not yet known whether we started at rest
    in_rep = False
    start = None
    for i in idx:
        v = y[i]
        if not in_rep:
            if v <= leave:
                armed = True
            elif v >= enter:
                in_rep, start = True, i
                left_ok = bool(armed)
                armed = False
        else:
            if v <= leave:
                seg = idx[(idx >= start) & (idx <= i)]
                out.append((int(seg[np.argmax(y[seg])]), left_ok, True))
                in_rep, armed = False, True
    if in_rep:
        seg = idx[idx >= start]
        out.append((int(seg[np.argmax(y[seg])]), left_ok, False))
    return out


def _prominence_peaks(y, t, idx, prominence, min_interval_s):
    filled = np.interp(np.arange(len(y)), idx, y[idx])  # for detection only
    distance = None
    if min_interval_s > 0:
        dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
        distance = max(1, int(round(min_interval_s / dt)))
    from scipy import signal  # imported when needed: a second on a busy computer

    peaks, _props = signal.find_peaks(filled, prominence=prominence, distance=distance)
    out = []
    for p in peaks:
        if not np.isfinite(y[p]):
            continue
        # complete when the signal returns within reach of its base on both sides
        left_ok = np.nanmin(y[idx[0] : p + 1]) <= y[p] - prominence
        right_ok = np.nanmin(y[p : idx[-1] + 1]) <= y[p] - prominence
        out.append((int(p), bool(left_ok), bool(right_ok)))
    return out


def _crossing(t, y, i_out, i_in, level):
    """Time at which the segment between samples i_out (beyond level) and i_in crosses."""
    y0, y1 = y[i_out], y[i_in]
    if y0 == y1:
        return float(t[i_in])
    f = (level - y0) / (y1 - y0)
    return float(t[i_out] + f * (t[i_in] - t[i_out]))


def _measure(
    y,
    t,
    valid,
    peak,
    left_bound,
    right_bound,
    complete_left,
    complete_right,
    onset_fraction,
    sign,
    number,
) -> Repetition:
    nan = float("nan")
    left = np.flatnonzero(valid[left_bound : peak + 1]) + left_bound
    right = np.flatnonzero(valid[peak : right_bound + 1]) + peak
    lt = int(left[np.argmin(y[left])])
    rt = int(right[np.argmin(y[right])])
    troughs = []
    start_i, start_t = -1, nan
    if complete_left:
        troughs.append(y[lt])
        level = y[lt] + onset_fraction * (y[peak] - y[lt])
        seg = left[left >= lt]
        below = seg[y[seg] <= level]
        start_i = int(below[-1])
        nxt = seg[seg > start_i]
        start_t = _crossing(t, y, start_i, int(nxt[0]), level) if len(nxt) else float(t[start_i])
    end_i, end_t = -1, nan
    if complete_right:
        troughs.append(y[rt])
        level = y[rt] + onset_fraction * (y[peak] - y[rt])
        seg = right[right <= rt]
        below = seg[y[seg] <= level]
        end_i = int(below[0])
        prev = seg[seg < end_i]
        end_t = _crossing(t, y, end_i, int(prev[-1]), level) if len(prev) else float(t[end_i])
    if not troughs:  # cut on both sides: the lowest value seen around the peak
        troughs.append(min(y[lt], y[rt]))
    peak_t = float(t[peak])
    return Repetition(
        number=number,
        complete=bool(complete_left and complete_right),
        start_index=start_i,
        peak_index=int(peak),
        end_index=end_i,
        start_time_s=start_t,
        peak_time_s=peak_t,
        end_time_s=end_t,
        peak_deg=float(sign * y[peak]),
        rom_deg=float(y[peak] - min(troughs)),
        duration_s=end_t - start_t,
        to_peak_s=peak_t - start_t,
        from_peak_s=end_t - peak_t,
    )
