"""Hostile and odd input files made in memory: images, videos and session files that
PoseDash must refuse with a clear message or read safely."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from fractions import Fraction

import numpy as np
from PIL import Image

from dashboard.outputs import session


def png_header(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def noise_image(fmt: str, size=(320, 240), mode="RGB", **kw) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 40).convert(mode).save(buf, fmt, **kw)
    return buf.getvalue()


def synthetic_video(
    n_frames: int = 12, size=(160, 120), codec="libx264", fmt="mp4", audio=False, video_stream=True
) -> bytes:
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=25) if video_stream else None
        if stream is not None:
            stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        sound = out.add_stream("aac", rate=44100) if audio else None
        if stream is not None:
            for i in range(n_frames):
                frame = av.VideoFrame.from_ndarray(
                    np.full((size[1], size[0], 3), i * 10 % 255, np.uint8), format="rgb24"
                )
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        if sound is not None:
            samples = np.zeros((1, 1024), np.float32)
            for i in range(20):
                frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
                frame.sample_rate = 44100
                frame.pts = i * 1024
                frame.time_base = Fraction(1, 44100)
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return buf.getvalue()


def huge_header_mp4(frames: int = 1_000_000) -> bytes:
    """A 12-frame MP4 (11.6 kB) whose sample-to-time table declares ``frames`` frames."""
    data = bytearray(synthetic_video(12, size=(64, 48)))
    at = data.find(b"stts")
    data[at + 12 : at + 16] = struct.pack(">I", frames)  # first entry's sample count
    return bytes(data)


def npy_header(dtype: str, shape) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": dtype, "fortran_order": False, "shape": tuple(shape)}
    )
    return buf.getvalue()


def big_session(frames: int, people: int = 1) -> bytes:
    """A valid session file of ``frames`` frames (nobody found: NaN landmarks),
    written in pieces so that making it needs no memory: 1,000,000 frames give
    about 7 MB."""
    shapes = session._expected_shape
    manifest = {
        "format": session.FORMAT,
        "version": 1,
        "source": {"name": "long.mp4", "sha256": "0" * 64, "kind": "video"},
        "fps": 30.0,
        "stride": 1,
        "image_size": [640, 480],
        "frames": frames,
        "people": people,
        "landmarks": 33,
        "settings": {"num_poses": max(1, people)},
        "model": {},
        "angle_settings": None,
    }
    buf = io.BytesIO()
    chunk = 65_536
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name in session.ARRAY_NAMES:
            shape = shapes(name, frames, people)
            integer = name in ("frame_index", "person_ids")
            with zf.open(f"arrays/{name}.npy", "w", force_zip64=True) as fp:
                fp.write(npy_header("<i8" if integer else "<f8", shape))
                total = int(np.prod(shape))
                for start in range(0, total, chunk):
                    n = min(chunk, total - start)
                    if name in ("frame_index", "person_ids"):
                        part = np.arange(start, start + n, dtype="<i8")
                    elif name == "time_s":
                        part = np.arange(start, start + n, dtype="<f8") / 30.0
                    else:
                        part = np.full(n, np.nan, "<f8")
                    fp.write(part.tobytes())
    return buf.getvalue()
