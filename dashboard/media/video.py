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
    sorted (:mod:`dashboard.media.video_time`): frames with B-frames in an AVI come
    out in presentation order with their own times; repeated, backwards or
    missing timestamps are repaired and ``VideoInfo.notes`` says so.
Rotation
    Display matrix or ``rotate`` tag, as FFmpeg's own player applies it (see
    :mod:`dashboard.media.video_orient`), except a mirror: a video a front camera
    marks to be shown as a mirror image is turned upright but not mirrored, so
    the patient's left side is labelled left (``VideoInfo.mirrored`` and a note
    say so). Sample aspect ratio (anamorphic video) is not corrected.
Colour
    Frames are converted to RGB by FFmpeg (``rgb24``, one scaler reused for every
    frame of a decoding loop: setting one up per frame cost about 2 ms of a 720p
    frame; the pixels are the same); there is no BGR anywhere. The conversion uses the
    colour matrix the file declares (BT.709 for most HD video); OpenCV always uses BT.601,
    so OpenCV-decoded frames of BT.709 files differ by under one grey level on average.
Memory
    Frames are yielded one at a time and never all kept. :func:`iter_frames`
    and :func:`iter_frame_range` (a range of frames, for parallel analysis) use
    one decoding loop (:func:`dashboard.media.video_container.decoded`);
    :func:`read_frame` and :func:`read_frames` use a
    :class:`~dashboard.media.video_reader.FrameReader`, which seeks to the keyframe
    before the wanted frame (also in AVI files and files with repaired
    timestamps, where it proves the frame numbers first) and decodes forward.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass

import numpy as np

from dashboard.errors import InputError

