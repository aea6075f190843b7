"""One patient in the library: save, sessions, progress, compare, details, erase.

Used by :mod:`dashboard.ui.patients`; every action goes through
:class:`~dashboard.library.service.Library` (the clinical rules live there).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.kinematics import comparability
from dashboard.library.records import Patient, short_id
from dashboard.library.service import Library
from dashboard.outputs import session
from dashboard.ui import (
    keys as k,
    manual_state,
    navigation,
    patient_damage,
    patient_progress,
    patient_state,
    state,
    tests_keep,
    widgets,
)
from dashboard.ui.text import plain

#: Where each tab's messages are shown (see patient_state.messages).
SAVE, SESSIONS, PROGRESS, COMPARE, DETAILS = "save", "sessions", "progress", "compare", "details"
#: A save waiting for the user's confirmation: the same recording is already saved.
PENDING = k.LIBRARY_SAVE_PENDING.name
REVIEW_PAGES = ("angles", "view3d", "explorer")  # navigation keys


def new_patient(lib: Library) -> None:
    st.subheader("New patient")
    st.caption(
        "Leave the label empty for the next pseudonym (P-0001, P-0002, ...). A "
        "pseudonym keeps names out of the library altogether; keep the key to it "
        "where you keep your other patient records."
    )
    st.text_input(
        "Label", key="library_new_label", placeholder="next pseudonym", autocomplete="off"
    )
    st.text_area("Notes (optional)", key="library_new_notes", height=80)
    st.text_input("Birth date (optional, YYYY-MM-DD)", key="library_new_birth", autocomplete="off")

    def add() -> None:
        p = patient_state.library().add_patient(
            k.LIBRARY_NEW_LABEL.get() or None,
            k.LIBRARY_NEW_NOTES.get(""),
            k.LIBRARY_NEW_BIRTH.get(""),
        )
        for key in (k.LIBRARY_NEW_LABEL, k.LIBRARY_NEW_NOTES, k.LIBRARY_NEW_BIRTH):
            key.set("")
        patient_state.choose_patient(p.uid)
        patient_state.say("success", f"Patient {plain(p.label)} added.")

    st.button(
        "Add the patient",
        type="primary",
        key="library_add_patient",
        on_click=patient_state.guarded(add),
    )


def render_patient(lib: Library, patient: Patient) -> None:
    if patient.notes:
        st.text(patient.notes)
    sessions = patient_damage.readable_sessions(patient, lib.sessions(patient.uid))
    tabs = st.tabs(
        [
            "💾 Save analysis",
            f"📋 Sessions ({len(sessions)})",
            "📈 Progress",
            "⚖️ Compare",
            "✏️ Patient",
        ]
    )
    for tab, where in zip(tabs, (SAVE, SESSIONS, PROGRESS, COMPARE, DETAILS), strict=False):
        with tab:
            patient_state.messages(where)
    with tabs[0]:
        _save(patient)
    with tabs[1]:
        _sessions(lib, sessions)
    with tabs[2]:
        patient_progress.render(lib, patient, sessions)
    with tabs[3]:
        _compare(lib, sessions)
    with tabs[4]:
        _details(lib, patient)


def _save(patient: Patient) -> None:
    analysis = state.current()
    ready, upload = _save_source(analysis)
    if not ready:
        return
    cols = st.columns([1, 2])
    cols[0].date_input(
        "Session date", value=dt.date.today(), key="library_save_date", format="YYYY-MM-DD"
    )
    cols[1].text_input(
        "Body region",
        key="library_save_region",
        placeholder="e.g. left shoulder",
        autocomplete="off",
    )
    st.text_area("Notes (optional)", key="library_save_notes", height=80)

    what = (
        upload.file_id
        if upload is not None
        else f"{analysis.source_sha256}:{analysis.poses.num_frames}"
    )

    def save(confirmed: bool = False) -> None:
        lib = patient_state.library()
        # an uploaded file is checked by the library: a foreign file is refused
        data = upload.getvalue() if upload is not None else manual_state.session_file(analysis)
        if not confirmed:
            same = lib.duplicates(patient.uid, data)
            if same:
                k.LIBRARY_SAVE_PENDING.set(
                    {"patient": patient.uid, "what": what, "text": _duplicate_text(patient, same)}
                )
                return
        k.LIBRARY_SAVE_PENDING.pop()
        info = _add(lib, patient, data, None if upload is not None else analysis)
        patient_state.say(
            "success",
            f"Saved {plain(info.source_name)} ({info.date}) to {plain(patient.label)}.",
            SAVE,
        )

    _save_buttons(patient, what, save)


def _save_source(analysis: Analysis | None):
    """(ready, upload): what to save, the analysis under review or an uploaded
    session file (``upload``); not ready while there is nothing to save."""
    source = st.radio(
        "What to save",
        ["The analysis under review", "A saved session file"],
        key="library_save_source",
        horizontal=True,
        label_visibility="collapsed",
    )
    upload = None
    if source == "A saved session file":
        upload = st.file_uploader(
            "Session file (.posedash)",
            type=["posedash"],
            key=state.widget_key("library_add_file"),
            help="A file saved with 💾 Sessions.",
        )
        if upload is None:
            return False, None
    elif analysis is None:
        st.info(
            "Nothing to save yet: analyse a photo or a video, or open a session file, "
            "then come back here.",
            icon="ℹ️",
        )
        return False, None
    else:
        st.markdown(f"The analysis under review: {widgets.describe(analysis)}")
        kept = tests_keep.records(analysis)
        if kept:
            st.caption(
                "With the test results kept: "
                + "; ".join(plain(r["result"]["headline"]) for r in kept)
            )
    return True, upload


def _save_buttons(patient: Patient, what: str, save) -> None:
    """Save, or, when the same recording is already saved, ask before saving again."""
    pending = k.LIBRARY_SAVE_PENDING.get()
    if pending and pending["patient"] == patient.uid and pending["what"] == what:
        st.warning(pending["text"], icon="⚠️")
        cols = st.columns(2)
        cols[0].button(
            "💾 Save it again",
            type="primary",
            key="library_save_again",
            on_click=patient_state.guarded(lambda: save(True), SAVE),
        )
        cols[1].button(
            "Cancel",
            key="library_save_cancel",
            on_click=lambda: k.LIBRARY_SAVE_PENDING.pop(),
        )
        return
    st.button(
        f"💾 Save to {plain(patient.label)}",
        type="primary",
        key="library_save",
        on_click=patient_state.guarded(save, SAVE),
    )


def _duplicate_text(patient: Patient, same) -> str:
    dates = ", ".join(s.date for s in same)
    return (
        f"This recording is already in {plain(patient.label)}'s sessions (saved "
        f"{dates}), analysed with the same settings: save it again? Its values would "
        "then count twice in the progress chart."
    )


def _add(lib: Library, patient: Patient, data: bytes, analysis):
    """Save ``data`` to the patient; the Sessions and Compare tabs then show the newest
    session (the Compare tab's "After")."""
    from dashboard.library.metrics import session_metrics

    tests = tests_keep.records(analysis)
    metrics = None if analysis is None else session_metrics(analysis, state.angle_settings(), tests)
    info = lib.add_session(
        patient.uid,
        data,
        k.LIBRARY_SAVE_DATE.get(),
        k.LIBRARY_SAVE_REGION.get(""),
        k.LIBRARY_SAVE_NOTES.get(""),
        metrics=metrics,
    )
    k.LIBRARY_SAVE_NOTES.set("")
    newest = lib.sessions(patient.uid)[-1].uid
    for key in (k.LIBRARY_SESSION, k.LIBRARY_CMP_AFTER):
        # a box shown before keeps its value: move it to the newest. (One not shown
        # yet opens on the newest by itself; setting it would leave Streamlit a
        # value that comes back once the box has been hidden, e.g. by a lock.)
        if key.exists():
            key.set(newest)
    return info


def _session_label(s) -> str:
    region = f", {s.body_region}" if s.body_region else ""
    return f"{s.date}: {s.source_name}{region}"


def _labels(sessions) -> dict[str, str]:
    """uid -> label of each session; sessions that would share a label (the same file
    saved twice on one date) get their short identifier, so a label names one session."""
    base = {s.uid: _session_label(s) for s in sessions}
    seen = Counter(base.values())
    return {u: f"{b} ({short_id(u)})" if seen[b] > 1 else b for u, b in base.items()}


def _sessions(lib: Library, sessions) -> None:
    if not sessions:
        st.info("No session saved for this patient yet.", icon="ℹ️")
        return
    table = pd.DataFrame(
        {
            "date": [s.date for s in sessions],
            "body region": [s.body_region for s in sessions],
            "file analysed": [s.source_name for s in sessions],
            "length": [f"{s.duration_s:.1f} s" if s.kind == "video" else "photo" for s in sessions],
            "notes": [s.notes for s in sessions],
        }
    )
    widgets.show_table(table, hide_index=True, width="stretch")
    by_uid = {s.uid: s for s in sessions}
    names = _labels(sessions)
    uid = st.selectbox(
        "Session",
        list(by_uid),
        index=len(sessions) - 1,
        key="library_session",
        format_func=lambda u: names[u],
    )
    cols = st.columns([1, 1, 2])

    def reopen() -> None:
        _open(patient_state.library(), by_uid[uid], names[uid], make_current=True)
        patient_state.say(
            "success",
            f"Opened {names[uid]}: it is now the analysis under review.",
            SESSIONS,
        )

    def delete() -> None:
        patient_state.library().delete_session(uid)
        patient_state.say("success", f"Deleted the session of {by_uid[uid].date}.", SESSIONS)

    cols[0].button(
        "Open for review",
        type="primary",
        key="library_open",
        on_click=patient_state.guarded(reopen, SESSIONS),
    )
    if cols[1].toggle("Delete…", key="library_delete_session_arm"):
        cols[2].button(
            "Delete this session for good",
            key="library_delete_session",
            on_click=patient_state.guarded(delete, SESSIONS),
        )
    links = st.columns(len(REVIEW_PAGES))
    for col, key in zip(links, REVIEW_PAGES, strict=False):
        navigation.link(key, where=col)


def _open(lib: Library, info, label: str, make_current: bool):
    """Reopen a library session: available to Compare (under ``label``), and under
    review if asked."""
    opened = lib.open_session(info.uid)
    analysis = opened.analysis
    state.remember_opened(label, analysis, info.uid)
    if make_current:
        settings, _ = session.kinematics_settings(opened.angle_settings)
        state.set_current(analysis)
        k.ANGLE_SETTINGS.set(settings)
        manual_state.opened(analysis, opened)
    return analysis


def _compare(lib: Library, sessions) -> None:
    if len(sessions) < 2:
        st.info("Two sessions are needed for a comparison.", icon="ℹ️")
        return
    by_uid = {s.uid: s for s in sessions}
    names = _labels(sessions)
    uids = list(by_uid)
    cols = st.columns(2)
    before = cols[0].selectbox(
        "Before",
        uids,
        index=0,
        key="library_cmp_before",
        format_func=lambda u: names[u],
    )
    after = cols[1].selectbox(
        "After",
        uids,
        index=len(uids) - 1,
        key="library_cmp_after",
        format_func=lambda u: names[u],
    )
    _comparability(by_uid[before], by_uid[after])

    def prepare() -> None:
        from dashboard.ui.comparison import LIBRARY

        lib_ = patient_state.library()
        for uid in (before, after):
            _open(lib_, by_uid[uid], names[uid], make_current=False)
        for side, uid in (("before", before), ("after", after)):  # both open: their labels
            k.COMPARE.of(f"{side}_source").set(LIBRARY)
            k.COMPARE.of(f"{side}_library").set(state.opened_label(uid))
        patient_state.say(
            "success", "Both sessions are open: see them on Compare sessions.", COMPARE
        )

    st.button(
        "Compare these two",
        type="primary",
        key="library_compare",
        on_click=patient_state.guarded(prepare, COMPARE),
    )
    navigation.link("compare", "Compare sessions")


def _comparability(before, after) -> None:
    """Why the two sessions may not compare: from their records, and once both are
    open (after "Compare these two") from what was filmed."""
    reasons = list(comparability.record_reasons(before.as_dict(), after.as_dict()))
    opened = state.opened_sessions()
    pair = [opened.get(state.opened_label(s.uid) or "") for s in (before, after)]
    if all(a is not None for a in pair):
        traits = [_traits(a) for a in pair]
        if all(t is not None for t in traits):
            reasons += [r for r in comparability.session_reasons(*traits) if r not in reasons]
    if reasons:
        st.warning(
            "**These two sessions may not be comparable:**\n\n"
            + "\n".join(f"- {r}" for r in reasons),
            icon="⚠️",
        )
    elif all(a is not None for a in pair):
        st.caption(
            "Same kind of recording, movement and camera view: nothing found against "
            "comparing these two."
        )


def _traits(analysis):
    """The comparability traits of the person found most, in world space."""
    counts = analysis.poses.detected.sum(axis=0)
    if not len(counts) or counts.max() == 0:
        return None
    slot = int(np.argmax(counts))
    return state.remember(
        ("library_traits", state.fingerprint(analysis), slot),
        lambda: comparability.traits_of(analysis, state.kinematics(analysis), "world", slot),
    )


def _details(lib: Library, patient: Patient) -> None:
    st.text_input(
        "Label", value=patient.label, key=f"library_label_{patient.uid}", autocomplete="off"
    )
    st.text_area("Notes", value=patient.notes, key=f"library_notes_{patient.uid}", height=80)
    st.text_input(
        "Birth date (optional, YYYY-MM-DD)",
        value=patient.birth_date,
        key=f"library_birth_{patient.uid}",
        autocomplete="off",
    )

    def rename() -> None:
        p = patient_state.library().update_patient(
            patient.uid,
            k.LIBRARY_LABEL.of(patient.uid).get(),
            k.LIBRARY_NOTES.of(patient.uid).get(),
            k.LIBRARY_BIRTH.of(patient.uid).get(),
        )
        patient_state.say("success", f"Saved the details of {plain(p.label)}.", DETAILS)

    st.button(
        "Save the details", key="library_rename", on_click=patient_state.guarded(rename, DETAILS)
    )
    st.divider()
    st.markdown(
        "**Export**: this patient's sessions as `.posedash` files with an index "
        "(`index.json`, `index.csv`) and `progress.csv` (every value the progress chart "
        "can draw, with its verdict), in one zip. The export is **not encrypted**: "
        "store it as you store other patient records."
    )
    if st.toggle("Prepare the export", key="library_export_arm"):
        data = patient_damage.export_zip(lib, patient.uid)
        st.download_button(
            "⬇️ Export (zip)",
            data,
            file_name=f"{patient.label}.zip",
            mime="application/zip",
            on_click="ignore",
            key="library_export",
        )
    st.divider()
    st.markdown(
        f"**Erase {plain(patient.label)}**: their details and every session, removed from "
        "the library file itself. This cannot be undone."
    )
    st.text_input(
        f"Type {plain(patient.label)} to confirm", key="library_erase_confirm", autocomplete="off"
    )

    def erase() -> None:
        if k.LIBRARY_ERASE_CONFIRM.get("").strip().casefold() != patient.label.casefold():
            patient_state.say(
                "error",
                f"Type {plain(patient.label)} exactly to confirm; nothing was erased.",
                DETAILS,
            )
            return
        complete = patient_state.library().erase_patient(patient.uid)
        k.LIBRARY_ERASE_CONFIRM.set("")
        patient_state.say(
            "success",
            f"{plain(patient.label)} and their sessions are erased."
            + (
                ""
                if complete
                else " Another window is reading the library: the last "
                "traces leave the file when it closes."
            ),
        )

    st.button(
        f"Erase {plain(patient.label)}", key="library_erase", on_click=patient_state.guarded(erase)
    )
