"""The video page: upload, analyse in the background with progress, review, export."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.detect import engine, progressive
from dashboard.figures.timeline import detection_table, timeline_figure
from dashboard.media import video
from dashboard.outputs import export, export_video
from dashboard.ui import background, keys, navigation, relink, state, video_preview, widgets
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain

JOB = keys.VIDEO_JOB.name
EXPORT_JOB = keys.VIDEO_EXPORT_JOB.name
OUTCOME = keys.VIDEO_OUTCOME.name
EXPORT_OUTCOME = keys.VIDEO_EXPORT_OUTCOME.name
#: Seconds between two progress updates: each is a script run on the server and a
#: redraw in the browser, so not more often than a progress bar needs.
POLL_S = 1.0
TIMING = keys.VIDEO_TIMING.name
DOWNSCALE = {"Full size": None, "1280 pixels": 1280, "960 pixels": 960, "640 pixels": 640}


def render_page() -> None:
    st.title("🎬 Video analysis")
    st.markdown(
        "Upload a video of your patient. PoseDash follows the body through every frame, "
        "on this computer, and keeps the landmarks for review: the skeleton frame by "
        "frame, joint angles over time, range of motion and repetitions."
    )
    upload = st.file_uploader(
        "Video",
        type=list(video.VIDEO_EXTENSIONS),
        key=state.widget_key("video"),
        help=f"{video.VIDEO_FORMATS} (H.264, HEVC, VP9, MJPEG). Up to "
        f"{video.DEFAULT_LIMITS.max_bytes // 2**20} MB and "
        f"{video.DEFAULT_LIMITS.max_duration_s / 60:.0f} minutes. Analysed in memory; "
        "nothing is saved.",
    )
    background.show_outcome(OUTCOME, "analysis")
    if upload is None:
        if keys.VIDEO_JOB.get() is not None:
            _progress()
            return
        current = state.current()
        if current is not None and current.kind == "video":
            st.caption(
                f"Showing the last video analysed: **{plain(current.source_name)}**. "
                "Upload another video to analyse it."
            )
            widgets.read_notes(current.notes)  # as under the video's details above
            _results(current, state.current_source())
            return
        st.info(
            "Choose a video to begin. For knee, hip and ankle angles film from the side; "
            "for knee valgus, pelvic and shoulder tilt, film from the front. Keep the "
            "whole body in view and the camera still.",
            icon="ℹ️",
        )
        return
    data = upload.getvalue()
    digest = state.content_hash(data)
    stride, max_side, limits = _options()
    try:
        info = state.cached(
            ("probe", digest, limits), lambda: video.probe_video(data, upload.name, limits)
        )
    except Exception as exc:
        show_error(exc)
        return
    _describe(info)
    settings, model = state.settings(), _model()
    if model is None:
        return
    key = ("video", digest, settings, model.sha256, stride, max_side)
    analysis = state.peek(key)
    if analysis is None:
        _analyse(key, data, upload.name, info, stride, max_side, limits)
        return
    if state.current() is not analysis:
        state.set_current(analysis, data)
    _results(analysis, data)


def analysed_upload(upload) -> tuple[Analysis, bytes] | None:
    """For other pages (the Tests page): the analysis of an uploaded video, every frame
    at full size with the sidebar's settings, made the one under review. Cached as on
    this page (the same video is never analysed twice); while it is not analysed yet,
    the "Analyse video" button or the progress is shown and None is returned."""
    data = upload.getvalue()
    digest = state.content_hash(data)
    limits = video.DEFAULT_LIMITS
    try:
        info = state.cached(
            ("probe", digest, limits), lambda: video.probe_video(data, upload.name, limits)
        )
    except Exception as exc:
        show_error(exc)
        return None
    model = _model()
    if model is None:
        return None
    key = ("video", digest, state.settings(), model.sha256, 1, None)
    analysis = state.peek(key)
    if analysis is None:
        background.show_outcome(OUTCOME, "analysis")
        _analyse(key, data, upload.name, info, 1, None, limits)
        return None
    if state.current() is not analysis:
        state.set_current(analysis, data)
    return analysis, data


def _model():
    try:
        return state.model()
    except Exception as exc:
        show_error(exc)
        return None


def _describe(info: video.VideoInfo) -> None:
    cols = st.columns(4)
    cols[0].metric("Duration", f"{info.duration_s:.1f} s")
    cols[1].metric("Frames", f"{info.frame_count:,}", help="As recorded in the file.")
    cols[2].metric("Frame rate", f"{info.fps:.1f} fps")
    cols[3].metric("Size", f"{info.width} x {info.height}")
    st.caption(f"codec {info.codec}")
    widgets.read_notes(info.notes)  # which stream; turned upright; timestamps repaired


def _options():
    with st.expander("Options for long or large videos"):
        stride = st.number_input(
            "Analyse every n-th frame",
            1,
            10,
            1,
            key="posedash_video_stride",
            help="1 analyses every frame (best for angles and repetitions). 2 halves the "
            "time but follows fast movements less well.",
        )
        choice = st.selectbox(
            "Shrink frames before analysis to at most",
            list(DOWNSCALE),
            index=0,
            key="posedash_video_downscale",
            help="Speeds up large videos. Landmarks are still reported in the pixels of the "
            "full-size video.",
        )
        minutes = st.number_input(
            "Longest video to accept (minutes)",
            1,
            60,
            int(video.DEFAULT_LIMITS.max_duration_s // 60),
            key="posedash_video_max_minutes",
            help="Longer videos are refused with a message. Analysis takes roughly as long "
            "as the video on a two-core computer.",
        )
    limits = video.VideoLimits(
        max_bytes=video.DEFAULT_LIMITS.max_bytes,
        max_duration_s=60.0 * minutes,
        max_pixels=video.DEFAULT_LIMITS.max_pixels,
    )
    return int(stride), DOWNSCALE[choice], limits


def _analyse(
    key,
    data: bytes,
    name: str,
    info: video.VideoInfo,
    stride: int,
    max_side: int | None,
    limits: video.VideoLimits,
) -> None:
    running = keys.VIDEO_JOB.get()
    if running is not None and running[0] == key:
        _progress()
        return
    if running is not None and not running[-1].finished:
        st.warning("Another video is still being analysed in this tab.")
        _progress()
        return
    estimate = max(1, -(-info.frame_count // stride)) if info.frame_count else 0
    st.caption("Analysis runs in the background: you can keep using the app meanwhile.")
    video_preview.prepare()  # a head start for the first results
    if st.button("▶️ Analyse video", type="primary"):
        settings, model = state.settings(), state.model()
        # first results while it runs, from the very frames the analysis keeps
        first = progressive.FirstResults(info.width, info.height, settings, stride)

        def work(progress, should_cancel, notice):
            with first.watching():
                return engine.video_analysis(
                    data,
                    model,
                    settings,
                    name=name,
                    sha256=key[1],
                    stride=stride,
                    max_side=max_side,
                    progress=progress,
                    should_cancel=should_cancel,
                    limits=limits,
                    notice=notice,
                )

        keys.VIDEO_OUTCOME.pop()
        keys.VIDEO_JOB.set((key, data, first, background.start(work, estimate, notices=True)))
        _progress()


def collect_finished() -> None:
    """Keep the result of a video analysis that finished while the user was on
    another page (every page calls this first); an error, a cancellation or
    notices are kept for the video page, until dismissed."""
    finished = background.finish(JOB, OUTCOME)
    if finished is not None and finished[-1].snapshot().state == "done":
        key, data, _first, job = finished
        analysis = state.cached(key, job.result)
        state.set_current(analysis, data)
        keys.VIDEO_TIMING.set((analysis, job.snapshot().elapsed_s))


@st.fragment(run_every=POLL_S)
def _progress() -> None:
    running = keys.VIDEO_JOB.get()
    if running is not None and not running[-1].finished:
        job = running[-1]
        snap = job.snapshot()
        st.progress(snap.fraction, text=f"Analysing… {snap.describe()}")
        background.show_notes(job)
        # a callback: it runs whichever run (fragment or whole page) comes next
        st.button("⏹ Cancel", key="posedash_cancel", on_click=job.cancel)
        if job.cancelling:
            st.caption("Stopping…")
        else:
            video_preview.show(running[2], snap)
        return
    # Finished (or gone): the whole page again, without this polling fragment, so
    # that an idle page costs nothing; the outcome stays until dismissed.
    collect_finished()
    st.rerun()


def _results(analysis: Analysis, data: bytes | None) -> None:
    seq = analysis.poses
    table = detection_table(seq)
    found = int((table.people > 0).sum())
    timing = keys.VIDEO_TIMING.get()
    took = f" in {timing[1]:.1f} s" if timing is not None and timing[0] is analysis else ""
    st.success(
        f"Analysed {seq.num_frames:,} frames{took}: a person was found in {found:,} "
        f"({100 * found / max(1, seq.num_frames):.0f}%).",
        icon="✅",
    )
    if found == 0:
        st.warning(
            "Nobody was found in this video. Check that the whole body is in view "
            "and well lit, or lower the detection confidence on the Model and detection "
            "page (Advanced).",
            icon="🔍",
        )
    st.plotly_chart(timeline_figure(seq), config={"displaylogo": False})
    st.caption(
        "Mean visibility of the landmarks in each frame: low values mean parts of "
        "the body were hidden or out of view, so angles there are less reliable."
    )
    links = st.columns(3)
    navigation.link("frames", "Review frame by frame", where=links[0])
    navigation.link("angles", "Joint angles", where=links[1])
    from dashboard.ui import gait

    gait.suggest(analysis)
    stem = Path(analysis.source_name).stem or "video"
    links[2].download_button(
        "⬇️ Landmarks, all frames (CSV)",
        lambda: export.to_csv(export.landmark_table(seq)),
        file_name=f"{stem}.landmarks.csv",
        mime="text/csv",
        on_click="ignore",
    )
    if data is None:
        relink.offer(analysis, "video")  # the same file again: frames and video come back
        st.caption(
            "The video itself is not in this session (reopened from a session file), "
            "so an annotated copy cannot be made until you give it again."
        )
        return
    _export(analysis, data, stem)


def _export(analysis: Analysis, data: bytes, stem: str) -> None:
    st.subheader("Annotated video")
    blur = st.checkbox(
        "Blur faces",
        value=True,
        help="Blurs each person's face, found from the face landmarks, so the "
        "video can be shared with less identifying detail.",
    )
    key = ("annotated", state.fingerprint(analysis), blur)
    mp4 = state.peek(key)
    background.show_outcome(EXPORT_OUTCOME, "annotated video")
    if mp4 is None:
        running = keys.VIDEO_EXPORT_JOB.get()
        if running is not None and running[0] == key:
            _export_progress()
            return
        if st.button("🎞️ Make annotated video"):
            seq = analysis.poses

            def work(progress, should_cancel):
                return export_video.annotated_mp4(
                    data,
                    seq,
                    blur_faces=blur,
                    name=analysis.source_name,
                    progress=progress,
                    should_cancel=should_cancel,
                )

            keys.VIDEO_EXPORT_OUTCOME.pop()
            keys.VIDEO_EXPORT_JOB.set((key, background.start(work, seq.num_frames)))
            _export_progress()
        return
    st.video(mp4, format="video/mp4")
    st.download_button(
        "⬇️ Annotated video (MP4)",
        mp4,
        file_name=f"{stem}.annotated.mp4",
        mime="video/mp4",
        on_click="ignore",
    )


@st.fragment(run_every=POLL_S)
def _export_progress() -> None:
    running = keys.VIDEO_EXPORT_JOB.get()
    if running is None:
        st.rerun()  # nothing to follow: stop polling
    key, job = running
    if not job.finished:
        snap = job.snapshot()
        st.progress(snap.fraction, text=f"Drawing and encoding… {snap.describe()}")
        st.button("⏹ Cancel", key="posedash_cancel_export", on_click=job.cancel)
        return
    # finished: keep the video (or the outcome), then the whole page without polling
    if background.finish(EXPORT_JOB, EXPORT_OUTCOME) and job.snapshot().state == "done":
        state.cached(key, job.result)
    st.rerun()