# The public names of the video modules, importable from here too (``X as X``: re-exported).
from dashboard.media.video_container import (
    VIDEO_EXTENSIONS as VIDEO_EXTENSIONS,
    VIDEO_FORMATS as VIDEO_FORMATS,
    UnsupportedRange as UnsupportedRange,
    VideoIndex as VideoIndex,
    check_name as check_name,
    declared_duration as declared_duration,
    decoded as decoded,
    frame_rate as frame_rate,
    index_video as index_video,
    open_video as open_video,
)
from dashboard.media.video_orient import (
    apply_orientation as apply_orientation,
    clockwise_degrees as clockwise_degrees,
    marked_mirror as marked_mirror,
    orientation_ops as orientation_ops,
    swaps_axes as swaps_axes,
)
from dashboard.media.video_reader import (
    FrameReader as FrameReader,
    new_scaler as new_scaler,
    scaled_size as scaled_size,
    to_rgb as to_rgb,
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
        Clockwise degrees (0, 90, 180, 270) the stored pixels are turned upright.
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
        True when the display matrix asks players to show a mirror image (a
        front camera). PoseDash does not mirror it (see Notes): the frames are
        the picture as the camera recorded it, and ``notes`` says so.
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
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


# -- probing -----------------------------------------------------------------

#: The note for a video its phone marked to be shown as a mirror image.
MIRROR_NOTE = (
    "The phone marked this video to play as a mirror image (front camera). "
    "PoseDash shows and measures it as the camera recorded it, so the "
    "patient's left side is labelled left."
)


def _first_frame(data: bytes, name: str):
    """(width, height, ops, mirror marked) of the first decoded frame; InputError if none."""
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            return frame.width, frame.height, ops, marked_mirror(frame)
    raise InputError(
        f"{name} contains no video frames.", "Choose a video recorded with the camera."
    )


def probe_video(
    data: bytes, name: str = "video", limits: VideoLimits = DEFAULT_LIMITS
) -> VideoInfo:
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
        raise InputError(
            f"{name} is {len(data) / 2**20:.0f} MB; PoseDash reads videos up to "
            f"{limits.max_bytes / 2**20:.0f} MB.",
            "Trim the video or export it at a lower quality, then try again.",
        )
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
    width, height, ops, mirrored = _first_frame(data, name)
    index = index_video(data, name)
    if index is not None:
        frames = index.num_frames
    if swaps_axes(ops):
        width, height = height, width
    mirror_note = MIRROR_NOTE if mirrored else ""
    rotation = clockwise_degrees(ops)
    turn_note = f"Turned {rotation}° upright, as the phone recorded it." if rotation else ""
    notes = tuple(
        n for n in (stream_note, turn_note, mirror_note, index.note if index else "") if n
    )
    info = VideoInfo(
        width=width,
        height=height,
        rotation=rotation,
        codec=codec,
        container=container_name,
        fps=fps,
        duration_s=duration,
        frame_count=frames,
        mirrored=bool(mirrored),
        stream=position,
        notes=notes,
    )
    check_limits(info, name, limits)
    return info


def check_limits(info: VideoInfo, name: str, limits: VideoLimits = DEFAULT_LIMITS) -> None:
    """Raise InputError when ``info`` exceeds ``limits`` (duration, pixels)."""
    if info.duration_s > limits.max_duration_s:
        raise InputError(
            f"{name} lasts {_clock(info.duration_s)}; PoseDash analyses videos up to "
            f"{_clock(limits.max_duration_s)}.",
            "Trim the video to the part you want to review, or raise the limit in the settings.",
        )
    if info.width * info.height > limits.max_pixels:
        raise InputError(
            f"{name} is {info.width} x {info.height} pixels, larger than PoseDash "
            f"decodes ({limits.max_pixels / 1e6:.0f} megapixels).",
            "Export a smaller copy of the video and try again.",
        )


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


# -- decoding ----------------------------------------------------------------


def _check_complete(name: str, decoded: int, shown_s: float, index: VideoIndex | None) -> None:
    """InputError when decoding ended well before what the header declares (cut short)."""
    if decoded == 0:
        raise InputError(
            f"{name} contains no video frames.", "Choose a video recorded with the camera."
        )
    if index is None:
        return
    declared, declared_s = index.declared_frames, index.declared_s
    if declared and decoded < declared - max(2, declared // 100):
        raise InputError(
            f"{name} is incomplete: it declares {declared} frames but only {decoded} could be "
            "decoded.",
            "It may not have finished copying or recording; copy it again.",
        )
    if declared_s and declared_s - shown_s > max(0.5, 0.1 * declared_s):
        raise InputError(
            f"{name} is incomplete: it should last {declared_s:.1f} s but its pictures stop "
            f"at {shown_s:.1f} s.",
            "It may not have finished copying or recording; copy it again.",
        )


def _slot(pts: int | None, previous: int, index: VideoIndex | None) -> int:
    """Which of the index's times a decoded frame has: the one of its own PTS when
    the index is seekable (a frame the decoder dropped leaves its time unused),
    else the next in order."""
    if index is not None and index.seekable and pts is not None:
        j = int(np.searchsorted(index.pts, pts))
        if j < len(index.pts) and index.pts[j] == pts and j > previous:
            return j
    return previous + 1


def iter_frames(
    data: bytes,
    stride: int = 1,
    max_side: int | None = None,
    *,
    name: str = "video",
    limits: VideoLimits | None = None,
) -> Generator[tuple[int, float, np.ndarray], None, None]:
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
    t, count, slot, scaler = -step, 0, -1, new_scaler()
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            slot = _slot(frame.pts, slot, index)
            t = (
                float(index.time_s[slot])
                if index is not None and slot < index.num_frames
                else t + step
            )
            if limits is not None and t > limits.max_duration_s:
                raise InputError(
                    f"{name} lasts longer than {_clock(limits.max_duration_s)}, the longest "
                    "video PoseDash analyses.",
                    "Trim the video to the part you want to review.",
                )
            if count % stride == 0:
                yield count, t, to_rgb(frame, ops, max_side, scaler)
            count += 1
    _check_complete(name, count, t + step, index)


def read_frame(
    data: bytes,
    frame_index: int,
    max_side: int | None = None,
    *,
    name: str = "video",
    index: VideoIndex | None = None,
) -> np.ndarray:
    """Decode the one frame ``frame_index`` (as numbered by :func:`iter_frames`).

    Notes
    -----
    A one-off :class:`~dashboard.media.video_reader.FrameReader`: it seeks to the
    keyframe before the frame and decodes forward, so the cost is one group of
    pictures, not the whole video; where the frame numbers a seek gives cannot
    be proved equal to :func:`iter_frames`' it decodes from the start. Pass
    ``index`` from :func:`index_video` (``Analysis.video_index``) when reading
    many frames of one video: it is otherwise read from the packets on every
    call; to step through frames, keep a ``FrameReader`` instead.

    Raises
    ------
    IndexError
        ``frame_index`` is outside the video.
    InputError
        The video cannot be read.
    """
    if frame_index < 0:
        raise IndexError(f"frame_index must be >= 0, got {frame_index}")
    with FrameReader(data, name, index, keep_bytes=0) as reader:
        return reader.read(frame_index, max_side)


def read_frames(
    data: bytes,
    frame_indices,
    max_side: int | None = None,
    *,
    name: str = "video",
    index: VideoIndex | None = None,
) -> dict:
    """Decode several frames (numbered as by :func:`iter_frames`).

    Returns ``{frame_index: rgb}`` for the frames found (one outside the video
    is left out). Cheaper than one :func:`read_frame` per frame: one
    :class:`~dashboard.media.video_reader.FrameReader` reads them in order, going
    on decoding from one to the next, or seeking to the keyframe before the
    next when that is nearer.
    """
    wanted = sorted({int(i) for i in frame_indices if int(i) >= 0})
    out: dict[int, np.ndarray] = {}
    if not wanted:
        return out
    with FrameReader(data, name, index, keep_bytes=0) as reader:
        for i in wanted:
            try:
                out[i] = reader.read(i, max_side)
            except IndexError:
                continue
    return out


# -- ranges, for parallel analysis ------------------------------------------------


def iter_frame_range(
    data: bytes,
    index: VideoIndex,
    start: int,
    stop: int,
    stride: int = 1,
    max_side: int | None = None,
    *,
    name: str = "video",
) -> Generator[tuple[int, float, np.ndarray], None, None]:
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
    expected, scaler = start, new_scaler()
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
                yield i, float(index.time_s[i]), to_rgb(frame, ops, max_side, scaler)
            expected += 1
            if expected >= stop:
                break
    if expected < stop:
        raise UnsupportedRange(f"decoding ended at frame {expected}, before {stop}")
