"""Run pose detection: photos now, videos through :mod:`dashboard.media.video`.

:func:`analyze_image` and :func:`analyze_video` return the landmarks
(:class:`~dashboard.poses.PoseSequence`); :func:`photo_analysis` and
:func:`video_analysis` wrap them with their provenance in an
:class:`~dashboard.analysis.Analysis`, what the app reviews and saves.

The engine keeps one IMAGE-mode landmarker per (model, settings) and reuses it;
a lock makes sure no landmarker is ever used by two threads at once (Streamlit
serves each browser session in its own thread).

Videos
------
A fresh VIDEO-mode (tracking) landmarker is created for each call (and each
parallel chunk) and closed at the end, so no tracking state leaks between
videos.

Timestamps. The user sees each frame's true presentation time (``time_s``).
MediaPipe's landmark smoothing (a One-Euro filter tuned for ~30 fps camera
streams) is instead fed a frame clock, ``frame_index * 33.3 ms``
(:func:`dashboard.detect.frames.filter_clock_ms`), as MediaPipe's legacy
``solutions.pose`` did for every video and as Google's own expected outputs were
made. Smoothing then acts per frame the same way whatever the container's rate
or timing jitter (phones record at a variable rate). Measured against the
legacy reference this lifts the 5 fps squats clip from 96.0 % to 99.5 % of
landmarks within 15 px (Google's own expected output: 98.3 % -> 99.6 %, worst
error 43 -> 22 px) and the 12 fps basketball clip from 83.8 % to 89.3 %, leaves
30 fps clips unchanged, and moves the range of motion of the squats' knee angle
by less than 0.3 degrees. It changes no time the user sees.

Memory: frames are decoded one at a time; only the landmarks are kept (about
2 kB per person per frame).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass

import numpy as np

from dashboard.analysis import Analysis
from dashboard.detect import backend, swaps, tracking
from dashboard.detect.frames import Rows, core_spared, open_landmarker, run_landmarker
from dashboard.detect.models import ModelInfo
from dashboard.errors import Cancelled
from dashboard.media import video
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings


@dataclass
class _Pooled:
    landmarker: object
    lock: threading.Lock


_POOL: dict[tuple[str, AnalysisSettings], _Pooled] = {}
_POOL_LOCK = threading.Lock()
_MAX_POOLED = 4


def _image_landmarker(model: ModelInfo, settings: AnalysisSettings) -> _Pooled:
    key = (model.sha256, settings)
    with _POOL_LOCK:
        pooled = _POOL.get(key)
        if pooled is None:
            while len(_POOL) >= _MAX_POOLED:  # forget the oldest; it closes when unused
                _POOL.pop(next(iter(_POOL)))
            pooled = _Pooled(open_landmarker(model.path, settings, video=False), threading.Lock())
            _POOL[key] = pooled
        return pooled


def analyze_image(
    rgb: np.ndarray,
    model: ModelInfo,
    settings: AnalysisSettings = AnalysisSettings(),
    image_size: tuple[int, int] | None = None,
) -> PoseSequence:
    """Detect up to ``settings.num_poses`` people in one RGB uint8 image.

    ``image_size`` (width, height) is the photo's full size when ``rgb`` was
    decoded reduced (``DecodedImage.size``): landmarks are then given in
    full-resolution pixels. Returns a one-frame :class:`PoseSequence` with one
    person slot per person found (zero slots when nobody is found).
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an (H, W, 3) uint8 RGB image, got {rgb.shape} {rgb.dtype}")
    pooled = _image_landmarker(model, settings)
    with pooled.lock:
        frame = backend.detect_image(pooled.landmarker, rgb)
    height, width = rgb.shape[:2]
    if image_size is not None and tuple(image_size) != (width, height):
        scale = np.array([image_size[0] / width, image_size[1] / height])
        frame = dict(frame, image_xy=np.asarray(frame["image_xy"]) * scale)
        width, height = int(image_size[0]), int(image_size[1])
    return PoseSequence.from_frames([frame], (width, height), time_s=[0.0], frame_index=[0])


# -- video -------------------------------------------------------------------

#: Called with (frames analysed so far, estimated total frames to analyse).
ProgressFn = Callable[[int, int], None]


