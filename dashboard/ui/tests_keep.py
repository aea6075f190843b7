"""The Tests page's "keep with the session": functional test results kept per analysis
(keyed by the landmark fingerprint, as the measurements made by hand), saved in the
session file (``functional_tests``) and so in the patient library, whose progress chart
then follows them over sessions.

Memory only, like every result, until the user saves the session or saves it to a
patient. One result per test: keeping another run of the same test replaces it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.functional import TESTS, TITLES
from dashboard.ui import keys, navigation, state

KEY = keys.TESTS_KEPT.name

__all__ = ["opened", "records", "render"]


def _store() -> dict:
    return keys.TESTS_KEPT.setdefault({})


def records(analysis: Analysis | None) -> list[dict]:
    """The records kept with ``analysis`` (:func:`dashboard.functional.saved.kept_record`),
    in the order of the tests."""
    if analysis is None:
        return []
    kept = _store().get(state.fingerprint(analysis), {})
    return [kept[t] for t in TESTS if t in kept]


def opened(analysis: Analysis, session) -> None:
    """A session file was opened: the tests it keeps come back."""
    from dashboard.functional.saved import read_records

    manifest = getattr(session, "manifest", None) or {}
    found, _ = read_records(manifest.get("functional_tests"))
    fp = state.fingerprint(analysis)
    if found:
        _store()[fp] = {r["options"]["test"]: r for r in found}
    else:
        _store().pop(fp, None)


def render(analysis: Analysis, result) -> None:
    """Keep (or drop) the result shown with the session, for the patient library."""
    from dashboard.functional.saved import kept_record

    st.subheader("Patient library")
    fp = state.fingerprint(analysis)
    record = kept_record(result)
    kept = _store().get(fp, {}).get(result.test)
    title = TITLES[result.test]

    def keep() -> None:
        _store().setdefault(fp, {})[result.test] = record

    def drop() -> None:
        _store().get(fp, {}).pop(result.test, None)

    if kept is not None and kept["options"] == record["options"]:
        st.success(
            f"This result ({title}) is kept with the session: it is saved in the session "
            "file and, saved to a patient, charted in their progress.",
            icon="📌",
        )
        st.button("Remove it from the session", key="posedash_tests_drop", on_click=drop)
    else:
        if kept is not None:
            st.caption(
                f"Another result of this test ({title}, other options) is kept with this "
                "session: keeping this one replaces it."
            )
        st.button(
            "📌 Keep this result with the session",
            key="posedash_tests_keep",
            on_click=keep,
            help="Saved in the session file (💾 Sessions) and, when you save the session to "
            "a patient on the Patients page, charted in the patient's progress with its "
            "norm band. PoseDash scores it again from the landmarks when it reads the file.",
        )
    navigation.link("patients", "Save the session to a patient")
