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
import pandas as pd

__all__ = ["SYMMETRY_WORDS", "signed_key_values", "signed_symmetry", "symmetry_index"]

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


# -- the gait analysis's indices, shown with this definition ------------------------
# The gait analysis (dashboard.kinematics.gait.parameters) gives their size,
# 100 |L - R| / mean; the sign added here is that of left minus right of the values
# they come from (the Gait page and the report's gait section use it).


def signed_key_values(table: pd.DataFrame) -> pd.Series:
    """The key values' symmetry index (of the sides' absolute means), signed: exactly
    ``100 * (|L| - |R|) / (0.5 * (|L| + |R|))``."""
    diff = table.left_mean_deg.abs() - table.right_mean_deg.abs()
    return pd.Series(np.copysign(table.symmetry_index_pct, diff), index=table.index)


#: Symmetry rows of the gait analysis and the per-side means their sign comes from.
_SYMMETRY_OF = {
    "step_time_symmetry_pct": ("step_time_s",),
    "stance_time_symmetry_pct": ("stride_time_s", "stance_pct"),
}


def signed_symmetry(stats: dict, per_side: dict, key: str) -> dict:
    """A gait symmetry index shown with the one signed definition of every page
    (:data:`SYMMETRY_WORDS`: positive, the left larger).
    The gait analysis gives its size, 100·|L − R| / mean; the sign is that of left
    minus right of the sides' means (stance time: mean stride time × mean stance %)."""
    names = _SYMMETRY_OF.get(key)
    if not names or not stats:
        return stats

    def side_value(side: str) -> float:
        means = [float((per_side.get(side) or {}).get(n, {}).get("mean", np.nan)) for n in names]
        return float(np.prod(means))

    diff = side_value("left") - side_value("right")
    value = stats.get("mean")
    if value is None:  # no number (null in gait.json)
        return stats
    try:
        mean = float(value)
    except (TypeError, ValueError):
        return stats
    if not np.isfinite(diff) or not np.isfinite(mean):
        return stats
    return dict(stats, mean=float(np.copysign(mean, diff)))
