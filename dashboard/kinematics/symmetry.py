"""Left/right symmetry: one signed definition for every page, export and report.

``SI = 100 * (L - R) / (0.5 * (L + R))`` of a left and a right value (a range of
motion, a step time...). 0 % is perfect symmetry; positive means the person's
**left** value is larger, negative the right; the bounds are +-200 % (one side
zero). The sign says which side; its size how unequal. Robinson et al. (1987)
defined the index; PoseDash keeps its sign rather than its absolute value so
that a change of side between two sessions shows.

When a symmetry index may be given at all is the verdict of
:func:`dashboard.kinematics.validity.symmetry_verdict` (never in a side view,
never from a side measured in fewer than half the frames).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SYMMETRY_WORDS", "symmetry_index"]

#: The definition in plain words, for captions and help texts.
SYMMETRY_WORDS = (
    "Symmetry index = 100 × (L − R) / ½(L + R), from the left (L) and right (R) "
    "values: 0 % is perfect symmetry, positive means the person's left side is "
    "larger, negative the right; the limits are ±200 % (one side zero)."
)


def symmetry_index(left: float, right: float) -> float:
    """Signed symmetry index in percent: ``100 * (L - R) / (0.5 * (L + R))``.

    For non-negative values (ranges, times, lengths). Two zeros give 0; a NaN
    input, or a negative mean (not a range), gives NaN.
    """
    left, right = float(left), float(right)
    if not (np.isfinite(left) and np.isfinite(right)):
        return float("nan")
    mean = 0.5 * (left + right)
    if mean == 0:
        return 0.0 if left == right else float("nan")
    if mean < 0:
        return float("nan")
    return 100.0 * (left - right) / mean
