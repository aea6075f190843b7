"""Per-session state: analysis settings, the model in use, and two named caches.

- **Analyses** (:func:`cached`, :func:`peek`): detection results and what is read
  from files (probes, sessions), at most ``MAX_RESULTS``, least recently used
  evicted first.
- **Derived views** (:func:`remember`): angles, figures and tables computed from
  an analysis; kept apart, each kind with a few slots, so that a view never
  pushes an analysis out.

A video's frame index is read once, by the engine, and kept in the analysis
itself (``Analysis.video_index``, used by :func:`video_frame`).

Results live in ``st.session_state`` only, so one browser session never sees
another's data, and "Clear my data" really empties them. They are keyed by the
SHA-256 of the uploaded bytes, the analysis settings and the model's hash, so a
display option, a page switch or uploading the same file again never re-runs
detection.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.detect.models import ModelInfo, resolve_model
from dashboard.errors import ModelError
from dashboard.settings import AnalysisSettings

CACHE_KEY = "posedash_results"
MAX_RESULTS = 12

# Widget keys of the Model and detection page, read by every page.
NUM_POSES = "setting_num_poses"
DETECTION = "setting_min_detection_confidence"
PRESENCE = "setting_min_presence_confidence"
TRACKING = "setting_min_tracking_confidence"
SWAP_REPAIR = "setting_swap_repair"
MODEL_PATH = "model_path"  # a chosen .task file, or None for the default


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings() -> AnalysisSettings:
    """The analysis settings chosen on the Model and detection page (defaults before)."""
    defaults = AnalysisSettings()
    return AnalysisSettings(
        num_poses=int(st.session_state.get(NUM_POSES, defaults.num_poses)),
        min_detection_confidence=float(
            st.session_state.get(DETECTION, defaults.min_detection_confidence)
        ),
        min_presence_confidence=float(
            st.session_state.get(PRESENCE, defaults.min_presence_confidence)
        ),
        min_tracking_confidence=float(
            st.session_state.get(TRACKING, defaults.min_tracking_confidence)
        ),
        swap_repair=bool(st.session_state.get(SWAP_REPAIR, defaults.swap_repair)),
    )


@st.cache_resource(show_spinner="Preparing the pose model (first start only)…")
def _resolve(path: str | None) -> ModelInfo:
    # Model files are not user data: sharing their resolution across sessions is safe.
    return resolve_model(path)


def model() -> ModelInfo:
    """The model chosen on the Model and detection page, ``$POSEDASH_MODEL``, or the built-in one.

    Raises ModelError with a message for the user when it cannot be used.
    """
    path = st.session_state.get(MODEL_PATH)
    try:
        return _resolve(path)
    except ModelError:
        _resolve.clear()
        raise


def _cache() -> OrderedDict[Hashable, Any]:
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


def set_current(analysis: Analysis, source: bytes | None = None) -> None:
    """Make ``analysis`` the one the review pages (angles, 3D, tables) show.

    ``source`` is the photo's or video's bytes, kept in this session's memory
    only, so review pages can show the picture of a chosen frame (None when the
    analysis was reopened from a session file without its recording).
    """
    st.session_state[CURRENT_ANALYSIS] = analysis
    st.session_state[CURRENT_SOURCE] = source


def current_source() -> bytes | None:
    """The bytes of the current analysis's photo or video, if this session has them."""
    return st.session_state.get(CURRENT_SOURCE)


def current() -> Analysis | None:
    """The analysis under review in this session, or None."""
    return st.session_state.get(CURRENT_ANALYSIS)


OPENED_SESSIONS = "posedash_opened_sessions"
OPENED_UIDS = "posedash_opened_uids"
MAX_OPENED = 6


def remember_opened(label: str, analysis: Analysis, uid: str = "") -> str:
    """Keep a session reopened from the patient library (in this browser session's
    memory only) so that the comparison page can offer it; the last few are kept.

    Returns the label it is kept under: ``label``, or, when another session (another
    ``uid``) is already kept under that label (the same file saved twice on one
    date), ``label`` with the session's short identifier, so that each label names
    exactly one session."""
    opened = st.session_state.setdefault(OPENED_SESSIONS, OrderedDict())
    uids = st.session_state.setdefault(OPENED_UIDS, {})
    if uid and label in opened and uids.get(label, uid) != uid:
        label = f"{label} (#{uid[:8]})"
    opened.pop(label, None)
    opened[label] = analysis
    uids[label] = uid
    while len(opened) > MAX_OPENED:
        gone, _ = opened.popitem(last=False)
        uids.pop(gone, None)
    return label


