"""The Patients page with a damaged library (real SQLite file, one bit flipped in a
patient record and in another patient's session description): the page names
both, every other patient and session is usable, and "Check the library" lists
every damaged item without changing the file."""

from __future__ import annotations

import pytest

from dashboard.library.records import short_id
from dashboard.library.service import Library
from tests.library.helpers import PASS, blob_of, fast_kdf, flip, session_bytes
from tests.pages import patients_page, rerun, shown_text


@pytest.fixture()
def damaged(data_dir):
    lib = Library.create(PASS, kdf=fast_kdf())
    ann = lib.add_patient("Ann")
    bob = lib.add_patient("Bob")
    a1 = lib.add_session(ann.uid, session_bytes("ann-a.mp4"), date="2026-01-05")
    lib.add_session(ann.uid, session_bytes("ann-b.mp4", seed=3), date="2026-02-09")
    lib.add_session(bob.uid, session_bytes("bob-a.mp4", seed=5), date="2026-01-07")
    path = lib.path
    flip(path, blob_of(path, "SELECT record FROM patients WHERE uid = ?", bob.uid))
    flip(path, blob_of(path, "SELECT info FROM sessions WHERE uid = ?", a1.uid))
    return path, ann, bob, a1


def test_the_patients_page_names_damage_and_keeps_the_rest(damaged):
    path, ann, bob, a1 = damaged
    at = patients_page()
    at.text_input(key="library_pass").set_value(PASS)
    at.button(key="library_unlock").click()
    rerun(at)
    warnings = shown_text(at, "warning")
    assert short_id(bob.uid) in warnings and "Every other patient is intact" in warnings
    box = at.selectbox(key="library_patient")
    assert "Ann (2 sessions)" in box.options
    assert any(short_id(bob.uid) in o and "damaged" in o for o in box.options)
    box.set_value(ann.uid)
    rerun(at)
    warnings = shown_text(at, "warning")
    assert "A session of Ann" in warnings and short_id(a1.uid) in warnings
    (table,) = [d.value for d in at.dataframe if "body region" in d.value.columns]
    assert list(table["file analysed"]) == ["ann-b.mp4"]
    assert not at.error
    at.toggle(key="library_export_arm").set_value(True)
    rerun(at)
    assert "The export names the damaged items" in shown_text(at, "warning")
    assert at.get("download_button")  # the rest is exported
    at.toggle(key="library_export_arm").set_value(False)
    rerun(at)

    # the damaged patient's sessions still open
    at.selectbox(key="library_patient").set_value(bob.uid)
    rerun(at)
    assert "damaged" in shown_text(at, "warning")
    (table,) = [d.value for d in at.dataframe if "body region" in d.value.columns]
    assert list(table["file analysed"]) == ["bob-a.mp4"]
    at.button(key="library_open").click()
    rerun(at)
    assert "bob-a.mp4" in shown_text(at, "success") and not at.error

    before = path.read_bytes()
    at.button(key="library_check").click()
    rerun(at)
    warnings = shown_text(at, "warning")
    assert "2 damaged item(s)" in warnings
    assert short_id(bob.uid) in warnings and short_id(a1.uid) in warnings
    assert path.read_bytes() == before
