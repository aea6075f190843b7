"""More hostile and unusual inputs (issue 11): memory sized from real data, no
external programs on uploads, huge photos, valid-but-unusual videos, and session
files whose settings are out of range.

Every case ends in a :class:`PoseDashError` with a message for the user, or in a
normal result (with a note where the file had to be repaired); never another
exception. Peak memory is measured in a fresh process per case (its own peak
resident set, and that of any process it starts).
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dashboard.errors import PoseDashError
from dashboard.media import video
from dashboard.media.images import decode_image
from dashboard.outputs import session
from tests import videotools as clips
from tests.hostile_files import (
    big_session,
    huge_header_mp4,
    noise_image,
    png_header,
    synthetic_video,
)
from tests.session_data import edited_manifest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- makers


def _swap(good: bytes, member: str, array: np.ndarray) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == member:
                npy = io.BytesIO()
                np.save(npy, array)
                content = npy.getvalue()
            dst.writestr(item, content)
    return buf.getvalue()


def _zip_flags(good: bytes, flag_bit: int = 0, method: int | None = None) -> bytes:
    """``good`` with its manifest marked encrypted (``flag_bit`` 0) or compressed
    with an unknown ``method``, in both the local and the central header."""
    data = bytearray(good)
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(sig)
        while at >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 13] == b"manifest.json":
                if method is None:
                    data[at + flag_at] |= 1 << flag_bit
                else:
                    data[at + method_at : at + method_at + 2] = struct.pack("<H", method)
            at = data.find(sig, at + 4)
    return bytes(data)


EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
    b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
)


@pytest.fixture(scope="module")
def good_session(media_dir):
    from dashboard.kinematics.summary import KinematicsSettings
    from tests.reference_data import legacy_analysis

    return session.save_session(
        legacy_analysis(media_dir / "reference" / "tfjs_pose_squats_front.legacy.json"),
        KinematicsSettings().as_dict(),
    )


# --------------------------------------------------------------------------- peak memory

_PRELUDE = """
import json, resource, sys
sys.path.insert(0, {root!r})
def _hwm_kb():
    # This process's own high-water mark. ru_maxrss is not used for it: Linux carries
    # the forking parent's peak (here the test runner's) across fork and exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def finish(message, **extra):
    print(json.dumps(dict(extra, message=message, peak_mb=_hwm_kb() / 1024)))