def opened_label(uid: str) -> str | None:
    """The label a library session (``uid``) is kept under, or None when not open."""
    opened = opened_sessions()
    uids = st.session_state.get(OPENED_UIDS) or {}
    return next((k for k, v in uids.items() if v == uid and k in opened), None)


def opened_sessions() -> OrderedDict[str, Analysis]:
    """Sessions reopened from the patient library in this browser session, by label."""
    return st.session_state.get(OPENED_SESSIONS) or OrderedDict()


NONCE = "posedash_nonce"


def widget_key(name: str) -> str:
    """Key of an upload widget; "Clear my data" changes it, which empties the widget."""
    return f"upload_{name}_{st.session_state.get(NONCE, 0)}"


@dataclass(frozen=True)
class KeyFamily:
    """Session-state keys that start with ``prefix``: what they hold, the type of their
    values, and whether "Clear my data" removes them (``cleared``: patient data always)."""

    prefix: str
    holds: str
    type: str
    cleared: bool


#: Every key of ``st.session_state`` the UI uses starts with one of these prefixes
#: (tests/app/test_state_keys.py checks it).
KEY_FAMILIES: tuple[KeyFamily, ...] = (
    KeyFamily("posedash_", "results, caches, jobs, opened sessions", "any", True),
    KeyFamily("upload_", "upload widgets (named with the clear nonce)", "UploadedFile", True),
    KeyFamily("library_", "patient library: labels, notes, dates, passphrase", "str|date", True),
    KeyFamily("report_", "report details: clinician, reason, dates", "str|date|bool", True),
    KeyFamily("practice_", "the practice's name and clinician", "str", True),
    KeyFamily("gait_", "gait page: the patient's height, pass, events", "float|int|str", True),
    KeyFamily("manual_", "measurements made by hand and their notes", "str|list", True),
    KeyFamily("live_", "live camera: recording and readouts", "bool|str", True),
    KeyFamily("compare_", "Compare page: the two sessions chosen", "str", True),
    KeyFamily("session_", "Sessions page: the file chosen", "str", True),
    KeyFamily("review_", "Frame review: frame shown, measurements by hand", "int|bool|str", True),
    KeyFamily("angles_", "Joint angles: angles shown and display options", "str|list|float", False),
    KeyFamily("view3d_", "3D view: display options", "int|bool|str", False),
    KeyFamily("explorer_", "Landmark explorer: filters", "str|list|float", False),
    KeyFamily("interop_", "export formats chosen", "str", False),
    KeyFamily("photo_", "Photo page: measurements by hand, display options", "bool|str", True),
    KeyFamily("posedash-live", "the live camera's WebRTC component", "component state", False),
    KeyFamily("setting_", "analysis settings (Model and detection)", "int|float|bool", False),
    KeyFamily("model_", "pose model chosen and its messages", "str|None", False),
)


def family(key: str) -> KeyFamily | None:
    """The declared family of ``key`` (None: not declared)."""
    return next((f for f in KEY_FAMILIES if key.startswith(f.prefix)), None)


@dataclass(frozen=True)
class Key:
    """One session-state key, declared once (in :mod:`dashboard.ui.keys`): its name, what
    it holds, the type of its values (None aside) and whether "Clear my data" removes it,
    which must agree with its family (checked when it is declared). Pages read and write
    the state through these, never through ``st.session_state`` itself."""

    name: str
    type: Any
    cleared: bool
    holds: str = ""

    def __post_init__(self) -> None:
        found = family(self.name)
        if found is None or found.cleared != self.cleared:
            raise ValueError(f"key {self.name!r}: no family, or cleared differs from its family's")

    def get(self, default: Any = None) -> Any:
        return st.session_state.get(self.name, default)

    def set(self, value: Any) -> None:
        st.session_state[self.name] = value

    def pop(self, default: Any = None) -> Any:
        return st.session_state.pop(self.name, default)

    def setdefault(self, value: Any) -> Any:
        return st.session_state.setdefault(self.name, value)

    def exists(self) -> bool:
        return self.name in st.session_state

    def forget_all(self, keep: tuple[str, ...] = ()) -> None:
        """Remove every key that starts with this (prefix) key's name, but ``keep``."""
        for name in list(st.session_state.keys()):
            if str(name).startswith(self.name) and name not in keep:
                del st.session_state[name]

    def of(self, suffix: object) -> Key:
        """The key ``<name><suffix>`` (one per patient, per widget...), declared alike."""
        return Key(f"{self.name}{suffix}", self.type, self.cleared, self.holds)


def _cleared(key: str) -> bool:
    found = family(key)
    return found is not None and found.cleared


