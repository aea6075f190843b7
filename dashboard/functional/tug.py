"""Timed Up and Go: total time from the start to seated again, and its phases.

Phases: sit-to-stand (start to standing), walk out (standing to the turn), turn
(the walking direction reverses), walk back (to the turn before sitting), turn and
sit (to seated). The turn is read from the walking speed along the picture (the
pelvis slows, stops and goes the other way) or, when the camera follows the person
and the pelvis hardly moves along the picture, from the face turning round. A turn
while the person is out of the picture is "not seen": its phases have no time.
"""

from __future__ import annotations

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals, smooth
from dashboard.functional.stands import find_stands

__all__ = ["NO_TURN", "PHASES", "gap_near", "phases_of", "score_tug"]

PHASES = (
    ("sit_to_stand", "start", "standing"),
    ("walk_out", "standing", "turn_start"),
    ("turn", "turn_start", "turn_end"),
    ("walk_back", "turn_end", "sit_turn_start"),
    ("turn_and_sit", "sit_turn_start", "seated"),
)
NO_TURN = (
    "No walk and turn were seen between the rise and the sit: score a TUG filmed "
    "from the side, the whole walk in the picture."
)
#: The walking speed along the picture below which a turn begins (share of the peak).
TURN_SPEED_SHARE = 0.5
#: A gap (person not found) at least this long around the turn: the turn is not seen.
GAP_S = 0.3
#: Pelvis travel along the picture (leg lengths) below which the camera is taken to
#: follow the person: the turn is read from the face.
MIN_TRAVEL = 1.0
#: The face shows the way the person faces when :attr:`Signals.facing` is beyond this.
FACE_CLEAR = 0.5


def _velocity(sig: Signals) -> np.ndarray:
    fps = sig.fps
    w = max(round(fps * 0.3), 1)
    x = smooth(sig.pelvis_x, w)
    v = np.gradient(x, sig.time_s) if x.size > 1 else np.zeros_like(x)
    return smooth(v, max(round(fps * 0.15), 1))


def gap_near(sig: Signals, a: int, b: int) -> tuple[int, int] | None:
    """The longest stretch in a..b with the person not found, if >= GAP_S."""
    lost = ~sig.found[a : b + 1]
    best, run_start = None, None
    for k, miss in enumerate(np.r_[lost, False]):
        if miss and run_start is None:
            run_start = k
        elif not miss and run_start is not None:
            s, e = a + run_start, a + k - 1
            long = sig.time_s[min(e + 1, len(sig.time_s) - 1)] - sig.time_s[max(s - 1, 0)] >= GAP_S
            if long and (best is None or e - s > best[1] - best[0]):
                best = (s, e)
            run_start = None
    return best


