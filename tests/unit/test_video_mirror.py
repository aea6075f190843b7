"""Videos a phone marks to play as a mirror image (front camera): turned upright,
never mirrored, so the patient's left side stays their left.

The eight display matrices (four turns, with and without a mirror) are the ones
FFmpeg writes for PyAV's ``set_display_rotation(degrees, hflip)`` ("turn
``degrees`` counter-clockwise, then mirror left-right"), recorded here as
literals. The known answers follow from that definition alone:

- FFmpeg's player shows ``fliplr(rot90(stored, degrees / 90))`` (mirror) or
  ``rot90(stored, degrees / 90)`` (no mirror);
- PoseDash shows and measures ``rot90(stored, degrees / 90)`` in both cases.

Files are remuxed in memory from the same packets, so every decoded picture is
compared pixel for pixel.
"""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from dashboard.media import video
from dashboard.media.video_orient import (
    apply_orientation,
    clockwise_degrees,
    is_mirror,
    orientation_ops,
    without_mirror,
)
from tests.videotools import rotated_copy

ONE = 65536  # 1.0 in 16.16 fixed point

#: (degrees ccw written, mirror, FFmpeg's VideoFrame.rotation read back, matrix a b c d)
ORIENTATIONS = [
    (0, False, 0, (ONE, 0, 0, ONE)),
    (90, False, 90, (0, -ONE, ONE, 0)),
    (180, False, -180, (-ONE, 0, 0, -ONE)),
    (270, False, -90, (0, ONE, -ONE, 0)),
    (0, True, -180, (-ONE, 0, 0, ONE)),
    (90, True, 90, (0, -ONE, -ONE, 0)),
    (180, True, 0, (ONE, 0, 0, -ONE)),
    (270, True, -90, (0, ONE, ONE, 0)),
]
PURE_TURNS = {(), ("rot_cw",), ("flip_x", "flip_y"), ("rot_ccw",)}


def matrix(a: int, b: int, c: int, d: int) -> np.ndarray:
    return np.array([a, b, 0, c, d, 0, 0, 0, 1 << 30], dtype=np.int32)


def stored() -> np.ndarray:
    """An asymmetric (3, 4) picture: every turn and mirror of it differs."""
    return np.arange(12).reshape(3, 4, 1)


def shown_by_player(pixels: np.ndarray, degrees: int, mirror: bool) -> np.ndarray:
    turned = np.rot90(pixels, degrees // 90)
    return turned[:, ::-1] if mirror else turned


@pytest.mark.parametrize("degrees, mirror, rotation, abcd", ORIENTATIONS)
def test_orientation_ops_all_eight(degrees, mirror, rotation, abcd):
    ops = orientation_ops(rotation, matrix(*abcd))
    pixels = stored()
    # FFmpeg's player table: the displayed picture, mirror included
    assert np.array_equal(apply_orientation(pixels, ops), shown_by_player(pixels, degrees, mirror))
    assert is_mirror(ops) == mirror
    # PoseDash: the same turn, no mirror
    kept = without_mirror(ops)
    assert kept in PURE_TURNS and not is_mirror(kept)
    assert np.array_equal(apply_orientation(pixels, kept), np.rot90(pixels, degrees // 90))
    assert clockwise_degrees(kept) == (-degrees) % 360
    if not mirror:
        assert kept == ops


def test_without_mirror_is_the_displayed_picture_flipped_left_right():
    """Whatever the matrix, PoseDash's picture is the player's, mirrored back."""
    pixels = stored()
    for _, mirror, rotation, abcd in ORIENTATIONS:
        ops = orientation_ops(rotation, matrix(*abcd))
        shown = apply_orientation(pixels, ops)
        ours = apply_orientation(pixels, without_mirror(ops))
        assert np.array_equal(ours, shown[:, ::-1] if mirror else shown)


@pytest.mark.parametrize(
    "clockwise, expected",
    [
        (0, ()),
        (90, ("rot_cw",)),
        (180, ("flip_x", "flip_y")),
        (270, ("rot_ccw",)),
        (-90, ("rot_ccw",)),
        (360, ()),
        (45, ()),
    ],
)
def test_rotate_tag_alone_is_a_pure_turn(clockwise, expected):
    """The old ``rotate`` tag (no matrix): a turn, never a mirror (180 turns too)."""
    assert orientation_ops(-clockwise, None) == expected


# -- real files, remuxed in memory with a display matrix -------------------------------


def base_clip(n: int = 12, width: int = 64, height: int = 48) -> bytes:
    """A clip whose every frame differs from all its turns and mirrors (keyframe
    every 4 frames, so seeking is real)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"g": "4"}
        for i in range(n):
            img = np.full((height, width, 3), 40 + 10 * i, np.uint8)
            img[: height // 3, : width // 4] = (250, 30, 30)  # red: top left
            img[-height // 4 :, width // 2 :] = (30, 30, 250)  # blue: bottom right half
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


@pytest.fixture(scope="module")
def base() -> bytes:
    return base_clip()  # encoded once: every copy below remuxes these very packets


@pytest.fixture(scope="module")
def plain(base) -> bytes:
    return rotated_copy(base, 0)  # no turn, no mirror


@pytest.fixture(scope="module")
def plain_frames(plain) -> dict:
    return {i: rgb for i, _, rgb in video.iter_frames(plain)}


FLIPS = [(False, False), (True, False), (False, True)]


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
@pytest.mark.parametrize("hflip, vflip", FLIPS)
def test_every_decoding_path_turns_but_never_mirrors(base, plain_frames, degrees, hflip, vflip):
    data = rotated_copy(base, degrees, hflip=hflip, vflip=vflip)
    mirror = hflip != vflip
    # the upright picture as the camera saw it; a vertical flip after a turn is a
    # mirror after the opposite turn, so the upright picture is turned 180 more
    quarter = degrees // 90 + (2 if vflip else 0)
    expected = {i: np.rot90(rgb, quarter) for i, rgb in plain_frames.items()}

    info = video.probe_video(data, "selfie.mp4")
    assert info.mirrored == mirror
    assert (video.MIRROR_NOTE in info.notes) == mirror
    assert info.rotation == (-90 * quarter) % 360
    assert (info.width, info.height) == expected[0].shape[1::-1]

    frames = {i: rgb for i, _, rgb in video.iter_frames(data)}
    assert frames.keys() == expected.keys()
    for i in frames:
        assert np.array_equal(frames[i], expected[i]), f"iter_frames, frame {i}"
    assert np.array_equal(video.read_frame(data, 6), expected[6])  # frame review
    for i, rgb in video.read_frames(data, [1, 5, 10]).items():  # report key frames
        assert np.array_equal(rgb, expected[i])
    index = video.index_video(data)
    for i, _, rgb in video.iter_frame_range(data, index, 5, 9):  # parallel chunks
        assert np.array_equal(rgb, expected[i])
    small = next(video.iter_frames(data, max_side=32))[2]  # downscaled
    assert small.shape[:2] == tuple(
        32 * s // max(expected[0].shape[:2]) for s in expected[0].shape[:2]
    )


def test_what_the_player_shows_is_not_what_posedash_decodes(base, plain_frames):
    """The player's mirror image differs from the decoded frame by far more than
    coding noise, so the pixel-exact comparisons above are not vacuous."""
    data = rotated_copy(base, 90, hflip=True)
    first = next(video.iter_frames(data))[2]
    mirrored = np.rot90(plain_frames[0], 1)[:, ::-1]
    assert np.abs(first.astype(int) - mirrored).mean() > 20
