"""Annotated MP4 export and face blurring, on synthetic clips and landmarks."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np
import pytest

from dashboard.outputs import export, export_video
from dashboard.poses import PoseSequence


def make_clip(n=6, width=65, height=49, pts_ms=None) -> bytes:
    """Grey frames (odd size on purpose) with PTS ``pts_ms`` or 25 fps."""
    pts_ms = pts_ms or [40 * i for i in range(n)]
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv444p"  # odd sizes allowed: the export must make them even
        stream.codec_context.time_base = Fraction(1, 1000)
        for i, pts in enumerate(pts_ms):
            rng = np.random.default_rng(i)
            img = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)  # detail to blur
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            for p in stream.encode(frame):
                out.mux(p)
        for p in stream.encode():
            out.mux(p)
    return buf.getvalue()


def sequence(frame_index, times, size=(65, 49), face_at=(30.0, 20.0)) -> PoseSequence:
    """One person whose face landmarks sit around ``face_at``, body below."""
    n = len(frame_index)
    seq = PoseSequence.empty(n, 1, size, time_s=times, frame_index=frame_index)
    xy = np.array(seq.image_xy)
    offsets = np.random.default_rng(3).uniform(-3, 3, (11, 2))
    xy[:, 0, :11] = np.array(face_at) + offsets
    xy[:, 0, 11:] = np.array(face_at) + np.array([0.0, 15.0])
    xy[:, 0, 11, 0] -= 10
    xy[:, 0, 12, 0] += 10
    vis = np.ones((n, 1, 33))
    return PoseSequence(
        image_xy=xy,
        z=np.zeros((n, 1, 33)),
        visibility=vis,
        presence=vis,
        world_m=np.zeros((n, 1, 33, 3)),
        time_s=np.asarray(times, float),
        frame_index=np.asarray(frame_index),
        image_size=size,
    )


def decode(data: bytes):
    container = av.open(io.BytesIO(data))
    stream = container.streams.video[0]
    frames = [(f.time, f.to_ndarray(format="rgb24")) for f in container.decode(stream)]
    info = (
        container.format.name,
        stream.codec_context.name,
        stream.codec_context.pix_fmt,
        stream.width,
        stream.height,
    )
    container.close()
    return info, frames


def stub_draw(rgb, seq, row):
    out = rgb.copy()
    out[0:4, 0:4] = (255, 0, 0)  # a red mark, so the test sees drawing happened
    return out


def test_h264_mp4_even_size_true_times_and_every_frame_drawn():
    pts = [0, 40, 80, 200, 240, 400]
    data = make_clip(pts_ms=pts)
    seq = sequence(list(range(6)), [p / 1000 for p in pts])
    calls = []
    mp4 = export_video.annotated_mp4(
        data, seq, draw=lambda r, s, i: calls.append(i) or stub_draw(r, s, i)
    )
    assert calls == list(range(6))
    (fmt, codec, pix_fmt, w, h), frames = decode(mp4)
    assert "mp4" in fmt and codec == "h264" and pix_fmt == "yuv420p"
    assert (w, h) == (64, 48)
    assert [t for t, _ in frames] == pytest.approx([p / 1000 for p in pts], abs=1e-3)
    for _, rgb in frames:
        assert rgb[1, 1, 0] > 200 and rgb[1, 1, 1] < 60
    assert b"moof" in mp4 and mp4[4:8] == b"ftyp"  # fragmented: plays from a BytesIO


def test_only_analysed_frames_are_written_with_stride():
    data = make_clip(n=9)
    seq = sequence([0, 3, 6], [0.0, 0.12, 0.24])
    _, frames = decode(export_video.annotated_mp4(data, seq, draw=stub_draw))
    assert [t for t, _ in frames] == pytest.approx([0.0, 0.12, 0.24], abs=1e-3)


def test_blur_changes_the_face_and_nothing_far_from_it():
    data = make_clip(n=2, width=200, height=160)
    seq = sequence([0, 1], [0.0, 0.04], size=(200, 160), face_at=(60.0, 50.0))
    _, plain = decode(export_video.annotated_mp4(data, seq, draw=lambda r, s, i: r))
    _, blurred = decode(
        export_video.annotated_mp4(data, seq, draw=lambda r, s, i: r, blur_faces=True)
    )
    face = (slice(45, 56), slice(55, 66))
    far = (slice(120, 160), slice(150, 200))
    a, b = plain[0][1].astype(float), blurred[0][1].astype(float)
    assert b[face].std() < 0.3 * a[face].std()  # random detail gone
    assert np.abs(a[far] - b[far]).mean() < 3  # rest untouched (codec noise only)


def test_face_ellipse_covers_the_face_landmarks():
    seq = sequence([0], [0.0], size=(200, 160), face_at=(60.0, 50.0))
    ((cx, cy, hw, hh),) = export_video.face_ellipses(seq, 0, 200, 160)
    face = seq.image_xy[0, 0, :11]
    inside = ((face[:, 0] - cx) / hw) ** 2 + ((face[:, 1] - cy) / hh) ** 2
    assert (inside < 1).all()
    assert export_video.face_ellipses(PoseSequence.empty(1, 2, (200, 160)), 0, 200, 160).shape == (
        0,
        4,
    )


def test_wrong_video_for_the_analysis():
    seq = sequence([0], [0.0], size=(640, 480))
    with pytest.raises(ValueError, match="not the same video"):
        export_video.annotated_mp4(make_clip(n=2), seq, draw=stub_draw)


def test_landmark_csv_covers_every_analysed_frame():
    seq = sequence([0, 2, 4, 6], [0.0, 0.08, 0.16, 0.24])
    table = export.landmark_table(seq)
    assert sorted(set(table["frame"])) == [0, 2, 4, 6]
    assert len(table) == 4 * 33
    assert sorted(set(table["time_s"])) == pytest.approx([0.0, 0.08, 0.16, 0.24])
