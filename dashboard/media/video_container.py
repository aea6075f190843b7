"""Open a video held in memory, choose its main stream, index its packets, decode.

The container layer of :mod:`dashboard.media.video`: opening the bytes with PyAV
(and telling "not a video" from "damaged"), choosing the main video stream,
reading every frame's time from the packets (:class:`VideoIndex`), and THE
decoding loop (:func:`decoded`) that iterating and reading a range of frames use
(single frames are read by :mod:`dashboard.media.video_reader`, which demuxes
itself to tag each packet).
"""

from __future__ import annotations

import io
from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath
from typing import Any

import numpy as np

from dashboard.errors import InputError
from dashboard.media.video_orient import ops_for
from dashboard.media.video_time import frame_times

VIDEO_EXTENSIONS = ("mp4", "m4v", "mov", "avi", "webm", "mkv")
VIDEO_FORMATS = "MP4, MOV, AVI, WebM or MKV"
#: Signatures of the container formats PoseDash reads, to tell "damaged" from "not a video".
_SIGNATURES = (
    (4, b"ftyp"),
    (4, b"moov"),
    (4, b"mdat"),
    (4, b"wide"),
    (4, b"free"),
    (0, b"\x1a\x45\xdf\xa3"),
    (0, b"RIFF"),
)


# -- opening -----------------------------------------------------------------


def looks_like_video(data: bytes) -> bool:
    return any(data[off : off + len(sig)] == sig for off, sig in _SIGNATURES)


def check_name(name: str) -> None:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix and suffix not in VIDEO_EXTENSIONS:
        raise InputError(
            f"{name} is not a video file PoseDash reads (.{suffix}).",
            f"Use a {VIDEO_FORMATS} video.",
        )


def _is_still(stream) -> bool:
    """A cover picture or thumbnail: an attached picture, or a one-frame stream."""
    import av

    attached = av.stream.Disposition.attached_pic
    return bool(stream.disposition & attached) or int(stream.frames or 0) == 1


def _main_stream(container):
    """(stream, note): the video stream to analyse, and a note when it is not the first.

    Moving pictures before stills, then the most pixels, then the most frames;
    on a tie the first stream.
    """
    streams = list(container.streams.video)

    def rank(s):
        ctx = s.codec_context
        return (not _is_still(s), (ctx.width or 0) * (ctx.height or 0), int(s.frames or 0))

    best = max(streams, key=rank)  # max keeps the first of equals
    if best is streams[0]:
        return best, ""
    k = streams.index(best)
    ctx, first = best.codec_context, streams[0].codec_context
    return best, (
        f"This file has {len(streams)} video streams: PoseDash analyses stream "
        f"{k + 1} ({ctx.width} x {ctx.height}), the main video; stream 1 "
        f"({first.width} x {first.height}) is a still picture or thumbnail."
    )


def open_video(data: bytes, name: str):
    """Open ``data`` with PyAV: (container, main video stream, note); InputError otherwise."""
    import av

    if not data:
        raise InputError(f"{name} is empty (0 bytes).", "Choose the video again.")
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except av.FFmpegError:
        if looks_like_video(data):
            raise InputError(
                f"{name} is incomplete or damaged: it starts like a video but cannot be "
                "read (the file may have been cut short, or holds no frames).",
                "It may not have finished copying or recording; copy it again.",
            ) from None
        raise InputError(
            f"{name} is not a video PoseDash can read.", f"Use a {VIDEO_FORMATS} video."
        ) from None
    fmt = container.format.name
    if fmt == "image2" or fmt.endswith("_pipe"):
        container.close()
        raise InputError(
            f"{name} is a picture, not a video.", "Upload it as a photo instead, or choose a video."
        )
    if not container.streams.video:
        kind = "only sound" if container.streams.audio else "no video"
        container.close()
        raise InputError(
            f"{name} contains {kind}: there is no picture to analyse.",
            "Choose a video recorded with the camera.",
        )
    stream, note = _main_stream(container)
    return container, stream, note


def decode_error(name: str, done: int) -> InputError:
    where = "before its first frame" if done == 0 else f"after frame {done}"
    return InputError(
        f"{name} is damaged: decoding stopped {where}.",
        "It may not have finished copying or recording; copy it again, "
        "or export it again from the camera or phone.",
    )


class UnsupportedRange(Exception):
    """This video cannot be decoded by frame ranges (timestamps missing or not
    matching the packets); decode it from the start instead."""


def decoded(
    data: bytes, name: str, seek_pts: int | None = None
) -> Generator[tuple[Any, tuple[str, ...]], None, None]:
    """THE decoding loop: yield ``(frame, orientation ops)`` of the main video stream.

    Opens ``data``, optionally seeks to the keyframe at or before ``seek_pts``,
    decodes forward with FFmpeg's threads, reads the rotation from the first
    frame, and turns FFmpeg's errors into :class:`InputError` (or, for a failed
    seek, :class:`UnsupportedRange`). The container is closed when the
    generator ends or is closed (use ``contextlib.closing``).
    """
    import av

    container, stream, _ = open_video(data, name)
    stream.thread_type = "AUTO"
    ops: tuple[str, ...] | None = None
    done = 0
    try:
        if seek_pts is not None:
            try:
                container.seek(int(seek_pts), backward=True, any_frame=False, stream=stream)
            except av.FFmpegError:
                raise UnsupportedRange(f"cannot seek to PTS {seek_pts}") from None
        frames = container.decode(stream)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                return
            except (av.FFmpegError, MemoryError):
                raise decode_error(name, done) from None
            if ops is None:
                ops = ops_for(frame, stream)
            yield frame, ops
            done += 1
    finally:
        container.close()


