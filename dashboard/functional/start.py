"""Start of the clock: the first movement of the test, or a time set by hand.

The video rarely shows a "go". By default the clock starts at the person's first
movement: the first frame from which the posture (shoulders, nose, hips and knees
relative to the feet, in leg lengths, so that a hand-held camera's shake cancels)
moves clearly faster than while the person was still at the start of the recording,
and keeps moving, traced back to where the speed began to rise.
"""

from __future__ import annotations

import numpy as np

from dashboard.functional.model import Event
from dashboard.functional.signals import Signals, smooth

__all__ = ["MIN_SPEED", "STILL_S", "clock_start", "first_movement", "posture_speed"]

#: Length of the still stretch the posture's noise is measured on, seconds.
STILL_S = 0.5
#: Posture speed (leg lengths per second, mean over the landmarks) that is movement
#: at the least; above twice the still stretch's speed where the camera shakes.
MIN_SPEED = 0.25
#: Movement must last: the mean speed over this long after the onset stays high.
SUSTAIN_S = 0.3
#: A still stretch faster than this: the person was already moving.
MOVING_SPEED = 1.0


def posture_speed(sig: Signals) -> np.ndarray:
    """(F,) mean speed of the posture landmarks relative to the feet, leg lengths/s."""
    p = sig.posture
    if len(p) < 3:
        return np.zeros(len(p))
    with np.errstate(invalid="ignore"):
        v = np.linalg.norm(np.gradient(p, sig.time_s, axis=0), axis=-1)
    ok = np.isfinite(v)
    n = ok.sum(axis=1)
    mean = np.where(n > 0, np.where(ok, v, 0.0).sum(axis=1) / np.maximum(n, 1), np.nan)
    return smooth(mean, 5)


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
