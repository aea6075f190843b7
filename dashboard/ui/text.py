"""User text on a page: shown as the characters typed, never as Markdown, HTML or a link.

Every Streamlit element that renders Markdown (``st.markdown``, ``st.caption``,
``st.info``/``st.success``/``st.warning``/``st.error``, ``st.image`` captions,
widget labels) must pass user-controlled text (file names, session fields,
notes, patient labels, person names, error messages quoting them) through
:func:`plain`; chart titles and legends through :func:`chart`. The rules live
in :mod:`dashboard.text.textsafe` (pure, tested without Streamlit).
"""

from __future__ import annotations

from typing import Any

from dashboard.text.textsafe import markdown_text, plotly_text

__all__ = ["chart", "plain"]


def plain(text: Any) -> str:
    """``text`` escaped for any Markdown-rendering element (one line)."""
    return markdown_text(text)


def chart(text: Any) -> str:
    """``text`` escaped for a Plotly title, legend entry or hover label."""
    return plotly_text(text)
