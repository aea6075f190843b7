"""The frame reader of the review pages: fast, and exactly the frame analysed.

Frame ``i`` a :class:`FrameReader` returns must be, pixel for pixel, the
``i``-th frame of a sequential decode (:func:`video.iter_frames`, what the pose
model saw), however it got there: a seek by timestamp, a seek counted from a
closed keyframe (AVI, repaired timestamps), going on from the previous frame,
or a picture kept for a step back. Files are made in memory with PyAV; the
shared clips are checked at the end (skipped without ``POSEDASH_MEDIA``).
"""

from __future__ import annotations

from contextlib import closing

import numpy as np
import pytest

from dashboard.media import video
from dashboard.media.video_keyframes import closed_keyframe, start_points
from dashboard.media.video_reader import FrameReader
from tests.videotools import (
    bar_of,
    bars_clip,
    edit_list_trim,
    mjpeg_clip,
    plain_clip,
    repeated_times,
    retimed_mkv,
)

OPEN_GOP = {"bf": "3", "g": "12", "sc_threshold": "0", "x264-params": "open-gop=1"}

CLIPS = {
    "closed.avi": lambda: bars_clip("avi"),
    "open_gop.avi": lambda: bars_clip("avi", options=OPEN_GOP),
    "closed.mp4": lambda: bars_clip("mp4"),
    "open_gop.mkv": lambda: bars_clip("matroska", options=OPEN_GOP),
    "repeated.mkv": lambda: repeated_times(bars_clip("mp4"), every=7),
    "backwards.mkv": lambda: retimed_mkv(
        mjpeg_clip(12), [0, 40, 80, 60, 160, 200, 240, 280, 320, 300, 400, 440]
    ),
    # lossless trims (edit lists): the cut on a keyframe, or inside a group of pictures
    "trimmed_on_key.mp4": lambda: edit_list_trim(plain_clip(60, size=(96, 64), gop=5), 10),
    "trimmed_in_gop.mp4": lambda: edit_list_trim(plain_clip(60, size=(96, 64), gop=40), 25),
    "hevc_repeated.mkv": lambda: repeated_times(
        bars_clip(
            "mp4",
            codec="libx265",
            options={
                "x265-params": "keyint=12:min-keyint=12:bframes=3:"
                "scenecut=0:open-gop=0:log-level=none"
            },
        ),
        every=7,
    ),
}

#: Steps as a reviewer makes them: jumps both ways, next, previous, keyframes.
STEPS = (30, 31, 32, 11, 12, 13, 47, 46, 45, 44, 59, 0, 1, 24, 23, 22, 36)


def sequential(data: bytes, name: str, wanted) -> dict:
    """The wanted frames of a decode from the start (only those kept)."""
    wanted = set(wanted)
    with closing(video.iter_frames(data, name=name)) as frames:
        return {i: rgb for i, _, rgb in frames if i in wanted}


@pytest.fixture(scope="module", params=sorted(CLIPS))
def clip(request):
    return request.param, CLIPS[request.param]()


def test_every_step_is_the_frame_decoded_in_sequence(clip):
    name, data = clip
    index = video.index_video(data, name)
    steps = [i for i in STEPS if i < index.num_frames]
    expected = sequential(data, name, steps)
    with FrameReader(data, name, index) as reader:
        for i in steps:
            got = reader.read(i)
            assert np.array_equal(got, expected[i]), (name, i)
            shift = {"trimmed_on_key.mp4": 10, "trimmed_in_gop.mp4": 25}.get(name, 0)
            assert bar_of(got) == (i + shift) % 31  # the picture drawn (bars wrap at 31)


def test_files_that_cannot_be_located_by_time_are_counted_from_closed_keyframes():
    for name, seeks in (
        ("closed.avi", True),
        ("repeated.mkv", True),
        ("backwards.mkv", True),
        ("hevc_repeated.mkv", True),
        ("open_gop.avi", False),
    ):
        data = CLIPS[name]()
        index = video.index_video(data, name)
        assert not index.seekable, name
        points = start_points(data, name, index)
        assert points.counted
        assert (len(points.ordinal) > 1) == seeks, (name, points.ordinal)
    points = start_points(
        CLIPS["closed.avi"](), "closed.avi", video.index_video(CLIPS["closed.avi"](), "closed.avi")
    )
    assert points.ordinal.tolist() == [0, 12, 24, 36, 48]


