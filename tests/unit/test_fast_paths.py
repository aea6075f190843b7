"""The command line's faster paths give exactly what the slower ones gave.

Each speed-up of ``python -m dashboard analyze`` (see ``benchmarks/cli_time.py``)
must leave its outputs unchanged: these tests compare each fast path with the
plain one it replaced, pixel for pixel and byte for byte.
"""
from __future__ import annotations

from contextlib import closing

import av
import numpy as np
import pytest

from dashboard.io import video
from dashboard.io.video_container import decoded


def _plain_rgb(frame, ops, max_side):
    """What ``video._to_rgb`` did before: one new FFmpeg scaler per frame."""
    width, height = frame.width, frame.height
    if video.swaps_axes(ops):
        disp_w, disp_h = video._scaled_size(height, width, max_side)
        out_w, out_h = disp_h, disp_w
    else:
        out_w, out_h = video._scaled_size(width, height, max_side)
    if (out_w, out_h) == (width, height):
        rgb = frame.to_ndarray(format="rgb24")
    else:
        rgb = frame.to_ndarray(format="rgb24", width=out_w, height=out_h, interpolation="AREA")
    return video.apply_orientation(rgb, ops)


def _plain_frames(data, name, max_side):
    with closing(decoded(data, name)) as frames:
        for frame, ops in frames:
            yield _plain_rgb(frame, ops, max_side)


@pytest.mark.parametrize("max_side", [None, 500])
@pytest.mark.parametrize("clip", ["sports2d_demo5_lateral_raise_front.mp4",  # H.264 720p
                                  "sports2d_demo_current.mp4",  # VP9
                                  "tfjs_pose_squats_front.mp4",  # portrait
                                  "openpose_street_dance.avi"])
def test_one_scaler_per_loop_gives_the_same_pixels(media_dir, clip, max_side):
    data = (media_dir / "videos" / clip).read_bytes()
    fast = video.iter_frames(data, max_side=max_side, name=clip)
    n = 0
    for (i, _, a), b in zip(fast, _plain_frames(data, clip, max_side)):
        assert a.shape == b.shape and np.array_equal(a, b), f"{clip} frame {i}"
        n += 1
        if n == 90:
            break
    assert n == 90 or clip == "tfjs_pose_squats_front.mp4"


def test_a_reused_scaler_follows_frames_that_change_size_and_format():
    rng = np.random.default_rng(0)
    scaler = video._scaler()
    for width, height, fmt in [(64, 48, "yuv420p"), (32, 24, "yuv420p"),
                               (64, 48, "yuvj420p"), (40, 30, "rgb24"), (64, 48, "yuv444p")]:
        rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format=fmt)
        for max_side in (None, 20):
            fast = video._to_rgb(frame, (), max_side, scaler)
            assert np.array_equal(fast, _plain_rgb(frame, (), max_side)), (width, fmt, max_side)


def test_frame_ranges_and_single_frames_match_the_plain_conversion(media_dir):
    clip = "sports2d_demo4_gait_side.mp4"
    data = (media_dir / "videos" / clip).read_bytes()
    plain = {i: rgb for i, rgb in enumerate(_plain_frames(data, clip, None)) if i < 140}
    index = video.index_video(data, clip)
    for i, _, rgb in video.iter_frame_range(data, index, 100, 140, name=clip):
        assert np.array_equal(rgb, plain[i]), i
    got = video.read_frames(data, [3, 77, 139], name=clip, index=index)
    assert all(np.array_equal(got[i], plain[i]) for i in (3, 77, 139))
    assert np.array_equal(video.read_frame(data, 120, name=clip, index=index), plain[120])
