"""Per-session state: analysis settings, the model in use, and the result cache.

Results live in ``st.session_state`` only, so one browser session never sees
another's data, and "Clear my data" really empties them. They are keyed by the
SHA-256 of the uploaded bytes, the analysis settings and the model's hash, so a
display option, a page switch or uploading the same file again never re-runs
detection.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, Callable, Hashable, Optional

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.errors import ModelError
from dashboard.models import ModelInfo, resolve_model
from dashboard.settings import AnalysisSettings

CACHE_KEY = "posedash_results"
MAX_RESULTS = 12

# Widget keys shared by the sidebar and the pages.
NUM_POSES = "setting_num_poses"
DETECTION = "setting_min_detection_confidence"
PRESENCE = "setting_min_presence_confidence"
TRACKING = "setting_min_tracking_confidence"
MODEL_PATH = "model_path"  # a chosen .task file, or None for the default


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings() -> AnalysisSettings:
    """The analysis settings chosen in the sidebar (defaults before it ran)."""
    defaults = AnalysisSettings()
    return AnalysisSettings(
        num_poses=int(st.session_state.get(NUM_POSES, defaults.num_poses)),
        min_detection_confidence=float(st.session_state.get(
            DETECTION, defaults.min_detection_confidence)),
        min_presence_confidence=float(st.session_state.get(
            PRESENCE, defaults.min_presence_confidence)),
        min_tracking_confidence=float(st.session_state.get(
            TRACKING, defaults.min_tracking_confidence)),
    )


@st.cache_resource(show_spinner="Preparing the pose model (first start only)…")
def _resolve(path: Optional[str]) -> ModelInfo:
    # Model files are not user data: sharing their resolution across sessions is safe.
    return resolve_model(path)


def model() -> ModelInfo:
    """The model chosen in the sidebar, ``$POSEDASH_MODEL``, or the built-in one.

    Raises ModelError with a message for the user when it cannot be used.
    """
    path = st.session_state.get(MODEL_PATH)
    try:
        return _resolve(path)
    except ModelError:
        _resolve.clear()
        raise


def _cache() -> "OrderedDict[Hashable, Any]":
    if CACHE_KEY not in st.session_state:
        st.session_state[CACHE_KEY] = OrderedDict()
    return st.session_state[CACHE_KEY]


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Return this session's result for ``key``, computing it once.

    Errors are not cached: the same file can be tried again after a fix.
    """
    cache = _cache()
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = compute()
    cache[key] = value
    while len(cache) > MAX_RESULTS:
        cache.popitem(last=False)
    return value


def peek(key: Hashable) -> Any:
    return _cache().get(key)


CURRENT_ANALYSIS = "posedash_current_analysis"
CURRENT_SOURCE = "posedash_current_source"


def set_current(analysis: "Analysis", source: Optional[bytes] = None) -> None:
    """Make ``analysis`` the one the review pages (angles, 3D, tables) show.

    ``source`` is the photo's or video's bytes, kept in this session's memory
    only, so review pages can show the picture of a chosen frame (None when the
    analysis was reopened from a session file without its recording).
    """
    st.session_state[CURRENT_ANALYSIS] = analysis
    st.session_state[CURRENT_SOURCE] = source


def current_source() -> Optional[bytes]:
    """The bytes of the current analysis's photo or video, if this session has them."""
    return st.session_state.get(CURRENT_SOURCE)


def current() -> "Optional[Analysis]":
    """The analysis under review in this session, or None."""
    return st.session_state.get(CURRENT_ANALYSIS)


NONCE = "posedash_nonce"


def widget_key(name: str) -> str:
    """Key of an upload widget; "Clear my data" changes it, which empties the widget."""
    return f"upload_{name}_{st.session_state.get(NONCE, 0)}"


def clear_my_data() -> None:
    """Forget every result and upload of this session."""
    from dashboard.jobs import Job

    nonce = st.session_state.get(NONCE, 0) + 1
    for key in list(st.session_state.keys()):
        if key.startswith(("posedash_", "upload_")):
            value = st.session_state[key]
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Job):  # an analysis still running: stop it
                    item.cancel()
            del st.session_state[key]
    st.session_state[NONCE] = nonce