def _turn_by_speed(v, x, a: int, b: int) -> tuple[int, int, int, int] | None:
    """(turn start, apex, turn end, sit-turn start) from the pelvis velocity."""
    seg = x[a : b + 1]
    if np.isfinite(seg).sum() < 5:
        return None
    x0 = np.nanmedian(seg[: max(3, len(seg) // 20)])
    exc = np.abs(seg - x0)
    apex = a + int(np.nanargmax(exc))
    direction = np.sign(np.nanmedian(x[a : apex + 1] - x0)) or 1.0
    out_v = direction * v[a : apex + 1]
    back_v = -direction * v[apex : b + 1]
    if not (np.isfinite(out_v).any() and np.isfinite(back_v).any()):
        return None
    p_out, p_back = np.nanmax(out_v), np.nanmax(back_v)
    if p_out <= 0 or p_back <= 0:
        return None
    fast_out = np.flatnonzero(out_v >= TURN_SPEED_SHARE * p_out)
    fast_back = np.flatnonzero(back_v >= TURN_SPEED_SHARE * p_back)
    if not fast_out.size or not fast_back.size:
        return None
    turn_start = a + int(fast_out[-1])
    turn_end = apex + int(fast_back[0])
    sit_turn = apex + int(fast_back[-1])
    return turn_start, apex, turn_end, max(sit_turn, turn_end)


def _turn_by_face(sig: Signals, a: int, b: int) -> tuple[int, int, int, int] | None:
    """The same from the face turning round: facing the way out, then back, then the
    way out again to sit (the nose's side of the ears, :attr:`Signals.facing`)."""
    f = sig.facing[a : b + 1]
    if np.isfinite(f).sum() < 10:
        return None
    head = f[: max(5, len(f) // 8)]
    first = np.nanmedian(head) if np.isfinite(head).any() else np.nan
    if not abs(first) > FACE_CLEAR:
        return None
    s = np.sign(first)
    with np.errstate(invalid="ignore"):
        back = np.flatnonzero(s * f <= -FACE_CLEAR)
    if not back.size:
        return None
    with np.errstate(invalid="ignore"):
        out_before = np.flatnonzero(s * f[: back[0]] >= FACE_CLEAR)
        again = np.flatnonzero(s * f[back[0] :] >= FACE_CLEAR)
    turn_start = a + int(out_before[-1]) if out_before.size else a
    turn_end = a + int(back[0])
    if again.size:
        back_last = back[back < back[0] + again[0]]
        sit_turn = a + int(back_last[-1])
    else:
        sit_turn = a + int(back[-1])
    return turn_start, (turn_start + turn_end) // 2, turn_end, max(sit_turn, turn_end)


def _sit_turn_after(sig: Signals, a: int, b: int) -> int | None:
    """After a turn out of view: the last frame facing the way back before the face
    turns round to sit, or None."""
    f = sig.facing[a : b + 1]
    head = f[: max(5, len(f) // 8)]
    if not np.isfinite(head).any():
        return None
    s = np.sign(np.nanmedian(head))
    with np.errstate(invalid="ignore"):
        back = np.flatnonzero(s * f >= FACE_CLEAR)
        turned = np.flatnonzero(s * f <= -FACE_CLEAR)
    if s == 0 or not back.size or not turned.size:
        return None
    before = back[back < turned[0]]
    return a + int(before[-1]) if before.size else None


def _ev(sig: Signals, name: str, i: int, conf: float, label: str) -> Event:
    return Event(name, int(i), int(sig.frame_index[i]), float(sig.time_s[i]), conf, label)


def phases_of(times: dict) -> list[dict]:
    out = []
    for name, a, b in PHASES:
        ta, tb = times.get(a), times.get(b)
        dur = tb - ta if ta is not None and tb is not None else None
        out.append(
            {"phase": name, "start_s": ta, "end_s": tb, "duration_s": dur, "seen": dur is not None}
        )
    return out


def score_tug(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """``{'result', 'withheld', 'events', 'warnings', 'phases'}`` of a TUG."""
    stands, _lo, _hi = find_stands(sig)
    stands = [
        s
        for s in stands
        if s.seat_off is not None and s.seat_off >= start.index - 1 and s.full_stand is not None
    ]
    withheld, warnings, events = {}, [], []
    result: dict[str, float | None] = {"total_s": None}
    if not stands:
        withheld["total_s"] = (
            "The person is not seen rising from the chair: film the whole TUG from the side, "
            "chair included."
        )
        return {"result": result, "withheld": withheld, "events": [], "warnings": [], "phases": []}
    first = stands[0]
    a = first.full_stand
    assert a is not None and first.seat_off is not None  # only such rises are kept above
    seated = first.seat_on  # a TUG has one rise and one sit
    events.append(_ev(sig, "seat_off", first.seat_off, first.confidence, "seat-off"))
    events.append(_ev(sig, "standing", a, first.confidence, "standing"))
    times = {"start": start.time_s, "standing": float(sig.time_s[a])}
    end_i = seated if seated is not None else len(sig.time_s) - 1
    if seated is None:
        withheld["total_s"] = "The person is not seen sitting down again before the video ends."
    else:
        events_end = _ev(sig, "seated", seated, first.confidence, "seated")
        times["seated"] = events_end.time_s
        result["total_s"] = times["seated"] - start.time_s
    gap = gap_near(sig, a, end_i)
    travel = np.nanmax(sig.pelvis_x[a : end_i + 1]) - np.nanmin(sig.pelvis_x[a : end_i + 1])
    turn = None
    if gap is not None:
        warnings.append(
            f"The person is out of the picture from {sig.time_s[gap[0]]:.1f} s to "
            f"{sig.time_s[gap[1]]:.1f} s: the turn is not seen, so the walks and the turn "
            "phases have no time."
        )
        st = _sit_turn_after(sig, gap[1] + 1, end_i)
        if st is not None:
            events.append(_ev(sig, "sit_turn_start", st, 0.6, "turn to sit"))
            times["sit_turn_start"] = float(sig.time_s[st])
    else:
        turn = _turn_by_face(sig, a, end_i)
        if turn is None and np.isfinite(travel) and travel >= MIN_TRAVEL:
            turn = _turn_by_speed(_velocity(sig), sig.pelvis_x, a, end_i)
            if turn is not None:
                warnings.append("The face is not seen well: the turns are read from the walk.")
    if turn is not None:
        ts, _apex, te, st = turn
        conf = 0.7
        for name, i, label in (
            ("turn_start", ts, "turn start"),
            ("turn_end", te, "turn end"),
            ("sit_turn_start", st, "turn to sit"),
        ):
            events.append(_ev(sig, name, i, conf, label))
            times[name] = float(sig.time_s[i])
    elif gap is None:
        withheld["total_s"] = NO_TURN
        result["total_s"] = None
        warnings.append("The turn could not be found: the walk and turn phases have no time.")
    if seated is not None:
        events.append(events_end)
    phases = phases_of(times)
    for p in phases:
        result[f"{p['phase']}_s"] = p["duration_s"]
        if p["duration_s"] is None:
            withheld[f"{p['phase']}_s"] = "not seen"
    if len(stands) > 2:
        warnings.append(f"{len(stands)} rises were seen: a TUG has one; check the events.")
    return {
        "result": result,
        "withheld": withheld,
        "events": events,
        "warnings": warnings,
        "phases": phases,
    }
