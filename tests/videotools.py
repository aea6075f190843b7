"""Video helpers shared by the tests (made in memory with PyAV, never on disk)."""
from __future__ import annotations

import io

import av


def rotated_copy(data: bytes, display_rotation: int = -90, *, hflip: bool = False,
                 vflip: bool = False) -> bytes:
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
