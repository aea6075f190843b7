"""Decode videos from bytes, in memory, into upright RGB frames with true times.

Nothing is written to disk: PyAV (FFmpeg) reads the uploaded bytes through a
``BytesIO``. Containers: MP4, MOV, AVI, WebM, MKV (anything FFmpeg demuxes);
codecs: H.264, HEVC (phones), VP9, MJPEG, AV1 and the rest of FFmpeg's decoders.

Notes
-----
Stream
    The main video stream: a file's first video stream may be a cover picture
    or a thumbnail (an attached picture, or a tiny stream), so the stream with
    moving pictures and the most pixels is analysed, and ``VideoInfo.notes``
    says which when it is not the first.
Frame index
    The 0-based position of a frame in presentation order among all decoded
    frames of that stream. With a stride, the analysed frames are
    ``0, stride, 2 * stride, ...`` and keep their original index. Frames an MP4
    edit list hides (a lossless trim) are not frames of the video.
Time
    ``time_s`` is the frame's presentation timestamp (PTS) from the container,
    in seconds from the first frame's PTS, strictly increasing. It is never
    ``index / fps`` where the file has true times, so a variable-frame-rate
    phone video keeps its real timing. The times are read from the packets and
    sorted (:mod:`dashboard.io.video_time`): frames with B-frames in an AVI come
    out in presentation order with their own times; repeated, backwards or
    missing timestamps are repaired and ``VideoInfo.notes`` says so.
Rotation
    Display matrix or ``rotate`` tag, as FFmpeg's own player applies it (see
    :mod:`dashboard.io.video_orient`). Sample aspect ratio (anamorphic video) is
    not corrected.
Colour
    Frames are converted to RGB by FFmpeg (``rgb24``, one scaler reused for every
    frame of a decoding loop: setting one up per frame cost about 2 ms of a 720p
    frame; the pixels are the same); there is no BGR anywhere. The conversion uses the colour matrix the file declares
    (BT.709 for most HD video); OpenCV always uses BT.601, so OpenCV-decoded
    frames of BT.709 files differ by under one grey level on average.
Memory
    Frames are yielded one at a time and never all kept; :func:`read_frame`
    seeks to the keyframe before the wanted frame and decodes forward, and so
    does :func:`iter_frame_range` (a range of frames, for parallel analysis).
    All three use one decoding loop (:func:`dashboard.io.video_container.decoded`).
"""
from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from typing import Iterator, Optional, Tuple

import numpy as np

from dashboard.errors import InputError
from dashboard.io.video_container import (  # noqa: F401  (public names, kept here too)
    VIDEO_EXTENSIONS,
    VIDEO_FORMATS,
    UnsupportedRange,
    VideoIndex,
    check_name,
    declared_duration,
    decoded,
    frame_rate,
    index_video,
    open_video,
)
from dashboard.io.video_orient import (  # noqa: F401  (public names, kept here too)
    apply_orientation,
    clockwise_degrees,
    orientation_ops,
    swaps_axes,
)


@dataclass(frozen=True)
class VideoLimits:
    """The largest video PoseDash accepts.

    max_bytes
        Largest upload in bytes (default 500 MB).
    max_duration_s
        Longest video in seconds (default 10 minutes).
    max_pixels
        Largest frame in pixels (default 8K UHD, 7680 x 4320).
    """

    max_bytes: int = 500 * 1024 * 1024
    max_duration_s: float = 600.0
    max_pixels: int = 7680 * 4320


DEFAULT_LIMITS = VideoLimits()


@dataclass(frozen=True)
class VideoInfo:
    """What a video is, as read from its container and first frame.

    Attributes
    ----------
    width, height
        Frame size in pixels as displayed, after rotation.
    rotation
        Clockwise degrees (0, 90, 180, 270) the stored pixels are turned for display.
    codec
        Decoder name, e.g. ``"h264"``, ``"hevc"``, ``"vp9"``, ``"mjpeg"``.
    container
        FFmpeg demuxer name, e.g. ``"mov,mp4,m4a,3gp,3g2,mj2"``, ``"matroska,webm"``, ``"avi"``.
    fps
        Average frame rate declared by the container (0 when unknown).
    duration_s
        Duration of the video stream in seconds (0 when unknown).
    frame_count
        Estimated number of frames: exact when the container records it (MP4,
        MOV, AVI), otherwise ``duration_s * fps`` rounded.
    mirrored
        True when the display matrix also mirrors the picture.
    stream
        Which video stream is analysed (0 = the first).
    notes
        Sentences for the user about how the file was read: which stream, how
        its timestamps were repaired or derived (empty when nothing unusual).
    """

    width: int
    height: int
    rotation: int
    codec: str
    container: str
    fps: float
    duration_s: float
    frame_count: int
    mirrored: bool = False
    stream: int = 0
    notes: Tuple[str, ...] = ()

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


