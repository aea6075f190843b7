"""Video helpers shared by the tests (made in memory with PyAV, never on disk)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np


def rotated_copy(
    data: bytes, display_rotation: int = -90, *, hflip: bool = False, vflip: bool = False
) -> bytes:
    """The same MP4 stream, remuxed with a display-rotation tag, as a phone records
    portrait video (-90: shown turned 90 degrees clockwise); ``hflip`` / ``vflip``
    add a mirror after the turn, as a front camera marks a selfie video."""
    src = av.open(io.BytesIO(data))
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream_from_template(src.streams.video[0])
        stream.set_display_rotation(display_rotation, hflip=hflip, vflip=vflip)
        for packet in src.demux(src.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    src.close()
    return buf.getvalue()


def reencoded(
    data: bytes,
    fmt: str = "avi",
    codec: str = "libx264",
    options=None,
    loops: int = 1,
    max_frames: int = 0,
) -> bytes:
    """``data``'s pictures encoded again (by default H.264 with 3 B-frames and a
    keyframe every 160 frames, in an AVI, which stores no presentation times),
    played ``loops`` times, at most ``max_frames`` frames (0: all)."""
    from fractions import Fraction

    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        k, stream = 0, None
        for _ in range(loops):
            src = av.open(io.BytesIO(data))
            source = src.streams.video[0]
            if stream is None:
                rate = round(float(source.average_rate))
                stream = out.add_stream(codec, rate=rate)
                ctx = source.codec_context
                stream.width, stream.height, stream.pix_fmt = ctx.width, ctx.height, "yuv420p"
                stream.options = dict(options or {"bf": "3", "g": "160", "preset": "veryfast"})
            for frame in src.decode(source):
                if max_frames and k >= max_frames:
                    break
                frame.pts, frame.time_base = k, Fraction(1, rate)
                k += 1
                for packet in stream.encode(frame):
                    out.mux(packet)
            src.close()
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def repeated_times(data: bytes, every: int = 40) -> bytes:
    """``data``'s packets remuxed into MKV, every ``every``-th frame shown given the
    time of the frame shown before it (a repeated timestamp, as a faulty recorder
    writes; PoseDash repairs it)."""
    src = av.open(io.BytesIO(data))
    stream = src.streams.video[0]
    packets = [p for p in src.demux(stream) if p.dts is not None and p.size]
    pts = [int(p.pts) for p in packets]
    order = sorted(range(len(pts)), key=lambda k: pts[k])
    new = list(pts)
    for r in range(every, len(order), every):
        new[order[r]] = pts[order[r - 1]]
    suffix_min = new[:]  # decoding times: non-decreasing, none after its presentation
    for k in range(len(new) - 2, -1, -1):
        suffix_min[k] = min(new[k], suffix_min[k + 1])
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as out:
        copy = out.add_stream_from_template(stream)
        for k, packet in enumerate(packets):
            packet.stream = copy
            packet.pts, packet.dts = new[k], suffix_min[k]
            out.mux(packet)
    src.close()
    return buf.getvalue()


def bar_picture(i: int, width: int, height: int) -> np.ndarray:
    """Frame ``i``: a white bar at x = 3 i (so each frame is recognisable)."""
    img = np.zeros((height, width, 3), np.uint8)
    x = (3 * i) % (width - 3)
    img[:, x : x + 3] = 255
    return img


def bar_of(rgb: np.ndarray) -> int:
    """Which frame ``bar_picture`` drew: the bar's left edge / 3."""
    column = rgb[rgb.shape[0] // 2, :, 1].astype(int)
    return int(np.argmax(column > 128)) // 3


def bars_clip(
    fmt: str, n: int = 60, options=None, codec: str = "libx264", size=(96, 64), rate: int = 25
) -> bytes:
    """Frame ``i`` shows a bar at x = 3 i (``bar_of`` reads it back)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = options or {"bf": "3", "g": "12", "sc_threshold": "0"}
        for i in range(n):
            for packet in stream.encode(
                av.VideoFrame.from_ndarray(bar_picture(i, *size), format="rgb24")
            ):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def b_frame_clip(fmt: str, n: int = 30, rate: int = 30, size=(96, 64)) -> bytes:
    """H.264 with B-frames (``bf=3``) in ``fmt`` ("avi", "matroska", "mp4")."""
    return bars_clip(fmt, n, {"bf": "3", "g": "12"}, size=size, rate=rate)


def plain_clip(n: int = 40, rate: int = 25, size=(160, 64), gop: int = 40) -> bytes:
    return bars_clip(
        "mp4", n, {"bf": "0", "g": str(gop), "sc_threshold": "0"}, size=size, rate=rate
    )


def edit_list_trim(data: bytes, skip_frames: int, rate: int = 25) -> bytes:
    """A lossless trim as ``ffmpeg -ss ... -c copy`` makes it: every packet kept,
    the first ``skip_frames`` hidden by the MP4 edit list (negative timestamps)."""
    src = av.open(io.BytesIO(data))
    stream = src.streams.video[0]
    shift = int(Fraction(skip_frames, rate) / stream.time_base)
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        copy = out.add_stream_from_template(stream)
        for packet in src.demux(stream):
            if packet.dts is None:
                continue
            packet.pts -= shift
            packet.dts -= shift
            packet.stream = copy
            out.mux(packet)
    src.close()
    return buf.getvalue()


def thumbnail_first(main: bytes) -> bytes:
    """An MKV whose first video stream is a blank 1-frame 32 x 24 picture, the
    second the video ``main``."""
    src = av.open(io.BytesIO(main))
    vstream = src.streams.video[0]
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as out:
        thumb = out.add_stream("mjpeg", rate=1)
        thumb.width, thumb.height, thumb.pix_fmt = 32, 24, "yuvj420p"
        copy = out.add_stream_from_template(vstream)
        for packet in thumb.encode(
            av.VideoFrame.from_ndarray(np.zeros((24, 32, 3), np.uint8), format="rgb24")
        ):
            out.mux(packet)
        for packet in thumb.encode():
            out.mux(packet)
        for packet in src.demux(vstream):
            if packet.dts is not None:
                packet.stream = copy
                out.mux(packet)
    src.close()
    return buf.getvalue()


def retimed_mkv(data: bytes, pts_ms) -> bytes:
    """The frames of an intra-only clip remuxed into MKV with timestamps ``pts_ms``
    (which may repeat or go backwards, as a faulty recorder writes them)."""
    src = av.open(io.BytesIO(data))
    stream = src.streams.video[0]
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as out:
        copy = out.add_stream_from_template(stream)
        copy.time_base = Fraction(1, 1000)
        for k, packet in enumerate(p for p in src.demux(stream) if p.dts is not None):
            packet.stream = copy
            packet.time_base = Fraction(1, 1000)
            # the muxer needs non-decreasing decoding times, none after its presentation
            packet.pts, packet.dts = int(pts_ms[k]), min(k, int(min(pts_ms[k:])))
            out.mux(packet)
    src.close()
    return buf.getvalue()


def mjpeg_clip(n: int, size=(96, 64)) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="avi") as out:
        stream = out.add_stream("mjpeg", rate=25)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuvj420p"
        for i in range(n):
            for packet in stream.encode(
                av.VideoFrame.from_ndarray(bar_picture(i, *size), format="rgb24")
            ):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def block_picture(i: int, width: int, height: int) -> np.ndarray:
    """Frame ``i``: grey level 10 + 20 i, a white block in the top-left corner."""
    img = np.full((height, width, 3), (10 + 20 * i) % 240, np.uint8)
    img[: height // 2, : width // 4] = 255
    return img


def make_clip(
    n: int = 8,
    width: int = 64,
    height: int = 48,
    *,
    fmt: str = "mp4",
    codec: str = "libx264",
    pts_ms=None,
    rotation=None,
    rate: int = 25,
    pix_fmt: str = "yuv420p",
    options=None,
) -> bytes:
    """Encode ``n`` frames with PTS ``pts_ms`` (default: a constant ``rate``)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        if options:
            stream.options = options
        if pts_ms is not None:
            stream.codec_context.time_base = Fraction(1, 1000)
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for i in range(n):
            frame = av.VideoFrame.from_ndarray(block_picture(i, width, height), format="rgb24")
            if pts_ms is not None:
                frame.pts, frame.time_base = int(pts_ms[i]), Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def corrupt_second_half(data: bytes) -> bytes:
    """A copy whose last quarter of packets is garbage: decoding fails there, in the
    second chunk (a worker's), never in the first (this process's)."""
    src = av.open(io.BytesIO(data))
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream_from_template(src.streams.video[0])
        packets = [p for p in src.demux(src.streams.video[0]) if p.dts is not None]
        middle = len(packets) * 3 // 4
        for k, packet in enumerate(packets):
            if k > middle:
                junk = av.Packet(bytes([0xFF]) * packet.size)
                junk.pts, junk.dts, junk.time_base = packet.pts, packet.dts, packet.time_base
                junk.is_keyframe = packet.is_keyframe
                packet = junk
            packet.stream = stream
            out.mux(packet)
    src.close()
    return buf.getvalue()
