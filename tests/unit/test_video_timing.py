"""Frame times and streams of valid but unusual videos (issues 11.5 and 12.3).

Every analysed frame's ``time_s`` is strictly increasing and equal to its
presentation time; where the file's own timestamps are missing, in decoding
order, repeated or backwards, they are repaired and the file's ``VideoInfo.notes``
say so. Files are made here in memory with PyAV.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dashboard.media import video
from tests.videotools import (
    b_frame_clip,
    bar_of,
    edit_list_trim,
    mjpeg_clip,
    plain_clip,
    retimed_mkv,
    thumbnail_first,
)

try:
    from dashboard.media.video_time import frame_times
except ImportError:  # before the fix
    frame_times = None


def _times(data: bytes, name: str):
    return [(i, t, bar_of(rgb)) for i, t, rgb in video.iter_frames(data, name=name)]


# -- B-frames: times in presentation order --------------------------------------


@pytest.mark.parametrize(
    "fmt,name", [("avi", "lab.avi"), ("matroska", "lab.mkv"), ("mp4", "lab.mp4")]
)
def test_b_frames_give_increasing_presentation_times(fmt, name):
    data = b_frame_clip(fmt, n=30, rate=30)
    frames = _times(data, name)
    assert [f[0] for f in frames] == list(range(30))
    assert [f[2] for f in frames] == list(range(30))  # presentation order
    times = np.array([f[1] for f in frames])
    assert np.all(np.diff(times) > 0)
    assert times == pytest.approx(np.arange(30) / 30, abs=2e-3)


def test_avi_says_its_times_come_from_the_frame_rate():
    info = video.probe_video(b_frame_clip("avi"), "lab.avi")
    assert any("frame rate" in note for note in info.notes), info.notes


def test_mkv_with_true_timestamps_has_no_note():
    assert video.probe_video(b_frame_clip("matroska"), "lab.mkv").notes == ()


def test_index_of_an_avi_with_b_frames_is_not_used_for_seeking():
    index = video.index_video(b_frame_clip("avi"), "lab.avi")
    assert index is not None and not index.seekable
    assert np.all(np.diff(index.time_s) > 0)


def test_read_frame_of_an_avi_with_b_frames_is_the_right_picture():
    data = b_frame_clip("avi")
    for i in (0, 5, 13, 29):
        assert bar_of(video.read_frame(data, i, name="lab.avi")) == i


# -- edit lists, streams -------------------------------------------------------


@pytest.mark.parametrize("gop", [40, 5])  # the cut inside a group of pictures, or on a keyframe
def test_losslessly_trimmed_mp4_with_an_edit_list_is_analysed(gop):
    data = edit_list_trim(plain_clip(40, gop=gop), skip_frames=25)
    assert b"elst" in data
    info = video.probe_video(data, "trimmed.mp4")
    assert info.frame_count == 15
    frames = _times(data, "trimmed.mp4")
    assert len(frames) == 15
    assert [f[2] for f in frames] == list(range(25, 40))
    assert [f[1] for f in frames] == pytest.approx(np.arange(15) / 25, abs=1e-6)


def test_the_main_video_stream_is_chosen_over_a_thumbnail():
    data = thumbnail_first(plain_clip(20, size=(96, 64)))
    info = video.probe_video(data, "with_cover.mkv")
    assert (info.width, info.height) == (96, 64)
    assert info.stream == 1
    assert any("stream 2" in note for note in info.notes), info.notes
    frames = _times(data, "with_cover.mkv")
    assert [f[2] for f in frames] == list(range(20))


# -- repaired timestamps ---------------------------------------------------------


def test_repeated_timestamps_are_spread_and_reported():
    pts = [0, 40, 80, 80, 160, 200, 240, 240, 240, 360]
    data = retimed_mkv(mjpeg_clip(10), pts)
    info = video.probe_video(data, "dup.mkv")
    assert any("repaired" in note for note in info.notes), info.notes
    times = np.array([f[1] for f in _times(data, "dup.mkv")])
    assert np.all(np.diff(times) > 0)
    assert times[[0, 1, 2, 4, 5, 6, 9]] == pytest.approx([0, 0.04, 0.08, 0.16, 0.2, 0.24, 0.36])
    assert times[3] == pytest.approx(0.12) and times[7:9] == pytest.approx([0.28, 0.32])


def test_backwards_timestamps_are_repaired_and_reported():
    pts = [0, 40, 80, 60, 160, 200]
    data = retimed_mkv(mjpeg_clip(6), pts)
    info = video.probe_video(data, "back.mkv")
    assert any("repaired" in note for note in info.notes), info.notes
    times = np.array([f[1] for f in _times(data, "back.mkv")])
    assert np.all(np.diff(times) > 0)


# -- the pure function -----------------------------------------------------------


def test_frame_times_sorts_spreads_and_derives():
    tb = Fraction(1, 1000)
    t, note, seekable = frame_times([0, 100, 50, 150], [0, 50, 50, 150], tb, 20.0, "mp4")
    assert t.tolist() == pytest.approx([0, 0.05, 0.1, 0.15]) and seekable and note == ""
    t, note, seekable = frame_times([0, 50, 50, 100], [0, 50, 50, 100], tb, 20.0, "mp4")
    assert t.tolist() == pytest.approx([0, 0.05, 0.075, 0.1]) and not seekable and note
    t, note, seekable = frame_times([None, None, None], [None, None, None], tb, 25.0, "mp4")
    assert t.tolist() == pytest.approx([0, 0.04, 0.08]) and "frame rate" in note
    t, note, seekable = frame_times([3, 4, 5], [3, 4, 5], Fraction(1, 25), 25.0, "avi")
    assert t.tolist() == pytest.approx([0, 0.04, 0.08]) and "frame rate" in note
    assert not seekable
    t, _, _ = frame_times([], [], tb, 25.0, "mp4")
    assert t.shape == (0,)


# -- every shared clip, sequential and by ranges --------------------------------------


def test_every_shared_clip_has_increasing_times(media_dir):
    for path in sorted((media_dir / "videos").iterdir()):
        data = path.read_bytes()
        times = np.array([t for _, t, _ in video.iter_frames(data, max_side=32, name=path.name)])
        assert np.all(np.diff(times) > 0), path.name
        index = video.index_video(data, path.name)
        assert index is not None and np.array_equal(index.time_s, times), path.name
        if index.seekable:
            mid = index.num_frames // 2
            ranged = [
                t
                for _, t, _ in video.iter_frame_range(
                    data, index, mid, index.num_frames, max_side=32, name=path.name
                )
            ]
            assert np.array_equal(np.array(ranged), times[mid:]), path.name