# -- probing -----------------------------------------------------------------

def _first_frame(data: bytes, name: str):
    """(width, height, ops) of the first decoded frame; InputError if there is none."""
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            return frame.width, frame.height, ops
    raise InputError(f"{name} contains no video frames.",
                     "Choose a video recorded with the camera.")


def probe_video(data: bytes, name: str = "video",
                limits: VideoLimits = DEFAULT_LIMITS) -> VideoInfo:
    """Read a video's size, rotation, codec, frame rate and duration, and check limits.

    Reads the packets (for the frame count and times, :func:`index_video`) and
    decodes only the first frame (to learn the rotation and prove the video can
    be decoded).

    Raises
    ------
    InputError
        Empty, not a video, a photo, sound only, damaged, no frames, or beyond
        ``limits`` (size, duration, pixels), with a message for the user.
    """
    import av

    check_name(name)
    if len(data) > limits.max_bytes:
        raise InputError(f"{name} is {len(data) / 2**20:.0f} MB; PoseDash reads videos up to "
                         f"{limits.max_bytes / 2**20:.0f} MB.",
                         "Trim the video or export it at a lower quality, then try again.")
    container, stream, stream_note = open_video(data, name)
    try:
        codec, fps = stream.codec_context.name, frame_rate(stream)
        duration = declared_duration(stream)
        if duration <= 0 and container.duration:
            duration = container.duration / av.time_base
        frames = int(stream.frames or 0) or (int(round(duration * fps)) if fps else 0)
        container_name = container.format.name
        position = list(container.streams.video).index(stream)
    finally:
        container.close()
    width, height, ops = _first_frame(data, name)
    index = index_video(data, name)
    if index is not None:
        frames = index.num_frames
    if swaps_axes(ops):
        width, height = height, width
    mirrored = sum(op in ("transpose", "flip_x", "flip_y") for op in ops) % 2 == 1
    notes = tuple(n for n in (stream_note, index.note if index else "") if n)
    info = VideoInfo(width=width, height=height, rotation=clockwise_degrees(ops), codec=codec,
                     container=container_name, fps=fps, duration_s=duration,
                     frame_count=frames, mirrored=bool(mirrored), stream=position, notes=notes)
    check_limits(info, name, limits)
    return info


def check_limits(info: VideoInfo, name: str, limits: VideoLimits = DEFAULT_LIMITS) -> None:
    """Raise InputError when ``info`` exceeds ``limits`` (duration, pixels)."""
    if info.duration_s > limits.max_duration_s:
        raise InputError(
            f"{name} lasts {_clock(info.duration_s)}; PoseDash analyses videos up to "
            f"{_clock(limits.max_duration_s)}.",
            "Trim the video to the part you want to review, or raise the limit in the settings.")
    if info.width * info.height > limits.max_pixels:
        raise InputError(f"{name} is {info.width} x {info.height} pixels, larger than PoseDash "
                         f"decodes ({limits.max_pixels / 1e6:.0f} megapixels).",
                         "Export a smaller copy of the video and try again.")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


# -- decoding ----------------------------------------------------------------

