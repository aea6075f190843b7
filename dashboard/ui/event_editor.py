"""One editor for the events found automatically, for every page that corrects them by
hand (the Gait page's side and frontal views, the Tests page): the frame buttons, the
event list (an event picked there, or clicked on the timeline, shows its frame), move it
to the frame shown, delete it, add a missed one on the frame shown, and undo every
correction. What differs between the pages (their events, words, widget keys, and how a
list of events given by hand is checked and kept) is an :class:`EventEditor`; every
number comes from the core, which recomputes the result from the events given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.errors import PoseDashError
from dashboard.kinematics.gait.events_file import HandEvent
from dashboard.ui import state
from dashboard.ui.messages import show_error
from dashboard.ui.state import Key

__all__ = [
    "EventEditor",
    "add",
    "controls",
    "event_of",
    "foot_event",
    "foot_id",
    "heading",
    "measure",
    "pick_event",
    "reset",
    "step",
]


def foot_event(side: str | None, kind: str, time_s: float, frame: int) -> HandEvent:
    """A gait event of one foot given by hand (the default of :class:`EventEditor`)."""
    return HandEvent(str(side), kind, time_s, frame)


def foot_id(side: str | None, kind: str, row: int) -> str:
    """``'left|initial_contact|42'``: a foot's event in the list."""
    return f"{side}|{kind}|{row}"


def event_of(e) -> str:
    return e.event


@dataclass(frozen=True)
class EventEditor:
    """What one page's editor is made of.

    ``pick``, ``pending``, ``last_row``: the keys of the event picked, of the event to pick
    on the next run (one just placed) and of the frame shown when it was picked;
    ``widgets``: the prefix of the widget keys (``<widgets>_prev``, ``_next``, ``_move``,
    ``_delete``, ``_add``, ``_add_side``, ``_reset``); ``row_key``: the slider of the frame
    shown, ``bounds`` its first and last row; ``label(e)``: an event's words in the list;
    ``check(hand)``: raises :class:`~dashboard.errors.PoseDashError` when the events
    ``hand`` cannot be used (the reason is shown), ``keep(hand)``: keeps them;
    ``make(side, kind, time_s, frame)``: an event given by hand (``side`` None when the
    events have no foot), ``kind(e)``: an event's kind, ``ident(side, kind, row)``: its
    id in the list (by default a foot's gait event)."""

    pick: Key
    pending: Key
    last_row: Key
    widgets: str
    row_key: str
    bounds: tuple[int, int]
    label: Callable[[Any], str]
    check: Callable[[list], object]
    keep: Callable[[list], None]
    make: Callable[[str | None, str, float, int], Any] = foot_event
    kind: Callable[[Any], str] = event_of
    ident: Callable[[str | None, str, int], str] = foot_id
    pick_help: str | None = None
    move_help: str | None = None

    def id_of(self, e, row: int | None = None) -> str:
        """The id of the event ``e`` (on the row ``row``: where it is moved)."""
        return self.ident(
            getattr(e, "side", None), self.kind(e), int(e.index if row is None else row)
        )

    def hand_of(self, e, time_s: float, frame: int):
        """The event ``e`` given by hand at ``time_s``, ``frame``."""
        return self.make(getattr(e, "side", None), self.kind(e), float(time_s), int(frame))


def heading(caption: str, what: str = "events") -> None:
    st.markdown(f"**Correct the {what} by hand**")
    st.caption(caption)


def step(row_key: str, delta: int, lo: int, hi: int) -> None:
    """One frame on (``delta`` 1) or back (-1), within ``lo``..``hi``."""
    state.put(row_key, min(max(lo, int(state.get(row_key, lo)) + delta), hi))


def _apply(ed: EventEditor, hand: list, pick: str) -> None:
    """Recompute from ``hand`` (refused with the reason when an event cannot be placed),
    keep it, pick ``pick`` and show the page again."""
    try:
        ed.check(hand)
    except PoseDashError as exc:
        show_error(exc)
        return
    ed.keep(hand)
    ed.pending.set(pick)
    st.rerun()


def picked(ed: EventEditor, events: Sequence, row: int) -> str:
    """The event picked: a new one just placed, else the one on a newly shown frame (a
    click on the timeline), else the one picked before, else the nearest."""
    ids = [ed.id_of(e) for e in events]
    pending = ed.pending.pop()
    if pending in ids:
        ed.pick.set(pending)
    elif ed.last_row.get() != row:
        here = [i for i, e in zip(ids, events, strict=True) if e.index == row]
        if here:
            ed.pick.set(here[0])
    ed.last_row.set(row)
    if ed.pick.get() not in ids:
        nearest = min(range(len(events)), key=lambda k: abs(events[k].index - row))
        ed.pick.set(ids[nearest])
    return ed.pick.get()


def _show_picked(ed: EventEditor, rows: dict) -> None:
    """An event picked in the list: show its frame."""
    row = rows.get(ed.pick.get())
    if row is not None:
        state.put(ed.row_key, row)
        ed.last_row.set(row)