"""


def run_measured(code: str, timeout: float = 900) -> dict:
    """Run ``code`` in a fresh Python process; its result and peak memory (MB).

    One process does all the work (``POSEDASH_WORKERS=1``), so its own peak
    (``VmHWM``) is the peak of the analysis."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), POSEDASH_WORKERS="1")
    out = subprocess.run(
        [sys.executable, "-c", _PRELUDE.format(root=str(ROOT)) + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_header_declaring_a_million_frames_keeps_memory_bounded():
    """Issue 11.2: 11.6 kB that declare 1,000,000 frames; two person slots. Before:
    4.5 GB of frame buffers before the "incomplete" message; now memory follows
    the 12 frames that are really there."""
    result = run_measured("""
from dashboard.detect import engine
from dashboard.detect.models import resolve_model
from dashboard.errors import PoseDashError
from dashboard.settings import AnalysisSettings
from tests.hostile_files import huge_header_mp4
data = huge_header_mp4()
try:
    engine.analyze_video(data, resolve_model(), AnalysisSettings(num_poses=2), name="huge.mp4")
    finish("analysed", size=len(data))
except PoseDashError as exc:
    finish(str(exc), size=len(data))
""")
    print(
        f"\n1,000,000-frame header ({result['size'] / 1024:.1f} kB): peak "
        f"{result['peak_mb']:.0f} MB; {result['message']}"
    )
    assert "incomplete" in result["message"] and "1000000 frames" in result["message"]
    assert result["peak_mb"] < 1024


def test_million_frame_session_is_refused_before_allocating():
    """Issue 11.2: a valid 1,000,000-frame session file (7 MB) is refused from its
    manifest, before any array is read."""
    result = run_measured("""
from dashboard.errors import PoseDashError
from dashboard.outputs import session
from tests.hostile_files import big_session
data = big_session(1_000_000)
try:
    session.read_session(data)
    finish("opened", size=len(data))
except PoseDashError as exc:
    finish(str(exc), size=len(data))
""")
    print(
        f"\n1,000,000-frame session ({result['size'] / 2**20:.1f} MB): peak "
        f"{result['peak_mb']:.0f} MB; {result['message']}"
    )
    assert "1,000,000 frames" in result["message"] and "up to" in result["message"]
    assert result["peak_mb"] < 1024


def test_sessions_within_the_limits_still_open():
    opened = session.read_session(big_session(3_000))
    assert opened.analysis.poses.num_frames == 3_000


def test_100_megapixel_photo_is_decoded_reduced_with_full_size_landmarks(tmp_path, media_dir):
    """Issue 11.7: a 12000 x 8004 photo (96 MP, the yoga photo enlarged 12x) is
    decoded at half size; landmarks come back in the full photo's pixels, where
    the original photo's landmarks x 12 are."""
    path = tmp_path / "huge.jpg"
    yoga = media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from PIL import Image; import sys; im = Image.open(sys.argv[1]).convert('RGB'); "
                "im.resize((12000, 8004), Image.BILINEAR).save(sys.argv[2], quality=90)"
            ),
            str(yoga),
            str(path),
        ],
        check=True,
        timeout=300,
    )
    result = run_measured(f"""
from dashboard.detect import engine
from dashboard.detect.models import resolve_model
from dashboard.media.images import decode_image
data = open({str(path)!r}, "rb").read()
decoded = decode_image(data, "huge.jpg")
seq = engine.analyze_image(decoded.rgb, resolve_model(), image_size=decoded.size)
finish("ok", size=list(seq.image_size), analysed=list(decoded.rgb.shape[:2]),
       xy=seq.image_xy[0, 0].tolist() if seq.num_people else None)
""")
    print(
        f"\n100-megapixel photo: analysed at {result['analysed']}, peak {result['peak_mb']:.0f} MB"
    )
    assert result["size"] == [12000, 8004] and result["analysed"] == [4002, 6000]
    from dashboard.detect import engine
    from dashboard.detect.models import resolve_model

    small = engine.analyze_image(decode_image(yoga.read_bytes()).rgb, resolve_model())
    error = np.linalg.norm(np.array(result["xy"]) - small.image_xy[0, 0] * 12, axis=1)
    print(f"landmarks vs the original photo x 12: median {np.median(error):.1f} px")
    assert np.median(error) < 36  # 3 px of the original photo
    assert result["peak_mb"] < 1024


# --------------------------------------------------------------------------- no programs


def test_eps_renamed_jpg_runs_no_program_and_writes_nothing(tmp_path, monkeypatch):
    """Issue 11.3: Pillow's EPS decoder would run Ghostscript on the upload."""
    import tempfile

    from PIL import EpsImagePlugin

    marker = tmp_path / "ghostscript_ran"
    fake = tmp_path / "gs"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    fake.chmod(0o755)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", str(fake))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    with pytest.raises(PoseDashError) as info:
        decode_image(EPS, "holiday.jpg")
    assert "not a supported photo format" in str(info.value)
    assert not marker.exists(), "Ghostscript was run on the upload"
    assert list(temp.iterdir()) == []


# --------------------------------------------------------------------------- 20+ cases


def _saved(fmt: str, mode: str = "RGB", size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, 128).save(buf, fmt)
    return buf.getvalue()


def _bmp_header(width: int, height: int) -> bytes:
    return (
        b"BM"
        + struct.pack("<IHHI", 54, 0, 0, 54)
        + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    )


