"""User text kept as text: for Markdown, Plotly and spreadsheet cells. Pure functions.

File names, the fields of a session file (source name, notes, patient labels,
person names) and error messages that quote them are *user-controlled text*:
anyone who can name a file or edit a session file chooses them. PoseDash shows
and writes them as plain text, never as markup or formulas:

- :func:`markdown_text` for anything rendered as Markdown (Streamlit's
  ``st.markdown``, ``st.caption``, ``st.info``/``st.error``..., image captions
  and widget labels): a name such as ``![t](http://host/p.png)`` would
  otherwise make the browser fetch that picture (a tracking pixel) and
  ``[Click](http://host)`` would show a link.
- :func:`plotly_text` for chart titles, legends and hover text: Plotly renders
  a few HTML tags (``<a href>``, ``<b>``, ``<br>``...) in them.
- :func:`spreadsheet_cell` and :func:`neutralise_cells` for CSV, XLSX and
  tab-separated files (``.trc``, ``.mot``): a cell beginning with ``= + - @``
  (or a tab or carriage return) is run as a formula by Excel, LibreOffice and
  Google Sheets ("CSV injection"); it is written with a leading apostrophe.
- :func:`one_line` for headers of line-based files: no line breaks, tabs or
  other control characters.

Notes
-----
Markdown escaping backslash-escapes every ASCII punctuation character, which
CommonMark allows for all of them, so no emphasis, link, image, autolink
(``http\\://``, ``www\\.``), HTML tag, emoji shortcode (``\\:smile\\:``),
coloured text (``\\:red[...]``) or LaTeX (``\\$``) can start; line breaks
become spaces so that a name cannot start a heading or a list. GitHub-flavoured
Markdown turns bare ``www.``/``http://`` text and e-mail addresses into links
after escapes are resolved, so an invisible U+2060 WORD JOINER is put before
``http``, ``www`` (and ``mailto``, ``xmpp``, ``ftp``) and after ``@``: a bare
link must follow a space or punctuation. The text shown is otherwise the same
characters the user typed.

Only text is neutralised in spreadsheets: numbers (int, float, numpy numbers)
are written as they are, so ``-12.5`` stays a number.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "markdown_text",
    "neutralise_cells",
    "one_line",
    "plotly_text",
    "spreadsheet_cell",
]

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
#: Where GitHub-flavoured Markdown would start a bare link (``www.``, ``http://``,
#: an e-mail address); it does so after escapes are resolved, so escaping is not enough.
_AUTOLINK = re.compile(r"(?i)(https?|www|mailto|xmpp|ftp)|(@)")
#: U+2060 WORD JOINER: invisible, no width, and not a space or punctuation, so
#: a bare link cannot start right after it.
WORD_JOINER = "\u2060"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: Any) -> str:
    """``text`` as one line: runs of control characters (line breaks, tabs,
    NUL...) become one space; leading and trailing spaces are dropped."""
    return _CONTROL.sub(" ", str(text)).strip()


def markdown_text(text: Any) -> str:
    """``text`` escaped so that Markdown (and HTML) renders it as the same
    characters, on one line.

    >>> markdown_text("[t](h.png) x@y") == r"\\[t\\]\\(h\\.png\\) x\\@" + WORD_JOINER + "y"
    True
    """
    text = _AUTOLINK.sub(
        lambda m: WORD_JOINER + m.group(1) if m.group(1) else "@" + WORD_JOINER, one_line(text)
    )
    return _PUNCTUATION.sub(r"\\\1", text)


def plotly_text(text: Any) -> str:
    """``text`` for a Plotly title, legend entry or hover label: ``&``, ``<``
    and ``>`` as entities (Plotly renders ``<a href>``, ``<br>``, ``<b>``...),
    on one line."""
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` safe as a spreadsheet cell: text beginning with ``= + - @``
    (or a tab or carriage return) gets a leading apostrophe, which spreadsheets
    show as text; anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_cells(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells (and column names) are
    :func:`spreadsheet_cell`-safe; numeric columns are untouched. Returns
    ``table`` itself when nothing needed changing."""
    text_cols = [
        c
        for c in table.columns
        if table[c].dtype == object or pd.api.types.is_string_dtype(table[c].dtype)
    ]
    columns = [spreadsheet_cell(c) for c in table.columns]
    changed = {}
    for c in text_cols:
        col = table[c]
        risky = col.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
        if risky.any():
            changed[c] = col.map(spreadsheet_cell)
    if not changed and list(columns) == list(table.columns):
        return table
    out = table.copy()
    for c, col in changed.items():
        out[c] = col
    out.columns = columns
    return out
