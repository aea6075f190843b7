"""Start of the clock: the first movement of the test, or a time set by hand.

The video rarely shows a "go". By default the clock starts at the person's first
movement: the first frame from which the posture (:func:`posture_speed`: shoulders,
nose, hips, knees and ankles relative to the feet, in leg lengths, with a camera's pan,
roll and zoom taken out) moves clearly faster than while the person was still at the
start of the recording, and keeps moving, traced back to where the speed began to rise.
"""

from __future__ import annotations

import warnings

import numpy as np

from dashboard.functional.model import Event
from dashboard.functional.signals import Signals, smooth

__all__ = ["MIN_SPEED", "STILL_S", "clock_start", "first_movement", "posture_speed"]

#: Length of the still stretch the posture's noise is measured on, seconds.
STILL_S = 0.5
#: Posture speed (leg lengths per second, mean over the landmarks) that is movement
#: at the least; above twice the still stretch's speed where the camera shakes.
MIN_SPEED = 0.25
#: The speed is averaged over this long (5 frames at 30 fps, 3 at 15).
SMOOTH_S = 0.15
#: The body's own speed (camera movement taken out) counts this many times over, at most
#: the speed relative to the feet (see :func:`posture_speed`).
BODY_FACTOR = 3.0
#: Movement must last: the mean speed over this long after the onset stays high.
SUSTAIN_S = 0.3
#: A still stretch faster than this: the person was already moving.
MOVING_SPEED = 1.0


#: Columns of the shape (:func:`_shape`) the camera's movement is estimated from: hips,
#: knees and ankles, still while the person sits or stands at the start of every test.
_ANCHORS = (2, 3, 4, 5, 7, 8)


def _shape(sig: Signals) -> np.ndarray:
    """(F, 9) complex points relative to the mid-ankle point, leg lengths: shoulders,
    hips, knees, nose (:attr:`Signals.posture`) and both ankles."""
    p = sig.posture
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mid = np.nanmean(sig.ankles, axis=1)
    feet = sig.ankles - mid[:, None, :]
    both = np.concatenate([p, feet], axis=1)
    return both[..., 0] + 1j * both[..., 1]


def _aligned(shape: np.ndarray, onto: np.ndarray) -> np.ndarray:
    """(F, K) complex points ``shape`` moved by the similarity (shift, turn, scale) that
    best lays their :data:`_ANCHORS` on those of ``onto``, frame by frame (least squares
    over the anchors seen in both); NaN where fewer than three are."""
    cols = list(_ANCHORS)
    a, b = shape[:, cols], onto[:, cols]
    ok = np.isfinite(a) & np.isfinite(b)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = np.where(ok, a, 0).sum(axis=1) / n
        mb = np.where(ok, b, 0).sum(axis=1) / n
        ac = np.where(ok, a - ma[:, None], 0)
        bc = np.where(ok, b - mb[:, None], 0)
        z = (np.conj(ac) * bc).sum(axis=1) / (np.abs(ac) ** 2).sum(axis=1)
        out = z[:, None] * (shape - ma[:, None]) + mb[:, None]
    out[n < 3] = np.nan
    return out


def _mean(v: np.ndarray) -> np.ndarray:
    ok = np.isfinite(v)
    n = ok.sum(axis=1)
    return np.where(n > 0, np.where(ok, v, 0.0).sum(axis=1) / np.maximum(n, 1), np.nan)


