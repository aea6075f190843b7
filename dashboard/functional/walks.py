"""The 10-metre walk (gait speed over the timed zone) and the 3-metre backward walk.

Both read the walking passes and foot contacts of the gait module
(:func:`dashboard.kinematics.gait.analyze_gait`, which recognises backward walking).

10-m walk: the clock runs while the body's centre (the hip midpoint) is between the
two floor marks of the timed zone: by default the picture's left and right edges
(film the timed zone exactly), or the marks' image x clicked on a frame. The speed is
the distance between the marks (entered) over that time. Where the person is not yet
(or no longer) found at a mark, the crossing is extrapolated from the walking speed
there, with lower confidence and a warning.

3-m backward walk: from the first movement to the end of the backward walking (the
pelvis slows below a fifth of the pass's speed), the distance walked (3 m by default)
over that time, and the steps (toe contacts) in between.
"""

from __future__ import annotations

import numpy as np

from dashboard.functional.model import Event, TestOptions, TestRefused
from dashboard.functional.signals import Signals, smooth

__all__ = [
    "backward3_result",
    "first_walking",
    "gait_of",
    "score_backward3",
    "score_walk10",
    "walk10_result",
]

#: The walk has ended when the pelvis is slower than this share of the pass's speed.
STOP_SHARE = 0.2
#: Longest extrapolation to a mark, seconds.
MAX_EXTRAPOLATION_S = 1.0


def gait_of(seq, person: int):
    """The gait analysis the walk tests read."""
    from dashboard.kinematics.gait import GaitSettings, analyze_gait

    return analyze_gait(seq, GaitSettings(), person)


def _passes(gait, walking: str) -> list:
    return [p for p in gait.passes if (p.facing.walking if p.facing else "forward") == walking]


def first_walking(gait, test: str) -> tuple[int, int]:
    """(index by which the test's walking has begun, index from which its first movement
    is looked for: the end of an earlier pass of the other kind, else 0).

    The walking has begun by the pass's start (its first steady step), not by the start
    of its window, which may hold the standing still before it: on the shared walking
    clip the backward pass's window starts 8 frames before she moves (frame 175; by eye
    183), so the first movement is looked for up to the pass's start (190)."""
    want = "backward" if test == "backward3" else "forward"
    passes = _passes(gait, want) or (list(gait.passes) if want == "forward" else [])
    if not passes:
        return 0, 0
    p = passes[0]
    begin = int(p.start)
    earlier = [q for q in gait.passes if q.end < p.start]
    after = max((int(q.window_end if q.window_end >= 0 else q.end) for q in earlier), default=0)
    return begin, min(after, begin)


def _ev(sig: Signals, name: str, i: int, conf: float, label: str, t: float | None = None) -> Event:
    time = float(sig.time_s[i]) if t is None else float(t)
    return Event(name, int(i), int(sig.frame_index[i]), time, conf, label)


def _crossing(x: np.ndarray, t: np.ndarray, mark: float, direction: int, walk=None):
    """(time, index, extrapolated_s) where ``x`` passes ``mark`` going ``direction``;
    extrapolated from the nearest half second of walking (indices ``walk``) when it
    is not seen passing."""
    ok = np.flatnonzero(np.isfinite(x))
    if ok.size < 5:
        return None
    d = direction * (x - mark)
    with np.errstate(invalid="ignore"):
        after = np.flatnonzero(d >= 0)
        before = np.flatnonzero(d < 0)
    if after.size and before.size and after[0] > before[0]:
        j = int(after[0])
        i = int(before[before < j][-1])
        frac = (mark - x[i]) / (x[j] - x[i]) if x[j] != x[i] else 0.0
        return float(t[i] + frac * (t[j] - t[i])), j, 0.0
    # not seen crossing: extrapolate from the seen frame nearest the mark, at the
    # walking speed of the half second of walking nearest it; not when the person is
    # standing still there (they stop before the mark, or start after it)
    anchor = int(ok[0]) if not before.size else int(ok[-1])
    walking = ok if walk is None else ok[(ok >= walk[0]) & (ok <= walk[1])]
    edge = walking[:15] if not before.size else walking[-15:]
    near = ok[:8] if not before.size else ok[-8:]
    if edge.size < 3 or near.size < 3:
        return None
    v = np.polyfit(t[edge], x[edge], 1)[0]
    v_near = np.polyfit(t[near], x[near], 1)[0]
    if direction * v <= 0 or direction * v_near < 0.3 * direction * v:
        return None
    tc = float(t[anchor] + (mark - x[anchor]) / v)
    return tc, anchor, abs(tc - t[anchor])


def _contacts(gait, walking: str, a: float, b: float) -> list:
    return sorted(
        e.time_s
        for e in gait.events
        if e.event == "initial_contact" and e.walking == walking and a <= e.time_s <= b
    )


