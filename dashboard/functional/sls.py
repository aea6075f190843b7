"""Single-leg stance: seconds from the lift-off of one foot until it touches down or
the stance foot moves, per stance side (``left_s``: standing on the left leg).

The person stands (hips at least :data:`STANDING_RISE` leg lengths above the ankles)
with both feet down for the first half second. A foot is lifted while its ankle is
more than :data:`LIFT` leg lengths above the other's (about 7 cm for an adult; the
difference at the start, the far foot's perspective in a side view, is taken off).
The lift-off is traced back to where the height difference began to grow; the
touch-down is the first frame it is back within :data:`DOWN`, or the stance ankle
has slid more than :data:`SLIDE` leg lengths. A lift shorter than
:data:`MIN_TRIAL_S` or with the pelvis travelling (walking) is not a trial. The
longest trial per side is the result. A trial still running when the video ends is
given as "at least" that long.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals, smooth

__all__ = ["first_lift", "height_difference", "score_sls", "trials"]

LIFT = 0.08
DOWN = 0.04
START = 0.03
SLIDE = 0.10
#: Shorter lifts are steps or shifts of weight, not a trial.
MIN_TRIAL_S = 1.0
#: A trial keeps the body in place: the pelvis moves less than this along the picture.
MAX_TRAVEL = 0.3
#: Both feet are down during the first this many seconds (the baseline).
BASELINE_S = 0.5
#: Standing: the hips at least this high above the ankles (leg lengths) on average.
STANDING_RISE = 0.8


def height_difference(sig: Signals) -> np.ndarray:
    """(F,) left ankle minus right ankle image y in leg lengths, less its value with both
    feet down at the start (in a side or oblique view the far foot looks higher):
    positive when the right foot is lifted (standing on the left)."""
    w = max(round(sig.fps * 0.1), 1) if np.isfinite(sig.fps) else 1
    dy = smooth(sig.ankles[:, 0, 1] - sig.ankles[:, 1, 1], w)
    ok = np.flatnonzero(np.isfinite(dy))
    if ok.size:
        t = sig.time_s
        first = ok[t[ok] <= t[ok[0]] + BASELINE_S]
        dy = dy - float(np.median(dy[first]))
    return dy


def trials(sig: Signals) -> list[dict]:
    """Every lift of a foot: ``{'stance', 'lift', 'down', 'censored', 'reason'}``
    (array indices; ``down`` the touch-down or the last frame)."""
    dy = height_difference(sig)
    t = sig.time_s
    out, i, n = [], 0, len(dy)
    while i < n:
        if not (np.isfinite(dy[i]) and abs(dy[i]) >= LIFT):
            i += 1
            continue
        sign = np.sign(dy[i])
        lift = i
        while lift > 0 and np.isfinite(dy[lift - 1]) and sign * dy[lift - 1] > START:
            lift -= 1
        stance = 0 if sign > 0 else 1  # the lower ankle stands
        x0 = sig.ankles[lift, stance, 0]
        j, reason = i, ""
        while j < n:
            if not np.isfinite(dy[j]):
                reason = "not seen"
                break
            if sign * dy[j] <= DOWN:
                reason = "touch-down"
                break
            if np.isfinite(x0) and abs(sig.ankles[j, stance, 0] - x0) > SLIDE:
                reason = "stance foot moved"
                break
            j += 1
        censored = j >= n
        down = min(j, n - 1)
        with np.errstate(invalid="ignore"):
            standing = np.nanmean(sig.rise[lift : down + 1]) >= STANDING_RISE
            px = sig.pelvis_x[lift : down + 1]
            travel = np.nanmax(px) - np.nanmin(px) if np.isfinite(px).any() else np.inf
        standing = standing and travel < MAX_TRAVEL  # not walking
        if t[down] - t[lift] >= MIN_TRIAL_S and standing:
            out.append(
                {
                    "stance": "left" if stance == 0 else "right",
                    "lift": lift,
                    "down": down,
                    "censored": censored,
                    "reason": "the video ends" if censored else reason,
                }
            )
        i = down + 1
    return out


def first_lift(sig: Signals) -> int:
    found = trials(sig)
    return found[0]["lift"] if found else len(sig.time_s) - 1


def score_sls(sig: Signals, opts: TestOptions, start: Event) -> dict:
    """The longest trial per stance side."""
    t = sig.time_s
    found = [tr for tr in trials(sig) if tr["lift"] >= start.index - 1]
    result: dict[str, Any] = {"left_s": None, "right_s": None, "trials": len(found)}
    withheld, warnings, events = {}, [], []
    for side in ("left", "right"):
        mine = [tr for tr in found if tr["stance"] == side]
        if not mine:
            withheld[f"{side}_s"] = f"No stance on the {side} leg was seen."
            continue
        best = max(mine, key=lambda tr: t[tr["down"]] - t[tr["lift"]])
        result[f"{side}_s"] = float(t[best["down"]] - t[best["lift"]])
        result[f"{side}_at_least"] = bool(best["censored"])
        if best["censored"]:
            warnings.append(
                f"Standing on the {side} leg: the video ends during the trial, so the time "
                "is at least the one given."
            )
    sides = [result[k] for k in ("left_s", "right_s") if result[k] is not None]
    result["best_s"] = max(sides) if sides else None
    if not sides:
        withheld["best_s"] = "No single-leg stance was seen: the feet stay at the same height."
    for k, tr in enumerate(found, start=1):
        side = tr["stance"]
        for name, i, label in (
            ("lift_off", tr["lift"], f"lift-off ({side} stance)"),
            ("touch_down", tr["down"], f"{tr['reason']} ({side} stance)"),
        ):
            vis = float(np.mean(sig.visibility[max(i - 2, 0) : i + 3]))
            events.append(
                Event(
                    f"{name}_{k}",
                    int(i),
                    int(sig.frame_index[i]),
                    float(t[i]),
                    round(vis, 2),
                    label,
                )
            )
    return {"result": result, "withheld": withheld, "events": events, "warnings": warnings}
