"""The results of walking towards or away from the camera in words: the one source of
what the Gait page and the filed report print (the camera set-up verdict of a walk
filmed only from the front or the back, the passes, the table of steps, cadence, step
and stride time with their n, and what needs a side view). Pure: it reads the
``frontal_walking`` document (:meth:`.frontal.FrontalResult.as_dict`), computed once,
from the contacts corrected by hand when there are any.
"""

from __future__ import annotations

import math

from dashboard.kinematics.gait.parameters import too_few_words

__all__ = [
    "FRONTAL_METHOD",
    "FRONTAL_ONLY_VERDICT",
    "FRONTAL_ROWS",
    "VERDICT_WORDS",
    "frontal_only",
    "frontal_passes_words",
    "frontal_rows",
    "stat_words",
]

#: The camera set-up verdict in words.
VERDICT_WORDS = {
    "good": "Camera set-up: good for gait analysis.",
    "usable": "Camera set-up: usable, with the reservations below.",
    "not suitable": "Camera set-up: not suitable for gait analysis as filmed; the "
    "numbers below (if any) should not be trusted.",
}
#: The verdict of a walk filmed only from the front or the back (no side-view pass).
FRONTAL_ONLY_VERDICT = (
    "Camera set-up: filmed from the front or the back. Only the timing of the steps can "
    "be measured (below); the checks say what the other parameters need."
)

#: How the frontal results are measured, after the passes.
FRONTAL_METHOD = (
    "From the front or the back only the timing of the steps is measured, from the feet's "
    "vertical motion in the picture and the alternation of the feet. No joint-angle curve "
    "is drawn from a frontal view."
)

#: (parameter key, label, digits) of the frontal table, both feet then each foot.
FRONTAL_ROWS = (
    ("cadence_steps_per_min", "Cadence (steps/min)", 1),
    ("step_time_s", "Step time (s)", 2),
    ("stride_time_s", "Stride time (s)", 2),
)


def frontal_only(verdict: str, frontal: object, side_passes: int) -> bool:
    """Whether the set-up verdict is that of a walk filmed only from the front or the
    back: not suitable for side-view gait analysis, with frontal walking and no
    side-view pass."""
    return verdict == "not suitable" and frontal is not None and side_passes == 0


def stat_words(stats: dict | None, digits: int) -> str:
    """``mean ± SD (n=..)``; below 3 values the mean and why there is no SD
    (``'1.10 (n = 2: too few strides for a spread)'``); ``–`` without a value."""
    if not stats:
        return "–"
    mean, n = stats.get("mean"), int(stats.get("n") or 0)
    if n == 0 or mean is None or not math.isfinite(float(mean)):
        return "–"
    text = f"{float(mean):.{digits}f}"
    few = too_few_words(n)
    if few:
        return f"{text} ({few})"
    sd = stats.get("sd")
    if sd is not None and math.isfinite(float(sd)):
        text += f" ± {float(sd):.{digits}f}"
    return f"{text} (n={n})"


def frontal_passes_words(doc: dict) -> str:
    """``'Pass 1: towards the camera (1.0-5.2 s)'``, one per frontal pass."""
    return ", ".join(
        f"Pass {i + 1}: {'towards' if p.get('direction') == 'towards' else 'away from'} "
        f"the camera ({float(p['start_s']):.1f}-{float(p['end_s']):.1f} s)"
        for i, p in enumerate(doc.get("passes") or [])
    )


def frontal_rows(doc: dict) -> list[tuple[str, str]]:
    """(parameter, both feet) rows of the frontal document: steps counted, cadence, step
    and stride time of both feet, then step and stride time of each foot."""
    p = doc.get("parameters") or {}
    rows = [("Steps (contacts counted)", str(int(doc.get("steps") or 0)))]
    rows += [(label, stat_words(p.get(key), d)) for key, label, d in FRONTAL_ROWS]
    for side in ("left", "right"):
        rows += [
            (f"{label}, {side} foot", stat_words((p.get(side) or {}).get(key), d))
            for key, label, d in FRONTAL_ROWS[1:]
        ]
    return rows
