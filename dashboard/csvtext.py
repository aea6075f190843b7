"""CSV text of a table, the same bytes as pandas writes, faster (one of the bottom layer's
shared helpers: the landmark and angle tables are written with it).

pandas formats each float of ``DataFrame.to_csv`` through a Python call per cell;
:func:`csv_text` formats the whole table with one row template (``%`` on all its values
at once) and falls back to pandas for anything it does not handle the same way.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

__all__ = ["csv_text"]


#: Characters that make the csv module quote a cell (delimiter, quote, line breaks).
_QUOTED = (",", '"', "\n", "\r")


def csv_text(table: Any, float_format: str | None) -> str:
    """``table.to_csv(index=False, float_format=float_format)``, the same text, faster.

    pandas formats each float through a Python call that also tests it for NaN
    (about 0.4 s for the 600,000 numbers of a 2,000-frame landmark table);
    here all rows are formatted in one operation, a row template repeated (float
    columns with a gap are formatted first, a gap as an empty cell). Integer
    columns are written with ``str``, float columns with ``float_format``
    (NaN as an empty cell), text columns as they are. A table with one
    column, any other kind of column, or a cell the csv module would quote
    is left to pandas. ``float_format`` None: pandas' own float text, ``repr`` for float64
    columns (NumPy's ``astype(str)`` of a float64 is the same shortest round-trip text;
    other float columns are left to pandas: a float32's text is its own shortest).
    """
    if not table.columns.is_unique:
        return table.to_csv(index=False, float_format=float_format)
    fmt = float_format or "%r"
    specs: list[str] = []  # each column's place in the row template
    cells: list[list] = []  # and the values it takes
    for name in table.columns:
        values = table[name].to_numpy()
        kind = values.dtype.kind
        if kind == "f" and (float_format is not None or values.dtype.itemsize == 8):
            floats = values.tolist()
            if (values != values).any():  # NaN: an empty cell
                specs.append("%s")
                cells.append([fmt % v if v == v else "" for v in floats])
            else:
                specs.append(fmt)
                cells.append(floats)
        elif kind in "iu":
            specs.append("%d")  # the same text as str() of a Python int
            cells.append(values.tolist())
        elif kind == "O" and set(map(type, text := values.tolist())) <= {str}:
            if any(q in c for c in set(text) for q in _QUOTED):
                return table.to_csv(index=False, float_format=float_format)
            specs.append("%s")
            cells.append(text)
        else:
            return table.to_csv(index=False, float_format=float_format)
    header = [str(name) for name in table.columns]
    if len(header) < 2 or any(q in c for c in header for q in _QUOTED):
        return table.to_csv(index=False, float_format=float_format)
    # every row in one formatting operation (measured: two thirds of the time of a list
    # comprehension per column for a 2,000-frame landmark table)
    row = ",".join(specs) + "\n"
    values_in_rows = tuple(chain.from_iterable(zip(*cells, strict=True)))
    return ",".join(header) + "\n" + (row * len(table)) % values_in_rows
