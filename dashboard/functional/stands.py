"""Sit-to-stand cycles from the rise signal (hips above the ankles, leg lengths).

Seated the hips are about half a leg length above the ankles, standing about one.
A stand is a rise through the middle of the seated-to-standing range; around it:

``seat_off``
    the hips leave the seated level (the last frame within :data:`SEATED_SHARE` of the
    range of it before the rise);
``full_stand``
    the hips reach the standing level (within :data:`STAND_SHARE` of the range);
``seat_on``
    the hips are back down at the seated level (within :data:`SEAT_ON_SHARE`).

A stand is complete when the hips reach at least 80 % of the range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.functional.model import Event, TestRefused
from dashboard.functional.signals import Signals, smooth

__all__ = ["Stand", "find_stands", "stand_events"]

#: Smallest seated-to-standing difference, leg lengths, for stands to be counted.
MIN_RANGE = 0.18
#: Seat-off: the hips have risen this share of the range above the seated level
#: (the trunk's forward lean already lifts the hip landmarks a little before the
#: buttocks leave the seat); seat-on: they are back within it. Set on the shared
#: 5xSTS and TUG clips against by-eye labels (tests/accuracy/functional_labels.json).
SEATED_SHARE = 0.20
SEAT_ON_SHARE = 0.18
STAND_SHARE = 0.07
COMPLETE_SHARE = 0.80


@dataclass(frozen=True)
class Stand:
    seat_off: int | None  # None: not given (events corrected by hand)
    full_stand: int | None  # None: not complete
    seat_on: int | None  # None: the person had not sat again when the video ends
    peak: float  # share of the range reached
    confidence: float


def _levels(rise: np.ndarray) -> tuple[float, float]:
    ok = rise[np.isfinite(rise)]
    if ok.size < 5:
        raise TestRefused("The hips and feet are not seen well enough to follow the stands.")
    return float(np.percentile(ok, 5)), float(np.percentile(ok, 97))


def _fill(x: np.ndarray) -> np.ndarray:
    """Linear interpolation over NaN (edges held)."""
    ok = np.isfinite(x)
    if ok.sum() < 2:
        return x
    i = np.arange(x.size)
    return np.interp(i, i[ok], x[ok])


def _rises(r: np.ndarray, mid: float) -> list[tuple[int, int]]:
    """(up-crossing, next down-crossing or -1) index pairs of ``r`` through ``mid``."""
    above = r >= mid
    ups = np.flatnonzero(~above[:-1] & above[1:]) + 1
    downs = np.flatnonzero(above[:-1] & ~above[1:]) + 1
    if above[0]:
        ups = np.r_[0, ups]
    out = []
    for u in ups:
        later = downs[downs > u]
        out.append((int(u), int(later[0]) if later.size else -1))
    return out


def _confidence(vis: np.ndarray, i: int, slope: float) -> float:
    v = float(np.nanmean(vis[max(i - 2, 0) : i + 3])) if vis.size else 0.0
    return round(float(np.clip(0.6 * v + 0.4 * min(slope, 1.0), 0.0, 1.0)), 2)


def find_stands(sig: Signals, first: int = 0) -> tuple[list[Stand], float, float]:
    """The stands whose rise begins at index ``first`` or later; (stands, seated level,
    standing level)."""
    window = max(round(sig.fps * 0.1), 1) if np.isfinite(sig.fps) else 1
    r = smooth(_fill(sig.rise.copy()), window)
    lo, hi = _levels(r)
    rng = hi - lo
    if not np.isfinite(rng) or rng < MIN_RANGE:
        return [], lo, hi
    mid = lo + 0.5 * rng
    stands: list[Stand] = []
    for up, down in _rises(r, mid):
        prev_down = stands[-1].seat_on if stands and stands[-1].seat_on is not None else 0
        a = max(prev_down, 0)
        base = float(np.min(r[a : up + 1])) if up > a else lo
        i = up
        while i > a and r[i - 1] > base + SEATED_SHARE * rng:
            i -= 1
        seat_off = max(i - 1, a) if i > a else i
        end = down if down > 0 else len(r) - 1
        peak_i = up + int(np.argmax(r[up : end + 1]))
        peak = float(r[peak_i])
        full = None
        if peak >= lo + COMPLETE_SHARE * rng:
            # the standing plateau: a long stand (a walk) varies, so not its maximum
            top = min(float(np.percentile(r[up : end + 1], 90)), hi)
            level = top - STAND_SHARE * (top - base)
            full = int(up + np.flatnonzero(r[up : peak_i + 1] >= level)[0])
        seat_on = None
        if down > 0:
            nxt = [u for u, _ in _rises(r, mid) if u > down]
            b = nxt[0] if nxt else len(r) - 1
            floor = float(np.min(r[down : b + 1]))
            hit = np.flatnonzero(r[down : b + 1] <= floor + SEAT_ON_SHARE * rng)
            seat_on = int(down + hit[0]) if hit.size else None
        slope = (peak - base) / rng
        stand = Stand(
            seat_off, full, seat_on, (peak - lo) / rng, _confidence(sig.visibility, up, slope)
        )
        if up >= first or seat_off >= first:
            stands.append(stand)
    return stands, lo, hi


def stand_events(sig: Signals, stands: list[Stand]) -> list[Event]:
    """Seat-off, full stand and seat-on of each stand, numbered from 1."""
    out = []
    t, fr = sig.time_s, sig.frame_index
    for n, s in enumerate(stands, start=1):
        for name, i in (
            ("seat_off", s.seat_off),
            ("full_stand", s.full_stand),
            ("seat_on", s.seat_on),
        ):
            if i is None:
                continue
            label = f"{name.replace('_', ' ')} {n}"
            out.append(Event(f"{name}_{n}", i, int(fr[i]), float(t[i]), s.confidence, label))
    return out
