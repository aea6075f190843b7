"""Tables as shown on a page: every number as text, rounded per column, "–" where a
value is missing. Pure functions (pandas in, pandas out).

Streamlit's ``st.dataframe`` shows a missing value as a grey "None" and ignores a
pandas Styler's ``na_rep``, which reads to a clinician like a program error. So a
table is turned into text for display only; files offered for download keep the
numeric table (never pass a display table to a CSV or JSON writer).

Rounding follows the column's name (a page header or a machine name):

====================================================  ========
column                                                decimals
====================================================  ========
angles: "(°)", "(deg)", ``*_deg``                      1
percentages: "%", ``*_pct``                            1
confidence, visibility, presence                      2
times: "(s)", ``*_s``, "time"                          2
other numbers                                         whole numbers as such, else 2
====================================================  ========

A caller can give any column its own printf format (``"%.3f"``, ``"%+.0f%%"``).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["MISSING", "column_format", "display_table", "format_value"]

#: What a missing value (None, NaN, infinite) reads as on a page and in the report.
MISSING = "–"

_RULES = (  # (pattern on the lower-cased column name, decimals); the first match wins
    (re.compile(r"°|\(deg\)|_deg$|\bdeg\b"), 1),
    (re.compile(r"%|_pct$|percent"), 1),
    (re.compile(r"confidence|visibility|presence"), 2),
    (re.compile(r"\(s\)|_s$|\btime\b"), 2),
)


def column_format(name, values: pd.Series | None = None) -> str:
    """The printf format of column ``name`` (see the module's rounding table).

    Notes
    -----
    A column matching no rule keeps whole numbers whole ("%d") when every finite
    value in ``values`` is one (counts, frame numbers), else shows 2 decimals.
    """
    low = str(name).lower()
    for pattern, digits in _RULES:
        if pattern.search(low):
            return f"%.{digits}f"
    if values is not None:
        nums = [float(v) for v in values if _is_number(v) and math.isfinite(float(v))]
        if all(v.is_integer() for v in nums):
            return "%d"
    return "%.2f"


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def format_value(value, fmt: str = "%.2f") -> str:
    """``value`` as text: a number with the printf ``fmt``, a missing one as
    :data:`MISSING`, anything else as ``str(value)``.

    Notes
    -----
    Missing: None, NaN, ±inf, pandas' NA/NaT. "%d" rounds to the nearest whole
    number (rather than truncating).
    """
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return MISSING
    if _is_number(value):
        v = float(value)
        if not math.isfinite(v):
            return MISSING
        if fmt == "%d":
            return str(int(round(v)))
        return fmt % v
    return str(value)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not one missing value
        return False


def display_table(
    table: pd.DataFrame, formats: Mapping[str, str] | None = None, keep: Iterable[str] = ()
) -> pd.DataFrame:
    """A copy of ``table`` for display: numeric and mixed columns as text.

    Parameters
    ----------
    table
        The table as computed (numbers, None/NaN where a value is missing). It is
        not changed.
    formats
        Printf formats of some columns, overriding :func:`column_format`.
    keep
        Columns left as they are (a progress bar or a check box needs its numbers
        or booleans).

    Returns
    -------
    pandas.DataFrame
        Same columns and rows; boolean columns and ``keep`` unchanged; every other
        column text, with :data:`MISSING` for a missing value.
    """
    formats = dict(formats or {})
    keep = set(keep)
    out = table.copy()
    for name in out.columns:
        col = out[name]
        if name in keep or pd.api.types.is_bool_dtype(col):
            continue
        fmt = formats.get(name) or column_format(name, col)
        out[name] = [format_value(v, fmt) for v in col.tolist()]
    return out
