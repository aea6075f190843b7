"""The welcome page: what PoseDash does, how far to trust it, where to start."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import ModelError
from dashboard.ui import state


def render_page() -> None:
    st.title("🧍 PoseDash")
    st.markdown(
        "**Pose analysis for physiotherapists, on this computer only.** Upload a photo "
        "or a video of a patient and PoseDash finds 33 body landmarks, draws the skeleton "
        "over the picture, and measures joint angles, range of motion, left/right symmetry "
        "and repetitions, each with how far it can be trusted."
    )
    cols = st.columns(3)
    cols[0].page_link("pages/1_Photo_analysis.py", label="Analyse a photo", icon="📷")
    cols[1].page_link("pages/2_Video_analysis.py", label="Analyse a video", icon="🎬")
    cols[2].page_link("pages/6_Sessions.py", label="Open a saved session", icon="💾")
    st.markdown(
        "**Then review:** *Frame review* steps through a video with the skeleton drawn; "
        "*Joint angles* shows angles over time, range of motion, symmetry and repetitions; "
        "*3D view* turns the skeleton in space; *Landmark explorer* filters every landmark "
        "and exports CSV, JSON, Parquet and OpenSim files; *Sessions* saves an analysis "
        "to reopen later, *Compare sessions* puts two of them side by side, and *Report* "
        "makes a PDF for the patient record. *Patients* (optional) keeps each patient's "
        "sessions, encrypted, and charts their progress over a course of treatment."
    )
    st.subheader("Your patients' privacy")
    st.markdown(
        "- The pose model runs here, on this computer. No photo, video or result is sent "
        "anywhere, and PoseDash makes no connection to the internet.\n"
        "- Uploads are analysed in memory and never written to disk. Results live in this "
        "browser tab only: close it, or press **Clear my data** in the sidebar, and they "
        "are gone. Only what you download is kept, and what you save to the patient "
        "library, which is off until you create it and encrypted with your passphrase."
    )
    st.subheader("How far to trust the numbers")
    st.markdown(
        "- Landmarks come from Google's MediaPipe BlazePose model. On clear, full-body "
        "pictures they typically land within a few pixels of a joint's visual centre, "
        "which is not the same as the anatomical joint centre a goniometer uses.\n"
        "- Every landmark has a **visibility** from 0 to 1: the model's estimate that it "
        "is in view and not hidden. Below 0.5, treat the point as a guess: PoseDash draws "
        "it faded.\n"
        "- Depth (z) and world coordinates in metres are estimated from a single camera: "
        "use them for proportions and shapes, not for absolute distances.\n"
        "- Every joint angle carries a confidence; below the threshold it is left as a "
        "gap, never invented. Angles measured in the picture are given only for frames "
        "filmed from the view they need (a knee flexion angle needs a side view).\n"
        "- PoseDash supports clinical review; it does not make a diagnosis."
    )
    try:
        info = state.model()
        st.caption(f"Model in use: {info.description} ({info.origin}).")
    except ModelError as exc:
        st.error(str(exc))
