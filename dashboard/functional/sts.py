"""Five-times sit-to-stand (5xSTS) and the 30-second chair stand."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals
from dashboard.functional.stands import Stand, find_stands, stand_events

__all__ = ["score_chair30", "score_sts5"]

CHAIR_S = 30.0


def _no_stands(sig: Signals) -> str:
    return (
        "No sit-to-stand was found: the hips do not go from seated to standing height. "
        "Film the whole body from the side, chair included."
    )


def score_sts5(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """``{'result', 'withheld', 'events', 'warnings'}`` of a 5xSTS from ``start``."""
    stands, _lo, _hi = find_stands(sig)
    stands = [s for s in stands if s.seat_off >= start.index - 1]
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
        "events": stand_events(sig, complete[:5] if len(complete) >= 5 else complete),
        "warnings": warnings,
    }


def _halfway_up(sig: Signals, stands: list[Stand], end_i: int, lo: float, hi: float) -> bool:
    """At the 30-s mark (index ``end_i``), is the person in a rise not yet complete
    and more than halfway up?"""
    r = sig.rise
    in_rise = any(
        s.seat_off <= end_i and (s.full_stand is None or s.full_stand > end_i) for s in stands
    )
    return bool(in_rise and np.isfinite(r[end_i]) and r[end_i] >= lo + 0.5 * (hi - lo))


def score_chair30(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """Stands completed within 30 s of ``start``; a stand more than halfway up at 30 s
    counts. A shorter recording gives the stands seen and no score."""
    stands, lo, hi = find_stands(sig)
    stands = [s for s in stands if s.seat_off >= start.index - 1]
    t = sig.time_s
    end_t = start.time_s + CHAIR_S
    complete = [s for s in stands if s.full_stand is not None and t[s.full_stand] <= end_t]
    result = {"stands": None, "stands_seen": len(complete), "duration_s": CHAIR_S}
    withheld, warnings = {}, []
    if t[-1] < end_t - 1e-6:
        withheld["stands"] = (
            f"The video ends {t[-1] - start.time_s:.1f} s after the start: the chair stand "
            f"lasts 30 s, so no score is given ({len(complete)} stands seen; a count is "
            "never extrapolated)."
        )
    else:
        end_i = int(np.searchsorted(t, end_t))
        end_i = min(end_i, len(t) - 1)
        partial = _halfway_up(sig, stands, end_i, lo, hi)
        result["stands"] = len(complete) + int(partial)
        if partial:
            warnings.append("A stand more than halfway up at 30 s is counted, per the protocol.")
    if not complete and not stands:
        withheld.setdefault("stands_seen", _no_stands(sig))
    events = stand_events(sig, complete)
    end_i = min(int(np.searchsorted(t, end_t)), len(t) - 1)
    if t[-1] >= end_t - 1e-6:
        events.append(
            Event("end_30s", end_i, int(sig.frame_index[end_i]), float(t[end_i]), 1.0, "30 s")
        )
    return {"result": result, "withheld": withheld, "events": events, "warnings": warnings}
