"""The one event editor every page uses (dashboard/ui/event_editor.py), on a page of its own
through AppTest with known answers: three events of one foot on rows 3, 10 and 20 (video
frame = 2 x row, time = row / 10 s); the event picked follows the frame shown, picking one
shows its frame, Move / Delete / Add give the events expected, a refused list (an event
after 2.5 s) is not kept and says why, the frame buttons stop at the ends."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    from collections import namedtuple
    from types import SimpleNamespace

    import streamlit as st

    from dashboard.errors import InputError
    from dashboard.ui import event_editor, state
    from dashboard.ui.event_editor import EventEditor
    from dashboard.ui.state import Key

    hand_event = namedtuple("hand_event", "side event time_s frame")
    kept = state.slot("posedash_editor_test_kept")
    hand = kept.setdefault(
        "hand", [hand_event("left", "initial_contact", r / 10, 2 * r) for r in (3, 10, 20)]
    )
    events = [SimpleNamespace(**h._asdict(), index=h.frame // 2) for h in hand]

    def check(given: list) -> None:
        late = [h for h in given if h.time_s > 2.5]
        if late:
            raise InputError(f"An event at {late[0].time_s:.1f} s is after the walk.")

    def keep(given: list) -> None:
        kept["hand"] = [hand_event(*h) for h in given]

    row_key = "posedash_editor_test_row"
    ed = EventEditor(
        pick=Key("posedash_editor_test_pick", (str,), True),
        pending=Key("posedash_editor_test_pending", (str,), True),
        last_row=Key("posedash_editor_test_last_row", (int,), True),
        widgets="posedash_editor_test",
        row_key=row_key,
        bounds=(0, 30),
        make=lambda side, kind, t, frame: hand_event(side, kind, round(t, 3), frame),
        kind=lambda e: e.event,
        ident=lambda side, kind, row: f"{side}|{kind}|{row}",
        label=lambda e: f"{e.side} {e.event} · frame {e.frame}",
        check=check,
        keep=keep,
    )
    st.slider("Frame shown", 0, 30, key=row_key)
    row = int(state.get(row_key))
    given = event_editor.controls(ed, events, row, row / 10, 2 * row)
    kinds = ("initial_contact", "toe_off")
    event_editor.add(ed, given, row, row / 10, 2 * row, kinds, str, "posedash_editor_kind", True)
    event_editor.reset("posedash_editor_test", ed.pick, "events", lambda: kept.pop("hand"))


PICK = "posedash_editor_test_pick"
ROW = "posedash_editor_test_row"


def _hand(at) -> list[tuple]:
    return [tuple(h) for h in at.session_state["posedash_editor_test_kept"]["hand"]]


def _open() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_event_picked_follows_the_frame_shown_and_shows_its_frame():
    at = _open()
    assert at.selectbox(key=PICK).value == "left|initial_contact|3"  # the nearest to row 0
    assert at.selectbox(key=PICK).options[1] == "left initial_contact · frame 20"
    at.slider(key=ROW).set_value(10).run()  # an event's frame shown (a timeline click)
    assert at.selectbox(key=PICK).value == "left|initial_contact|10"
    at.slider(key=ROW).set_value(12).run()  # no event there: the pick stays
    assert at.selectbox(key=PICK).value == "left|initial_contact|10"
    at.selectbox(key=PICK).set_value("left|initial_contact|20").run()
    assert at.slider(key=ROW).value == 20  # its frame is shown
    assert at.button(key="posedash_editor_test_move").disabled  # already there


def test_move_delete_and_add_give_the_events_expected():
    at = _open()
    at.selectbox(key=PICK).set_value("left|initial_contact|20").run()
    at.slider(key=ROW).set_value(22).run()
    at.button(key="posedash_editor_test_move").click().run()
    assert not at.exception, at.exception
    moved = [("left", "initial_contact", 0.3, 6), ("left", "initial_contact", 1.0, 20)]
    assert _hand(at) == [*moved, ("left", "initial_contact", 2.2, 44)]
    assert at.selectbox(key=PICK).value == "left|initial_contact|22"  # the moved one
    at.button(key="posedash_editor_test_delete").click().run()
    assert _hand(at) == moved
    at.slider(key=ROW).set_value(15).run()
    at.selectbox(key="posedash_editor_test_add_side").set_value("right").run()
    at.selectbox(key="posedash_editor_kind").set_value("toe_off").run()
    at.button(key="posedash_editor_test_add").click().run()
    assert _hand(at) == [*moved, ("right", "toe_off", 1.5, 30)]
    assert at.selectbox(key=PICK).value == "right|toe_off|15"  # the one added
    at.button(key="posedash_editor_test_reset").click().run()
    assert len(_hand(at)) == 3  # back to the page's first events


def test_a_refused_list_is_not_kept_and_says_why():
    at = _open()
    before = _hand(at)
    at.slider(key=ROW).set_value(30).run()
    at.button(key="posedash_editor_test_add").click().run()
    assert not at.exception, at.exception
    assert _hand(at) == before
    shown = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "An event at 3.0 s is after the walk." in shown


def test_the_frame_buttons_stop_at_the_ends():
    at = _open()
    at.button(key="posedash_editor_test_prev").click().run()
    assert at.slider(key=ROW).value == 0
    at.button(key="posedash_editor_test_next").click().run()
    assert at.slider(key=ROW).value == 1
    at.slider(key=ROW).set_value(30).run()
    at.button(key="posedash_editor_test_next").click().run()
    assert at.slider(key=ROW).value == 30
