"""Five-times sit-to-stand (5xSTS) and the 30-second chair stand."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals
from dashboard.functional.stands import Stand, find_stands, stand_events

__all__ = ["chair30_from_stands", "score_chair30", "score_sts5", "sts5_from_stands"]

CHAIR_S = 30.0


def _no_stands(sig: Signals) -> str:
    return (
        "No sit-to-stand was found: the hips do not go from seated to standing height. "
        "Film the whole body from the side, chair included."
    )


def _begin(s: Stand) -> int:
    return s.seat_off if s.seat_off is not None else int(s.full_stand or 0)


def score_sts5(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """``{'result', 'withheld', 'events', 'warnings'}`` of a 5xSTS from ``start``."""
    stands, _lo, _hi = find_stands(sig)
    return sts5_from_stands(sig, opts, start, stands)


def sts5_from_stands(sig: Signals, opts: TestOptions, start: Event, stands: list[Stand]) -> dict:
    """:func:`score_sts5` from the stands found (or given by their events corrected by hand)."""
    stands = [s for s in stands if _begin(s) >= start.index - 1]
    complete = [s for s in stands if s.full_stand is not None]
    warnings, withheld = [], {}
    result: dict[str, Any] = {
        "stands": len(complete),
        "time_to_fifth_stand_s": None,
        "time_to_fifth_sit_s": None,
        "total_s": None,
        "total_ends_at": opts.sts_total,
    }
    if not complete:
        withheld["stands"] = _no_stands(sig)
    if len(complete) < 5:
        reason = f"Only {len(complete)} complete stand(s) were seen: the test needs five."
        for k in ("time_to_fifth_stand_s", "time_to_fifth_sit_s", "total_s"):
            withheld[k] = reason
    else:
        if len(complete) > 5:
            warnings.append(
                f"{len(complete)} stands were seen: the test is timed on the first five."
            )
        fifth = complete[4]
        t = sig.time_s
        result["time_to_fifth_stand_s"] = float(t[fifth.full_stand] - start.time_s)
        if fifth.seat_on is not None:
            result["time_to_fifth_sit_s"] = float(t[fifth.seat_on] - start.time_s)
        else:
            withheld["time_to_fifth_sit_s"] = "The video ends before the fifth sit."
        key = "time_to_fifth_sit_s" if opts.sts_total == "fifth_sit" else "time_to_fifth_stand_s"
        result["total_s"] = result[key]
        if result["total_s"] is None:
            withheld["total_s"] = withheld[key]
    incomplete = [s for s in stands if s.full_stand is None]
    if incomplete:
        warnings.append(f"{len(incomplete)} rise(s) did not reach standing and are not counted.")
    return {
        "result": result,
        "withheld": withheld,
        "events": stand_events(sig, complete),
        "warnings": warnings,
    }


def _halfway_up(sig: Signals, stands: list[Stand], end_i: int, lo: float, hi: float) -> bool:
    """At the 30-s mark (index ``end_i``), is the person in a rise not yet complete
    and more than halfway up?"""
    r = sig.rise
    in_rise = any(
        _begin(s) <= end_i and (s.full_stand is None or s.full_stand > end_i) for s in stands
    )
    return bool(in_rise and np.isfinite(r[end_i]) and r[end_i] >= lo + 0.5 * (hi - lo))


def _halfway_seat_off(sig: Signals, stands, complete, end_i: int) -> list[Event]:
    """The seat-off of the stand more than halfway up at 30 s, to be checked like the others."""
    rising = [
        s for s in stands if s not in complete and s.seat_off is not None and s.seat_off <= end_i
    ]
    if not rising:
        return []
    i, n = rising[-1].seat_off, len(complete) + 1
    label = f"seat off {n} (more than halfway up at 30 s)"
    return [Event(f"seat_off_{n}", i, int(sig.frame_index[i]), float(sig.time_s[i]), 0.7, label)]


def score_chair30(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """Stands completed within 30 s of ``start``; a stand more than halfway up at 30 s
    counts. A shorter recording gives the stands seen and no score."""
    stands, lo, hi = find_stands(sig)
    return chair30_from_stands(sig, opts, start, stands, lo, hi)


def chair30_from_stands(
    sig: Signals, opts: TestOptions, start: Event, stands: list[Stand], lo: float, hi: float
) -> dict:
    """:func:`score_chair30` from the stands found (or given by their events corrected by
    hand); ``lo``, ``hi``: the seated and standing levels of the rise signal."""
    stands = [s for s in stands if _begin(s) >= start.index - 1]
    t = sig.time_s
    end_t = start.time_s + CHAIR_S
    complete = [s for s in stands if s.full_stand is not None and t[s.full_stand] <= end_t]
    result = {"stands": None, "stands_seen": len(complete), "duration_s": CHAIR_S}
    withheld, warnings = {}, []
    end_i = min(int(np.searchsorted(t, end_t)), len(t) - 1)
    if t[-1] < end_t - 1e-6:
        withheld["stands"] = (
            f"The video ends {t[-1] - start.time_s:.1f} s after the start: the chair stand "
            f"lasts 30 s, so no score is given ({len(complete)} stands seen; a count is "
            "never extrapolated)."
        )
    else:
        partial = _halfway_up(sig, stands, end_i, lo, hi)
        result["stands"] = len(complete) + int(partial)
        if partial:
            warnings.append("A stand more than halfway up at 30 s is counted, per the protocol.")
    if not complete and not stands:
        withheld.setdefault("stands_seen", _no_stands(sig))
    events = stand_events(sig, complete)
    if result["stands"] is not None and result["stands"] > len(complete):
        events += _halfway_seat_off(sig, stands, complete, end_i)
    if t[-1] >= end_t - 1e-6:
        events.append(
            Event("end_30s", end_i, int(sig.frame_index[end_i]), float(t[end_i]), 1.0, "30 s")
        )
    return {"result": result, "withheld": withheld, "events": events, "warnings": warnings}
