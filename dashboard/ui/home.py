"""The welcome page: what PoseDash does, how far to trust it, where to start."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import ModelError
from dashboard.ui import navigation, state


def render_page() -> None:
    st.title("🧍 PoseDash")
    st.markdown(
        "**Pose analysis for physiotherapists, on this computer only.** Upload a photo "
        "or a video of a patient and PoseDash finds 33 body landmarks, draws the skeleton "
        "over the picture, and measures joint angles, range of motion, left/right symmetry "
        "and repetitions, each with how far it can be trusted."
    )
    st.subheader("Who are you seeing?")
    cols = st.columns(3)
    with cols[0]:
        st.markdown("**A patient you follow**")
        navigation.link("patients", "Choose or create a patient")
        st.caption(
            "Their sessions and progress, kept encrypted on this computer (the patient "
            "library is off until you create it)."
        )
    with cols[1]:
        st.markdown("**Analyse without a patient**")
        navigation.link("photo", "Analyse a photo")
        navigation.link("video", "Analyse a video")
        navigation.link("live", "Use the live camera")
    with cols[2]:
        st.markdown("**Carry on from earlier**")
        navigation.link("sessions", "Open a saved session")
        navigation.link("help", "How to use PoseDash")
    st.markdown(
        "**Then, in the menu:** *Review* steps through a video frame by frame, turns the "
        "skeleton in 3D and puts two sessions side by side; *Measure* gives joint angles "
        "over time, range of motion, symmetry and repetitions, and gait; *Report* makes a "
        "PDF for the patient record; *Patients* keeps each patient's sessions and charts "
        "their progress over a course of treatment. *Advanced* holds the pose model, the "
        "detection thresholds and the landmark explorer (every landmark, with exports)."
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
