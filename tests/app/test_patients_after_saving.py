"""The Patients page after saving, through AppTest with a real library file: labels
that say the current number of sessions, messages that stay in their tab, a recording
saved twice only on confirmation, a walking patient's chart on walking speed, and no
command line for clinicians."""

from __future__ import annotations

import pytest

from dashboard.analysis import Analysis
from dashboard.outputs.session import save_session
from tests.pages import (
    LIBRARY_PASS,
    click_button,
    patients_page,
    rerun,
    save_to_library,
    shown_text,
)
from tests.reference_data import first_frames, legacy_analysis

RAISE = "sports2d_demo5_lateral_raise_front.legacy.json"
GAIT = "sports2d_demo4_gait_side.legacy.json"


@pytest.fixture(scope="module")
def weeks(media_dir):
    """Three recordings of an arm raise (three content hashes)."""
    full = legacy_analysis(media_dir / "reference" / RAISE)
    return [
        first_frames(full, stop, f"week{i + 1}.mp4", f"{i + 1}" * 64)
        for i, stop in enumerate((200, 300, 400))
    ]


def _unlocked(analysis=None):
    at = patients_page(analysis)
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    return click_button(at, "library_unlock")


def _shown(at, key: str) -> str:
    """The label the browser shows for a select box: the one it is sent with the
    value (``set_value``), else the one it keeps from before."""
    box = at.selectbox(key=key)
    return box.proto.raw_value if box.proto.set_value else box.options[box.index]


def test_labels_and_compare_after_are_current_after_saving(library, weeks):
    other = library.add_patient()
    p = library.add_patient()
    library.add_session(p.uid, save_session(weeks[0]), "2026-01-05")
    library.add_session(p.uid, save_session(weeks[1]), "2026-01-12")
    at = _unlocked()
    at.selectbox(key="library_patient").set_value(p.uid)
    rerun(at)
    assert _shown(at, "library_patient") == "P-0002 (2 sessions)"
    assert _shown(at, "library_metric").endswith("(valid in 2 of 2 sessions)")
    shown_before = at.selectbox(key="library_patient").options
    assert "P-0002 (2 sessions)" in shown_before

    save_to_library(at, weeks[2], "2026-01-19")
    box = at.selectbox(key="library_patient")
    assert box.value == p.uid, "the selection stays on the patient"
    # the browser is sent the new label with the (same) value: it shows 3 sessions
    assert box.proto.set_value and box.proto.raw_value == "P-0002 (3 sessions)"
    assert "📋 Sessions (3)" in [t.label for t in at.tabs]
    assert _shown(at, "library_metric").endswith("(valid in 3 of 3 sessions)")
    newest = library.sessions(p.uid)[-1]
    assert newest.date == "2026-01-19"
    assert at.selectbox(key="library_cmp_after").value == newest.uid
    assert _shown(at, "library_cmp_after").startswith("2026-01-19: week3.mp4")
    assert at.selectbox(key="library_session").value == newest.uid
    assert [x.sessions for x in library.patients() if x.uid == other.uid] == [0]

    # a later run with nothing new does not send the value again
    rerun(at)
    assert not at.selectbox(key="library_patient").proto.set_value
    assert _shown(at, "library_patient") == "P-0002 (3 sessions)"

    # after a lock, the Compare tab still opens on the newest as "After"
    click_button(at, "library_lock")
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")
    assert at.selectbox(key="library_patient").value == p.uid, "still the same patient"
    assert at.selectbox(key="library_cmp_after").value == newest.uid
    # and after a visit to another page
    at.switch_page("pages/7_Compare.py")
    rerun(at)
    at.switch_page("pages/11_Patients.py")
    rerun(at)
    assert at.selectbox(key="library_patient").value == p.uid
    assert _shown(at, "library_patient") == "P-0002 (3 sessions)"


