"""What the review pages (3D view, landmark explorer, sessions, comparison) share:
the analysis under review, its description, and per-session caches of what is
derived from it (angles, figures, tables)."""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Hashable, Optional

import numpy as np
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.ui import state

#: Angle settings in use (a ``KinematicsSettings``); set when a session is opened.
ANGLE_SETTINGS = "posedash_angle_settings"
_SLOTS = "posedash_derived_views"


def require_current() -> Optional[Analysis]:
    """The analysis under review, or None after telling the user how to get one."""
    analysis = state.current()
    if analysis is None:
        st.info("There is nothing to review yet: analyse a photo or a video first, or "
                "open a session you saved earlier.", icon="ℹ️")
        cols = st.columns(2)
        with cols[0]:
            st.page_link("pages/1_Photo_analysis.py", label="Analyse a photo", icon="📷")
        with cols[1]:
            st.page_link("pages/6_Sessions.py", label="Open a saved session", icon="💾")
    return analysis


def describe(analysis: Analysis) -> str:
    """One line naming the analysis under review."""
    seq = analysis.poses
    if analysis.kind == "video":
        span = float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0
        what = f"video, {seq.num_frames} frames analysed over {span:.1f} s"
    else:
        what = "photo"
    found = int(seq.detected.any(axis=0).sum())
    return (f"**{analysis.source_name}** ({what}; {found} "
            f"{'person' if found == 1 else 'people'} found)")


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
    from dashboard.kinematics import KinematicsSettings

    value = st.session_state.get(ANGLE_SETTINGS)
    return value if isinstance(value, KinematicsSettings) else KinematicsSettings()


def kinematics(analysis: Analysis, settings=None):
    """Angles of ``analysis`` (every space) with ``settings``, computed once per session."""
    from dashboard.kinematics import compute_kinematics

    settings = settings or angle_settings()
    return remember(("kinematics", fingerprint(analysis), repr(settings)),
                    lambda: compute_kinematics(analysis.poses, settings), slots=6)


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


def video_frame(analysis: Analysis, data: bytes, frame_index: int,
                max_side: Optional[int] = None):
    """One frame of the analysed video as RGB, decoded now (frames are never kept).
    The video's frame index is read once per session, not at every frame shown."""
    from dashboard import video

    index = remember(("video_index", analysis.source_sha256),
                     lambda: video.index_video(data, analysis.source_name), slots=2)
    return video.read_frame(data, frame_index, max_side, name=analysis.source_name,
                            index=index)