def clear_my_data() -> None:
    """Forget every result, upload and piece of patient data of this session: every key
    of a family declared ``cleared`` in :data:`KEY_FAMILIES`."""
    from dashboard.detect.jobs import Job

    nonce = st.session_state.get(NONCE, 0) + 1
    for key in list(st.session_state.keys()):
        if _cleared(str(key)):
            value = st.session_state[key]
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Job):  # an analysis still running: stop it
                    item.cancel()
            del st.session_state[key]
    st.session_state[NONCE] = nonce


# --- Derived views: what the review pages compute from the analysis under review ---
#: Angle settings in use (a ``KinematicsSettings``); set when a session is opened.
ANGLE_SETTINGS = "posedash_angle_settings"
_SLOTS = "posedash_derived_views"


_FINGERPRINTS = "posedash_fingerprints"


def fingerprint(analysis: Analysis) -> str:
    """A content hash of the landmarks (and source), keying what is derived from them.
    Computed once per analysis object in this session."""
    memo = st.session_state.setdefault(_FINGERPRINTS, {})
    known = memo.get(id(analysis))
    if known is not None and known[0] is analysis:
        return known[1]
    value = _fingerprint(analysis)
    if len(memo) > 32:
        memo.clear()
    memo[id(analysis)] = (analysis, value)
    return value


def _fingerprint(analysis: Analysis) -> str:
    seq = analysis.poses
    digest = hashlib.sha256(analysis.source_sha256.encode())
    for name in ("image_xy", "world_m", "visibility", "time_s", "frame_index", "person_ids"):
        digest.update(np.ascontiguousarray(getattr(seq, name)).tobytes())
    return digest.hexdigest()


def angle_settings():
    """The angle settings of this session (defaults until a session sets them)."""
    from dashboard.kinematics.summary import KinematicsSettings

    value = st.session_state.get(ANGLE_SETTINGS)
    return value if isinstance(value, KinematicsSettings) else KinematicsSettings()


#: Gait settings in use (a ``GaitSettings``); set on the Gait page or by a session.
GAIT_SETTINGS = "posedash_gait_settings"


def gait_settings():
    """The gait settings of this session (defaults until the Gait page or a session sets them)."""
    from dashboard.kinematics.gait import GaitSettings

    value = st.session_state.get(GAIT_SETTINGS)
    return value if isinstance(value, GaitSettings) else GaitSettings()


def kinematics(analysis: Analysis, settings=None):
    """Angles of ``analysis`` (every space) with ``settings``, computed once per session."""
    from dashboard.kinematics.summary import compute_kinematics

    settings = settings or angle_settings()
    return remember(
        ("kinematics", fingerprint(analysis), repr(settings)),
        lambda: compute_kinematics(analysis.poses, settings),
        slots=6,
    )


def known(key: Hashable) -> Any:
    """The derived view :func:`remember` keeps under ``key``, or None (never computes)."""
    kind = key[0] if isinstance(key, tuple) else key
    entries = st.session_state.get(_SLOTS, {}).get(kind, [])
    return next((v for k, v in entries if k == key), None)


def remember(key: Hashable, compute: Callable[[], Any], slots: int = 4) -> Any:
    """A small per-session cache for derived views (figures, tables, angles), kept
    apart from the analysis cache so that it never pushes an analysis out.
    ``key[0]`` names the kind of view; each kind keeps its last ``slots`` values."""
    store = st.session_state.setdefault(_SLOTS, {})
    kind = key[0] if isinstance(key, tuple) else key
    entries = store.setdefault(kind, [])
    for k, v in entries:
        if k == key:
            return v
    value = compute()
    entries.append((key, value))
    del entries[:-slots]
    return value


def video_frame(analysis: Analysis, data: bytes, frame_index: int, max_side: int | None = None):
    """One frame of the analysed video as RGB (read-only), numbered as analysed.

    One :class:`dashboard.media.video_reader.FrameReader` is kept per session for
    the video under review: it seeks to the keyframe before a frame and goes on
    decoding for the next one, and keeps a few recent pictures (never all
    frames). It uses the video's frame index the engine read with the analysis
    (``Analysis.video_index``); only an analysis without one (made elsewhere)
    has it read here, once."""
    from dashboard.media.video_reader import FrameReader

    reader = remember(
        ("frame_reader", analysis.source_sha256),
        lambda: FrameReader(data, analysis.source_name, analysis.video_index),
        slots=1,
    )
    return reader.read(frame_index, max_side)


# --- Plain accessors: a page's own keys (declared in KEY_FAMILIES) ---


def get(key: str, default: Any = None) -> Any:
    """The value under ``key`` (``default`` when unset)."""
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def take(key: str, default: Any = None) -> Any:
    """The value under ``key``, removed (``default`` when unset)."""
    return st.session_state.pop(key, default)


def slot(key: str) -> dict:
    """The dict under ``key``, created empty when unset."""
    return st.session_state.setdefault(key, {})
