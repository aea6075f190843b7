"""Giving a reopened session its recording again (issue 23 item 3): an uploader that
accepts only the very file the session was made from (its SHA-256,
:func:`dashboard.media.relink.check_same_recording`); then the frames, key frames and
annotated video come back on every page, without analysing again."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.ui import keys, state
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

LINKED = keys.RELINKED.name

__all__ = ["offer"]


def offer(analysis: Analysis | None, where: str) -> None:
    """For the analysis under review reopened without its recording: an uploader to
    give it again (nothing when the recording is there). ``where`` keys the widget."""
    if analysis is None or state.current() is not analysis:
        return
    if state.current_source() is not None:
        if keys.RELINKED.get() == where:
            keys.RELINKED.pop()
            st.success(
                f"{plain(analysis.source_name)} is the recording this session was made "
                "from (same fingerprint): its frames are back, nothing was analysed again.",
                icon="🔗",
            )
        return
    from dashboard.media.images import PHOTO_EXTENSIONS
    from dashboard.media.video_container import VIDEO_EXTENSIONS

    what = "video" if analysis.kind == "video" else "photo"
    upload = st.file_uploader(
        f"Give the {what} again to see its frames",
        type=list(VIDEO_EXTENSIONS if what == "video" else PHOTO_EXTENSIONS),
        key=state.widget_key(f"relink_{where}"),
        help=f"Only the very file this session was made from ({plain(analysis.source_name)}) is "
        "accepted: PoseDash checks its fingerprint (SHA-256), saved with the session. "
        "Nothing is analysed again; the file stays in this computer's memory.",
    )
    if upload is None:
        return
    from dashboard.media.relink import check_same_recording

    data = upload.getvalue()
    try:
        check_same_recording(analysis, data, upload.name)
    except Exception as exc:
        show_error(exc)
        return
    state.set_current(analysis, data)
    keys.RELINKED.set(where)
    st.rerun()