def posture_speed(sig: Signals) -> np.ndarray:
    """(F,) speed of the posture, leg lengths/s: the mean speed of the landmarks of
    :func:`_shape` relative to the feet, but no more than :data:`BODY_FACTOR` times their
    speed once the camera's movement is taken out (the frames before and after each frame
    laid on it by the shift, turn and scale that match their hips, knees and ankles).

    A camera that pans, rolls or zooms moves every landmark by one such transform: the
    speed relative to the feet sees it (a roll of 8 degrees a second started the clock
    0.9 s early on a synthetic 5xSTS), the body's own speed does not. The body's own
    speed alone understates a forward lean (part of it looks like a turn of the legs), so
    the feet-relative speed is kept wherever the body itself moves."""
    if len(sig.posture) < 3:
        return np.zeros(len(sig.posture))
    pts = _shape(sig)
    t = sig.time_s
    before = _aligned(np.roll(pts, 1, axis=0), pts)
    after = _aligned(np.roll(pts, -1, axis=0), pts)
    dt = np.roll(t, -1) - np.roll(t, 1)
    # the ends: one-sided differences
    before[0], dt[0] = pts[0], t[1] - t[0]
    after[-1], dt[-1] = pts[-1], t[-1] - t[-2]
    with np.errstate(invalid="ignore", divide="ignore"):
        body = _mean(np.abs(after - before) / np.where(dt > 0, dt, np.nan)[:, None])
        raw = _mean(np.abs(np.gradient(pts, t, axis=0)))
    mean = np.fmin(raw, BODY_FACTOR * body)
    fps = sig.fps
    window = max(round(SMOOTH_S * fps) | 1, 3) if np.isfinite(fps) else 5
    return smooth(mean, window)


def _already_moving(first: int) -> tuple[int, float, str]:
    return (
        first,
        0.4,
        "The person was already moving when the recording began: the clock starts at "
        "the first frame; set the start by hand if the test began earlier.",
    )


def first_movement(sig: Signals, before: int, after: int = 0) -> tuple[int, float, str]:
    """(index of the first movement, confidence, warning or '') looked for from index
    ``after`` up to the index ``before`` (the test's first event)."""
    found = np.flatnonzero(sig.found[: before + 1])
    found = found[found >= after]
    if found.size == 0:
        return int(before), 0.3, "The person is not seen before the test's first event."
    t = sig.time_s
    first = int(found[0])
    if before - first < 3:
        return _already_moving(first)
    sp = posture_speed(sig)[: before + 1]
    base_end = max(min(int(np.searchsorted(t, t[first] + STILL_S)), before), first + 1)
    base = sp[first : base_end + 1]
    ok = base[np.isfinite(base)]
    # a low percentile: the stretch may already hold the first moments of the movement
    still = float(np.percentile(ok, 30)) if ok.size else 0.0
    if still > MOVING_SPEED:
        return _already_moving(first)
    thr = max(MIN_SPEED, 2.0 * still)
    n = max(round(SUSTAIN_S * sig.fps), 1)
    onset_hi = None
    for i in range(first, before + 1):
        ahead = sp[i : i + n]
        ahead = ahead[np.isfinite(ahead)]
        if sp[i] >= thr and ahead.size and ahead.mean() >= 0.7 * thr:
            onset_hi = i
            break
    if onset_hi is None:
        return int(before), 0.5, "No clear first movement before the test's first event."
    i = onset_hi
    while i > first and sp[i - 1] >= 0.5 * (still + thr):
        i -= 1
    return int(i), (0.9 if still < 0.5 * thr else 0.7), ""


def clock_start(
    sig: Signals, before: int, given_s: float | None, after: int = 0
) -> tuple[Event, dict, str]:
    """(the start event, the ``start`` document, a warning or '')."""
    t = sig.time_s
    if given_s is not None:
        i = int(np.clip(np.searchsorted(t, given_s - 1e-6), 0, len(t) - 1))
        ev = Event("start", i, int(sig.frame_index[i]), float(t[i]), 1.0, "start (set by hand)")
        return ev, {"method": "given", "time_s": float(t[i]), "frame": ev.frame}, ""
    i, conf, warn = first_movement(sig, before, after)
    ev = Event("start", i, int(sig.frame_index[i]), float(t[i]), conf, "start (first movement)")
    return ev, {"method": "first_movement", "time_s": float(t[i]), "frame": ev.frame}, warn