@pytest.mark.parametrize("name", ["closed.avi", "repeated.mkv", "closed.mp4"])
def test_a_far_frame_costs_one_group_of_pictures_and_the_next_one_frame(name):
    data = CLIPS[name]()
    reader = FrameReader(data, name)
    reader.read(50)
    first = reader.frames_decoded
    assert first <= 12 + 4, first  # from the keyframe at 48 (+ decoder delay), not from 0
    for i in range(51, 56):
        before = reader.frames_decoded
        reader.read(i)
        assert reader.frames_decoded - before == 1
    reader.close()


def test_steps_back_are_kept_pictures():
    data = CLIPS["closed.avi"]()
    reader = FrameReader(data, "closed.avi")
    reader.read(40)
    reader.read(41)
    reader.read(39)  # back: decodes again from the keyframe at 36, keeping 36..38
    before = reader.frames_decoded
    for i in (38, 37, 36, 40, 41):
        assert bar_of(reader.read(i)) == i % 31
    assert reader.frames_decoded == before
    assert not reader.read(38).flags.writeable  # a kept picture cannot be altered


def test_kept_pictures_stay_within_their_budget():
    data = CLIPS["closed.avi"]()
    one = 96 * 64 * 3
    reader = FrameReader(data, "closed.avi", keep_bytes=5 * one)
    for i in range(20):
        reader.read(i)
    assert sum(a.nbytes for a in reader._kept.values()) <= 5 * one
    assert len(FrameReader(data, "closed.avi", keep_bytes=0)._kept) == 0


def test_a_seek_that_cannot_be_proved_decodes_from_the_start(monkeypatch):
    """If the packet a seek lands on is not the keyframe expected, the reader
    does not guess: it decodes from the start (and still gives the right frame)."""
    from dashboard.media import video_reader

    data = CLIPS["closed.avi"]()
    real = video_reader.start_points

    def wrong(*args):
        points = real(*args)
        object.__setattr__(points, "packet", points.packet + np.where(points.packet > 0, 1, 0))
        return points

    monkeypatch.setattr(video_reader, "start_points", wrong)
    reader = FrameReader(data, "closed.avi")
    assert bar_of(reader.read(40)) == 40 % 31
    assert reader.frames_decoded >= 41
    assert reader._bad


def test_outside_the_video_and_read_frame_wrappers():
    data = CLIPS["closed.avi"]()
    reader = FrameReader(data, "closed.avi")
    for bad in (-1, 60):
        with pytest.raises(IndexError):
            reader.read(bad)
    assert bar_of(video.read_frame(data, 47, name="closed.avi")) == 47 % 31
    frames = video.read_frames(data, [59, 3, 30, 31, 99], name="closed.avi")
    assert sorted(frames) == [3, 30, 31, 59]
    assert all(bar_of(rgb) == i % 31 for i, rgb in frames.items())


def test_max_side_pictures_are_scaled_like_the_analysis():
    data = CLIPS["repeated.mkv"]()
    expected = {
        i: rgb for i, _, rgb in video.iter_frames(data, max_side=48, name="r.mkv") if i in (9, 30)
    }
    reader = FrameReader(data, "r.mkv")
    for i in (30, 9):
        assert np.array_equal(reader.read(i, max_side=48), expected[i])
    assert reader.read(30).shape == (64, 96, 3)