def test_compare_appears_with_the_second_session_newest_after(library, weeks):
    p = library.add_patient()
    at = _unlocked()
    save_to_library(at, weeks[1], "2026-01-12")
    save_to_library(at, weeks[0], "2026-01-05")  # saved second, dated first
    uids = [s.uid for s in library.sessions(p.uid)]
    assert at.selectbox(key="library_cmp_before").value == uids[0]
    assert at.selectbox(key="library_cmp_after").value == uids[1]
    save_to_library(at, weeks[2], "2026-01-19")
    assert at.selectbox(key="library_cmp_after").value == library.sessions(p.uid)[-1].uid
    click_button(at, "library_lock")
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")
    assert at.selectbox(key="library_cmp_after").value == library.sessions(p.uid)[-1].uid


def test_a_message_stays_in_the_tab_of_its_action(library, weeks):
    p = library.add_patient()
    library.add_session(p.uid, save_session(weeks[0]), "2026-01-05")
    at = _unlocked()
    save_to_library(at, weeks[1], "2026-01-12")
    save_tab, *other_tabs = at.tabs
    assert "Saved week2.mp4 (2026-01-12) to P-0001" in " ".join(
        e.value for e in save_tab.success
    ).replace("\\", "")
    assert all(len(t.success) == 0 for t in other_tabs)
    assert len(at.success) == len(save_tab.success) == 1, "not at the top of the page"
    # gone on the next run (another tab's action, a widget changed)
    rerun(at)
    assert len(at.success) == 0


def test_the_same_recording_is_saved_again_only_on_confirmation(library, weeks):
    p = library.add_patient()
    library.add_session(p.uid, save_session(weeks[0]), "2026-01-05")
    at = patients_page(weeks[0])
    at.text_input(key="library_pass").input(LIBRARY_PASS)
    click_button(at, "library_unlock")
    at.date_input(key="library_save_date").set_value(__import__("datetime").date(2026, 2, 2))
    click_button(at, "library_save")
    warning = shown_text(at, "warning")
    assert "This recording is already in P-0001's sessions (saved 2026-01-05)" in warning
    assert "save it again?" in warning
    assert len(library.sessions(p.uid)) == 1, "nothing saved before the confirmation"
    with pytest.raises(KeyError):
        at.button(key="library_save")

    click_button(at, "library_save_cancel")
    assert "already in" not in shown_text(at, "warning")
    assert len(library.sessions(p.uid)) == 1

    click_button(at, "library_save")
    click_button(at, "library_save_again")
    assert "Saved week1.mp4 (2026-02-02) to P-0001" in shown_text(at, "success")
    assert [s.date for s in library.sessions(p.uid)] == ["2026-01-05", "2026-02-02"]
    assert "already in" not in shown_text(at, "warning")
    # another recording goes straight in
    save_to_library(at, weeks[1], "2026-02-09")
    assert len(library.sessions(p.uid)) == 3


def test_a_walking_patients_progress_opens_on_walking_speed(library, media_dir):
    gait = legacy_analysis(media_dir / "reference" / GAIT)
    p = library.add_patient()
    for i, date in enumerate(("2026-01-05", "2026-01-19")):
        a = Analysis(
            gait.poses,
            f"walk{i + 1}.mp4",
            f"{i + 5}" * 64,
            "video",
            gait.settings,
            gait.model,
            gait.fps,
        )
        library.add_session(p.uid, save_session(a), date)
    at = _unlocked()
    # no height entered: the speed in body heights per second, valid in both sessions
    assert at.selectbox(key="library_metric").value == "gait:speed_body_heights_s"
    assert _shown(at, "library_metric").startswith("Walking: walking speed (valid in 2 of 2")


def test_no_command_line_for_clinicians(library, weeks):
    library.add_patient()
    at = _unlocked(weeks[0])
    at.radio(key="library_save_source").set_value("A saved session file")
    rerun(at)
    texts = [e.proto.help for e in at.get("file_uploader")]
    texts += [e.value for kind in ("markdown", "caption", "info") for e in getattr(at, kind)]
    assert texts and not any("--session" in t or "analyze" in t for t in texts)
