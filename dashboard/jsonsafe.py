"""Turn results into plain JSON values: the one place NaN becomes ``null``."""

from __future__ import annotations

import math
import os

import numpy as np


def to_jsonable(obj):
    """Recursively convert for ``json.dumps(..., allow_nan=False)``.

    Dicts (keys become strings), lists and tuples, numpy arrays and scalars,
    objects with an ``as_dict()`` method and paths are converted; NaN and
    infinities become None. Anything else is returned unchanged.
    """
    if hasattr(obj, "as_dict") and callable(obj.as_dict):
        return to_jsonable(obj.as_dict())
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return obj


def finite_float(x) -> float | None:
    """``x`` as a float, or None when it is no finite number (None, NaN, infinite, text)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
