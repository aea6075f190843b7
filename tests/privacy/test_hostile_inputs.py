"""Hostile and broken inputs: photos, videos and session files.

Every case must end in a :class:`PoseDashError` with a message for the user (or,
where the file is merely unusual, a normal result); never another exception. The
whole suite runs in one process whose peak memory is checked at the end.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from dashboard.detect import engine
from dashboard.errors import PoseDashError
from dashboard.media import video
from dashboard.media.images import decode_image
from dashboard.outputs import session
from tests.hostile_files import noise_image, png_header, synthetic_video
from tests.session_data import edited_manifest

pytestmark = pytest.mark.slow

# --------------------------------------------------------------------------- makers


def _long_declared_mp4() -> bytes:
    """A 12-frame MP4 whose sample table says each frame lasts 50 minutes: its
    header declares a 10-hour video."""
    data = bytearray(synthetic_video())
    at = data.find(b"stts")
    entries = struct.unpack(">I", data[at + 8 : at + 12])[0]
    mdhd = data.find(b"mdhd")
    scale = struct.unpack(">I", data[mdhd + 16 : mdhd + 20])[0]
    total = sum(
        struct.unpack(">I", data[at + 12 + 8 * i : at + 16 + 8 * i])[0] for i in range(entries)
    )
    for i in range(entries):
        data[at + 16 + 8 * i : at + 20 + 8 * i] = struct.pack(">I", 36000 * scale // total)
    data[mdhd + 20 : mdhd + 24] = struct.pack(">I", 36000 * scale)  # media header duration
    mvhd = data.find(b"mvhd")
    movie_scale = struct.unpack(">I", data[mvhd + 16 : mvhd + 20])[0]
    data[mvhd + 20 : mvhd + 24] = struct.pack(">I", 36000 * movie_scale)  # movie header
    tkhd = data.find(b"tkhd")
    data[tkhd + 24 : tkhd + 28] = struct.pack(">I", 36000 * movie_scale)  # track header
    elst = data.find(b"elst")
    if elst > 0:  # the edit list, which players use as the presentation duration
        data[elst + 12 : elst + 16] = struct.pack(">I", 36000 * movie_scale)
    return bytes(data)


def _session_zip(manifest, arrays=None, extra=None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if manifest is not None:
            zf.writestr(
                "manifest.json",
                manifest if isinstance(manifest, (str, bytes)) else json.dumps(manifest),
            )
        for name, array in (arrays or {}).items():
            npy = io.BytesIO()
            np.save(npy, array, allow_pickle=True)
            zf.writestr(f"{name}.npy", npy.getvalue())
        for name, content in (extra or {}).items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.fixture(scope="module")
def good_session(media_dir):
    from tests.reference_data import legacy_analysis

    return session.save_session(
        legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json")
    )


# --------------------------------------------------------------------------- photos

PHOTO_ERRORS = {
    "zero bytes": (lambda: b"", "empty"),
    "plain text": (lambda: b"hello, this is a text file\n" * 20, "not a photo"),
    "pdf": (lambda: b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "not a photo"),
    "svg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>',
        "not a photo",
    ),
    "truncated jpeg": (lambda: noise_image("JPEG")[:3000], "incomplete"),
    "truncated png": (lambda: noise_image("PNG")[:5000], "incomplete"),
    "truncated webp": (lambda: noise_image("WEBP")[:2000], ""),
    "truncated heic": (lambda: noise_image("HEIF")[:600], ""),
    "png bomb 30000x30000": (lambda: png_header(30000, 30000), "too large"),
    "png declaring 100000 wide": (lambda: png_header(100_000, 2), "larger than"),
    "jpeg header only": (lambda: noise_image("JPEG")[:200], ""),
    "random bytes": (lambda: np.random.default_rng(1).bytes(50_000), "not a photo"),
}


@pytest.mark.parametrize("case", sorted(PHOTO_ERRORS))
def test_bad_photos_get_a_message(case):
    make, expected = PHOTO_ERRORS[case]
    with pytest.raises(PoseDashError) as info:
        decode_image(make(), "upload")
    assert expected in str(info.value)
    assert "Traceback" not in str(info.value) and len(str(info.value)) > 20


PHOTO_ODD_BUT_FINE = {
    "1x1 pixel": lambda: noise_image("PNG", size=(1, 1)),
    "20000 pixels wide": lambda: noise_image("PNG", size=(20_000, 40), mode="L"),
    "png named like a jpeg (content decides)": lambda: noise_image("PNG"),
    "jpeg with a zip appended (polyglot)": lambda: noise_image("JPEG") + _session_zip({"a": 1}),
    "exif orientation 9 (invalid)": lambda: _exif_jpeg(9),
    "multi-frame tiff": lambda: _multi_tiff(),
    "gif": lambda: noise_image("GIF", mode="P"),
}


def _exif_jpeg(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return noise_image("JPEG", exif=exif)


def _multi_tiff() -> bytes:
    buf = io.BytesIO()
    frames = [Image.new("RGB", (64, 48), c) for c in ("red", "green")]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


@pytest.mark.parametrize("case", sorted(PHOTO_ODD_BUT_FINE))
def test_odd_photos_are_analysed(case, model_info):
    rgb = decode_image(PHOTO_ODD_BUT_FINE[case](), "upload").rgb
    assert rgb.dtype == np.uint8 and rgb.ndim == 3
    seq = engine.analyze_image(rgb, model_info)
    assert seq.num_people == 0  # nobody in noise: "no person found", not an error


# --------------------------------------------------------------------------- videos

VIDEO_ERRORS = {
    "zero bytes": (lambda: b"", "video.mp4", "empty"),
    "text named .mov": (lambda: b"not a video " * 100, "notes.mov", "not a video"),
    "truncated mp4": (lambda: synthetic_video(40)[:1500], "clip.mp4", ""),
    "mp4 signature then junk": (lambda: b"\0\0\0\x18ftypmp42" + b"\x00junk" * 500, "clip.mp4", ""),
    "audio only": (
        lambda: synthetic_video(audio=True, video_stream=False, fmt="mp4"),
        "voice.mp4",
        "only sound",
    ),
    "zero video frames": (lambda: synthetic_video(0), "empty.mp4", ""),
    "photo named .mp4": (lambda: noise_image("JPEG"), "photo.mp4", "photo"),
    "wrong extension (.exe)": (lambda: synthetic_video(), "clip.exe", "not a video file"),
    "ten-hour duration in the header": (_long_declared_mp4, "long.mp4", "lasts"),
    "random bytes": (lambda: np.random.default_rng(2).bytes(100_000), "clip.webm", ""),
}


@pytest.mark.parametrize("case", sorted(VIDEO_ERRORS))
def test_bad_videos_get_a_message(case, model_info):
    make, name, expected = VIDEO_ERRORS[case]
    data = make()
    with pytest.raises(PoseDashError) as info:
        video.probe_video(data, name)
        engine.analyze_video(data, model_info, name=name)
    assert expected.lower() in str(info.value).lower(), str(info.value)
    assert len(str(info.value)) > 20


def test_oversized_video_upload_is_refused():
    limits = video.VideoLimits(max_bytes=1_000)
    with pytest.raises(PoseDashError, match="MB"):
        video.probe_video(synthetic_video(), "big.mp4", limits)


def test_oversized_frames_are_refused():
    limits = video.VideoLimits(max_pixels=100 * 100)
    with pytest.raises(PoseDashError, match="pixels"):
        video.probe_video(synthetic_video(size=(320, 240)), "wide.mp4", limits)


# --------------------------------------------------------------------------- sessions

SESSION_ERRORS = {
    "zero bytes": lambda good: b"",
    "random bytes": lambda good: np.random.default_rng(3).bytes(4096),
    "truncated": lambda good: good[: len(good) // 2],
    "zip without manifest": lambda good: _session_zip(None, extra={"x.txt": "hi"}),
    "corrupt manifest json": lambda good: _session_zip("{not json"),
    "foreign json document": lambda good: _session_zip({"format": "something.else", "version": 1}),
    "newer version": lambda good: _retag(good, version=99),
    "pickled object array": lambda good: _swap_array(
        good, "time_s", np.array([object()], dtype=object)
    ),
    "wrong array shape": lambda good: _swap_array(good, "visibility", np.zeros((2, 2))),
    "a photo renamed .posedash": lambda good: noise_image("JPEG"),
}


def _retag(good: bytes, **changes) -> bytes:
    return edited_manifest(good, lambda manifest: manifest.update(changes))


def _swap_array(good: bytes, name: str, array: np.ndarray) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.endswith(f"{name}.npy"):
                npy = io.BytesIO()
                np.save(npy, array, allow_pickle=True)
                content = npy.getvalue()
            dst.writestr(item, content)
    return buf.getvalue()


@pytest.mark.parametrize("case", sorted(SESSION_ERRORS))
def test_bad_session_files_get_a_message(case, good_session):
    with pytest.raises(PoseDashError) as info:
        session.load_session(SESSION_ERRORS[case](good_session))
    assert len(str(info.value)) > 20


def test_good_session_still_opens(good_session):
    assert session.load_session(good_session).poses.num_frames == 65


# --------------------------------------------------------------------------- totals


def test_case_count_and_memory():
    """At least 30 hostile cases, and the process that ran them stayed bounded."""
    cases = (
        len(PHOTO_ERRORS) + len(PHOTO_ODD_BUT_FINE) + len(VIDEO_ERRORS) + 2 + len(SESSION_ERRORS)
    )
    with open("/proc/self/status") as f:
        peak_kb = int(next(line for line in f if line.startswith("VmHWM")).split()[1])
    print(f"\n{cases} hostile cases; peak memory of the test process {peak_kb / 1024:.0f} MB")
    assert cases >= 30
    assert peak_kb < 3 * 1024 * 1024
