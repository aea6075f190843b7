"""Widgets every page shares: the empty-state notice, the person picker and the
analysis description."""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.poses import PoseSequence
from dashboard.ui import state
from dashboard.ui.text import plain

#: Where to go when there is nothing to review: (script, label, icon).
START_LINKS = {
    "photo": ("pages/1_Photo_analysis.py", "Analyse a photo", "📷"),
    "video": ("pages/2_Video_analysis.py", "Analyse a video", "🎬"),
    "session": ("pages/6_Sessions.py", "Open a saved session", "💾"),
}
NOTHING_YET = ("There is nothing to review yet: analyse a photo or a video first, or "
               "open a session you saved earlier.")


def nothing_yet(message: str = NOTHING_YET,
                links: Sequence[str] = ("photo", "video", "session")) -> None:
    """The empty-state notice: what is missing, and links to the pages that make it."""
    st.info(message, icon="ℹ️")
    chosen = [START_LINKS[name] for name in links]
    for col, (script, label, icon) in zip(st.columns(len(chosen)), chosen):
        with col:
            st.page_link(script, label=label, icon=icon)


def require_current(message: str = NOTHING_YET,
                    links: Sequence[str] = ("photo", "video", "session"),
                    kind: Optional[str] = None) -> Optional[Analysis]:
    """The analysis under review (of ``kind``, 'photo' or 'video', if given), or None
    after showing :func:`nothing_yet` with ``message`` and ``links``."""
    analysis = state.current()
    if analysis is None or (kind is not None and analysis.kind != kind):
        nothing_yet(message, links)
        return None
    return analysis


def people_found(seq: PoseSequence) -> List[int]:
    """Person slots of ``seq`` found in at least one frame."""
    return [int(p) for p in np.flatnonzero(seq.detected.any(axis=0))]


def person_label(seq: PoseSequence, slot: int) -> str:
    """'Person N', numbered as on every page (the person's id, from 1)."""
    return f"Person {int(seq.person_ids[slot]) + 1}"


def person_picker(seq: PoseSequence, key: str, *, label: str = "Person", where=None,
                  people: Optional[Sequence[int]] = None, help: Optional[str] = None):
    """Choose one person slot of ``seq`` among ``people`` (default: those found).

    No widget when there is only one choice: that slot is returned (None when
    nobody was found). ``where`` is the container to draw in (a column).
    """
    people = people_found(seq) if people is None else list(people)
    if len(people) <= 1:
        return people[0] if people else None
    return (where or st).selectbox(label, people, key=key, help=help,
                                   format_func=lambda p: person_label(seq, p))


def people_picker(seq: PoseSequence, key: str, *, label: str = "People", where=None,
                  people: Optional[Sequence[int]] = None, by_id: bool = False,
                  help: Optional[str] = None) -> List[int]:
    """Choose several people (all by default) among ``people`` (default: the slots
    found; with ``by_id``, person ids). No widget when there is only one choice."""
    people = (people_found(seq) if people is None else list(people))
    if len(people) <= 1:
        return people
    name = (lambda p: f"Person {int(p) + 1}") if by_id else (lambda p: person_label(seq, p))
    return (where or st).multiselect(label, people, default=people, key=key, help=help,
                                     format_func=name)


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
    return (f"**{plain(analysis.source_name)}** ({what}; {found} "
            f"{'person' if found == 1 else 'people'} found)")
