"""The live camera page: the skeleton drawn on the camera picture in real time, a
chosen angle with its confidence, the range of motion held since Reset, a
repetition counter, and a recording of the landmarks for review."""

from __future__ import annotations

import logging

import numpy as np
import streamlit as st

from dashboard.errors import PoseDashError
from dashboard.kinematics import CATALOGUE, VIEWS, angle_def
from dashboard.live.processor import LiveOptions, LiveProcessor, LiveSnapshot
from dashboard.ui import keys, navigation, state
from dashboard.ui.messages import show_error

log = logging.getLogger("posedash")

PROCESSOR = keys.LIVE_PROCESSOR.name
SAVED = keys.LIVE_SAVED.name
# (picture at the maximum, its PNG); name of the last recording turned into an analysis
SNAPSHOT = keys.LIVE_SNAPSHOT.name
RECORD = keys.LIVE_RECORD.name
STREAM_KEY = keys.LIVE_STREAM.name
STALL_S = 3.0  # no frame for this long while playing: say so


def render_page() -> None:
    st.title("🎥 Live camera")
    st.markdown(
        "See the skeleton on the camera picture as the patient moves, with one joint "
        "angle measured live: *raise your arm as far as you can* gives the shoulder "
        "abduction, held at its maximum. The picture goes from this browser to PoseDash "
        "on this computer only, and is never stored; **Record** keeps the landmarks "
        "(not the video) for the review pages."
    )
    try:
        processor = _processor()
    except PoseDashError as exc:
        show_error(exc)
        return
    options = _options_form()
    processor.configure(options)
    # The pose model is loaded when the camera starts (live_rtc.FrameBridge), not
    # here: opening the page stays quick, and a visit without the camera costs nothing.
    _finish_recording_if_stream_ended(processor)
    left, right = st.columns([3, 2])
    with left:
        ctx = _streamer(processor)
        playing = bool(ctx is not None and ctx.state.playing)
        _record_controls(processor, playing)
    with right:
        if playing:  # refreshed twice a second while the camera runs
            _live_panel(ctx_playing=True)
        else:  # still: drawn once (starting the camera reruns the page)
            _panel(ctx_playing=False)
    _saved_notice()
    if not playing:
        with left:
            st.markdown(CAMERA_HELP)
    st.caption(
        "Stopping the camera, leaving this page or closing the tab stops the "
        "analysis. Only this computer's browser can use the live camera."
    )


#: Why a camera may not start, in plain words, in the order the browser checks.
CAMERA_PROBLEMS = (
    "**No camera was found.** Connect one and press **Start camera** again.",
    "**The browser was not allowed to use the camera.** Allow it for this page (the "
    "camera icon in the address bar) and start again.",
    "**The camera is in use** by another program or another browser tab. Close that "
    "one and start again.",
    "**The chosen camera cannot give a picture.** Choose another one.",
)
CAMERA_HELP = (
    "**If the camera does not start**, a red message appears above the "
    "button. The usual reasons:\n" + "".join(f"- {line}\n" for line in CAMERA_PROBLEMS)
)


def _processor() -> LiveProcessor:
    """This session's live processor, made again when the model or settings change
    (not while the camera runs)."""
    model, settings = state.model(), state.settings()
    current = keys.LIVE_PROCESSOR.get()
    if current is not None and (current.model.get("sha256"), current.settings) == (
        model.sha256,
        settings,
    ):
        return current
    ctx = keys.LIVE_STREAM.get()
    if current is not None and (current.recording or (ctx is not None and ctx.state.playing)):
        return current  # never lose a recording, nor the running stream's processor
    processor = LiveProcessor(model.path, settings, model=model.as_dict())
    if current is not None:
        processor.configure(current.options)
        current.close()
    keys.LIVE_PROCESSOR.set(processor)
    return processor


def _angle_label(index: int) -> str:
    d = CATALOGUE[index]
    return f"{d.display} — {d.view} view" if d.view != "any" else d.display