def _scaled_size(width: int, height: int, max_side: Optional[int]) -> Tuple[int, int]:
    """(width, height) with the longer side at most ``max_side`` (never enlarged)."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, int(round(width * scale))), max(1, int(round(height * scale)))


def _scaler():
    """An FFmpeg scaler (PyAV ``VideoReformatter``) for every frame of one decoding
    loop. ``frame.to_ndarray(format=...)`` sets up a new one for each frame, which
    costs more than decoding the frame; the pixels are the same either way."""
    from av.video.reformatter import VideoReformatter

    return VideoReformatter()


def _to_rgb(frame, ops: Tuple[str, ...], max_side: Optional[int], scaler=None) -> np.ndarray:
    """The frame as upright (H, W, 3) uint8 RGB, its longer side at most ``max_side``
    (``scaler``: from :func:`_scaler`, reused across a loop's frames)."""
    width, height = frame.width, frame.height
    if swaps_axes(ops):
        disp_w, disp_h = _scaled_size(height, width, max_side)
        out_w, out_h = disp_h, disp_w
    else:
        out_w, out_h = _scaled_size(width, height, max_side)
    size = {} if (out_w, out_h) == (width, height) else \
        {"width": out_w, "height": out_h, "interpolation": "AREA"}
    rgb = (scaler or _scaler()).reformat(frame, format="rgb24", **size).to_ndarray()
    return apply_orientation(rgb, ops)


def _check_complete(name: str, decoded: int, shown_s: float, index: Optional[VideoIndex]
                    ) -> None:
    """InputError when decoding ended well before what the header declares (cut short)."""
    if decoded == 0:
        raise InputError(f"{name} contains no video frames.",
                         "Choose a video recorded with the camera.")
    if index is None:
        return
    declared, declared_s = index.declared_frames, index.declared_s
    if declared and decoded < declared - max(2, declared // 100):
        raise InputError(
            f"{name} is incomplete: it declares {declared} frames but only {decoded} could be "
            "decoded.", "It may not have finished copying or recording; copy it again.")
    if declared_s and declared_s - shown_s > max(0.5, 0.1 * declared_s):
        raise InputError(
            f"{name} is incomplete: it should last {declared_s:.1f} s but its pictures stop "
            f"at {shown_s:.1f} s.", "It may not have finished copying or recording; copy it again.")


def _slot(pts: Optional[int], previous: int, index: Optional[VideoIndex]) -> int:
    """Which of the index's times a decoded frame has: the one of its own PTS when
    the index is seekable (a frame the decoder dropped leaves its time unused),
    else the next in order."""
    if index is not None and index.seekable and pts is not None:
        j = int(np.searchsorted(index.pts, pts))
        if j < len(index.pts) and index.pts[j] == pts and j > previous:
            return j
    return previous + 1


def iter_frames(data: bytes, stride: int = 1, max_side: Optional[int] = None, *,
                name: str = "video", limits: Optional[VideoLimits] = None
                ) -> Iterator[Tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, time_s, rgb)`` for every ``stride``-th decoded frame.

    Parameters
    ----------
    data
        The whole video file, in memory.
    stride
        Keep frames ``0, stride, 2 * stride, ...`` (all frames are still decoded:
        inter-coded video cannot skip them).
    max_side
        If given, frames whose longer displayed side exceeds it are scaled down
        (area averaging, aspect kept) by FFmpeg while converting to RGB.
    limits
        If given, stop with InputError once a frame lies beyond
        ``limits.max_duration_s`` (for containers that do not declare a duration).

    Yields
    ------
    frame_index : int
        0-based index of the decoded frame.
    time_s : float
        Presentation time in seconds from the first frame, strictly increasing
        (see module Notes).
    rgb : np.ndarray
        (H, W, 3) uint8 RGB, upright, C-contiguous.

    Raises
    ------
    InputError
        Not a video, damaged, no frames, or ending well before the number of
        frames or the duration its container declares (a file cut short). This
        is raised after the last frame: frames already yielded were valid.
    """
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    index = index_video(data, name)
    step = index.step_s if index is not None else 1 / 30
    t, count, slot, scaler = -step, 0, -1, _scaler()
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            slot = _slot(frame.pts, slot, index)
            t = float(index.time_s[slot]) if index is not None and slot < index.num_frames \
                else t + step
            if limits is not None and t > limits.max_duration_s:
                raise InputError(
                    f"{name} lasts longer than {_clock(limits.max_duration_s)}, the longest "
                    "video PoseDash analyses.", "Trim the video to the part you want to review.")
            if count % stride == 0:
                yield count, t, _to_rgb(frame, ops, max_side, scaler)
            count += 1
    _check_complete(name, count, t + step, index)


def read_frame(data: bytes, frame_index: int, max_side: Optional[int] = None, *,
               name: str = "video", index: Optional["VideoIndex"] = None) -> np.ndarray:
    """Decode the one frame ``frame_index`` (as numbered by :func:`iter_frames`).

    Notes
    -----
    The wanted frame's PTS comes from the video's :class:`VideoIndex` (pass
    ``index`` from :func:`index_video` when reading many frames of one video: it
    is otherwise read from the packets on every call); the decoder then seeks to
    the keyframe at or before it and decodes forward, so the cost is one group of
    pictures, not the whole video. When the container's timestamps cannot be
    trusted (not seekable, a mismatch after the seek) it decodes from the start.

    Raises
    ------
    IndexError
        ``frame_index`` is outside the video.
    InputError
        The video cannot be read.
    """
    if frame_index < 0:
        raise IndexError(f"frame_index must be >= 0, got {frame_index}")
    if index is None:
        index = index_video(data, name)
    if index is not None and frame_index >= index.num_frames:
        raise IndexError(f"{name} has {index.num_frames} frames; there is no frame {frame_index}")
    if index is not None and index.seekable:
        target = int(index.pts[frame_index])
        try:
            with closing(decoded(data, name, seek_pts=target)) as frames:
                for frame, ops in frames:
                    if frame.pts is None or frame.pts > target:
                        break
                    if frame.pts == target:
                        return _to_rgb(frame, ops, max_side)
        except (UnsupportedRange, InputError):
            pass  # decode from the start below: it says what is wrong, if anything
    with closing(iter_frames(data, max_side=max_side, name=name)) as frames:
        for i, _, rgb in frames:
            if i == frame_index:
                return rgb
    raise IndexError(f"{name} has no frame {frame_index}")


def read_frames(data: bytes, frame_indices, max_side: Optional[int] = None, *,
                name: str = "video", index: Optional["VideoIndex"] = None) -> dict:
    """Decode several frames (numbered as by :func:`iter_frames`) in one forward pass.

    Returns ``{frame_index: rgb}`` for the frames found. Cheaper than one
    :func:`read_frame` per frame when they are many: the decoder seeks once, to
    the keyframe before the first wanted frame, decodes forward (threaded) to the
    last one and converts only the wanted frames to RGB. A frame the pass misses
    (timestamps that cannot be trusted) is read with :func:`read_frame`; one
    outside the video is left out.
    """
    wanted = sorted({int(i) for i in frame_indices if int(i) >= 0})
    if not wanted:
        return {}
    if index is None:
        index = index_video(data, name)
    out = {}
    if index is not None and index.seekable:
        by_pts = {int(index.pts[i]): i for i in wanted if i < index.num_frames}
        if by_pts:
            last, scaler = max(by_pts), _scaler()
            try:
                with closing(decoded(data, name, seek_pts=min(by_pts))) as frames:
                    for frame, ops in frames:
                        if frame.pts is None:
                            break
                        i = by_pts.get(int(frame.pts))
                        if i is not None:
                            out[i] = _to_rgb(frame, ops, max_side, scaler)
                        if frame.pts >= last:
                            break
            except (UnsupportedRange, InputError):
                pass  # each missing frame is read on its own below
    for i in wanted:
        if i not in out:
            try:
                out[i] = read_frame(data, i, max_side, name=name, index=index)
            except IndexError:
                continue
    return out


# -- ranges, for parallel analysis ------------------------------------------------

def iter_frame_range(data: bytes, index: VideoIndex, start: int, stop: int, stride: int = 1,
                     max_side: Optional[int] = None, *, name: str = "video"
                     ) -> Iterator[Tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, time_s, rgb)`` for frames ``start <= i < stop`` with
    ``i % stride == 0``, exactly as :func:`iter_frames` numbers, times and converts them.

    Seeks to the keyframe at or before ``start`` and decodes forward; frames
    before ``start`` are decoded (inter-coded video needs them) but not
    converted. ``time_s`` is ``index.time_s[i]`` (relative to frame 0, the
    same float :func:`iter_frames` gives).

    Raises
    ------
    UnsupportedRange
        The index is not seekable, a decoded frame's timestamp is not in
        ``index``, or the seek went past ``start``: use :func:`iter_frames`.
    InputError
        The video is damaged (as :func:`iter_frames`).
    """
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    if not index.seekable:
        raise UnsupportedRange(index.note or "the file's timestamps cannot locate frames")
    pts = index.pts
    stop = min(stop, len(pts))
    if start >= stop:
        return
    expected, scaler = start, _scaler()
    with closing(decoded(data, name, seek_pts=int(pts[start]) if start else None)) as frames:
        for frame, ops in frames:
            if frame.pts is None:
                raise UnsupportedRange("a decoded frame has no timestamp")
            i = int(np.searchsorted(pts, frame.pts))
            if i >= len(pts) or pts[i] != frame.pts:
                raise UnsupportedRange(f"decoded PTS {frame.pts} is not a packet PTS")
            if i < expected:
                continue  # lead-in from the keyframe
            if i > expected:
                raise UnsupportedRange(f"frame {expected} was not decoded (got {i})")
            if i % stride == 0:
                yield i, float(index.time_s[i]), _to_rgb(frame, ops, max_side, scaler)
            expected += 1
            if expected >= stop:
                break
    if expected < stop:
        raise UnsupportedRange(f"decoding ended at frame {expected}, before {stop}")
