"""Widgets every page shares: the empty-state notice, the person picker, the
analysis description and tables shown with "–" for missing values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.poses import PoseSequence
from dashboard.text.display import display_table
from dashboard.ui import navigation, state
from dashboard.ui.text import plain

#: Where to go when there is nothing to review: (navigation key, label).
START_LINKS = {
    "photo": ("photo", "Analyse a photo"),
    "video": ("video", "Analyse a video"),
    "session": ("sessions", "Open a saved session"),
}
NOTHING_YET = (
    "There is nothing to review yet: analyse a photo or a video first, or "
    "open a session you saved earlier."
)


def nothing_yet(
    message: str = NOTHING_YET, links: Sequence[str] = ("photo", "video", "session")
) -> None:
    """The empty-state notice: what is missing, and links to the pages that make it."""
    st.info(message, icon="ℹ️")
    chosen = [START_LINKS[name] for name in links]
    for col, (key, label) in zip(st.columns(len(chosen)), chosen, strict=False):
        navigation.link(key, label, where=col)


def require_current(
    message: str = NOTHING_YET,
    links: Sequence[str] = ("photo", "video", "session"),
    kind: str | None = None,
) -> Analysis | None:
    """The analysis under review (of ``kind``, 'photo' or 'video', if given), or None
    after showing :func:`nothing_yet` with ``message`` and ``links``."""
    analysis = state.current()
    if analysis is None or (kind is not None and analysis.kind != kind):
        nothing_yet(message, links)
        return None
    return analysis


def people_found(seq: PoseSequence) -> list[int]:
    """Person slots of ``seq`` found in at least one frame."""
    return [int(p) for p in np.flatnonzero(seq.detected.any(axis=0))]


def person_label(seq: PoseSequence, slot: int) -> str:
    """'Person N', numbered as on every page (the person's id, from 1)."""
    return f"Person {int(seq.person_ids[slot]) + 1}"


def person_picker(
    seq: PoseSequence,
    key: str,
    *,
    label: str = "Person",
    where=None,
    people: Sequence[int] | None = None,
    help: str | None = None,
):
    """Choose one person slot of ``seq`` among ``people`` (default: those found).

    No widget when there is only one choice: that slot is returned (None when
    nobody was found). ``where`` is the container to draw in (a column).
    """
    people = people_found(seq) if people is None else list(people)
    if len(people) <= 1:
        return people[0] if people else None
    return (where or st).selectbox(
        label, people, key=key, help=help, format_func=lambda p: person_label(seq, p)
    )


def people_picker(
    seq: PoseSequence,
    key: str,
    *,
    label: str = "People",
    where=None,
    people: Sequence[int] | None = None,
    by_id: bool = False,
    help: str | None = None,
) -> list[int]:
    """Choose several people (all by default) among ``people`` (default: the slots
    found; with ``by_id``, person ids). No widget when there is only one choice."""
    people = people_found(seq) if people is None else list(people)
    if len(people) <= 1:
        return people
    name = (lambda p: f"Person {int(p) + 1}") if by_id else (lambda p: person_label(seq, p))
    return (where or st).multiselect(
        label, people, default=people, key=key, help=help, format_func=name
    )


def read_notes(notes: Sequence[str]) -> None:
    """How the file was read (which video stream, repaired timestamps, a photo
    analysed at a reduced size): one caption each, shown as text (a reopened
    session's notes come from its file)."""
    for note in notes:
        st.caption(plain(note))


def describe(analysis: Analysis) -> str:
    """One line naming the analysis under review."""
    seq = analysis.poses
    if analysis.kind == "video":
        span = float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0
        what = f"video, {seq.num_frames} frames analysed over {span:.1f} s"
    else:
        what = "photo"
    found = int(seq.detected.any(axis=0).sum())
    return (
        f"**{plain(analysis.source_name)}** ({what}; {found} "
        f"{'person' if found == 1 else 'people'} found)"
    )


def table_view(
    table: pd.DataFrame,
    column_config: Mapping | None = None,
    formats: Mapping[str, str] | None = None,
    keep: Iterable[str] = (),
):
    """``table`` as :func:`show_table` displays it, and its column configuration.

    A number column's printf ``format`` (``NumberColumn(format="%.1f")``) rounds its
    text; the column becomes a right-aligned text column with the same label, help
    and width. Progress columns and ``keep`` stay numeric.
    """
    config = {k: dict(v) if isinstance(v, Mapping) else v for k, v in (column_config or {}).items()}
    keep = set(keep)
    formats = dict(formats or {})
    for name, conf in config.items():
        kind = conf.get("type_config", {}).get("type") if isinstance(conf, dict) else None
        if kind == "progress":
            keep.add(name)
        elif kind == "number" and conf["type_config"].get("format") and name not in formats:
            formats[name] = conf["type_config"]["format"]
    shown = display_table(table, formats, keep)
    for name in shown.columns:
        conf = config.get(name)
        kind = conf.get("type_config", {}).get("type") if isinstance(conf, dict) else None
        if (
            name in keep
            or pd.api.types.is_bool_dtype(table[name])
            or kind not in (None, "number")
            or (kind is None and not _has_numbers(table[name]))
        ):
            continue  # numeric on purpose, words only, or the caller chose the column type
        # a number column is text now (even when every value is missing: "–" is no number)
        base = st.column_config.TextColumn(alignment="right")
        if isinstance(conf, dict):
            base.update({k: conf.get(k) for k in ("label", "help", "width", "pinned")})
        config[name] = base
    return shown, config


def show_table(
    table: pd.DataFrame,
    column_config: Mapping | None = None,
    *,
    formats: Mapping[str, str] | None = None,
    keep: Iterable[str] = (),
    where=None,
    **kwargs,
):
    """``st.dataframe`` of ``table`` for reading: numbers rounded per column, "–"
    where a value is missing (:func:`dashboard.text.display.display_table`).

    For display only: downloads take the numeric table. ``kwargs`` go to
    ``st.dataframe`` (``hide_index``, ``width``, ``height`` ...).
    """
    shown, config = table_view(table, column_config, formats, keep)
    return (where or st).dataframe(shown, column_config=config, **kwargs)


def _has_numbers(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or any(
        isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in column
    )