def score_walk10(sig: Signals, opts: TestOptions, start: Event, gait=None) -> dict:
    """Speed over the timed zone, steps and cadence."""
    if opts.distance_m is None:
        raise TestRefused(
            "The 10-m walk needs the distance between the two marks of the timed zone "
            "(for example 6 m for the middle of a 10-m walkway)."
        )
    passes = _passes(gait, "forward") or list(gait.passes)
    if not passes:
        raise TestRefused(
            "No walking across the picture was found: film from the side while the person "
            "walks through the timed zone."
        )
    w = sig.image_size[0]
    marks = sorted(opts.marks_px) if opts.marks_px else [0.0, float(w)]
    p = passes[0]
    x = smooth(sig.pelvis_x * sig.leg_px, 3)
    t = sig.time_s
    lo = max(int(p.window_start if p.window_start >= 0 else p.start) - 15, 0)
    hi = min(int(p.window_end if p.window_end >= 0 else p.end) + 15, len(t) - 1)
    seg_x = np.full_like(x, np.nan)
    seg_x[lo : hi + 1] = x[lo : hi + 1]
    first_mark, second_mark = marks if p.direction > 0 else marks[::-1]
    walk = (int(p.start), int(p.end))
    entry = _crossing(seg_x, t, first_mark, p.direction, walk)
    exit_ = _crossing(seg_x, t, second_mark, p.direction, walk)
    if entry is None or exit_ is None:
        raise TestRefused(
            "The person is not seen walking past both marks of the timed zone (the "
            "picture's edges unless the marks are clicked on a frame): film the whole "
            "walk through the zone."
        )
    warnings = []
    for what, c in (("entry", entry), ("exit", exit_)):
        if c[2] > MAX_EXTRAPOLATION_S:
            raise TestRefused(
                f"The person is not seen near the timed zone's {what}: film the whole zone."
            )
        if c[2] > 0:
            warnings.append(
                f"The {what} of the timed zone is not seen: extrapolated {c[2]:.2f} s from "
                "the walking speed."
            )
    result, withheld = walk10_result(gait, opts, entry[0], exit_[0])
    events = [
        _ev(
            sig, "zone_entry", entry[1], 0.9 if entry[2] == 0 else 0.5, "timed zone entry", entry[0]
        ),
        _ev(sig, "zone_exit", exit_[1], 0.9 if exit_[2] == 0 else 0.5, "timed zone exit", exit_[0]),
    ]
    return {"result": result, "withheld": withheld, "events": events, "warnings": warnings}


def walk10_result(gait, opts: TestOptions, entry_s: float, exit_s: float) -> tuple[dict, dict]:
    """(result, withheld) of a 10-m walk whose timed zone is crossed from ``entry_s`` to
    ``exit_s``: the speed, the steps (the gait module's contacts) and the cadence."""
    duration = exit_s - entry_s
    steps = _contacts(gait, "forward", entry_s, exit_s)
    cadence = (len(steps) - 1) / (steps[-1] - steps[0]) * 60 if len(steps) >= 3 else None
    result = {
        "speed_m_s": opts.distance_m / duration if duration > 0 and opts.distance_m else None,
        "time_s": duration,
        "distance_m": float(opts.distance_m or 0.0),
        "steps": len(steps),
        "cadence_steps_per_min": cadence,
    }
    withheld = {} if cadence is not None else {"cadence_steps_per_min": "Fewer than 3 steps seen."}
    if duration <= 0:
        result["time_s"] = None
        withheld["time_s"] = withheld["speed_m_s"] = "The timed zone's exit is not after its entry."
    return result, withheld


def score_backward3(sig: Signals, opts: TestOptions, start: Event, gait=None) -> dict:
    """Time from the start to the end of the backward walking, steps, speed."""
    passes = _passes(gait, "backward")
    if not passes:
        raise TestRefused(
            "No backward walking was found: film from the side while the person walks "
            "backwards across the picture."
        )
    p = passes[0]
    t = sig.time_s
    v = np.abs(np.gradient(smooth(sig.pelvis_x, 5), t))
    pass_speed = np.nanmedian(v[p.start : p.end + 1])
    end_i = int(p.window_end if p.window_end >= 0 else p.end)
    slow = np.flatnonzero(v[p.end :] < STOP_SHARE * pass_speed)
    if slow.size:
        end_i = min(end_i, int(p.end + slow[0]))
    warnings = []
    if end_i >= len(t) - 1 or not sig.found[min(end_i + 1, len(t) - 1)]:
        warnings.append("The end of the walk is at the edge of the video or of the picture.")
    contacts = _contacts(gait, "backward", start.time_s, float(t[end_i]))
    result, withheld = backward3_result(opts, float(t[end_i] - start.time_s), len(contacts))
    events = [_ev(sig, "end", end_i, 0.7, "end of the backward walk")]
    for k, tc in enumerate(contacts, start=1):
        i = int(np.clip(np.searchsorted(t, tc - 1e-6), 0, len(t) - 1))
        events.append(_ev(sig, f"contact_{k}", i, 0.7, f"contact {k}"))
    return {"result": result, "withheld": withheld, "events": events, "warnings": warnings}


def backward3_result(opts: TestOptions, duration: float, steps: int) -> tuple[dict, dict]:
    """(result, withheld) of a 3-m backward walk lasting ``duration`` with ``steps`` contacts."""
    distance = float(opts.distance_m or 3.0)
    result = {
        "time_s": duration if duration > 0 else None,
        "distance_m": distance,
        "speed_m_s": distance / duration if duration > 0 else None,
        "steps": steps,
    }
    withheld = {}
    if duration <= 0:
        withheld["time_s"] = withheld["speed_m_s"] = "The end of the walk is not after its start."
    return result, withheld