def _options_form() -> LiveOptions:
    default = next(
        i for i, d in enumerate(CATALOGUE) if (d.key, d.side) == ("shoulder_abduction", "left")
    )
    cols = st.columns([3, 2, 2, 2])
    index = cols[0].selectbox(
        "Angle",
        range(len(CATALOGUE)),
        index=default,
        format_func=_angle_label,
        key="live_angle",
        help="Measured in the picture (image space), from the "
        "landmarks of each frame, without filtering.",
    )
    polarity = cols[1].radio(
        "Repetitions go",
        ["up from rest", "down from rest"],
        key="live_polarity",
        help="Up: the angle rises from its rest value and comes back (arm raise, squat). "
        "Down: it falls from rest and comes back (sit-to-stand knee angle).",
    )
    view_check = cols[2].toggle(
        "Camera-view check",
        value=True,
        key="live_view_check",
        help="Show a side-view angle only when the person is seen from the side, a "
        "front-view angle only from the front or back (within 30°). Off: every "
        "value is shown, even where the picture distorts it.",
    )
    mirror = cols[3].toggle(
        "Mirror",
        value=False,
        key="live_mirror",
        help="Show the picture as a mirror, for a patient facing the "
        "screen. Landmarks and angles are not affected.",
    )
    d = CATALOGUE[index]
    return LiveOptions(
        angle_key=d.key,
        side=d.side,
        view_check=view_check,
        polarity="max" if polarity.startswith("up") else "min",
        min_confidence=0.5,
        mirror=mirror,
    )


def _streamer(processor: LiveProcessor):
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    from dashboard.ui import live_rtc

    live_rtc.restrict_ice_to_loopback()
    live_rtc.newest_frame_only()
    try:
        return _webrtc(webrtc_streamer, WebRtcMode, processor, live_rtc)
    except Exception as exc:  # the component cannot run here: say so, keep the app
        # (Streamlit's reruns are BaseExceptions and pass through)
        log.error("live camera component failed: %s: %s", type(exc).__name__, exc)
        st.error(
            "The live camera could not start in this session. The rest of PoseDash "
            "works; reload the page to try again.",
            icon="⚠️",
        )
        return None


def _webrtc(webrtc_streamer, WebRtcMode, processor, live_rtc):
    return webrtc_streamer(
        key=STREAM_KEY,
        mode=WebRtcMode.SENDRECV,
        rtc_configuration=live_rtc.RTC_CONFIGURATION,
        server_rtc_configuration=live_rtc.RTC_CONFIGURATION,
        frontend_rtc_configuration=live_rtc.RTC_CONFIGURATION,
        media_stream_constraints=live_rtc.MEDIA_CONSTRAINTS,
        video_processor_factory=lambda: live_rtc.FrameBridge(processor),
        async_processing=True,
        sendback_audio=False,
        video_html_attrs={
            "autoPlay": True,
            "muted": True,
            "playsInline": True,
            "controls": False,
            "style": {"width": "100%"},
        },
        translations=live_rtc.TRANSLATIONS,
    )


def _record_controls(processor: LiveProcessor, playing: bool) -> None:
    cols = st.columns(2)
    cols[0].toggle(
        "⏺ Record",
        key=RECORD,
        on_change=_record_changed,
        disabled=not playing and not processor.recording,
        help="Keep the landmarks of every processed frame, with their true "
        "times (never the video). When you stop, the recording becomes "
        "the analysis under review.",
    )
    cols[1].button("Reset max / min and repetitions", on_click=processor.reset, key="live_reset")


def _record_changed() -> None:
    processor: LiveProcessor = keys.LIVE_PROCESSOR.get()
    if keys.LIVE_RECORD.get():
        processor.start_recording()
        keys.LIVE_SAVED.pop()
    else:
        _save_recording(processor)


def _save_recording(processor: LiveProcessor) -> None:
    analysis = processor.stop_recording()
    if analysis is None:
        keys.LIVE_SAVED.set("")
        return
    state.set_current(analysis, None)
    keys.LIVE_SAVED.set(
        f"{analysis.source_name}: {analysis.poses.num_frames} frames "
        f"over {analysis.poses.time_s[-1]:.1f} s"
    )


def _finish_recording_if_stream_ended(processor: LiveProcessor) -> None:
    ctx = keys.LIVE_STREAM.get()
    playing = bool(ctx is not None and ctx.state.playing)
    if processor.recording and not playing:
        _save_recording(processor)
        keys.LIVE_RECORD.set(False)


def _saved_notice() -> None:
    saved = keys.LIVE_SAVED.get()
    if saved is None:
        return
    if not saved:
        st.warning(
            "The recording holds no frame: start the camera, press Record, move, "
            "then stop recording.",
            icon="⚠️",
        )
        return
    st.success(f"Recorded {saved}. It is now the analysis under review.", icon="✅")
    cols = st.columns(4)
    for col, (key, label) in zip(
        cols,
        (
            ("angles", "Joint angles"),
            ("view3d", "3D view"),
            ("explorer", "Landmark explorer"),
            ("sessions", "Save as a session"),
        ),
        strict=False,
    ):
        navigation.link(key, label, where=col)


