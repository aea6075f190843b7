"""The photo page: upload or take a photo, see the skeleton, tables and downloads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.detect import engine
from dashboard.figures import render
from dashboard.media import images
from dashboard.outputs import export
from dashboard.poses import PoseSequence
from dashboard.skeleton import LANDMARK_NAMES, hex_colour
from dashboard.ui import keys, state, widgets
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

CURRENT = keys.PHOTO_CURRENT.name  # the decoded picture of the photo on screen


def render_page() -> None:
    st.title("📷 Photo analysis")
    st.markdown(
        "Upload a photo of your patient, or take one with this computer's camera. "
        "PoseDash finds up to 33 body landmarks per person and draws the skeleton: "
        f"the person's **<span style='color:{hex_colour('left')}'>left side in orange</span>**, "
        f"**<span style='color:{hex_colour('right')}'>right side in blue</span>**. "
        "Faded, hollow points are ones the model could not see well.",
        unsafe_allow_html=True,
    )
    source = st.radio(
        "Photo source",
        ["Upload a photo", "Use the camera"],
        horizontal=True,
        label_visibility="collapsed",
    )
    if source == "Upload a photo":
        upload = st.file_uploader(
            "Photo",
            type=list(images.PHOTO_EXTENSIONS),
            key=state.widget_key("photo"),
            help=f"{images.PHOTO_FORMATS}. Analysed in memory on this computer only.",
        )
    else:
        upload = st.camera_input("Take a photo", key=state.widget_key("camera"))
    if upload is None:
        st.info(
            "Choose a photo to begin. For joint angles, photograph the whole body, "
            "side-on for knees, hips and ankles, from the front for frontal-plane "
            "angles.",
            icon="ℹ️",
        )
        return
    show_analysis(upload.getvalue(), upload.name)


def analyse(data: bytes, name: str):
    """(decoded picture, landmarks) for these bytes, from this session's cache when
    the same photo was analysed with the same settings and model before."""
    settings, model = state.settings(), state.model()
    digest = state.content_hash(data)
    current = keys.PHOTO_CURRENT.get()
    if current is not None and current[0] == digest:
        decoded = current[1]
    else:
        decoded = images.decode_image(data, name)
        keys.PHOTO_CURRENT.set((digest, decoded))
    analysis = state.cached(
        ("photo", digest, settings, model.sha256),
        lambda: engine.photo_analysis(
            decoded.rgb,
            model,
            settings,
            name=name,
            sha256=digest,
            image_size=decoded.size,
            read_notes=decoded.notes,
        ),
    )
    state.set_current(analysis, data)
    return decoded, analysis.poses


DISPLAY_SIDE = 1600  # pixels: larger photos are shown shrunk, downloaded at full size


def show_analysis(data: bytes, name: str) -> None:
    try:
        with st.spinner("Finding the pose…"):
            decoded, seq = analyse(data, name)
    except Exception as exc:  # every failure becomes a message; the app keeps serving
        show_error(exc)
        return
    width, height = decoded.size
    caption = (
        f"{plain(name)}: {width} x {height} pixels"
        + (" (turned upright from its EXIF orientation)" if decoded.exif_rotated else "")
        + (
            f"; analysed at {decoded.rgb.shape[1]} x {decoded.rgb.shape[0]}, landmarks in the full "
            "photo's pixels"
            if decoded.reduced
            else ""
        )
    )
    widgets.read_notes(decoded.notes)  # a mirror image turned back (media.images Notes)
    found = int(seq.detected[0].sum())
    if not found:
        _nobody_found(decoded.rgb)
        st.image(render.fit_within(decoded.rgb, DISPLAY_SIDE), caption=caption)
        _measure(decoded.rgb)
        return

    picture, side = st.columns([3, 2], gap="large")
    with side:
        looked_for = state.settings().num_poses
        st.metric(
            "People found",
            found,
            help=f"PoseDash looked for up to {looked_for} "
            f"{'person' if looked_for == 1 else 'people'}: to find more, raise "
            "People to look for on the Model and detection page (Advanced).",
        )
        show_names = st.toggle("Show landmark names", value=False)
        threshold = st.slider(
            "Fade landmarks below visibility",
            0.0,
            1.0,
            0.5,
            0.05,
            help="Visibility is the model's estimate that a landmark is in view and not "
            "hidden. Below this value it is drawn faded: treat its position as a guess.",
        )
        st.caption(
            "Left side in orange, right side in blue (the person's own left and "
            "right). Faded, hollow points: low visibility."
        )
        stem = Path(name).stem or "photo"
        st.download_button(
            "⬇️ Annotated image (PNG)",
            lambda: render.encode_png(
                render.draw_pose(
                    decoded.rgb, seq, 0, show_names=show_names, visibility_threshold=threshold
                )
            ),
            file_name=f"{stem}.annotated.png",
            mime="image/png",
            on_click="ignore",
            help="Full resolution, as shown.",
        )
    with picture:
        shown = render.draw_pose(
            render.fit_within(decoded.rgb, DISPLAY_SIDE),
            seq,
            0,
            show_names=show_names,
            visibility_threshold=threshold,
        )
        st.image(shown, caption=caption)
    _measure(decoded.rgb)
    _tables(seq, stem, name, threshold)


@st.fragment
def _measure(rgb: np.ndarray) -> None:
    """Measure by hand on the photo (a click reruns this part of the page only)."""
    from dashboard.ui.goniometer import measure_panel, measurements_list

    analysis = state.current()
    if analysis is None:
        return
    st.subheader("📐 Measure by hand")
    st.caption(
        "A goniometer on the photo: place the points yourself (or start from the "
        "landmarks and drag them), for a joint the automatic angles leave out or to "
        "check one. Saved with the session and printed in the report, marked "
        "*measured by hand*."
    )
    measure_panel(analysis, 0, rgb, key="photo_measure")
    measurements_list(analysis, key="photo_measure_list")


def _tables(seq: PoseSequence, stem: str, name: str, threshold: float) -> None:
    st.subheader("Landmarks")
    st.caption(
        "x and y are pixels in the photo (origin top-left). z is MediaPipe's "
        "rough relative depth (hips at 0, negative is nearer the camera). World "
        "x, y, z are metres from the point between the hips, estimated from one "
        "picture: good for proportions and angles, not for absolute distances."
    )
    people = [int(p) for p in np.flatnonzero(seq.detected[0])]
    tabs = (
        st.tabs([widgets.person_label(seq, p) for p in people])
        if len(people) > 1
        else [st.container()]
    )
    for tab, p in zip(tabs, people, strict=False):
        with tab:
            table = export.landmark_table(seq, person=p)
            mean_vis = float(np.nanmean(seq.visibility[0, p]))
            unsure = [
                LANDMARK_NAMES[i].replace("_", " ")
                for i in np.flatnonzero(seq.visibility[0, p] < threshold)
            ]
            st.markdown(
                f"Mean visibility **{mean_vis:.2f}**. "
                + (
                    f"Low visibility (treat as guesses): {', '.join(unsure)}."
                    if unsure
                    else "Every landmark is clearly visible."
                )
            )
            widgets.show_table(
                _display_table(table),
                hide_index=True,
                width="stretch",
                formats=LANDMARK_FORMATS,
                column_config={
                    "visibility": st.column_config.ProgressColumn(
                        "visibility", min_value=0.0, max_value=1.0, format="%.2f"
                    ),
                    "presence": st.column_config.ProgressColumn(
                        "presence", min_value=0.0, max_value=1.0, format="%.2f"
                    ),
                },
            )
    whole = export.landmark_table(seq)
    cols = st.columns(2)
    cols[0].download_button(
        "⬇️ Landmarks (CSV)",
        lambda: export.to_csv(whole),
        file_name=f"{stem}.landmarks.csv",
        mime="text/csv",
        on_click="ignore",
    )
    model = state.model()
    settings = state.settings()
    cols[1].download_button(
        "⬇️ Landmarks (JSON)",
        lambda: export.landmarks_json(
            seq, source=name, model=model.as_dict(), settings=settings.as_dict()
        ),
        file_name=f"{stem}.landmarks.json",
        mime="application/json",
        on_click="ignore",
    )


#: Decimals of the landmark table's columns on screen (the downloads keep every digit).
LANDMARK_FORMATS = {
    "x_px": "%.1f",
    "y_px": "%.1f",
    "z": "%.3f",
    "world_x_m": "%.3f",
    "world_y_m": "%.3f",
    "world_z_m": "%.3f",
    "time_s": "%.3f",
}


def _display_table(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=["frame", "time_s", "person"])


def _nobody_found(rgb: np.ndarray) -> None:
    height, width = rgb.shape[:2]
    brightness = float(rgb.mean())
    reasons = []
    if brightness < 50:
        reasons.append(
            f"**The photo is dark** (mean brightness {brightness:.0f} of 255): "
            "use more light or a brighter exposure."
        )
    elif brightness > 225:
        reasons.append("**The photo is very bright** (over-exposed): reduce the light.")
    if min(width, height) < 256:
        reasons.append(
            f"**The photo is small** ({width} x {height} pixels): use a larger "
            "one, so the person is at least 200 pixels tall."
        )
    reasons += [
        "**The person may be too small in the picture**: move closer so the body fills "
        "about half the frame's height.",
        "**The body may be cut off**: the model needs the head and shoulders, and most of "
        "the body, in view. Photos of only the upper body are often missed.",
        "**The detection confidence may be too high**: lower it on the Model and detection "
        "page (Advanced) and try again.",
    ]
    st.warning(
        "**No person was found in this photo.** Possible reasons:\n\n"
        + "\n".join(f"- {r}" for r in reasons),
        icon="🔍",
    )