def _analyze_sequential(
    data: bytes,
    model: ModelInfo,
    settings: AnalysisSettings,
    info: video.VideoInfo,
    stride: int,
    max_side: int | None,
    progress: ProgressFn | None,
    should_cancel: Callable[[], bool] | None,
    name: str,
    limits: video.VideoLimits,
) -> Rows:
    total = -(-info.frame_count // stride) if info.frame_count else 0
    state = {"total": total}

    def before_frame() -> None:
        if should_cancel is not None and should_cancel():
            raise Cancelled(f"The analysis of {name} was cancelled.")

    def after_frame(done: int) -> None:
        if progress is not None:
            state["total"] = max(state["total"], done)
            progress(done, state["total"])

    landmarker = open_landmarker(model.path, settings, video=True)
    try:
        with closing(video.iter_frames(data, stride, max_side, name=name, limits=limits)) as frames:
            rows = run_landmarker(
                landmarker,
                frames,
                (info.width, info.height),
                int(settings.num_poses),
                total,
                before_frame=before_frame,
                after_frame=after_frame,
            )
    finally:
        landmarker.close()
    n = len(rows.frame_index)
    if progress is not None and state["total"] != n:  # the estimate was high: say "done"
        progress(n, n)
    return rows


def analyze_video(
    data: bytes,
    model: ModelInfo,
    settings: AnalysisSettings = AnalysisSettings(),
    *,
    stride: int = 1,
    max_side: int | None = None,
    progress: ProgressFn | None = None,
    should_cancel: Callable[[], bool] | None = None,
    name: str = "video",
    limits: video.VideoLimits = video.DEFAULT_LIMITS,
    max_track_distance: float = 0.5,
    max_track_gap: int = 15,
    workers: int | None = None,
    notice: Callable[[str], None] | None = None,
) -> PoseSequence:
    """Detect and track people in every ``stride``-th frame of a video held in memory.

    Parameters
    ----------
    data
        The video file's bytes (decoded with PyAV from memory; nothing is written).
    model, settings
        The pose model and MediaPipe options; ``settings.num_poses`` people at most.
    stride
        Analyse frames ``0, stride, 2 * stride, ...`` (all are decoded).
    max_side
        Frames whose longer side exceeds this are scaled down for inference only.
    progress
        ``progress(done, total)`` as frames are analysed (by any worker); ``total`` is
        an estimate from the container (raised if more frames turn up); the last
        call is always ``progress(n, n)``.
    should_cancel
        Polled before each frame; True stops the analysis and the worker processes,
        releases the decoder and the landmarker, and raises :class:`Cancelled`.
    name, limits
        The file name (for messages and the extension check); the largest size and
        duration accepted (:class:`dashboard.media.video.VideoLimits`).
    max_track_distance, max_track_gap
        Person tracker settings when ``num_poses > 1`` (:mod:`dashboard.detect.tracking`).
    workers
        Processes to analyse with: None (default) every core for long videos and one
        for short ones (:mod:`dashboard.detect.parallel`); 1 always sequential, here.
    notice
        ``notice(text)`` for what the user should know meanwhile: a helper process
        crashed (its part is analysed again), the analysis restarted in one process.

    Returns
    -------
    PoseSequence
        One row per analysed frame, with ``frame_index`` and ``time_s`` (true PTS)
        from the container and ``image_size`` the displayed (rotated) size. One slot
        with ``num_poses == 1``; with more, one per tracked person (ids in
        ``person_ids``, by first appearance), at least one. With
        ``settings.swap_repair`` (default), left/right limb swaps are repaired after
        tracking and recorded in ``swapped`` (:func:`finish_rows`). Timestamps,
        MediaPipe's smoothing clock and memory: see the module docstring.

    Raises
    ------
    InputError, ModelError, Cancelled
        The video cannot be read or exceeds ``limits``; the model cannot be loaded;
        ``should_cancel()`` returned True.
    """
    return _detect_video(
        data,
        model,
        settings,
        stride=stride,
        max_side=max_side,
        progress=progress,
        should_cancel=should_cancel,
        name=name,
        limits=limits,
        max_track_distance=max_track_distance,
        max_track_gap=max_track_gap,
        workers=workers,
        notice=notice,
    )[0]


def _detect_video(
    data: bytes,
    model: ModelInfo,
    settings: AnalysisSettings,
    *,
    stride: int,
    max_side: int | None,
    progress: ProgressFn | None,
    should_cancel: Callable[[], bool] | None,
    name: str,
    limits: video.VideoLimits,
    max_track_distance: float = 0.5,
    max_track_gap: int = 15,
    workers: int | None = None,
    keep_index: bool = False,
    notice: Callable[[str], None] | None = None,
):
    """(PoseSequence, VideoInfo, VideoIndex or None) of :func:`analyze_video`. The
    index is read when the parallel analysis needs it, or always with ``keep_index``."""
    from dashboard.detect import parallel

    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    info = video.probe_video(data, name, limits)
    workers = parallel.resolve_workers(workers)
    chunked = parallel.worth_parallel(info, workers, stride)
    index = video.index_video(data, name) if chunked or keep_index else None
    rows = None
    if not chunked:
        core_spared()  # one process: the other cores are free from the start
    else:
        rows = parallel.analyze_parallel(
            data,
            model,
            settings,
            info,
            workers=workers,
            stride=stride,
            max_side=max_side,
            progress=progress,
            should_cancel=should_cancel,
            name=name,
            limits=limits,
            index=index,
            notice=notice,
        )
    if rows is None:
        if chunked:  # the parallel attempt gave way: this process alone from now on
            core_spared()
        rows = _analyze_sequential(
            data, model, settings, info, stride, max_side, progress, should_cancel, name, limits
        )
    seq = finish_rows(rows, settings, (info.width, info.height), max_track_distance, max_track_gap)
    return seq, info, index


def finish_rows(
    rows: Rows,
    settings: AnalysisSettings,
    image_size: tuple[int, int],
    max_track_distance: float = 0.5,
    max_track_gap: int = 15,
) -> PoseSequence:
    """Per-frame rows of a whole video (from either engine) -> the PoseSequence.

    The one post-processing step both the sequential and the parallel path go
    through: person tracking (``num_poses > 1``), then, with
    ``settings.swap_repair``, the left/right limb swap repair over the whole
    video (:func:`dashboard.detect.swaps.repair_swaps`).
    """
    arrays = rows.arrays
    person_ids = None
    if int(settings.num_poses) > 1:
        vis = arrays["visibility"]
        scores = np.where(np.isnan(vis), 0.0, vis).mean(axis=-1)  # mean visibility per pose
        ids = tracking.assign_tracks(
            arrays["image_xy"], max_track_distance, max_track_gap, scores=scores
        )
        arrays = tracking.reorder_by_track(arrays, ids)
        person_ids = np.arange(arrays["image_xy"].shape[1])
    swapped = None
    if settings.swap_repair:
        arrays, swapped = swaps.repair_swaps(arrays, time_s=rows.time_s)
    return PoseSequence(
        **arrays,
        time_s=rows.time_s,
        frame_index=rows.frame_index,
        image_size=image_size,
        person_ids=person_ids,
        swapped=swapped,
    )


# -- analyses: landmarks with their provenance ---------------------------------


def photo_analysis(
    rgb: np.ndarray,
    model: ModelInfo,
    settings: AnalysisSettings,
    *,
    name: str,
    sha256: str,
    image_size: tuple[int, int] | None = None,
    read_notes: Sequence[str] = (),
) -> Analysis:
    """The :class:`Analysis` of one decoded photo (``rgb``) whose file is ``name``
    and whose bytes have the SHA-256 ``sha256`` (see :func:`analyze_image`;
    ``image_size`` is the full photo's size when ``rgb`` was decoded reduced;
    ``read_notes`` what decoding found, e.g. ``DecodedImage.notes``)."""
    core_spared()  # one process, a moment's work: the other cores are free
    notes = tuple(read_notes)
    if image_size is not None and tuple(image_size) != (rgb.shape[1], rgb.shape[0]):
        notes += (
            f"{image_size[0]} x {image_size[1]} pixels: analysed at {rgb.shape[1]} x "
            f"{rgb.shape[0]}, landmarks given in the full photo's pixels.",
        )
    return Analysis(
        analyze_image(rgb, model, settings, image_size),
        name,
        sha256,
        "photo",
        settings,
        model.as_dict(),
        notes=notes,
    )


def video_analysis(
    data: bytes,
    model: ModelInfo,
    settings: AnalysisSettings,
    *,
    name: str,
    sha256: str | None = None,
    stride: int = 1,
    max_side: int | None = None,
    progress: ProgressFn | None = None,
    should_cancel: Callable[[], bool] | None = None,
    limits: video.VideoLimits = video.DEFAULT_LIMITS,
    workers: int | None = None,
    notice: Callable[[str], None] | None = None,
) -> Analysis:
    """The :class:`Analysis` of a video (see :func:`analyze_video` for the arguments).

    ``sha256`` of ``data`` is computed when not given. The analysis keeps the
    video's frame index (``Analysis.video_index``), read once here, so that the
    review pages seek frames without reading the packets again; and the
    container's nominal frame rate (``fps``).
    """
    seq, info, index = _detect_video(
        data,
        model,
        settings,
        stride=stride,
        max_side=max_side,
        progress=progress,
        should_cancel=should_cancel,
        name=name,
        limits=limits,
        workers=workers,
        keep_index=True,
        notice=notice,
    )
    return Analysis(
        seq,
        name,
        sha256 or hashlib.sha256(data).hexdigest(),
        "video",
        settings,
        model.as_dict(),
        fps=info.fps or None,
        stride=stride,
        video_index=index,
        notes=tuple(getattr(info, "notes", ()) or ()),
    )
