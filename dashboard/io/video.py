"""Decode videos from bytes, in memory, into upright RGB frames with true times.

Nothing is written to disk: PyAV (FFmpeg) reads the uploaded bytes through a
``BytesIO``. Containers: MP4, MOV, AVI, WebM, MKV (anything FFmpeg demuxes);
codecs: H.264, HEVC (phones), VP9, MJPEG, AV1 and the rest of FFmpeg's decoders.

Notes
-----
Frame index
    The 0-based position of a frame in presentation order among all decoded
    frames of the first video stream. With a stride, the analysed frames are
    ``0, stride, 2 * stride, ...`` and keep their original index.
Time
    ``time_s`` is the frame's presentation timestamp (PTS) from the container,
    in seconds from the first frame's PTS. It is never ``index / fps``, so a
    variable-frame-rate phone video keeps its real timing. A frame without a PTS
    (rare; some AVI files) gets the previous time plus one nominal frame interval.
Rotation
    Phones record portrait video as landscape pixels plus a display matrix. The
    matrix is read from each decoded frame's side data (PyAV >= 14 exposes it,
    FFmpeg copies the stream's matrix onto every frame); the old ``rotate``
    metadata tag is a fallback. Frames are turned exactly as FFmpeg's own player
    turns them (multiples of 90 degrees, with mirroring); other angles are not
    applied. Sample aspect ratio (anamorphic video) is not corrected.
Colour
    Frames are converted to RGB by FFmpeg (``to_ndarray(format="rgb24")``); there
    is no BGR anywhere. The conversion uses the colour matrix the file declares
    (BT.709 for most HD video); OpenCV always uses BT.601, so OpenCV-decoded
    frames of BT.709 files differ by under one grey level on average.
Memory
    Frames are yielded one at a time and never all kept; :func:`read_frame`
    seeks to the keyframe before the wanted frame and decodes forward, and so
    does :func:`iter_frame_range` (a range of frames, for parallel analysis).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath
from typing import Iterator, Optional, Tuple

import numpy as np

from dashboard.errors import InputError

VIDEO_EXTENSIONS = ("mp4", "m4v", "mov", "avi", "webm", "mkv")
VIDEO_FORMATS = "MP4, MOV, AVI, WebM or MKV"
#: FFmpeg demuxers that read a single picture: a photo is not a video.
_IMAGE_DEMUXERS = ("image2", "_pipe")
#: Signatures of the container formats PoseDash reads, to tell "damaged" from "not a video".
_SIGNATURES = ((4, b"ftyp"), (4, b"moov"), (4, b"mdat"), (4, b"wide"), (4, b"free"),
               (0, b"\x1a\x45\xdf\xa3"), (0, b"RIFF"))


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

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


# -- opening -----------------------------------------------------------------

def _looks_like_video(data: bytes) -> bool:
    return any(data[off:off + len(sig)] == sig for off, sig in _SIGNATURES)


def _check_name(name: str) -> None:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix and suffix not in VIDEO_EXTENSIONS:
        raise InputError(f"{name} is not a video file PoseDash reads (.{suffix}).",
                         f"Use a {VIDEO_FORMATS} video.")


def _open(data: bytes, name: str):
    """Open ``data`` with PyAV and return (container, video stream); InputError otherwise."""
    import av

    if not data:
        raise InputError(f"{name} is empty (0 bytes).", "Choose the video again.")
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except av.FFmpegError:
        if _looks_like_video(data):
            raise InputError(
                f"{name} is incomplete or damaged: it starts like a video but cannot be "
                "read (the file may have been cut short, or holds no frames).",
                "It may not have finished copying or recording; copy it again.") from None
        raise InputError(f"{name} is not a video PoseDash can read.",
                         f"Use a {VIDEO_FORMATS} video.") from None
    fmt = container.format.name
    if fmt == "image2" or fmt.endswith("_pipe"):
        container.close()
        raise InputError(f"{name} is a picture, not a video.",
                         "Upload it as a photo instead, or choose a video.")
    if not container.streams.video:
        kind = "only sound" if container.streams.audio else "no video"
        container.close()
        raise InputError(f"{name} contains {kind}: there is no picture to analyse.",
                         "Choose a video recorded with the camera.")
    stream = container.streams.video[0]
    return container, stream


# -- rotation ----------------------------------------------------------------

def _display_matrix(frame) -> Optional[np.ndarray]:
    for side in frame.side_data:
        if side.type.name == "DISPLAYMATRIX":
            return np.frombuffer(bytes(side), dtype="<i4")[:9].copy()
    return None


def orientation_ops(rotation_ccw: float, matrix: Optional[np.ndarray]) -> Tuple[str, ...]:
    """Numpy operations that turn stored pixels into the displayed picture.

    Parameters
    ----------
    rotation_ccw
        FFmpeg's ``av_display_rotation_get`` angle (``VideoFrame.rotation``):
        counter-clockwise degrees of the display matrix.
    matrix
        The 3 x 3 display matrix (9 int32, 16.16 fixed point) or None.

    Returns
    -------
    A tuple of operation names applied in order by :func:`apply_orientation`:
    ``"transpose"``, ``"rot_cw"``, ``"rot_ccw"``, ``"flip_x"``, ``"flip_y"``.

    Notes
    -----
    Follows FFmpeg's fftools (``ffmpeg`` / ``ffplay`` autorotate) decision table,
    so a video is shown as FFmpeg-based players show it.
    """
    theta = -round(rotation_ccw)
    theta -= 360 * np.floor(theta / 360 + 0.9 / 360)
    m = matrix if matrix is not None else np.array([65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30])
    if abs(theta - 90) < 1:
        return ("transpose",) if m[3] > 0 else ("rot_cw",)
    if abs(theta - 180) < 1:
        return tuple(op for op, on in (("flip_x", m[0] < 0), ("flip_y", m[4] < 0)) if on)
    if abs(theta - 270) < 1:
        return ("rot_cw", "flip_y") if m[3] < 0 else ("rot_ccw",)
    if abs(theta) < 1 and m[4] < 0:
        return ("flip_y",)
    return ()


def apply_orientation(rgb: np.ndarray, ops: Tuple[str, ...]) -> np.ndarray:
    """Apply :func:`orientation_ops` to an (H, W, C) array (returns a contiguous copy if turned)."""
    if not ops:
        return rgb
    for op in ops:
        if op == "transpose":
            rgb = rgb.transpose(1, 0, 2)
        elif op == "rot_cw":
            rgb = np.rot90(rgb, -1)
        elif op == "rot_ccw":
            rgb = np.rot90(rgb, 1)
        elif op == "flip_x":
            rgb = rgb[:, ::-1]
        elif op == "flip_y":
            rgb = rgb[::-1]
    return np.ascontiguousarray(rgb)


def _ops_for(frame, stream) -> Tuple[str, ...]:
    matrix = _display_matrix(frame)
    if matrix is not None:
        return orientation_ops(frame.rotation, matrix)
    tag = stream.metadata.get("rotate")
    try:
        clockwise = float(tag) if tag else 0.0
    except ValueError:
        clockwise = 0.0
    return orientation_ops(-clockwise, None)


def _swaps_axes(ops: Tuple[str, ...]) -> bool:
    return sum(op in ("transpose", "rot_cw", "rot_ccw") for op in ops) % 2 == 1


def _clockwise_degrees(ops: Tuple[str, ...]) -> int:
    turns = {"rot_cw": 1, "rot_ccw": -1, "transpose": 1}
    deg = 90 * sum(turns.get(op, 0) for op in ops)
    if ops and set(ops) == {"flip_x", "flip_y"}:
        deg = 180
    return int(deg % 360)


# -- probing -----------------------------------------------------------------

def _seconds(value, time_base) -> float:
    if value is None or time_base is None:
        return 0.0
    return float(value * time_base)


def _declared_duration(stream) -> float:
    """Duration of the video stream the container declares, in seconds (0 if none).

    MP4/MOV/AVI give it on the stream; Matroska/WebM in a ``DURATION`` tag.
    """
    seconds = _seconds(stream.duration, stream.time_base)
    if seconds > 0:
        return seconds
    tag = stream.metadata.get("DURATION") or stream.metadata.get("duration") or ""
    try:
        h, m, sec = tag.split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)
    except ValueError:
        return 0.0


def _decode_error(name: str, done: int) -> InputError:
    where = "before its first frame" if done == 0 else f"after frame {done}"
    return InputError(f"{name} is damaged: decoding stopped {where}.",
                      "It may not have finished copying or recording; copy it again, "
                      "or export it again from the camera or phone.")


def probe_video(data: bytes, name: str = "video",
                limits: VideoLimits = DEFAULT_LIMITS) -> VideoInfo:
    """Read a video's size, rotation, codec, frame rate and duration, and check limits.

    Decodes only the first frame (to learn the rotation and prove the video can
    be decoded).

    Raises
    ------
    InputError
        Empty, not a video, a photo, sound only, damaged, no frames, or beyond
        ``limits`` (size, duration, pixels), with a message for the user.
    """
    import av

    _check_name(name)
    if len(data) > limits.max_bytes:
        raise InputError(f"{name} is {len(data) / 2**20:.0f} MB; PoseDash reads videos up to "
                         f"{limits.max_bytes / 2**20:.0f} MB.",
                         "Trim the video or export it at a lower quality, then try again.")
    container, stream = _open(data, name)
    try:
        codec = stream.codec_context.name
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        duration = _declared_duration(stream)
        if duration <= 0 and container.duration:
            duration = container.duration / av.time_base
        frames = int(stream.frames or 0) or (int(round(duration * fps)) if fps else 0)
        try:
            first = next(container.decode(stream), None)
        except (av.FFmpegError, MemoryError):
            raise _decode_error(name, 0) from None
        if first is None:
            raise InputError(f"{name} contains no video frames.",
                             "Choose a video recorded with the camera.")
        ops = _ops_for(first, stream)
        width, height = first.width, first.height
        if _swaps_axes(ops):
            width, height = height, width
        mirrored = sum(op in ("transpose", "flip_x", "flip_y") for op in ops) % 2 == 1
        container_name = container.format.name
    finally:
        container.close()
    info = VideoInfo(width=width, height=height, rotation=_clockwise_degrees(ops), codec=codec,
                     container=container_name, fps=fps, duration_s=duration,
                     frame_count=frames, mirrored=bool(mirrored))
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


def _to_rgb(frame, ops: Tuple[str, ...], max_side: Optional[int]) -> np.ndarray:
    width, height = frame.width, frame.height
    if _swaps_axes(ops):
        disp_w, disp_h = _scaled_size(height, width, max_side)
        out_w, out_h = disp_h, disp_w
    else:
        out_w, out_h = _scaled_size(width, height, max_side)
    if (out_w, out_h) == (width, height):
        rgb = frame.to_ndarray(format="rgb24")
    else:
        rgb = frame.to_ndarray(format="rgb24", width=out_w, height=out_h, interpolation="AREA")
    return apply_orientation(rgb, ops)


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
        Presentation time in seconds from the first frame (see module Notes).
    rgb : np.ndarray
        (H, W, 3) uint8 RGB, upright, C-contiguous.

    Raises
    ------
    InputError
        Not a video, damaged, no frames, or ending well before the number of
        frames or the duration its container declares (a file cut short). This
        is raised after the last frame: frames already yielded were valid.
    """
    import av

    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    container, stream = _open(data, name)
    stream.thread_type = "AUTO"
    rate = stream.average_rate or stream.guessed_rate
    step = float(1 / rate) if rate else 1 / 30
    declared = int(stream.frames or 0)
    declared_s = _declared_duration(stream)
    ops: Optional[Tuple[str, ...]] = None
    t0: Optional[float] = None
    last_t = -step
    index = 0
    try:
        frames = container.decode(stream)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except (av.FFmpegError, MemoryError):
                raise _decode_error(name, index) from None
            if ops is None:
                ops = _ops_for(frame, stream)
            if frame.time is None:
                t = last_t + step
            else:
                if t0 is None:  # keep continuity with any earlier frames without PTS
                    t0 = frame.time - (last_t + step)
                t = frame.time - t0
            last_t = t
            if limits is not None and t > limits.max_duration_s:
                raise InputError(
                    f"{name} lasts longer than {_clock(limits.max_duration_s)}, the longest "
                    "video PoseDash analyses.", "Trim the video to the part you want to review.")
            if index % stride == 0:
                yield index, float(t), _to_rgb(frame, ops, max_side)
            index += 1
    finally:
        container.close()
    if index == 0:
        raise InputError(f"{name} contains no video frames.",
                         "Choose a video recorded with the camera.")
    if declared and index < declared - max(2, declared // 100):
        raise InputError(
            f"{name} is incomplete: it declares {declared} frames but only {index} could be "
            "decoded.", "It may not have finished copying or recording; copy it again.")
    shown = last_t + step
    if declared_s and declared_s - shown > max(0.5, 0.1 * declared_s):
        raise InputError(
            f"{name} is incomplete: it should last {declared_s:.1f} s but its pictures stop "
            f"at {shown:.1f} s.", "It may not have finished copying or recording; copy it again.")


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
    trusted (no index, a mismatch after the seek) it falls back to decoding from
    the start.

    Raises
    ------
    IndexError
        ``frame_index`` is outside the video.
    InputError
        The video cannot be read.
    """
    import av

    if frame_index < 0:
        raise IndexError(f"frame_index must be >= 0, got {frame_index}")
    if index is None:
        index = index_video(data, name)
    if index is not None and frame_index >= index.num_frames:
        raise IndexError(f"{name} has {index.num_frames} frames; there is no frame {frame_index}")
    container, stream = _open(data, name)
    try:
        if index is not None:
            target = int(index.pts[frame_index])
            try:
                container.seek(target, backward=True, any_frame=False, stream=stream)
                for frame in container.decode(stream):
                    if frame.pts is None or frame.pts > target:
                        break
                    if frame.pts == target:
                        return _to_rgb(frame, _ops_for(frame, stream), max_side)
            except av.FFmpegError:
                pass
    finally:
        container.close()
    for index, _, rgb in iter_frames(data, max_side=max_side, name=name):
        if index == frame_index:
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
    import av

    wanted = sorted({int(i) for i in frame_indices if int(i) >= 0})
    if not wanted:
        return {}
    if index is None:
        index = index_video(data, name)
    out = {}
    if index is not None:
        by_pts = {int(index.pts[i]): i for i in wanted if i < index.num_frames}
        container, stream = _open(data, name)
        stream.thread_type = "AUTO"
        try:
            if by_pts:
                container.seek(min(by_pts), backward=True, any_frame=False, stream=stream)
                last = max(by_pts)
                for frame in container.decode(stream):
                    if frame.pts is None:
                        break
                    i = by_pts.get(int(frame.pts))
                    if i is not None:
                        out[i] = _to_rgb(frame, _ops_for(frame, stream), max_side)
                    if frame.pts >= last:
                        break
        except av.FFmpegError:
            pass
        finally:
            container.close()
    for i in wanted:
        if i not in out:
            try:
                out[i] = read_frame(data, i, max_side, name=name, index=index)
            except IndexError:
                continue
    return out


# -- ranges, for parallel analysis ------------------------------------------------

@dataclass(frozen=True)
class VideoIndex:
    """Every frame's presentation timestamp, read from the packets (no decoding).

    pts
        (N,) int64 PTS in ``time_base`` units, sorted: ``pts[i]`` is frame ``i``
        as numbered by :func:`iter_frames`.
    time_base
        The stream's time base.
    """

    pts: np.ndarray
    time_base: Fraction

    @property
    def num_frames(self) -> int:
        return len(self.pts)

    @property
    def duration_s(self) -> float:
        return float((int(self.pts[-1]) - int(self.pts[0])) * self.time_base) if len(self.pts) else 0.0


class UnsupportedRange(Exception):
    """This video cannot be decoded by frame ranges (timestamps missing or not
    matching the packets); decode it from the start instead."""


def index_video(data: bytes, name: str = "video") -> Optional[VideoIndex]:
    """The :class:`VideoIndex` of a video, or None when its frames cannot be
    located by timestamp (a packet without PTS, or two frames with the same PTS).

    Reads the container's packets only (a few ms for thousands of frames).
    """
    import av

    container, stream = _open(data, name)
    try:
        pts = []
        for packet in container.demux(stream):
            if not packet.size or packet.is_discard:
                continue
            if packet.pts is None:
                return None
            pts.append(packet.pts)
        time_base = stream.time_base
    except av.FFmpegError:
        return None
    finally:
        container.close()
    pts = np.sort(np.asarray(pts, dtype=np.int64))
    if len(pts) == 0 or time_base is None or np.any(np.diff(pts) == 0):
        return None
    return VideoIndex(pts=pts, time_base=Fraction(time_base))


def iter_frame_range(data: bytes, index: VideoIndex, start: int, stop: int, stride: int = 1,
                     max_side: Optional[int] = None, *, name: str = "video"
                     ) -> Iterator[Tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, pts_time, rgb)`` for frames ``start <= i < stop`` with
    ``i % stride == 0``, as :func:`iter_frames` numbers and converts them.

    Seeks to the keyframe at or before ``start`` and decodes forward; frames
    before ``start`` are decoded (inter-coded video needs them) but not
    converted. ``pts_time`` is the frame's PTS in seconds, *not* relative to
    the first frame: subtract frame 0's ``pts_time`` to get :func:`iter_frames`'
    ``time_s`` (the same arithmetic, so the same float).

    Raises
    ------
    UnsupportedRange
        A decoded frame's timestamp is not in ``index`` or the seek went past
        ``start``: use :func:`iter_frames` for this video.
    InputError
        The video is damaged (as :func:`iter_frames`).
    """
    import av

    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    pts = index.pts
    stop = min(stop, len(pts))
    if start >= stop:
        return
    container, stream = _open(data, name)
    stream.thread_type = "AUTO"
    ops: Optional[Tuple[str, ...]] = None
    expected = start
    try:
        if start > 0:
            try:
                container.seek(int(pts[start]), backward=True, any_frame=False, stream=stream)
            except av.FFmpegError:
                raise UnsupportedRange(f"cannot seek to frame {start}") from None
        frames = container.decode(stream)
        while expected < stop:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except (av.FFmpegError, MemoryError):
                raise _decode_error(name, expected) from None
            if frame.pts is None:
                raise UnsupportedRange("a decoded frame has no timestamp")
            i = int(np.searchsorted(pts, frame.pts))
            if i >= len(pts) or pts[i] != frame.pts:
                raise UnsupportedRange(f"decoded PTS {frame.pts} is not a packet PTS")
            if i < expected:
                continue  # lead-in from the keyframe
            if i > expected:
                raise UnsupportedRange(f"frame {expected} was not decoded (got {i})")
            if ops is None:
                ops = _ops_for(frame, stream)
            if i % stride == 0:
                yield i, float(frame.time), _to_rgb(frame, ops, max_side)
            expected += 1
    finally:
        container.close()
    if expected < stop:
        raise UnsupportedRange(f"decoding ended at frame {expected}, before {stop}")
