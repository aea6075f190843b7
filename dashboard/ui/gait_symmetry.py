"""Gait page: the gait analysis's symmetry indices shown with the one signed definition
of every page (:mod:`dashboard.kinematics.symmetry`: positive, the person's left larger).

The gait analysis gives their size, 100·|L − R| / mean of the two; the sign added here is
that of left minus right of the values the index was computed from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.kinematics.symmetry import SYMMETRY_WORDS

__all__ = ["SYMMETRY_WORDS", "signed_key_values", "signed_symmetry"]


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
    (:data:`dashboard.kinematics.symmetry.SYMMETRY_WORDS`: positive, the left larger).
    The gait analysis gives its size, 100·|L − R| / mean; the sign is that of left
    minus right of the sides' means (stance time: mean stride time × mean stance %)."""
    names = _SYMMETRY_OF.get(key)
    if not names or not stats:
        return stats

    def side_value(side: str) -> float:
        means = [float((per_side.get(side) or {}).get(n, {}).get("mean", np.nan)) for n in names]
        return float(np.prod(means))

    diff = side_value("left") - side_value("right")
    mean = float(stats.get("mean", np.nan))
    if not np.isfinite(diff) or not np.isfinite(mean):
        return stats
    return dict(stats, mean=float(np.copysign(mean, diff)))