def _tiff_header(width: int, height: int) -> bytes:
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 1),
        (273, 4, 1, 8),
        (277, 3, 1, 1),
        (279, 4, 1, 1),
    ]
    ifd = (
        struct.pack("<H", len(entries))
        + b"".join(struct.pack("<HHII", *e) for e in entries)
        + b"\0\0\0\0"
    )
    return b"II*\x00" + struct.pack("<I", 8) + ifd


def _png_text_bomb() -> bytes:
    import zlib

    png = bytearray(noise_image("PNG", size=(8, 8)))
    data = b"Comment\0\0" + zlib.compress(b"A" * (64 * 2**20), 9)
    chunk = (
        struct.pack(">I", len(data))
        + b"zTXt"
        + data
        + struct.pack(">I", zlib.crc32(b"zTXt" + data))
    )
    return bytes(png[:33]) + chunk + bytes(png[33:])


def _cmyk_jpeg() -> bytes:
    return _saved("JPEG", "CMYK")


def _rotated_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    Image.new("RGB", (80, 40), "white").save(buf, "JPEG", exif=exif)
    return buf.getvalue()


NEW_PHOTO_ERRORS = {
    "eps renamed .jpg": (lambda: EPS, "not a supported photo format"),
    "icon file": (lambda: _saved("ICO", size=(32, 32)), "not a supported photo format"),
    "targa": (lambda: _saved("TGA"), "not a supported photo format"),
    "pcx": (lambda: _saved("PCX"), "not a supported photo format"),
    "netpbm ppm": (lambda: _saved("PPM"), "not a supported photo format"),
    "photoshop header": (
        lambda: b"8BPS\x00\x01" + b"\0" * 6 + struct.pack(">HIIHH", 3, 64, 64, 8, 3) + b"\0" * 64,
        "not a supported photo format",
    ),
    "bmp declaring 50000 x 50000": (lambda: _bmp_header(50_000, 50_000), "too large"),
    "tiff declaring 60000 x 60000": (lambda: _tiff_header(60_000, 60_000), "too large"),
    "png with a 64 MB text bomb": (_png_text_bomb, ""),
    "png declaring 0 x 0": (lambda: png_header(0, 0), ""),
}


@pytest.mark.parametrize("case", sorted(NEW_PHOTO_ERRORS))
def test_new_bad_photos_get_a_message(case):
    make, expected = NEW_PHOTO_ERRORS[case]
    with pytest.raises(PoseDashError) as info:
        decode_image(make(), "upload.jpg")
    assert expected in str(info.value) and len(str(info.value)) > 20
    assert "Traceback" not in str(info.value)


NEW_PHOTO_FINE = {
    "cmyk jpeg": (_cmyk_jpeg, (64, 48)),
    "exif orientation 6 (portrait phone photo)": (_rotated_jpeg, (40, 80)),
    "16-bit grey png": (lambda: _saved("PNG", "I;16"), (64, 48)),
    "heic named .png": (lambda: noise_image("HEIF", size=(64, 48)), (64, 48)),
    "26 megapixel jpeg (decoded at half size)": (
        lambda: _saved("JPEG", size=(6400, 4100)),
        (6400, 4100),
    ),
}


@pytest.mark.parametrize("case", sorted(NEW_PHOTO_FINE))
def test_new_odd_photos_decode(case):
    make, size = NEW_PHOTO_FINE[case]
    decoded = decode_image(make(), "upload.png")
    assert decoded.size == size and decoded.rgb.dtype == np.uint8
    assert decoded.rgb.shape[1] * 2**3 >= size[0]  # at most 1/8, never enlarged


def _all_same_times() -> bytes:
    return clips.retimed_mkv(clips.mjpeg_clip(8), [0] * 8)


