"""The sessions page: save the analysis under review as one file, or open a saved one."""

from __future__ import annotations

import streamlit as st

from dashboard.outputs import session
from dashboard.ui import (
    gait,
    gait_state,
    keys,
    manual_state,
    navigation,
    relink,
    state,
    tests_keep,
    widgets,
)
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

UPLOAD_LABEL = "Session file (.posedash)"
OPENED = keys.SESSION_OPENED.name  # digest of the session file opened last


def render_page() -> None:
    st.title("💾 Sessions")
    st.markdown(
        "Save an analysis as one **.posedash** file to review it later or compare it "
        "with a later session, without keeping the video and without analysing it again. "
        "A session file holds the landmarks, the settings, the model used and the source "
        "file's name and fingerprint (SHA-256). **It holds no picture or video**, but it "
        "does describe your patient's movement: store it as you store other patient "
        "records."
    )
    _save()
    st.divider()
    _open()
    st.divider()
    navigation.link("compare", "Compare two sessions (before / after)")


def _save() -> None:
    st.subheader("Save the current analysis")
    analysis = widgets.require_current(
        "Nothing to save yet: analyse a photo or a video first.", links=("photo", "video")
    )
    if analysis is None:
        return
    st.markdown(widgets.describe(analysis))
    widgets.read_notes(analysis.notes)  # kept in the file, shown again when it is opened
    include = st.checkbox(
        "Include the joint-angle table (for other programs)",
        value=True,
        key=keys.SESSION_INCLUDE_ANGLES.name,
        help="Adds angles.csv to the file for spreadsheets and other programs. PoseDash "
        "itself recomputes angles from the landmarks when it opens a session.",
    )
    measured = manual_state.measurements(analysis)
    if measured:
        st.caption(
            f"With {len(measured)} measurement{'s' if len(measured) != 1 else ''} made by hand."
        )
    corrected = gait_state.record(analysis)
    if corrected:
        st.caption(f"With the gait events corrected by hand: {corrected['note']}")
    kept = tests_keep.records(analysis)
    if kept:
        st.caption(
            "With the functional test results kept: "
            + "; ".join(str(r["result"].get("headline", "")) for r in kept)
        )
    try:
        settings = state.angle_settings()
        gait_settings = state.gait_settings()
        known = state.known(("kinematics", state.fingerprint(analysis), repr(settings)))
    except Exception as exc:
        show_error(exc)
        return

    def save() -> bytes:
        """The file, made when the button is clicked (on Streamlit's download thread: no
        session state here): a long recording's angle table takes a while and much memory,
        which opening a session or visiting this page should never cost."""
        from dashboard.kinematics.summary import angles_csv_chunks, compute_kinematics

        table = None
        if include:
            table = angles_csv_chunks(known or compute_kinematics(analysis.poses, settings), "%.6g")
        return session.save_session(
            analysis,
            settings,
            table,
            gait_settings=gait_settings,
            measurements=measured,
            gait_events=corrected,
            functional_tests=kept,
        )

    keys.SESSION_SAVE.set(save)  # what the button gives (tests read the file through it)
    st.download_button(
        "⬇️ Save session",
        save,
        file_name=session.session_file_name(analysis),
        mime=session.MIME,
        type="primary",
        on_click="ignore",
        help="The file is made when you click (a long recording takes a few seconds).",
    )


def _open() -> None:
    st.subheader("Open a saved session")
    upload = st.file_uploader(
        UPLOAD_LABEL,
        type=["posedash"],
        key=state.widget_key("session"),
        help="Opened in memory on this computer; nothing is stored.",
    )
    if upload is None:
        return
    opened = open_upload(upload.getvalue())
    if opened is None:
        return
    analysis = opened.analysis
    saved = (
        f", saved {plain(opened.created_utc[:16].replace('T', ' at '))} UTC"
        if len(opened.created_utc) >= 16
        else ""
    )
    st.success(
        f"Opened {widgets.describe(analysis)}{saved}. It is now the analysis under review.",
        icon="✅",
    )
    widgets.read_notes(analysis.notes)  # how its recording was read, as when analysed
    relink.offer(analysis, "sessions")  # frames, key frames and video from the same file
    _review_links(analysis)


def _review_links(analysis) -> None:
    """Where to look at the opened session: joint angles when somebody was found in
    it, the gait analysis when it looks like walking (as the Joint angles page
    suggests it), and the other review pages."""
    links = []
    if widgets.people_found(analysis.poses):
        links.append(("angles", "Joint angles"))
    try:
        if gait.walking(analysis):
            links.append(("gait", "Gait (this looks like walking)"))
    except Exception:  # a suggestion must never break the page that shows it
        pass
    links += [
        ("view3d", "3D view"),
        ("explorer", "Landmark explorer"),
        ("compare", "Compare with another session"),
    ]
    row = st.container(horizontal=True, gap="medium")  # wraps: whole labels on any width
    for key, label in links:
        navigation.link(key, label, where=row)


def open_upload(data: bytes):
    """Read a session file's bytes (once per session) and make it the current analysis.

    Returns the :class:`~dashboard.outputs.session.SessionFile`, or None after showing
    why it could not be opened.
    """
    try:
        opened = read_cached(data)
    except Exception as exc:
        show_error(exc)
        return None
    digest = state.content_hash(data)
    settings, exact = session.kinematics_settings(opened.angle_settings)
    if keys.SESSION_OPENED.get() != digest:
        # Only when this file is newly opened: a file left in the uploader must not
        # replace a photo or video analysed since.
        keys.SESSION_OPENED.set(digest)
        state.set_current(opened.analysis)
        keys.ANGLE_SETTINGS.set(settings)
        from dashboard.kinematics.gait import GaitSettings

        keys.GAIT_SETTINGS.set(GaitSettings.from_dict(opened.gait_settings))
        manual_state.opened(opened.analysis, opened)
        st.rerun()  # so that everything above on the page shows the opened session
    for note in opened.notes:  # settings or notes that were not valid (they quote the file)
        st.warning(plain(note), icon="⚠️")
    if opened.angle_settings is not None and not exact and not opened.notes:
        st.caption(
            "This session's angle settings are not all known to this PoseDash: "
            "its angles are shown with today's default settings."
        )
    return opened


def read_cached(data: bytes) -> session.SessionFile:
    """The session in ``data``, read once per browser session (errors are not cached)."""
    return state.cached(("session", state.content_hash(data)), lambda: session.read_session(data))