def _panel(ctx_playing: bool) -> None:
    """The live figures, the processing rate and what to do next."""
    processor: LiveProcessor = keys.LIVE_PROCESSOR.get()
    if processor is None:
        return
    ctx = keys.LIVE_STREAM.get()
    playing = bool(ctx is not None and ctx.state.playing) or ctx_playing
    snap = processor.snapshot()
    _show_reading(snap)
    _show_hold(snap)
    _show_rate(snap)
    if snap.recording:
        st.markdown(f"⏺ **Recording:** {snap.recorded_frames} frames, {snap.recorded_s:.1f} s")
    if snap.error:
        st.error(snap.error, icon="⚠️")
    if snap.loading:
        st.info(
            "Preparing the pose model… the camera picture is shown without a "
            "skeleton until it is ready.",
            icon="⏳",
        )
    if playing and np.isfinite(snap.seconds_since_frame) and snap.seconds_since_frame > STALL_S:
        st.warning(
            f"No picture has come from the camera for {snap.seconds_since_frame:.0f} s. "
            "It may have been unplugged or taken by another program or tab: press "
            "Stop camera, check the camera, and start it again.",
            icon="📷",
        )
    elif playing and not np.isfinite(snap.seconds_since_frame):
        st.info("Waiting for the first picture from the camera…", icon="⏳")
    elif not playing:
        st.info("Press **Start camera** (allow the browser to use it when asked).", icon="🎥")


_live_panel = st.fragment(run_every=0.5)(_panel)


def _show_rate(snap: LiveSnapshot) -> None:
    """The analysed rate, against the camera's, and what a busy computer means."""
    rate = snap.rate
    shown = f" · {rate.shown_text}" if rate.shown_text else ""
    st.markdown(
        f"**Processing:** <span data-testid='live-fps'>{rate.fps_text}</span>"
        f"<span data-testid='live-shown'>{shown}</span> · "
        f"latency {rate.latency_text} · {rate.dropped} frames skipped to keep up",
        unsafe_allow_html=True,
    )
    if rate.busy:
        st.caption(
            "Only the newest camera picture is analysed and shown; the others are "
            "skipped, so the picture stays current. The angle, maximum and "
            "repetitions come from the frames analysed, at their true times; a quick "
            "movement between two of them can be missed. Closing other programs gives "
            "a smoother picture."
        )


def _show_reading(snap: LiveSnapshot) -> None:
    d = angle_def(snap.options.angle_key, snap.options.side)
    r = snap.reading
    value = f"{r.value_deg:.0f}°" if r is not None and r.ok else "–"
    conf = (
        f"confidence {r.confidence:.2f}"
        if r is not None and np.isfinite(r.confidence)
        else "no person"
    )
    st.markdown(
        f"<div style='font-size:0.9rem'>{d.display} (image space)</div>"
        f"<div data-testid='live-angle' style='font-size:3.6rem;font-weight:700;"
        f"line-height:1.1'>{value}</div>"
        f"<div style='font-size:0.9rem'>{conf}</div>",
        unsafe_allow_html=True,
    )
    if r is not None and r.reason:
        st.caption(r.reason)
    elif r is not None and d.view != "any":
        st.caption(f"Needs {VIEWS[d.view].split(':')[0]}; seen: {r.view or 'unknown'}.")


def _show_hold(snap: LiveSnapshot) -> None:
    cols = st.columns(3)

    def fmt(v: float) -> str:
        return f"{v:.0f}°" if np.isfinite(v) else "–"

    cols[0].metric("Max since reset", fmt(snap.max_deg))
    cols[1].metric("Min since reset", fmt(snap.min_deg))
    cols[2].metric("Repetitions", snap.reps)
    if snap.max_picture is not None:
        st.image(
            _encoded(snap.max_picture),
            caption=f"At the maximum ({fmt(snap.max_deg)})",
            width="stretch",
        )


def _encoded(picture: np.ndarray) -> bytes:
    """PNG of the snapshot, encoded once per new maximum (not at every refresh)."""
    from dashboard.figures.render import encode_png

    known = keys.LIVE_SNAPSHOT.get()
    if known is None or known[0] is not picture:
        known = (picture, encode_png(picture))
        keys.LIVE_SNAPSHOT.set(known)
    return known[1]