NEW_VIDEO_CASES = {
    # name: (make, file name, expected frames, a note must mention)
    "losslessly trimmed mp4 (edit list)": (
        lambda: clips.edit_list_trim(clips.plain_clip(40), 25),
        "trim.mp4",
        15,
        None,
    ),
    "thumbnail as first video stream": (
        lambda: clips.thumbnail_first(clips.plain_clip(20, size=(96, 64))),
        "cover.mkv",
        20,
        "stream 2",
    ),
    "avi with b-frames": (lambda: clips.b_frame_clip("avi"), "lab.avi", 30, "frame rate"),
    "mkv with b-frames": (lambda: clips.b_frame_clip("matroska"), "lab.mkv", 30, None),
    "repeated timestamps": (
        lambda: clips.retimed_mkv(
            clips.mjpeg_clip(10), [0, 40, 80, 80, 160, 200, 240, 240, 240, 360]
        ),
        "dup.mkv",
        10,
        "repaired",
    ),
    "backwards timestamps": (
        lambda: clips.retimed_mkv(clips.mjpeg_clip(6), [0, 40, 80, 60, 160, 200]),
        "back.mkv",
        6,
        "repaired",
    ),
    "every frame at time 0": (_all_same_times, "same.mkv", 8, "repaired"),
    "one-frame video": (lambda: synthetic_video(1, size=(64, 48)), "one.mp4", 1, None),
    "16 x 16 pixel video": (lambda: synthetic_video(5, size=(16, 16)), "tiny.mp4", 5, None),
}


@pytest.mark.parametrize("case", sorted(NEW_VIDEO_CASES))
def test_new_unusual_videos_are_read_with_increasing_times(case):
    make, name, frames, note = NEW_VIDEO_CASES[case]
    data = make()
    info = video.probe_video(data, name)
    times = [t for _, t, _ in video.iter_frames(data, name=name)]
    assert len(times) == frames
    assert np.all(np.diff(times) > 0)
    if note is not None:
        assert any(note in n for n in info.notes), info.notes


