"""Video decoding from memory: timestamps, rotation, codecs, limits and bad files.

Every clip is synthesised here, in memory, with PyAV: its frame times, rotation
and content are known exactly.
"""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from dashboard.errors import InputError
from dashboard.media import video
from dashboard.media.video import VideoLimits, iter_frames, probe_video, read_frame
from tests.videotools import block_picture, make_clip, rotated_copy


def grey(rgb: np.ndarray) -> float:
    """Mean of the part of the frame outside the white block (bottom half)."""
    return float(rgb[rgb.shape[0] * 3 // 4 :, :, 1].mean())


# -- probing and decoding ----------------------------------------------------


def test_probe_reports_size_codec_fps_duration():
    info = probe_video(make_clip(10, 64, 48, rate=25), "clip.mp4")
    assert (info.width, info.height, info.rotation) == (64, 48, 0)
    assert info.codec == "h264" and "mp4" in info.container
    assert info.fps == pytest.approx(25)
    assert info.frame_count == 10
    assert info.duration_s == pytest.approx(0.4, abs=0.05)


def test_frames_are_rgb_upright_with_true_indices_and_times():
    frames = list(iter_frames(make_clip(6)))
    assert [f[0] for f in frames] == list(range(6))
    assert [f[1] for f in frames] == pytest.approx([i / 25 for i in range(6)], abs=1e-6)
    for i, _, rgb in frames:
        assert rgb.dtype == np.uint8 and rgb.shape == (48, 64, 3) and rgb.flags.c_contiguous
        assert grey(rgb) == pytest.approx((10 + 20 * i) % 240, abs=4)
        assert rgb[2, 2].min() > 230 and rgb[-2, -2].max() < 200  # block top-left


def test_variable_frame_rate_uses_container_timestamps():
    pts = [0, 40, 80, 200, 230, 500, 533, 1000]
    times = [t for _, t, _ in iter_frames(make_clip(len(pts), pts_ms=pts))]
    assert times == pytest.approx([p / 1000 for p in pts], abs=1e-3)
    assert not np.allclose(np.diff(times), np.diff(times)[0])


def test_times_start_at_zero_when_the_first_pts_does_not():
    pts = [1000, 1040, 1080, 1120]
    times = [t for _, t, _ in iter_frames(make_clip(4, pts_ms=pts))]
    assert times == pytest.approx([0.0, 0.04, 0.08, 0.12], abs=1e-3)


def test_stride_keeps_original_indices_and_times():
    frames = [(i, t) for i, t, _ in iter_frames(make_clip(10), stride=3)]
    assert [i for i, _ in frames] == [0, 3, 6, 9]
    assert [t for _, t in frames] == pytest.approx([0, 0.12, 0.24, 0.36], abs=1e-6)


def test_max_side_downscales_keeping_aspect():
    data = make_clip(2, 640, 360)
    _, _, rgb = next(iter_frames(data, max_side=320))
    assert rgb.shape == (180, 320, 3)
    _, _, rgb = next(iter_frames(data, max_side=1000))  # never enlarged
    assert rgb.shape == (360, 640, 3)


@pytest.mark.parametrize("index", [0, 5, 13, 29])
def test_read_frame_matches_sequential_decoding(index):
    data = make_clip(30, options={"g": "10"})  # keyframe every 10 frames: a real seek
    frames = {i: rgb for i, _, rgb in iter_frames(data)}
    assert np.array_equal(read_frame(data, index), frames[index])


def test_read_frame_outside_the_video():
    with pytest.raises(IndexError):
        read_frame(make_clip(5), 5)


# -- rotation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ccw, k, size, clockwise",
    [
        (-90, -1, (48, 64), 90),  # phone portrait: stored landscape, shown turned clockwise
        (90, 1, (48, 64), 270),
        (180, 2, (64, 48), 180),
    ],
)
def test_rotation_metadata_is_applied(ccw, k, size, clockwise):
    plain = make_clip(3)
    turned = make_clip(3, rotation=ccw)
    info = probe_video(turned, "phone.mov")
    assert (info.width, info.height) == size and info.rotation == clockwise
    for (_, _, a), (_, _, b) in zip(iter_frames(plain), iter_frames(turned), strict=False):
        assert np.array_equal(np.rot90(a, k), b)
    assert np.array_equal(read_frame(turned, 1), np.rot90(read_frame(plain, 1), k))


def test_rotated_frames_downscale_on_the_displayed_long_side():
    data = make_clip(2, 640, 360, rotation=-90)
    _, _, rgb = next(iter_frames(data, max_side=320))
    assert rgb.shape == (320, 180, 3)


def test_orientation_ops_follow_ffmpeg_table():
    identity = np.array([65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30])
    assert video.orientation_ops(0, identity) == ()
    assert video.orientation_ops(0, None) == ()
    hflip = np.array([-65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30])
    assert video.orientation_ops(180, hflip) == ("flip_x",)


def test_rotated_copy_of_a_shared_clip(media_dir):
    """Remux a real clip with a display matrix, in memory: same pixels, turned."""
    data = (media_dir / "videos" / "sports2d_demo3_sprint_side.mp4").read_bytes()
    turned = rotated_copy(data)  # shown turned 90 degrees clockwise
    info = probe_video(turned, "sprint_portrait.mp4")
    assert (info.width, info.height, info.rotation) == (352, 480, 90)
    pairs = list(zip(iter_frames(data, stride=10), iter_frames(turned, stride=10), strict=False))
    assert len(pairs) == 5
    for (i, t, a), (j, u, b) in pairs:
        assert (i, t) == (j, u)
        assert np.array_equal(np.rot90(a, -1), b)


# -- codecs and containers ---------------------------------------------------


@pytest.mark.parametrize(
    "fmt, codec, pix_fmt, name, expect_codec",
    [
        ("webm", "libvpx-vp9", "yuv420p", "clip.webm", "vp9"),
        ("avi", "mjpeg", "yuvj420p", "clip.avi", "mjpeg"),
        ("matroska", "libx264", "yuv420p", "clip.mkv", "h264"),
        ("mov", "libx265", "yuv420p", "clip.mov", "hevc"),
    ],
)
def test_codecs_and_containers(fmt, codec, pix_fmt, name, expect_codec):
    options = {"x265-params": "log-level=none"} if codec == "libx265" else None
    data = make_clip(6, fmt=fmt, codec=codec, pix_fmt=pix_fmt, options=options)
    info = probe_video(data, name)
    assert info.codec == expect_codec and (info.width, info.height) == (64, 48)
    frames = list(iter_frames(data, name=name))
    assert [i for i, _, _ in frames] == list(range(6))
    assert [t for _, t, _ in frames] == pytest.approx([i / 25 for i in range(6)], abs=2e-3)
    for i, _, rgb in frames:
        assert grey(rgb) == pytest.approx((10 + 20 * i) % 240, abs=6)


def test_vp9_variable_frame_rate_in_webm():
    pts = [0, 33, 100, 180, 400]
    data = make_clip(5, fmt="webm", codec="libvpx-vp9", pts_ms=pts)
    assert [t for _, t, _ in iter_frames(data)] == pytest.approx([p / 1000 for p in pts], abs=1e-3)


# -- limits and bad files ----------------------------------------------------


def test_size_limit():
    data = make_clip(4)
    with pytest.raises(InputError, match=r"reads videos up to"):
        probe_video(data, "big.mp4", VideoLimits(max_bytes=len(data) - 1))


def test_duration_limit():
    with pytest.raises(InputError, match=r"lasts .* up to"):
        probe_video(make_clip(50), "long.mp4", VideoLimits(max_duration_s=1.0))


def test_duration_limit_while_decoding():
    with pytest.raises(InputError, match="longer than"):
        list(iter_frames(make_clip(50), limits=VideoLimits(max_duration_s=1.0)))


@pytest.mark.parametrize(
    "make, name, message",
    [
        (lambda: b"", "empty.mp4", "empty"),
        (
            lambda: bytes(np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8)),
            "noise.mp4",
            "not a video",
        ),
        (lambda: b"%PDF-1.4 not a video at all" * 50, "report.mp4", "not a video"),
        (lambda: make_clip(30, 160, 120)[:2000], "cut.mp4", "incomplete or damaged"),
        (lambda: make_clip(4), "notes.txt", r"not a video file PoseDash reads \(\.txt\)"),
    ],
)
def test_bad_files_give_clear_messages(make, name, message):
    with pytest.raises(InputError, match=message) as err:
        probe_video(make(), name)
    assert name in str(err.value)
    assert "Traceback" not in str(err.value) and "Errno" not in str(err.value)


