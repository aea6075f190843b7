"""Video helpers shared by the tests (made in memory with PyAV, never on disk)."""

from __future__ import annotations

import io

import av


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
