"""Joint angles page: the settings that change the numbers (confidence, foreshortening,
smoothing), and the note shown when the chosen smoothing cannot run."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.summary import KinematicsSettings
from dashboard.ui import keys, state
from dashboard.ui.angles_keys import (
    CUTOFF,
    EU_BETA,
    EU_D,
    EU_MIN,
    FILTER_LABELS,
    MAX_GAP,
    METHOD,
    MIN_CONF,
    ORDER,
    RATIO,
    K,
    clamp,
)


def _reset_settings() -> None:
    for key in (MIN_CONF, RATIO, MAX_GAP, METHOD, CUTOFF, ORDER, EU_MIN, EU_BETA, EU_D):
        keys.widget(key).pop()
    keys.ANGLE_SETTINGS.set(KinematicsSettings())


def settings_controls(analysis: Analysis, is_photo: bool) -> KinematicsSettings:
    """The widgets that change the numbers, as a KinematicsSettings (repetitions default)."""
    base = state.angle_settings()
    st.markdown(
        "These settings change the numbers. The defaults suit most recordings; every "
        "setting is saved with a session, and written into the summary download."
    )
    cols = st.columns(2)
    min_conf = cols[0].slider(
        "Minimum confidence",
        0.0,
        1.0,
        float(base.min_confidence),
        0.05,
        key=MIN_CONF,
        help="Each angle value has a confidence from 0 to 1: the lowest visibility (the "
        "model's estimate that a landmark is in view and not hidden) among the "
        "landmarks it uses. Values below this are left out, as gaps: PoseDash never "
        "invents a number. Lower it only if you accept less certain values.",
    )
    ratio = float(base.foreshortening_ratio)
    if is_photo:
        st.caption(
            "A photo is a single moment: smoothing and foreshortening checks need a "
            "video (a segment's usual length comes from many frames)."
        )
        return KinematicsSettings(
            min_confidence=float(min_conf), foreshortening_ratio=ratio, filter=base.filter
        )
    ratio = cols[1].slider(
        "Flag a segment shorter than (share of its usual length)",
        0.3,
        1.0,
        clamp(ratio, 0.3, 1.0),
        0.05,
        key=RATIO,
        help="A thigh, shank or arm that looks much shorter than usual is pointing "
        "towards or away from the camera (foreshortened), and the angle in the "
        "picture then differs from the real one. Such values are marked ⚠. 0.7 "
        "means about 45° out of the picture. In world space, the same share "
        "flags a segment that lies mostly outside the angle's plane.",
    )
    flt = _filter_controls(base.filter)
    st.button("Reset to defaults", on_click=_reset_settings, key=K + "reset")
    return KinematicsSettings(
        min_confidence=float(min_conf), foreshortening_ratio=float(ratio), filter=flt
    )


def _filter_controls(f: FilterSettings) -> FilterSettings:
    st.markdown(
        "**Smoothing.** Landmarks jitter a little from frame to frame; smoothing "
        "removes the jitter and keeps the movement. The chart shows both: the raw "
        "values faint and thin, the smoothed ones solid."
    )
    method = st.radio(
        "Smoothing filter",
        list(FILTER_LABELS),
        format_func=FILTER_LABELS.get,
        index=list(FILTER_LABELS).index(f.method),
        horizontal=True,
        key=METHOD,
        help="Butterworth: the usual choice in movement analysis; it runs "
        "forwards and backwards, so peaks are not shifted in time. "
        "One-Euro: adapts to speed (smooths more when still); it lags "
        "slightly. None: the values as measured.",
    )
    cols = st.columns(3)
    max_gap = cols[0].slider(
        "Bridge gaps up to (seconds)",
        0.0,
        1.0,
        clamp(float(f.max_gap_s), 0.0, 1.0),
        0.05,
        key=MAX_GAP,
        help="A short run of missing values (e.g. a hand passing in front of the knee) is "
        "bridged by a straight line between the values on either side; longer gaps "
        "stay empty. 0 bridges nothing. Bridged values are marked in the chart's "
        "hover.",
    )
    values = dict(
        method=method,
        max_gap_s=float(max_gap),
        cutoff_hz=float(f.cutoff_hz),
        order=int(f.order),
        min_cutoff_hz=float(f.min_cutoff_hz),
        beta=float(f.beta),
        d_cutoff_hz=float(f.d_cutoff_hz),
    )
    if method == "butterworth":
        values.update(_butterworth_controls(f, cols))
    elif method == "one_euro":
        values.update(_one_euro_controls(f, cols))
    return FilterSettings(**values)


def _butterworth_controls(f: FilterSettings, cols) -> dict:
    cutoff = cols[1].slider(
        "Cut-off frequency (Hz)",
        0.5,
        15.0,
        clamp(float(f.cutoff_hz), 0.5, 15.0),
        0.5,
        key=CUTOFF,
        help="Movements faster than this many cycles per second are smoothed away. "
        "6 Hz keeps everyday and exercise movements; lower it for slow "
        "movements and noisy recordings, raise it for fast sport movements.",
    )
    order = cols[2].select_slider(
        "Filter order",
        options=list(range(1, 9)),
        value=clamp(int(f.order), 1, 8),
        key=ORDER,
        help="How sharply the filter separates slow from fast movement. 4 is the usual choice.",
    )
    return dict(cutoff_hz=float(cutoff), order=int(order))


def _one_euro_controls(f: FilterSettings, cols) -> dict:
    min_cutoff = cols[1].slider(
        "Smoothing when still (Hz)",
        0.1,
        5.0,
        clamp(float(f.min_cutoff_hz), 0.1, 5.0),
        0.1,
        key=EU_MIN,
        help="The cut-off used when the joint is still: lower removes more jitter at "
        "rest, but adds lag.",
    )
    beta = cols[2].slider(
        "Speed response (beta)",
        0.0,
        1.0,
        clamp(float(f.beta), 0.0, 1.0),
        0.01,
        key=EU_BETA,
        help="How quickly smoothing relaxes as the joint moves faster: higher reduces "
        "lag in fast movements, lower smooths more.",
    )
    d_cutoff = st.slider(
        "Speed estimate smoothing (Hz)",
        0.1,
        5.0,
        clamp(float(f.d_cutoff_hz), 0.1, 5.0),
        0.1,
        key=EU_D,
        help="Smoothing of the speed estimate itself; rarely needs changing.",
    )
    return dict(min_cutoff_hz=float(min_cutoff), beta=float(beta), d_cutoff_hz=float(d_cutoff))


def smoothing_note(analysis: Analysis, flt: FilterSettings) -> None:
    """Say so when the chosen low-pass cannot run on this recording (the core's
    Nyquist rule, :meth:`FilterSettings.lowpass_skipped`)."""
    fps = flt.lowpass_skipped(analysis.poses.time_s)
    if fps:
        st.warning(
            f"**Not smoothed.** This video has about {fps:.1f} analysed frames per "
            f"second, so it cannot be smoothed at {flt.cutoff_hz:g} Hz (the cut-off "
            f"must be below half the frame rate, {0.5 * fps:.1f} Hz). The values are "
            "shown as measured; lower the cut-off under *Smoothing and confidence "
            "settings* to smooth them.",
            icon="⚠️",
        )