def test_closed_keyframe_reads_h264_and_hevc_picture_types():
    idr, non_idr = b"\x00\x00\x00\x01\x67\x42" + b"\x00\x00\x01\x65\x88", b"\x00\x00\x01\x41\x9a"
    assert closed_keyframe("h264", idr) and not closed_keyframe("h264", non_idr)
    avcc = bytes([1, 0x64, 0, 0x1F, 0xFF])  # 4-byte NAL lengths
    assert closed_keyframe("h264", b"\x00\x00\x00\x02\x65\x88", avcc)
    assert not closed_keyframe("h264", b"\x00\x00\x00\x02\x41\x88", avcc)
    assert closed_keyframe("hevc", b"\x00\x00\x01" + bytes([19 << 1, 1]))
    assert not closed_keyframe("hevc", b"\x00\x00\x01" + bytes([21 << 1, 1]))  # CRA: open
    assert closed_keyframe("vp9", b"") and closed_keyframe("mjpeg", b"", intra_only=True)
    assert not closed_keyframe("mpeg4", b"\x00\x00\x01\xb6")


# -- real media --------------------------------------------------------------------------


def _wanted(n: int, keyframes) -> list:
    """Indices a reviewer visits: 10/50/90 %, steps on, back, and around keyframes."""
    mid = n // 2
    around = [k + d for k in keyframes[1:] for d in (-1, 0, 1)]
    steps = [n // 10, mid, mid + 1, mid + 2, mid - 1, mid - 2, n * 9 // 10, *around, 0, n - 1]
    return [i for i in steps if 0 <= i < n]


def _check_clip(data: bytes, name: str) -> None:
    index = video.index_video(data, name)
    points = start_points(data, name, index)
    wanted = _wanted(index.num_frames, points.ordinal.tolist())
    expected = sequential(data, name, wanted)
    with FrameReader(data, name, index) as reader:
        for i in wanted:
            assert np.array_equal(reader.read(i), expected[i]), (name, i)
        for i in wanted[:3]:  # a one-off read, as the report's key frames
            assert np.array_equal(video.read_frame(data, i, name=name, index=index), expected[i]), (
                name,
                i,
            )


def test_every_shared_clip_reads_the_frames_decoded_in_sequence(media_dir):
    clips = sorted((media_dir / "videos").iterdir())
    assert clips
    for path in clips:
        _check_clip(path.read_bytes(), path.name)


@pytest.mark.parametrize("kind", ["avi", "repeated"])
def test_avi_and_repaired_copies_of_a_shared_clip(media_dir, kind):
    walk = (media_dir / "videos" / "sports2d_demo4_gait_side.mp4").read_bytes()
    if kind == "avi":
        from tests.videotools import reencoded

        data, name = (
            reencoded(walk, options={"bf": "3", "g": "60", "preset": "veryfast"}, max_frames=150),
            "walk.avi",
        )
    else:
        data, name = repeated_times(walk, every=25), "walk.mkv"
    index = video.index_video(data, name)
    assert not index.seekable
    assert len(start_points(data, name, index).ordinal) > 1  # it seeks
    _check_clip(data, name)


def test_decoding_from_the_start_checks_the_counted_frame_numbers(monkeypatch):
    """A start point whose frame number is wrong (as a decoder dropping a frame
    would make it) is caught when decoding from the start passes it: the reader
    stops seeking and forgets the pictures it kept."""
    from dashboard.media import video_reader

    data = CLIPS["closed.avi"]()
    real = video_reader.start_points

    def shifted(*args):
        points = real(*args)
        object.__setattr__(points, "ordinal", points.ordinal + np.where(points.ordinal > 0, 1, 0))
        return points

    monkeypatch.setattr(video_reader, "start_points", shifted)
    reader = FrameReader(data, "closed.avi")
    reader.read(5)
    reader.read(12)  # goes on from frame 5, passing the keyframe said to show frame 13
    assert reader._bad == {1, 2, 3, 4}
    assert bar_of(reader.read(50)) == 50 % 31


def test_a_file_starting_without_a_closed_keyframe_is_not_counted_from_its_keyframes():
    data = CLIPS["open_gop.avi"]()
    points = start_points(data, "open_gop.avi", video.index_video(data, "open_gop.avi"))
    assert points.ordinal.tolist() == [0]