NEW_VIDEO_ERRORS = {
    "header declaring 1,000,000 frames": (huge_header_mp4, "huge.mp4", "incomplete"),
    "riff header then junk, named .avi": (
        lambda: b"RIFF\x10\x00\x00\x00AVI LIST" + b"\x00junk" * 300,
        "clip.avi",
        "",
    ),
    "ebml header then junk, named .mkv": (
        lambda: b"\x1a\x45\xdf\xa3" + b"\x9f" * 2000,
        "clip.mkv",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(NEW_VIDEO_ERRORS))
def test_new_bad_videos_get_a_message(case):
    make, name, expected = NEW_VIDEO_ERRORS[case]
    with pytest.raises(PoseDashError) as info:
        video.probe_video(make(), name)
        list(video.iter_frames(make(), name=name))
    assert expected in str(info.value) and len(str(info.value)) > 20


def _angle(group, key, value):
    def change(m):
        settings = m.setdefault("angle_settings", {}) or {}
        m["angle_settings"] = settings
        (settings.setdefault(group, {}) if group else settings)[key] = value

    return change


def _detect(key, value):
    def change(m):
        m.setdefault("settings", {})[key] = value

    return change


def _both(first, second):
    def change(m):
        first(m)
        second(m)

    return change


def _top(key, value):
    return lambda m: m.update({key: value})


#: Session settings that are not valid: refused (detection) or replaced by the default (angles).
SESSION_SETTINGS_REFUSED = {
    "detection confidence as a string": (
        _detect("min_detection_confidence", "0.5"),
        "min_detection_confidence",
    ),
    "num_poses as a string": (_detect("num_poses", "7"), "num_poses"),
    "num_poses true": (_detect("num_poses", True), "num_poses"),
    "tracking confidence NaN": (
        _detect("min_tracking_confidence", math.nan),
        "min_tracking_confidence",
    ),
    "stride 1e30": (_top("stride", 1e30), "stride"),
    "fps as a string": (_top("fps", "30"), "fps"),
    "negative fps": (_top("fps", -5), "fps"),
}

SESSION_SETTINGS_REPLACED = {
    "cutoff NaN": (_angle("filter", "cutoff_hz", math.nan), "cutoff_hz"),
    "filter order 5000": (_angle("filter", "order", 5000), "order"),
    "gap of -1 s": (_angle("filter", "max_gap_s", -1), "max_gap_s"),
    "minimum confidence 'high'": (_angle(None, "min_confidence", "high"), "min_confidence"),
    "space 'moon'": (_angle(None, "spaces", ["moon"]), "spaces"),
    "unknown repetition angle": (
        _angle(None, "repetition_angles", ["nose_flexion"]),
        "repetition_angles",
    ),
    "repetition thresholds against the polarity": (
        _both(_angle("repetitions", "enter_deg", 10), _angle("repetitions", "exit_deg", 50)),
        "enter_deg",
    ),
    "filter settings not a group": (_angle(None, "filter", "butterworth"), "filter"),
}


@pytest.mark.parametrize("case", sorted(SESSION_SETTINGS_REFUSED))
def test_invalid_detection_settings_refuse_the_file(case, good_session):
    change, field = SESSION_SETTINGS_REFUSED[case]
    with pytest.raises(PoseDashError) as info:
        session.read_session(edited_manifest(good_session, change))
    assert field in info.value.message and "not valid" in info.value.message


@pytest.mark.parametrize("case", sorted(SESSION_SETTINGS_REPLACED))
def test_invalid_angle_settings_fall_back_with_a_note(case, good_session):
    from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics

    change, field = SESSION_SETTINGS_REPLACED[case]
    opened = session.read_session(edited_manifest(good_session, change))
    assert any(field in note and "defaults" in note for note in opened.notes), opened.notes
    assert not session.kinematics_settings(opened.manifest["angle_settings"])[1]
    settings, _ = session.kinematics_settings(opened.angle_settings)  # the valid ones kept
    assert isinstance(settings, KinematicsSettings)
    compute_kinematics(opened.analysis.poses, settings)  # the angles page's work: no error


SESSION_FILE_ERRORS = {
    "eleven people": (lambda g: edited_manifest(g, _top("people", 11)), "people"),
    "frames x people beyond the limit": (
        lambda g: edited_manifest(g, lambda m: m.update(frames=40_000, people=10)),
        "frames x people",
    ),
    "frame times backwards": (
        lambda g: _swap(g, "arrays/time_s.npy", np.arange(65.0)[::-1].copy()),
        "not in order",
    ),
    "session lasting 300 hours": (
        lambda g: _swap(g, "arrays/time_s.npy", np.arange(65.0) * 17_000),
        "hours",
    ),
    "manifest nested 100000 deep": (
        lambda g: edited_manifest(g, lambda m: "[" * 100_000 + "]" * 100_000),
        "",
    ),
    "integer with 5000 digits": (
        lambda g: edited_manifest(g, lambda m: json.dumps(m)[:-1] + ', "big": ' + "9" * 5000 + "}"),
        "",
    ),
    "encrypted manifest": (lambda g: _zip_flags(g, flag_bit=0), "encrypted"),
    "unknown compression method": (lambda g: _zip_flags(g, method=99), ""),
}


@pytest.mark.parametrize("case", sorted(SESSION_FILE_ERRORS))
def test_new_bad_session_files_get_a_message(case, good_session):
    make, expected = SESSION_FILE_ERRORS[case]
    with pytest.raises(PoseDashError) as info:
        session.read_session(make(good_session))
    assert expected in str(info.value) and len(str(info.value)) > 20


def test_new_case_count():
    cases = (
        len(NEW_PHOTO_ERRORS)
        + len(NEW_PHOTO_FINE)
        + len(NEW_VIDEO_CASES)
        + len(NEW_VIDEO_ERRORS)
        + len(SESSION_SETTINGS_REFUSED)
        + len(SESSION_SETTINGS_REPLACED)
        + len(SESSION_FILE_ERRORS)
        + 4
    )
    print(f"\n{cases} new hostile or unusual cases")
    assert cases >= 20
