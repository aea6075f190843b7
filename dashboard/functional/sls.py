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

Sides. The pose model labels left and right as it sees them in the picture. A video the
phone *marked* to play as a mirror image (front camera) is read as the camera recorded
it (:mod:`dashboard.media.video`), so its sides are the patient's. A video whose pixels
were saved mirrored (some front-camera apps do) carries no mark: in it the model's left
is the patient's right, and nothing in the video tells. The clinician may say whether
the video is a mirror image (:attr:`TestOptions.mirrored`); then the sides are swapped
back or kept, and ``result['sides']`` is ``'patient'``. Without that answer, and
without a phone mark, ``result['sides']`` is ``'as_labelled'`` and the result says
plainly that the sides would be swapped in a mirror-image video (:func:`sides_basis`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals, smooth

__all__ = [
    "PHONE_MIRROR",
    "first_lift",
    "height_difference",
    "score_sls",
    "score_trials",
    "sides_basis",
    "swap_sides",
    "trials",
]

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


#: Words of the note a video gets when PoseDash undid its phone's mirror mark
#: (``dashboard.media.video.MIRROR_NOTE``).
PHONE_MIRROR = "marked this video to play as a mirror image"
_SWAP = {"left": "right", "right": "left"}


def sides_basis(mirrored: bool | None, notes=()) -> tuple[bool, str, str]:
    """(swap the model's sides, ``'patient'`` or ``'as_labelled'``, a sentence saying
    whose sides these are) for a single-leg stance.

    ``mirrored``: the clinician's answer (the video is a mirror image: True; it is not:
    False; not said: None); ``notes``: the analysis's notes on how the video was read."""
    if any(PHONE_MIRROR in str(n) for n in notes):
        return (
            False,
            "patient",
            (
                "Sides are the patient's: the phone marked this video as a mirror image and "
                "PoseDash reads it as the camera recorded it."
            ),
        )
    if mirrored is True:
        return (
            True,
            "patient",
            (
                "Sides are the patient's: the video was said to be a mirror image, so the "
                "pose model's left and right were swapped back."
            ),
        )
    if mirrored is False:
        return (
            False,
            "patient",
            ("Sides are the patient's: the video was said not to be a mirror image."),
        )
    return (
        False,
        "as_labelled",
        (
            "Sides are as the pose model sees them in the picture: the patient's own, unless "
            "the video was saved as a mirror image (some front-camera apps do), which the "
            "video itself cannot show; then left and right are swapped. Say whether it is a "
            "mirror image to make the sides certain."
        ),
    )


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


def swap_sides(found: list[dict]) -> list[dict]:
    """Trials with their stance sides swapped (a mirror image: the model's left is the
    patient's right)."""
    return [{**tr, "stance": _SWAP[tr["stance"]]} for tr in found]


def score_sls(sig: Signals, opts: TestOptions, start: Event, notes=()) -> dict:
    """The longest trial per stance side (the patient's side: :func:`sides_basis`)."""
    swap, basis, words = sides_basis(opts.mirrored, notes)
    found = [tr for tr in trials(sig) if tr["lift"] >= start.index - 1]
    return score_trials(sig, swap_sides(found) if swap else found, (basis, words))


def score_trials(sig: Signals, found: list[dict], sides: tuple[str, str] | None = None) -> dict:
    """:func:`score_sls` from the trials found (or given by their events corrected by hand),
    their stance sides the patient's; ``sides``: (``result['sides']``, its sentence)."""
    t = sig.time_s
    result: dict[str, Any] = {"left_s": None, "right_s": None, "trials": len(found)}
    if sides is not None:
        result["sides"] = sides[0]
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
    if sides is not None:
        result["sides_note"] = sides[1]
    times = [result[k] for k in ("left_s", "right_s") if result[k] is not None]
    result["best_s"] = max(times) if times else None
    if not times:
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
