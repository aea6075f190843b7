"""The Joint angles page: clinical angles over time, range of motion, symmetry and
repetitions, with how far each number can be trusted.

The numbers come from the UI-free core (``dashboard.kinematics.summary``); this module
only chooses, explains and shows them. Angles are computed once per analysis
and angle settings (both spaces at once, so switching space, angles, person or
anything about repetitions never recomputes them) in the per-session cache of
:mod:`dashboard.ui.state`. The settings chosen here are stored as the
session's angle settings, so a saved session reopens with the same angles.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.figures import charts as figures
from dashboard.figures import render
from dashboard.io.images import decode_image
from dashboard.kinematics import summary as kinematics
from dashboard.kinematics.angles import (
    CATALOGUE,
    SPACES,
    VIEW_TOLERANCE_DEG,
    AngleDef,
    AngleSet,
    classify_view,
)
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.reps import Repetition, RepetitionSettings, detect_repetitions
from dashboard.kinematics.rom import rom_table
from dashboard.skeleton import hex_colour
from dashboard.ui import state, widgets
from dashboard.ui.messages import show_error
from dashboard.ui.page import PAGES
from dashboard.ui.text import plain

ROOT = Path(__file__).resolve().parents[2]

# Widget keys (all start with "angles_"; they are reset when another analysis comes up).
K = "angles_"
FOR = K + "for"  # the analysis the widgets were set up for
SPACE, PERSON, KEYS = K + "space", K + "person", K + "keys"
MIN_CONF, RATIO, MAX_GAP = K + "min_confidence", K + "foreshortening", K + "max_gap"
METHOD, CUTOFF, ORDER = K + "filter", K + "cutoff", K + "order"
EU_MIN, EU_BETA, EU_D = K + "euro_min_cutoff", K + "euro_beta", K + "euro_d_cutoff"
CHART, FRAME_ROW = K + "chart", K + "frame_row"
REP_KEY, REP_SIDE, REP_METHOD, REP_POLARITY = K + "rep_key", K + "rep_side", \
    K + "rep_method", K + "rep_polarity"
REP_MANUAL, REP_INTERVAL, REP_MIN_RANGE = K + "rep_manual", K + "rep_interval", \
    K + "rep_min_range"
ALL_ROM = K + "rom_all"

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
FRAME_SIDE = 720  # pixels: frames are decoded no larger than this for display

# Body regions, for menus and tables, in the order a physiotherapist reads them.
REGIONS = (
    ("Leg", ("hip_flexion", "knee_flexion", "ankle_dorsiflexion", "knee_valgus")),
    ("Arm", ("shoulder_flexion", "shoulder_abduction", "elbow_flexion")),
    ("Trunk and head", ("trunk_inclination", "trunk_lateral_inclination", "pelvic_obliquity",
                        "shoulder_tilt", "neck_flexion")),
)
REGION_OF = {key: region for region, keys in REGIONS for key in keys}
ORDERED_KEYS = tuple(k for _, keys in REGIONS for k in keys) + tuple(
    k for k in dict.fromkeys(d.key for d in CATALOGUE) if k not in REGION_OF)

VIEW_WORDS = {
    "side": "side view",
    "front": "front or back view",
    "oblique": "oblique (three-quarter) view",
    "any": "any view in which the limb moves parallel to the picture",
    "": "unknown view",
}
SPACE_LABELS = {"image": "Image (2D, as seen in the picture)",
                "world": "World (3D estimate)"}
SPACE_HELP = (
    "**Image**: the angle as it appears in the picture, from the landmarks' pixel "
    "positions. Right when the movement happens square to the camera: knee and hip "
    "flexion filmed from the side, shoulder abduction or knee valgus filmed from the "
    "front. A limb moving towards or away from the camera looks straighter or more "
    "bent than it is.\n\n"
    "**World**: MediaPipe's 3-D estimate of the body, measured in planes built from the "
    "body itself, so it does not depend on where the camera stood. But depth is "
    "guessed from one camera: angles whose movement runs towards the camera can be off "
    "by 10–25°. Use it when the camera could not be placed square to the movement, and "
    "to compare within a session.")
FILTER_LABELS = {"butterworth": "Butterworth low-pass (recommended)",
                 "one_euro": "One-Euro (adaptive)",
                 "none": "None: raw values (short gaps still bridged)"}
POLARITY_LABELS = {
    "max": "Peak up: the angle rises during each repetition",
    "min": "Peak down: the angle falls during each repetition",
    "auto": "Guess from the data",
}
METHOD_LABELS = {"hysteresis": "Two thresholds (hysteresis)",
                 "prominence": "Peak prominence"}


def _def(key: str) -> AngleDef:
    return next(d for d in CATALOGUE if d.key == key)


def _option(key: str) -> str:
    return _def(key).label


def _sides(key: str) -> Tuple[str, ...]:
    return tuple(d.side for d in CATALOGUE if d.key == key)


# ---------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------
def render_page() -> None:
    st.title("📐 Joint angles")
    analysis = state.current()
    if analysis is None:
        _nothing_yet()
        return
    try:
        _page(analysis)
    except Exception as exc:  # a message, never a traceback; the app keeps serving
        show_error(exc)


def _nothing_yet() -> None:
    st.info("There is nothing to measure yet. Analyse a photo or a video of your patient "
            "first (or open a session you saved earlier); its joint angles then appear "
            "here.", icon="ℹ️")
    links = [(s, label, icon) for s, label, icon in PAGES
             if s in ("pages/1_Photo_analysis.py", "pages/2_Video_analysis.py",
                      "pages/6_Sessions.py") and (ROOT / s).exists()]
    if not any(s == "pages/1_Photo_analysis.py" for s, _, _ in links):
        links.insert(0, ("pages/1_Photo_analysis.py", "Photo analysis", "📷"))
    for col, (script, label, icon) in zip(st.columns(len(links)), links):
        with col:
            st.page_link(script, label=label, icon=icon)


def _page(analysis: Analysis) -> None:
    seq = analysis.poses
    st.markdown(widgets.describe(analysis))
    _reset_if_new(analysis)
    people = [int(p) for p in np.flatnonzero(seq.detected.any(axis=0))]
    if not people:
        st.warning("Nobody was found in this recording, so there are no angles to "
                   "measure. Try another photo or video, or lower the detection "
                   "confidence in the sidebar and analyse it again.", icon="🔍")
        return
    is_photo = analysis.kind == "photo" or seq.num_frames == 1

    top = st.container()
    with st.expander("⚙️ Smoothing and confidence settings", expanded=False):
        angle_settings = _settings_controls(analysis, is_photo)
    kin = state.kinematics(analysis, angle_settings)

    with top:
        space, slot, keys, view = _choose(analysis, kin, people, is_photo)
        _trust_note(space, angle_settings.min_confidence, is_photo)
        _view_warnings(keys, space, view)
    aset = kin.space(space)
    if is_photo:
        _photo_table(analysis, aset, slot, keys, view)
        st.session_state[state.ANGLE_SETTINGS] = angle_settings
        _downloads(analysis, kin, angle_settings)
        return

    st.subheader("Angles over time")
    _smoothing_note(analysis, angle_settings.filter)
    chart_area = st.container()
    st.subheader("Repetitions")
    marks, full_settings = _repetitions(aset, slot, keys, angle_settings)
    st.session_state[state.ANGLE_SETTINGS] = full_settings
    chart_keys = list(keys)
    if marks is not None and marks.key not in chart_keys:
        chart_keys.append(marks.key)
    with chart_area:
        if not chart_keys:
            st.info("Choose at least one angle above to see it over time.", icon="👆")
        else:
            _chart_and_frame(analysis, aset, slot, tuple(chart_keys), marks)
    st.subheader("Range of motion and symmetry")
    _rom(analysis, kin, aset, slot, chart_keys)
    _downloads(analysis, kin, full_settings)


def _reset_if_new(analysis: Analysis) -> None:
    """A different recording gets fresh choices (defaults suited to it)."""
    ident = (analysis.source_sha256, analysis.poses.num_frames, analysis.kind)
    if st.session_state.get(FOR) != ident:
        for key in list(st.session_state.keys()):
            if key.startswith(K) and key != FOR:
                del st.session_state[key]
        st.session_state[FOR] = ident


# ---------------------------------------------------------------------------
# settings: smoothing and trust
# ---------------------------------------------------------------------------
def _stored() -> kinematics.KinematicsSettings:
    return state.angle_settings()


def _reset_settings() -> None:
    for key in (MIN_CONF, RATIO, MAX_GAP, METHOD, CUTOFF, ORDER, EU_MIN, EU_BETA, EU_D):
        st.session_state.pop(key, None)
    st.session_state[state.ANGLE_SETTINGS] = kinematics.KinematicsSettings()


def _clamp(value, low, high):
    return min(max(value, low), high)


def _settings_controls(analysis: Analysis, is_photo: bool) -> kinematics.KinematicsSettings:
    """The widgets that change the numbers, as a KinematicsSettings (repetitions default)."""
    base = _stored()
    f = base.filter
    st.markdown(
        "These settings change the numbers. The defaults suit most recordings; every "
        "setting is saved with a session, and written into the summary download.")
    cols = st.columns(2)
    min_conf = cols[0].slider(
        "Minimum confidence", 0.0, 1.0, float(base.min_confidence), 0.05, key=MIN_CONF,
        help="Each angle value has a confidence from 0 to 1: the lowest visibility (the "
             "model's estimate that a landmark is in view and not hidden) among the "
             "landmarks it uses. Values below this are left out, as gaps: PoseDash never "
             "invents a number. Lower it only if you accept less certain values.")
    ratio = float(base.foreshortening_ratio)
    if not is_photo:
        ratio = cols[1].slider(
            "Flag a segment shorter than (share of its usual length)", 0.3, 1.0,
            _clamp(ratio, 0.3, 1.0), 0.05, key=RATIO,
            help="A thigh, shank or arm that looks much shorter than usual is pointing "
                 "towards or away from the camera (foreshortened), and the angle in the "
                 "picture then differs from the real one. Such values are marked ⚠. 0.7 "
                 "means about 45° out of the picture. In world space, the same share "
                 "flags a segment that lies mostly outside the angle's plane.")
    if is_photo:
        st.caption("A photo is a single moment: smoothing and foreshortening checks need a "
                   "video (a segment's usual length comes from many frames).")
        return kinematics.KinematicsSettings(min_confidence=float(min_conf),
                                             foreshortening_ratio=ratio, filter=f)
    st.markdown("**Smoothing.** Landmarks jitter a little from frame to frame; smoothing "
                "removes the jitter and keeps the movement. The chart shows both: the raw "
                "values faint and thin, the smoothed ones solid.")
    method = st.radio("Smoothing filter", list(FILTER_LABELS), format_func=FILTER_LABELS.get,
                      index=list(FILTER_LABELS).index(f.method), horizontal=True, key=METHOD,
                      help="Butterworth: the usual choice in movement analysis; it runs "
                           "forwards and backwards, so peaks are not shifted in time. "
                           "One-Euro: adapts to speed (smooths more when still); it lags "
                           "slightly. None: the values as measured.")
    cols = st.columns(3)
    max_gap = cols[0].slider(
        "Bridge gaps up to (seconds)", 0.0, 1.0, _clamp(float(f.max_gap_s), 0.0, 1.0), 0.05,
        key=MAX_GAP,
        help="A short run of missing values (e.g. a hand passing in front of the knee) is "
             "bridged by a straight line between the values on either side; longer gaps "
             "stay empty. 0 bridges nothing. Bridged values are marked in the chart's "
             "hover.")
    cutoff, order = f.cutoff_hz, f.order
    min_cutoff, beta, d_cutoff = f.min_cutoff_hz, f.beta, f.d_cutoff_hz
    if method == "butterworth":
        cutoff = cols[1].slider(
            "Cut-off frequency (Hz)", 0.5, 15.0, _clamp(float(f.cutoff_hz), 0.5, 15.0), 0.5,
            key=CUTOFF,
            help="Movements faster than this many cycles per second are smoothed away. "
                 "6 Hz keeps everyday and exercise movements; lower it for slow "
                 "movements and noisy recordings, raise it for fast sport movements.")
        order = cols[2].select_slider(
            "Filter order", options=list(range(1, 9)), value=_clamp(int(f.order), 1, 8),
            key=ORDER, help="How sharply the filter separates slow from fast movement. "
                            "4 is the usual choice.")
    elif method == "one_euro":
        min_cutoff = cols[1].slider(
            "Smoothing when still (Hz)", 0.1, 5.0, _clamp(float(f.min_cutoff_hz), 0.1, 5.0),
            0.1, key=EU_MIN,
            help="The cut-off used when the joint is still: lower removes more jitter at "
                 "rest, but adds lag.")
        beta = cols[2].slider(
            "Speed response (beta)", 0.0, 1.0, _clamp(float(f.beta), 0.0, 1.0), 0.01,
            key=EU_BETA,
            help="How quickly smoothing relaxes as the joint moves faster: higher reduces "
                 "lag in fast movements, lower smooths more.")
        d_cutoff = st.slider(
            "Speed estimate smoothing (Hz)", 0.1, 5.0, _clamp(float(f.d_cutoff_hz), 0.1, 5.0),
            0.1, key=EU_D, help="Smoothing of the speed estimate itself; rarely needs "
                                "changing.")
    st.button("Reset to defaults", on_click=_reset_settings, key=K + "reset")
    flt = FilterSettings(method=method, max_gap_s=float(max_gap), cutoff_hz=float(cutoff),
                         order=int(order), min_cutoff_hz=float(min_cutoff), beta=float(beta),
                         d_cutoff_hz=float(d_cutoff))
    return kinematics.KinematicsSettings(min_confidence=float(min_conf),
                                         foreshortening_ratio=float(ratio), filter=flt)


def _smoothing_note(analysis: Analysis, flt: FilterSettings) -> None:
    """Say so when the chosen low-pass cannot run on this recording."""
    fps = _frame_rate(analysis.poses.time_s)
    if flt.method == "butterworth" and fps and flt.cutoff_hz >= 0.5 * fps:
        st.warning(f"**Not smoothed.** This video has about {fps:.1f} analysed frames per "
                   f"second, so it cannot be smoothed at {flt.cutoff_hz:g} Hz (the cut-off "
                   f"must be below half the frame rate, {0.5 * fps:.1f} Hz). The values are "
                   "shown as measured; lower the cut-off under *Smoothing and confidence "
                   "settings* to smooth them.", icon="⚠️")


def _frame_rate(time_s) -> Optional[float]:
    t = np.asarray(time_s, float)
    if len(t) < 2:
        return None
    dt = np.diff(t)
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if dt.size else None


# ---------------------------------------------------------------------------
# what to show: space, person, angles; the camera view
# ---------------------------------------------------------------------------
def _view_of(kin, slot: int) -> Tuple[str, float, float]:
    """(view, median camera yaw in degrees, share of frames in that view)."""
    yaw = kin.camera_yaw_deg[:, slot]
    ok = np.isfinite(yaw)
    if not ok.any():
        return "", float("nan"), 0.0
    med = float(np.median(yaw[ok]))
    view = str(classify_view(med))
    share = float(np.mean(classify_view(yaw[ok]) == view))
    return view, med, share


def _robust_range(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    if x.size < 3:
        return 0.0
    lo, hi = np.percentile(x, [5, 95])
    return float(hi - lo)


def _movement(aset: AngleSet, key: str, side: str, slot: int) -> float:
    """Robust range (5th-95th percentile) of the values not flagged as foreshortened or
    out of plane: a limb pointing at the camera can make a planar angle jump about."""
    i = aset.index(key, side)
    x = np.where(aset.foreshortened[:, slot, i], np.nan, aset.value_deg[:, slot, i])
    return _robust_range(x)


#: Shown first when they move (a lower-body exercise): what most sessions are about.
_LOWER_LIMB_FIRST = ("knee_flexion", "hip_flexion")
_MOVES_DEG = 30.0


def _suggest(aset: AngleSet, slot: int, view: str, is_photo: bool) -> List[str]:
    """Angles to show first: those valid for the camera view (every angle for a photo),
    or for a video the two that move most, knee and hip flexion first when they move."""
    valid = [k for k in ORDERED_KEYS if _def(k).view in (view, "any")] \
        if view in ("side", "front") else list(ORDERED_KEYS)
    if is_photo:
        return valid
    moves = {k: max(_movement(aset, k, s, slot) for s in _sides(k)) for k in valid}
    ranked = sorted(valid, key=lambda k: -moves[k])
    first = [k for k in _LOWER_LIMB_FIRST if k in valid and moves[k] >= _MOVES_DEG]
    ranked = first + [k for k in ranked if k not in first]
    return ranked[:2] if ranked else list(_LOWER_LIMB_FIRST)


def _choose(analysis, kin, people, is_photo):
    seq = analysis.poses
    cols = st.columns([3, 2] if len(people) == 1 else [3, 2, 2])
    slot = people[0]
    if len(people) > 1:
        slot = cols[2].selectbox(
            "Person", people, key=PERSON,
            format_func=lambda p: f"Person {int(seq.person_ids[p]) + 1}",
            help="The people found in this recording, numbered as on the other pages.")
    view, yaw, share = _view_of(kin, slot)
    default_space = "image" if view in ("side", "front") else "world"
    space = cols[0].radio("Measure in", SPACES, format_func=SPACE_LABELS.get,
                          index=SPACES.index(default_space), horizontal=True, key=SPACE,
                          help=SPACE_HELP)
    with cols[1]:
        if view:
            turned = ("" if share >= 0.8 or is_photo else
                      f" The person turns during the recording: only {share:.0%} of the "
                      "frames are in this view.")
            st.markdown(f"**Camera view:** {VIEW_WORDS[view]}",
                        help="Estimated from the angle between the hip line and the "
                             "picture: about 0° from the front or back, about 90° from the "
                             f"side ({VIEW_TOLERANCE_DEG:.0f}° or less counts as front, "
                             f"{90 - VIEW_TOLERANCE_DEG:.0f}° or more as side). In image "
                             "space, an angle that needs a side or a front view is measured "
                             "only in the frames filmed from that view; the others are "
                             "gaps.")
            st.caption(f"The hips are turned about {yaw:.0f}° from the picture plane."
                       + turned)
        else:
            st.markdown("**Camera view:** unknown (the hips were not found)")
    suggested = _suggest(kin.space(space), slot, view, is_photo)
    keys = st.multiselect(
        "Angles to show", list(ORDERED_KEYS), default=suggested, format_func=_option,
        key=KEYS,
        help="Listed by body region: legs, arms, then trunk and head. The first choice "
             "is the angles valid for this recording's camera view that move the most; "
             "a warning appears below if a chosen angle needs another view. Each angle's "
             "definition is in docs/angles.md; hover over a curve for its values.")
    return space, slot, keys, view


def _trust_note(space: str, min_conf: float, is_photo: bool) -> None:
    general = (f"**How far to trust these numbers.** Every value carries a confidence (0 to "
               f"1): the lowest visibility of the landmarks it uses. Below {min_conf:.2f} "
               "the value is left out, a gap, never an invented number. ")
    if not is_photo:
        general += ("⚠ marks values where a body segment looks foreshortened (pointing "
                    "towards or away from the camera) or lies out of the angle's plane. ")
    if space == "image":
        specific = ("**Image space** measures the angle as seen in the picture: right only "
                    "when the movement is square to the camera (see each angle's camera "
                    "view). An angle that needs a side or a front view is left out, as a "
                    f"gap, in every frame where the body is turned more than "
                    f"{VIEW_TOLERANCE_DEG:.0f}° from that view. A tilted camera tilts the "
                    "trunk, pelvis and shoulder angles.")
    else:
        specific = ("**World space** is MediaPipe's 3-D estimate from a single camera; "
                    "depth is its least certain direction, so angles moving towards the "
                    "camera can be off by 10–25°. In our front-view test clip a man "
                    "standing upright read about 27° of knee flexion and 14° of trunk "
                    "inclination in world space. Compare within a session rather than "
                    "against textbook norms.")
    st.info(general + specific + " PoseDash supports clinical review; it does not make a "
            "diagnosis.", icon="ℹ️")


def _view_warnings(keys: Sequence[str], space: str, view: str) -> None:
    lines = []
    for key in keys:
        d = _def(key)
        if d.view == "any" or not view:
            continue
        if space == "image" and view == "oblique":
            lines.append(f"**{d.label}** needs a {VIEW_WORDS[d.view]}; this recording is "
                         "filmed at an angle (oblique), where the picture mixes the movement "
                         "it measures with the movement across it, so in image space it is "
                         f"left out (a gap) in every frame not within {VIEW_TOLERANCE_DEG:.0f}° "
                         "of that view. World space is the better choice here.")
        elif space == "image" and d.view != view:
            lines.append(f"**{d.label}** needs a {VIEW_WORDS[d.view]}, but this recording "
                         f"is a {VIEW_WORDS[view]}: the movement runs towards the camera, so "
                         "the picture shows only part of it, and image space leaves it out "
                         "(gaps) wherever the person is not filmed from the "
                         f"{'side' if d.view == 'side' else 'front'}. Use world space, or "
                         f"film again from the {'side' if d.view == 'side' else 'front'}.")
        elif space == "world" and view != "oblique" and d.view != view:
            lines.append(f"**{d.label}** moves towards the camera in a {VIEW_WORDS[view]}: "
                         "world space estimates it, but depth is the least certain "
                         "direction (errors of 10–25° are possible). A "
                         f"{VIEW_WORDS[d.view]} measures it best.")
    if lines:
        st.warning("**Camera view and angle do not match**\n\n"
                   + "\n".join(f"- {line}" for line in lines), icon="📷")


# ---------------------------------------------------------------------------
# a photo: one table
# ---------------------------------------------------------------------------
def _photo_table(analysis: Analysis, aset: AngleSet, slot: int, keys, view: str) -> None:
    st.subheader("Angles in this photo")
    if not keys:
        st.info("Choose at least one angle above.", icon="👆")
        return
    rows = []
    for key in keys:
        for side in _sides(key):
            i = aset.index(key, side)
            d = aset.defs[i]
            value = float(aset.raw_deg[0, slot, i])
            conf = float(aset.confidence[0, slot, i])
            if np.isfinite(value):
                note = ""
            elif aset.off_view[0, slot, i]:
                note = (f"not measured in the picture: needs a {VIEW_WORDS[d.view]} "
                        f"(within {aset.view_tolerance_deg:.0f}°); use world space")
            elif np.isfinite(conf) and conf < aset.min_confidence:
                note = f"left out: confidence below {aset.min_confidence:.2f}"
            else:
                note = "not measurable (landmarks missing)"
            valid = d.view == "any" or (aset.space == "image" and d.view == view) \
                or aset.space == "world"
            rows.append({
                "Angle": d.label, "Side": d.side or "midline",
                "Value (°)": value, "Confidence": conf if np.isfinite(conf) else None,
                "Valid camera view": ("✅ " if valid else "⚠️ ") + VIEW_WORDS[d.view]
                if d.view != "any" else "✅ any (limb parallel to the picture)",
                "0° means": d.zero, "Positive means": d.positive, "Note": note,
            })
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "Value (°)": st.column_config.NumberColumn(
            format="%.1f", help="Empty: left out (see Note). Neutral-zero convention: "
                                "0° is the anatomical position."),
        "Confidence": st.column_config.ProgressColumn(
            min_value=0.0, max_value=1.0, format="%.2f",
            help="Lowest visibility among the landmarks the angle uses."),
        "Valid camera view": st.column_config.TextColumn(
            help="The view in which the image-space value is right. ⚠️: this photo "
                 f"is a {VIEW_WORDS[view]}, so treat the value with caution."),
    })
    st.caption("Left and right are the person's own sides. Values are measured as "
               f"in {'the picture' if aset.space == 'image' else 'the 3-D estimate'}; "
               "the definitions follow the neutral-zero method of goniometry "
               "(docs/angles.md explains each one).")
    if state.current_source() is not None:
        _photo_picture(analysis, slot)


def _photo_picture(analysis: Analysis, slot: int) -> None:
    data = state.current_source()
    try:
        rgb = state.remember(("angles_photo", analysis.source_sha256),
                               lambda: render.fit_within(
                                   decode_image(data, analysis.source_name).rgb, FRAME_SIDE),
                               slots=1)
        st.image(render.draw_pose(rgb, analysis.poses, 0, people=[slot]),
                 caption=plain(analysis.source_name), width=560)
    except Exception as exc:
        show_error(exc)


# ---------------------------------------------------------------------------
# a video: the chart and the frame beside it
# ---------------------------------------------------------------------------
def row_of_selection(event) -> Optional[int]:
    """The sequence row of the first clicked point of a chart selection event (every
    clickable trace of the chart carries its row as ``customdata[0]``), or None."""
    try:
        points = event["selection"]["points"]
    except (TypeError, KeyError):
        return None
    for point in points or ():
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom and custom[0] is not None:
            try:
                return int(custom[0])
            except (TypeError, ValueError):
                continue
    return None


def _on_select() -> None:
    """A point was clicked: show its frame."""
    row = row_of_selection(st.session_state.get(CHART))
    if row is not None:
        st.session_state[FRAME_ROW] = row


@st.fragment
def _chart_and_frame(analysis: Analysis, aset: AngleSet, slot: int, keys: Tuple[str, ...],
                     marks: Optional[figures.RepetitionMarks]) -> None:
    seq = analysis.poses
    last = seq.num_frames - 1
    row = _clamp(int(st.session_state.get(FRAME_ROW, 0)), 0, last)
    st.session_state[FRAME_ROW] = row
    chart, side = st.columns([3, 2], gap="medium")
    with chart:
        fig = figures.angle_time_figure(aset, keys, slot, repetitions=marks,
                                        selected_time_s=float(seq.time_s[row]))
        fig.update_layout(uirevision="angles")
        st.plotly_chart(fig, on_select=_on_select, selection_mode="points", key=CHART,
                        config=PLOTLY_CONFIG)
        st.caption(
            f"<span style='color:{hex_colour('left')}'>**Left side orange**</span>, "
            f"<span style='color:{hex_colour('right')}'>**right side blue**</span> (the "
            "person's own sides, as on the skeleton), midline angles grey. Solid: smoothed; "
            "faint: raw. Ticks under a curve: frames without a value (hover says why). "
            "✕: foreshortened or out of plane. **Click a point to see that frame.** "
            "Drag to zoom, double-click to zoom out.", unsafe_allow_html=True)
    with side:
        st.slider("Frame shown", 0, last, key=FRAME_ROW, format="%d",
                  help="Or click a point on the chart. Numbered in analysed frames.")
        row = int(st.session_state[FRAME_ROW])
        _frame(analysis, row, slot)
        _values_at(aset, slot, keys, row)


def _frame(analysis: Analysis, row: int, slot: int) -> None:
    seq = analysis.poses
    frame_index, time_s = int(seq.frame_index[row]), float(seq.time_s[row])
    caption = f"{time_s:.2f} s · video frame {frame_index}"
    data = state.current_source()
    if data is None:
        st.info("The video itself is not in this session (it was reopened from a saved "
                "session file), so only the skeleton can be drawn here.", icon="🎞️")
        w, h = seq.image_size
        scale = min(1.0, FRAME_SIDE / max(w, h))
        canvas = np.full((max(1, round(h * scale)), max(1, round(w * scale)), 3), 40,
                         np.uint8)
        st.image(render.draw_pose(canvas, seq, row, people=[slot]), caption=caption)
        return
    try:
        rgb = state.video_frame(analysis, data, frame_index, max_side=FRAME_SIDE)
    except Exception as exc:
        show_error(exc)
        return
    st.image(render.draw_pose(rgb, seq, row, people=[slot]), caption=caption)


def _values_at(aset: AngleSet, slot: int, keys, row: int) -> None:
    rows = []
    for key in keys:
        for side in _sides(key):
            i = aset.index(key, side)
            value = float(aset.value_deg[row, slot, i])
            conf = float(aset.confidence[row, slot, i])
            rows.append({"Angle": aset.defs[i].label, "Side": side or "midline",
                         "Value (°)": value if np.isfinite(value) else None,
                         "Confidence": conf if np.isfinite(conf) else None,
                         "⚠": "⚠" if aset.foreshortened[row, slot, i] else ""})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config={
        "Value (°)": st.column_config.NumberColumn(format="%.1f",
                                                   help="Smoothed value at this frame."),
        "Confidence": st.column_config.NumberColumn(format="%.2f"),
        "⚠": st.column_config.TextColumn(help="Foreshortened or out of plane."),
    })


# ---------------------------------------------------------------------------
# repetitions
# ---------------------------------------------------------------------------
def _auto_levels(x: np.ndarray, polarity: str):
    """(polarity resolved, enter, exit, prominence, robust range) as detect_repetitions
    chooses them automatically (docs/angles.md, "Repetitions")."""
    ok = x[np.isfinite(x)]
    if ok.size < 3:
        return polarity if polarity != "auto" else "max", np.nan, np.nan, np.nan, 0.0
    lo, hi = np.percentile(ok, [5, 95])
    amp = float(hi - lo)
    if polarity == "auto":
        polarity = "max" if np.median(ok) <= 0.5 * (lo + hi) else "min"
    if polarity == "max":
        enter, leave = lo + 0.6 * amp, lo + 0.35 * amp
    else:
        enter, leave = hi - 0.6 * amp, hi - 0.35 * amp
    return polarity, float(enter), float(leave), 0.5 * amp, amp


def _repetitions(aset: AngleSet, slot: int, keys, angle_settings):
    """Controls, count and table; returns (marks for the chart, full KinematicsSettings)."""
    st.markdown(
        "For exercises done several times (squats, lateral raises, sit-to-stand), PoseDash "
        "counts repetitions on one angle: knee flexion for squats, shoulder abduction for "
        "lateral raises, knee flexion with *peak down* for sit-to-stand.")
    first_key = list(keys)[0] if keys else "knee_flexion"
    cols = st.columns([3, 2, 3])
    key = cols[0].selectbox("Count on", list(ORDERED_KEYS), format_func=_option,
                            index=list(ORDERED_KEYS).index(first_key), key=REP_KEY,
                            help="The angle whose repetitions are counted. First choice: "
                                 "the first angle shown in the chart.")
    sides = _sides(key)
    side = ""
    if sides != ("",):
        default_side = max(sides, key=lambda s: _movement(aset, key, s, slot))
        side = cols[1].radio("Side", sides, index=sides.index(default_side), key=REP_SIDE,
                             horizontal=True, format_func=str.capitalize,
                             help="The person's own left or right.")
    polarity = cols[2].radio(
        "Direction", ["max", "min", "auto"], format_func=POLARITY_LABELS.get, key=REP_POLARITY,
        help="Peak up: the angle rises from a resting level and comes back (squat knee "
             "flexion, lateral-raise shoulder abduction). Peak down: the resting level is "
             "the high end and each repetition dips (sit-to-stand: the knee straightens to "
             "stand, then bends again to sit). Guess: peak up when the angle spends most "
             "of the time in the lower half of its range.")
    cols = st.columns([3, 2, 3])
    method = cols[0].radio(
        "Method", ["hysteresis", "prominence"], format_func=METHOD_LABELS.get, key=REP_METHOD,
        horizontal=True,
        help="Two thresholds: a repetition starts when the angle passes the start "
             "threshold and ends when it comes back past the end threshold; the gap "
             "between them ignores small wobbles. Peak prominence: each peak that stands "
             "out far enough from its surroundings is a repetition.")
    manual = cols[1].toggle("Set thresholds myself", key=REP_MANUAL,
                            help="Off: thresholds are chosen from this recording's range "
                                 "of movement (shown below).")
    x = aset.series(key, side, slot)
    resolved, enter, leave, prominence, amp = _auto_levels(x, polarity)
    if manual and not np.isfinite(enter):  # no values to suggest thresholds from
        enter, leave, prominence = 0.0, 0.0, 1.0
    interval, min_range = 0.0, 15.0
    if manual:
        with cols[2]:
            if method == "hysteresis":
                enter = st.number_input(
                    "Start when the angle passes (°)", value=round(enter, 1), step=1.0,
                    key=f"{K}rep_enter_{key}_{side}_{resolved}",
                    help="A repetition begins when the angle goes beyond this.")
                leave = st.number_input(
                    "End when it comes back past (°)", value=round(leave, 1), step=1.0,
                    key=f"{K}rep_exit_{key}_{side}_{resolved}",
                    help="…and ends when it comes back past this. It must be nearer the "
                         "resting level than the start threshold.")
            else:
                prominence = st.number_input(
                    "Peaks standing out by at least (°)", value=round(prominence, 1),
                    min_value=0.5, step=1.0, key=f"{K}rep_prom_{key}_{side}",
                    help="How far a peak must rise above the lower of the dips around it.")
                interval = st.number_input(
                    "At least this long apart (s)", value=0.0, min_value=0.0, step=0.1,
                    key=REP_INTERVAL, help="Ignore a second peak closer than this.")
            min_range = st.number_input(
                "Ignore movements smaller than (°)", value=15.0, min_value=0.0, step=1.0,
                key=REP_MIN_RANGE,
                help="An angle whose range (5th to 95th percentile) is below this is "
                     "resting or wobbling: no repetitions are counted.")
    rep_settings = RepetitionSettings(
        method=method, polarity=polarity,
        enter_deg=float(enter) if manual and method == "hysteresis" else None,
        exit_deg=float(leave) if manual and method == "hysteresis" else None,
        prominence_deg=float(prominence) if manual and method == "prominence" else None,
        min_interval_s=float(interval), min_range_deg=float(min_range))
    full = replace(angle_settings, repetitions=rep_settings, repetition_angles=(key,))
    label = _def(key).label + (f" ({side})" if side else "")
    try:
        reps = detect_repetitions(x, aset.time_s, **rep_settings.as_dict())
    except ValueError:
        st.warning("The start threshold must lie beyond the end threshold, in the direction "
                   "of the peak (for *peak up*: start above end). Adjust them, or switch "
                   "*Set thresholds myself* off.", icon="⚠️")
        return None, full
    if not manual and np.isfinite(enter):
        what = (f"start beyond {enter:.0f}°, end back past {leave:.0f}°"
                if method == "hysteresis" else
                f"peaks standing out by at least {prominence:.0f}°")
        st.caption(f"Automatic thresholds for {label}: {what} (from its range of movement, "
                   f"{amp:.0f}° between the 5th and 95th percentile).")
    thresholds: Tuple[Tuple[float, str], ...] = ()
    if method == "hysteresis" and np.isfinite(enter):
        thresholds = ((float(enter), "start"), (float(leave), "end"))
    marks = figures.RepetitionMarks(key, side, tuple(reps),
                                    resolved if polarity == "auto" else polarity, thresholds)
    _rep_summary(reps, label, amp, min_range)
    return marks, full


def _rep_summary(reps: List[Repetition], label: str, amp: float, min_range: float) -> None:
    complete = [r for r in reps if r.complete]
    if not reps:
        if amp < min_range:
            st.info(f"No repetitions: {label} moves through only {amp:.0f}° (5th to 95th "
                    f"percentile), less than {min_range:.0f}°. Choose the angle that moves "
                    "in this exercise.", icon="🔁")
        else:
            st.info(f"No repetitions found on {label}. Check the direction (peak up or "
                    "down), or set the thresholds yourself.", icon="🔁")
        return
    cols = st.columns(4)
    cols[0].metric("Repetitions", len(complete),
                   help="Complete repetitions only: one cut by the start or end of the "
                        "recording is listed but not counted.")
    if complete:
        cols[1].metric("Mean range of motion", f"{np.mean([r.rom_deg for r in complete]):.0f}°")
        cols[2].metric("Mean duration", f"{np.mean([r.duration_s for r in complete]):.1f} s")
        cols[3].metric("Mean tempo (to / from peak)",
                       f"{np.mean([r.to_peak_s for r in complete]):.1f} / "
                       f"{np.mean([r.from_peak_s for r in complete]):.1f} s")
    cut = len(reps) - len(complete)
    if cut:
        st.caption(f"{cut} more cut by the start or end of the recording (marked with ? on "
                   "the chart; not counted).")
    table = pd.DataFrame([{
        "Repetition": r.number, "Counted": r.complete, "Start (s)": r.start_time_s,
        "Peak (s)": r.peak_time_s, "End (s)": r.end_time_s, "Peak angle (°)": r.peak_deg,
        "Range of motion (°)": r.rom_deg, "Duration (s)": r.duration_s,
        "Time to peak (s)": r.to_peak_s, "Time from peak (s)": r.from_peak_s,
    } for r in reps])
    num = st.column_config.NumberColumn
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "Counted": st.column_config.CheckboxColumn(
            help="Not counted: cut by the start or end of the recording."),
        "Start (s)": num(format="%.2f", help="When the angle left its resting level (10% of "
                                             "the way to the peak)."),
        "Peak (s)": num(format="%.2f"), "End (s)": num(format="%.2f"),
        "Peak angle (°)": num(format="%.1f"),
        "Range of motion (°)": num(format="%.1f", help="Peak minus the lower of the "
                                                       "resting levels either side."),
        "Duration (s)": num(format="%.2f", help="From start to end."),
        "Time to peak (s)": num(format="%.2f", help="Tempo of the first half: from the "
                                                    "start to the peak (e.g. the raise, or "
                                                    "the descent into a squat)."),
        "Time from peak (s)": num(format="%.2f", help="Tempo of the second half: from the "
                                                      "peak back to rest."),
    })


# ---------------------------------------------------------------------------
# range of motion
# ---------------------------------------------------------------------------
ROM_SHOWN = {
    "label": "Angle", "side": "Side", "min_deg": "Min (°)", "max_deg": "Max (°)",
    "range_deg": "Range (°)", "mean_deg": "Mean (°)", "time_of_min_s": "Min at (s)",
    "time_of_max_s": "Max at (s)", "valid": "Valid frames",
    "foreshortened_fraction": "Flagged ⚠", "symmetry_index_pct": "Symmetry index (%)",
}


def _rom(analysis: Analysis, kin, aset: AngleSet, slot: int, keys) -> None:
    st.markdown("For each angle and side, over the whole recording, from the smoothed "
                "values: the smallest and largest value, the range between them, when each "
                "happened, and the mean.")
    every = st.toggle("Show every angle", key=ALL_ROM, help="Off: only the angles shown "
                                                            "in the chart.")
    person_id = int(aset.person_ids[slot])
    table = state.remember(("angles_rom", state.fingerprint(analysis), repr(kin.settings),
                              aset.space), lambda: rom_table([aset]), slots=4)
    table = table[table.person == person_id]
    if not every:
        table = table[table.angle.isin(list(keys))]
    order = {k: i for i, k in enumerate(ORDERED_KEYS)}
    table = table.assign(_o=table.angle.map(order)).sort_values(["_o", "side"], kind="stable")
    shown = table.assign(side=table.side.replace("", "midline"),
                         valid=[f"{v} of {n}" for v, n in zip(table.n_valid, table.n_frames)],
                         foreshortened_fraction=table.foreshortened_fraction * 100)
    shown = shown[list(ROM_SHOWN)].rename(columns=ROM_SHOWN)
    num = st.column_config.NumberColumn
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "Min (°)": num(format="%.1f"), "Max (°)": num(format="%.1f"),
        "Range (°)": num(format="%.1f", help="Max minus min."),
        "Mean (°)": num(format="%.1f"),
        "Min at (s)": num(format="%.2f", help="Time of the smallest value."),
        "Max at (s)": num(format="%.2f", help="Time of the largest value."),
        "Valid frames": st.column_config.TextColumn(
            help="Frames with a value (confidence above the threshold and, in image "
                 "space, filmed from the angle's camera view; or a short bridged gap) out "
                 "of all analysed frames."),
        "Flagged ⚠": num(format="%.0f%%", help="Share of the valid frames flagged as "
                                                "foreshortened or out of plane."),
        "Symmetry index (%)": num(
            format="%+.0f%%",
            help="SI = 100 × (L − R) / (0.5 × (L + R)), from the left (L) and right (R) "
                 "ranges. 0: symmetric; positive: the left moved through a larger range; "
                 "±200: one side did not move."),
    })
    st.caption("**Symmetry index** = 100 × (L − R) / ½(L + R), where L and R are the left "
               "and right ranges of motion: 0 % is perfect symmetry, positive means the "
               "person's left side moved through a larger range, negative the right; the "
               "limits are ±200 % (one side not moving at all). Left and right are the "
               "person's own sides.")
    stem = Path(analysis.source_name).stem or "recording"
    st.download_button(
        "⬇️ Range of motion, every angle, both spaces (CSV)",
        lambda: rom_table(kin.sets).to_csv(index=False, float_format="%.4f"),
        file_name=f"{stem}.range_of_motion.csv", mime="text/csv", on_click="ignore",
        key=K + "rom_csv")


# ---------------------------------------------------------------------------
# downloads
# ---------------------------------------------------------------------------
def _summary_json(kin, settings) -> str:
    return kinematics.summary_json(replace(kin, settings=settings))


def _downloads(analysis: Analysis, kin, settings) -> None:
    st.subheader("Downloads")
    st.caption("Both spaces, every angle and person. Angles in degrees; empty cells are "
               "gaps (left out, never invented). The summary holds the settings used, the "
               "camera view and each angle's definition"
               + (", the range of motion and symmetry, and the repetitions counted with "
                  "the settings above." if analysis.kind == "video" else "."))
    stem = Path(analysis.source_name).stem or "recording"
    cols = st.columns(2)
    cols[0].download_button(
        "⬇️ Angles, every frame (CSV)", lambda: kinematics.angles_csv(kin),
        file_name=f"{stem}.angles.csv", mime="text/csv", on_click="ignore",
        key=K + "angles_csv",
        help="Columns: frame, time_s, person, angle, side, space, raw_deg, value_deg "
             "(smoothed), confidence.")
    cols[1].download_button(
        "⬇️ Summary (JSON)", lambda: _summary_json(kin, settings),
        file_name=f"{stem}.summary.json", mime="application/json", on_click="ignore",
        key=K + "summary_json")