# -- the index: every frame's time, from the packets ----------------------------------


@dataclass(frozen=True)
class VideoIndex:
    """Every frame's presentation time, read from the packets (no decoding).

    pts
        (N,) int64 PTS in ``time_base`` units, sorted: ``pts[i]`` is frame ``i``
        as numbered by :func:`iter_frames` (meaningful only when ``seekable``).
    time_base
        The stream's time base.
    time_s
        (N,) float seconds from frame 0, strictly increasing: ``time_s[i]`` is
        frame ``i``'s time as :func:`iter_frames` gives it.
    seekable
        True when frames can be located by seeking to ``pts[i]``: the file's
        timestamps are unique presentation times (see :mod:`dashboard.media.video_time`).
    note
        Empty, or how the file's timestamps were repaired or derived.
    declared_frames
        The frame count the header declares, less the frames an edit list
        hides (0 when the header declares none).
    declared_s
        The duration the header declares (0 when none).
    step_s
        One nominal frame interval (1 / declared frame rate).
    """

    pts: np.ndarray
    time_base: Fraction
    time_s: np.ndarray = None  # type: ignore[assignment]  # None: __post_init__ fills it
    seekable: bool = True
    note: str = ""
    declared_frames: int = 0
    declared_s: float = 0.0
    step_s: float = 1 / 30

    def __post_init__(self) -> None:
        if self.time_s is None:  # built from sorted unique PTS alone
            raw = (
                self.pts.astype(np.float64) * self.time_base.numerator / self.time_base.denominator
            )
            object.__setattr__(self, "time_s", raw - raw[0] if len(raw) else raw)

    @property
    def num_frames(self) -> int:
        return len(self.time_s)

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1]) if len(self.time_s) else 0.0


def frame_rate(stream) -> float:
    """The stream's average frame rate (else FFmpeg's guess), 0 when unknown."""
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return float(rate) if rate else 0.0


def _edited_out(data: bytes, stream_position: int) -> int:
    """Frames of an MP4/MOV that its edit list hides (a lossless trim): the
    packets read with the edit list ignored, less those read with it."""
    import av

    def count(options) -> int:
        with av.open(io.BytesIO(data), mode="r", options=options) as container:
            stream = list(container.streams.video)[stream_position]
            return sum(1 for p in container.demux(stream) if p.size and not p.is_discard)

    try:
        return max(0, count({"ignore_editlist": "1"}) - count({}))
    except (av.FFmpegError, MemoryError, IndexError):
        return 0


def _declared_frames(data: bytes, container, stream, kept: int) -> int:
    """Frames the header declares the video shows (0 when it declares none).

    FFmpeg counts every sample of an MP4, also those an edit list hides: a
    header that declares more frames than the file holds is either such a trim
    (the hidden frames are not missing) or a file cut short (they are).
    """
    declared = int(stream.frames or 0)
    if declared > kept and container.format.name.startswith("mov"):
        declared -= _edited_out(data, list(container.streams.video).index(stream))
    return max(0, declared)


def index_video(data: bytes, name: str = "video") -> VideoIndex | None:
    """The :class:`VideoIndex` of a video's main stream, read from its packets.

    Reads the container's packets only (a few ms for thousands of frames).
    Packets an MP4 edit list discards are not frames. A file whose packets stop
    being readable part-way gets the index of the packets read so far (not
    seekable). Returns None only when not one packet could be read.

    Raises
    ------
    InputError
        Not a video (as :func:`probe_video`).
    """
    import av

    container, stream, _ = open_video(data, name)
    pts, dts, broken = [], [], False
    try:
        try:
            for packet in container.demux(stream):
                if not packet.size:
                    continue
                if packet.is_discard:  # before an edit list's start: not shown
                    continue
                pts.append(packet.pts)
                dts.append(packet.dts)
        except (av.FFmpegError, MemoryError):
            broken = True
        time_base = Fraction(stream.time_base) if stream.time_base else None
        fps = frame_rate(stream)
        declared_s = declared_duration(stream)
        declared = _declared_frames(data, container, stream, len(pts))
        fmt = container.format.name
    finally:
        container.close()
    if not pts:
        return None
    times, note, seekable = frame_times(pts, dts, time_base, fps, fmt)
    sorted_pts = (
        np.sort(np.asarray(pts, dtype=np.int64))
        if all(p is not None for p in pts)
        else np.arange(len(pts), dtype=np.int64)
    )
    return VideoIndex(
        pts=sorted_pts,
        time_base=time_base or Fraction(1, 1),
        time_s=times,
        seekable=seekable and not broken,
        note=note,
        declared_frames=declared,
        declared_s=declared_s,
        step_s=1.0 / fps if fps else 1 / 30,
    )


# -- declared duration ------------------------------------------------------


def _seconds(value, time_base) -> float:
    if value is None or time_base is None:
        return 0.0
    return float(value * time_base)


def declared_duration(stream) -> float:
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
