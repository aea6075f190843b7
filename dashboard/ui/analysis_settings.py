"""The Advanced page "Model and detection": the detection thresholds, the people to
look for, the left/right swap repair, and the pose model (Fast / Standard / Accurate, or
a model file of one's own). The choices hold on every page: the widgets keep their
values for the whole browser session (``persist_state="session"``) while this page is
closed, and the other pages read them through :func:`dashboard.ui.state.settings`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.detect.models import (
    BUILD_COMMAND,
    VARIANT_LABELS,
    VARIANT_SPEED,
    VARIANTS,
    store_uploaded_model,
    variant_is_built,
)
from dashboard.errors import ModelError
from dashboard.ui import keys, state


def render_page() -> None:
    st.title("⚙️ Model and detection")
    st.markdown(
        "How PoseDash finds people and their landmarks. The defaults suit most photos "
        "and videos of one patient; change them when nobody is found, when someone who "
        "is not there is found, or to try another size of the pose model. Every choice "
        "holds on every page until you change it (Clear my data keeps it: it is not "
        "patient data)."
    )
    left, right = st.columns(2)
    with left:
        _settings()
    with right:
        _model()


def _settings() -> None:
    st.subheader("Detection")
    defaults = state.settings()
    st.slider(
        "People to look for",
        1,
        6,
        defaults.num_poses,
        key=state.NUM_POSES,
        persist_state="session",
        help="The most people PoseDash will look for in one picture. MediaPipe's "
        "pose model is built for one person: with several people in view it "
        "often finds only the most prominent one.",
    )
    st.slider(
        "Detection confidence",
        0.05,
        0.95,
        defaults.min_detection_confidence,
        0.05,
        key=state.DETECTION,
        persist_state="session",
        help="How sure the model must be that a person is there. Lower it when "
        "nobody is found in a difficult picture; raise it if it finds people "
        "who are not there.",
    )
    st.slider(
        "Pose confidence",
        0.05,
        0.95,
        defaults.min_presence_confidence,
        0.05,
        key=state.PRESENCE,
        persist_state="session",
        help="How sure the model must be of the body's landmarks to report the pose.",
    )
    st.slider(
        "Tracking confidence (videos)",
        0.05,
        0.95,
        defaults.min_tracking_confidence,
        0.05,
        key=state.TRACKING,
        persist_state="session",
        help="In videos, below this the person is looked for afresh instead of "
        "being followed from the previous frame.",
    )
    st.checkbox(
        "Repair left/right limb swaps (videos)",
        value=defaults.swap_repair,
        key=state.SWAP_REPAIR,
        persist_state="session",
        help="In side views the model sometimes gives the far leg (or arm) the near "
        "one's label for a few frames. PoseDash puts the labels back in order "
        "using how the limbs move over the whole video; the frames repaired "
        "are marked on the timeline. Turn off to see the model's labels as "
        "they were.",
    )
    st.caption("Changing a setting analyses the file again; display options do not.")


MODEL_UPLOAD = keys.MODEL_UPLOAD.name
MODEL_VARIANT = keys.MODEL_VARIANT.name


def _variant_chosen() -> None:
    """Fast / Standard / Accurate chosen: use it if built, else say how to build it."""
    variant = keys.MODEL_VARIANT.get("full")
    keys.MODEL_NOT_BUILT.set(None)
    if variant != "full" and not variant_is_built(variant):
        keys.MODEL_NOT_BUILT.set(variant)
        return
    keys.MODEL_PATH.set(None if variant == "full" else variant)


def _variant_choice() -> None:
    current = keys.MODEL_PATH.get()
    index = VARIANTS.index(current) if current in VARIANTS else VARIANTS.index("full")
    st.radio(
        "Model",
        VARIANTS,
        index=index,
        key=MODEL_VARIANT,
        persist_state="session",
        on_change=_variant_chosen,
        format_func=lambda v: (
            VARIANT_LABELS[v] + (f" ({VARIANT_SPEED[v]})" if VARIANT_SPEED.get(v) else "")
        ),
        help="Three sizes of the same BlazePose model, all run on this computer. "
        "Fast is quickest, Accurate finds landmarks more precisely (on "
        "human-labelled photos) but takes about twice as long as Standard. "
        "Changing it analyses the file again.",
    )
    missing = keys.MODEL_NOT_BUILT.get()
    if missing:
        st.info(
            f"The {VARIANT_LABELS[missing]} model is not on this computer yet. To add "
            f"it, close PoseDash and run `{BUILD_COMMAND}` once in the PoseDash folder "
            "(it downloads Google's open-source model package from the npm registry "
            "once; after that everything works offline). Until then PoseDash uses "
            "the model shown below."
        )


def _model_chosen() -> None:
    """The model uploader changed: store and check the new file once (not on every
    rerun), or go back to the default when the file was removed. The choice is kept
    in the session, so it holds on every page."""
    choice = keys.MODEL_UPLOAD.get()
    keys.MODEL_ERROR.set(None)
    if choice is None:
        keys.MODEL_PATH.set(None)
        return
    try:
        keys.MODEL_PATH.set(str(store_uploaded_model(choice.getvalue(), choice.name)))
    except ModelError as exc:
        keys.MODEL_ERROR.set(str(exc))


def _model() -> None:
    st.subheader("Pose model")
    _variant_choice()
    st.file_uploader(
        "Use another model (.task)",
        type=["task"],
        key=MODEL_UPLOAD,
        on_change=_model_chosen,
        help="A MediaPipe pose landmarker bundle, such as Google's "
        "pose_landmarker_lite/full/heavy.task. It stays chosen on every page until "
        "you press 'Use the built-in model'.",
    )
    if keys.MODEL_ERROR.get():
        st.error(keys.MODEL_ERROR.get())
    try:
        info = state.model()
    except ModelError as exc:
        st.error(f"{exc}")
        keys.MODEL_PATH.set(None)
        return
    st.caption(
        f"**In use:** {info.description}  \n**Source:** {info.origin}  \n"
        f"**SHA-256:** `{info.sha256[:16]}…`"
    )
    if keys.MODEL_PATH.get() not in (None, *VARIANTS):
        st.button("Use the built-in model", on_click=_builtin_chosen)


def _builtin_chosen() -> None:
    keys.MODEL_PATH.set(None)
    keys.MODEL_VARIANT.set("full")