def pick_event(ed: EventEditor, events: Sequence, row: int):
    """The frame buttons and the event list; the event picked."""
    back, on = st.columns(2)
    w, (lo, hi) = ed.widgets, ed.bounds
    back.button("◀ Previous frame", key=f"{w}_prev", on_click=step, args=(ed.row_key, -1, lo, hi))
    on.button("Next frame ▶", key=f"{w}_next", on_click=step, args=(ed.row_key, 1, lo, hi))
    picked(ed, events, row)
    by_id = {ed.id_of(e): e for e in events}
    pick = st.selectbox(
        "Event",
        list(by_id),
        key=ed.pick.name,
        format_func=lambda i: ed.label(by_id[i]),
        help=ed.pick_help,
        on_change=_show_picked,
        args=(ed, {i: e.index for i, e in by_id.items()}),
    )
    return by_id[pick]


def controls(
    ed: EventEditor,
    events: Sequence,
    row: int,
    time_s: float,
    frame: int,
    delete_help: str | None = None,
    can_delete: Callable[[Any], bool] = lambda e: True,
) -> list:
    """Frame buttons, event list, "Move it to frame N" and "Delete it" for the frame shown
    (sequence row ``row``, at ``time_s``, video frame ``frame``); the events as given by
    hand (to add one to)."""
    e = pick_event(ed, events, row)
    hand = [ed.hand_of(x, x.time_s, x.frame) for x in events]
    i = list(events).index(e)
    move, delete = st.columns(2)
    if move.button(
        f"Move it to frame {frame}",
        key=f"{ed.widgets}_move",
        disabled=e.index == row,
        help=ed.move_help,
    ):
        moved = ed.hand_of(e, time_s, frame)
        _apply(ed, [*hand[:i], *hand[i + 1 :], moved], ed.id_of(e, row))
    if delete.button(
        "Delete it", key=f"{ed.widgets}_delete", disabled=not can_delete(e), help=delete_help
    ):
        _apply(ed, hand[:i] + hand[i + 1 :], "")
    return hand


def add(
    ed: EventEditor,
    hand: list,
    row: int,
    time_s: float,
    frame: int,
    kinds: Sequence[str],
    words: Callable[[str], str | None],
    kind_key: str,
    feet: bool,
) -> None:
    """ "Missed event" (and "Foot" when ``feet``) and "Add on frame N": the event of the
    kind chosen among ``kinds`` (named by ``words``, its box ``kind_key``) on the frame
    shown."""
    if feet:
        foot, kind, go = st.columns([2, 3, 2], vertical_alignment="bottom")
        side = foot.selectbox("Foot", ("left", "right"), key=f"{ed.widgets}_add_side")
    else:
        kind, go = st.columns([3, 2], vertical_alignment="bottom")
        side = None
    what = kind.selectbox("Missed event", kinds, format_func=words, key=kind_key)
    if go.button(f"Add on frame {frame}", key=f"{ed.widgets}_add"):
        new = ed.make(side, what, time_s, frame)
        _apply(ed, [*hand, new], ed.ident(side, what, row))


def reset(widgets: str, pick: Key, what: str, clear: Callable[[], None]) -> None:
    """ "Undo every correction (back to the automatic <what>)" (key ``<widgets>_reset``):
    ``clear`` drops them, the event picked (``pick``) is forgotten."""
    if st.button(f"Undo every correction (back to the automatic {what})", key=f"{widgets}_reset"):
        clear()
        pick.pop()
        st.rerun()


def measure(analysis, row: int, person: int, toggle: str, key: str, help: str) -> None:
    """Measuring by hand (goniometer, distances, notes) on the frame shown (sequence row
    ``row``), behind the toggle ``toggle`` (``help``): saved with its frame and time,
    marked "measured by hand" (as on Frame review); widget keys from ``key``."""
    data = state.current_source()
    if data is None or not st.toggle(
        "📐 Measure by hand on the frame shown", key=toggle, help=help
    ):
        return
    from dashboard.ui.goniometer import measure_panel, measurements_list

    try:
        rgb = state.video_frame(analysis, data, int(analysis.poses.frame_index[row]))
    except Exception as exc:
        show_error(exc)
        return
    measure_panel(analysis, row, rgb, key=key, person=person)
    measurements_list(analysis, key=f"{key}_list")


def corrections_list(record: dict | None) -> None:
    """Each correction by hand (the core's list, as in the report and the JSON outputs):
    the event, the change, where the automatic analysis put it and where it is now, times
    to 0.01 s with the frame; nothing when there are none."""
    rows = (record or {}).get("events_corrected") or []
    if not rows:
        return
    import pandas as pd

    from dashboard.kinematics.hand_events import correction_words
    from dashboard.ui import widgets

    heads = ("Event", "Correction", "Automatic analysis", "Corrected")
    table = pd.DataFrame([correction_words(r) for r in rows], columns=heads)
    with st.expander(f"✍️ {record['events_corrected_note']}: each correction", expanded=True):
        widgets.show_table(table, hide_index=True)