def test_truncated_webm_is_reported():
    data = make_clip(60, 160, 120, fmt="webm", codec="libvpx-vp9")
    cut = data[: len(data) * 2 // 5]
    with pytest.raises(InputError, match=r"incomplete|damaged|no video frames"):
        list(iter_frames(cut, name="cut.webm"))


def test_truncated_mp4_with_index_first_is_reported(tmp_path):
    """A 'faststart' MP4 cut short opens fine but ends before its declared frames.

    FFmpeg's faststart pass re-reads its output by name, so this synthetic clip
    (not user video) is written to pytest's temporary folder.
    """
    path = tmp_path / "faststart.mp4"
    with av.open(str(path), "w", format="mp4", options={"movflags": "faststart"}) as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(40):
            for p in stream.encode(av.VideoFrame.from_ndarray(block_picture(i, 64, 48), "rgb24")):
                out.mux(p)
        for p in stream.encode():
            out.mux(p)
    data = path.read_bytes()
    path.unlink()
    assert data.find(b"moov") < data.find(b"mdat")
    with pytest.raises(InputError, match=r"incomplete|damaged"):
        list(iter_frames(data[: len(data) // 2], name="cut.mp4"))


def test_zero_frames():
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as out:
        stream = out.add_stream("mjpeg", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        out.start_encoding()  # header and a video track, no frame
    assert len(buf.getvalue()) > 100
    with pytest.raises(InputError, match=r"no video frames|incomplete or damaged"):
        probe_video(buf.getvalue(), "empty.mkv")


def test_audio_only():
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=44100)
        for i in range(10):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 44100, i * 1024
            for p in stream.encode(frame):
                out.mux(p)
        for p in stream.encode():
            out.mux(p)
    with pytest.raises(InputError, match="only sound"):
        probe_video(buf.getvalue(), "voice.m4v")


def test_a_photo_is_not_a_video():
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(block_picture(0, 64, 48)).save(buf, format="JPEG")
    with pytest.raises(InputError, match="picture, not a video"):
        probe_video(buf.getvalue(), "photo_renamed.mp4")


def test_decoding_writes_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = make_clip(12, rotation=-90)
    probe_video(data, "clip.mp4")
    list(iter_frames(data, stride=2, max_side=32))
    read_frame(data, 7)
    assert list(tmp_path.iterdir()) == []
