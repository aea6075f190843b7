import numpy as np

from dashboard.figures.render import draw_pose, encode_png
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, LEFT_COLOUR, RIGHT_COLOUR


def _person(width=400, height=300, visibility=0.99):
    """A stick figure standing in the middle of a width x height picture."""
    xy = np.zeros((33, 2))
    xy[:, 0], xy[:, 1] = width / 2, height / 2
    for name, (x, y) in {
        "left_shoulder": (230, 80),
        "right_shoulder": (170, 80),
        "left_hip": (220, 160),
        "right_hip": (180, 160),
        "left_knee": (222, 220),
        "right_knee": (178, 220),
        "left_ankle": (224, 280),
        "right_ankle": (176, 280),
    }.items():
        xy[INDEX[name]] = (x, y)
    frame = {
        "image_xy": xy[None],
        "z": np.zeros((1, 33)),
        "visibility": np.full((1, 33), visibility),
        "presence": np.ones((1, 33)),
        "world_m": np.zeros((1, 33, 3)),
    }
    return PoseSequence.from_frames([frame], (width, height), [0.0], [0])


def _colour_near(img, point, colour, tol=40):
    x, y = point
    patch = img[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3).astype(int)
    return (np.abs(patch - colour).max(axis=1) < tol).any()


def test_draws_left_and_right_in_their_colours_without_touching_input():
    rgb = np.zeros((300, 400, 3), np.uint8)
    out = draw_pose(rgb, _person())
    assert not rgb.any(), "the input picture must not be modified"
    assert _colour_near(out, (223, 250), LEFT_COLOUR)  # left shin
    assert _colour_near(out, (177, 250), RIGHT_COLOUR)  # right shin


def test_low_visibility_is_faded():
    rgb = np.zeros((300, 400, 3), np.uint8)
    sure = draw_pose(rgb, _person(visibility=0.99))
    unsure = draw_pose(rgb, _person(visibility=0.1))
    assert unsure.sum() < 0.5 * sure.sum()
    assert unsure.any()


def test_nobody_and_scaled_display():
    rgb = np.full((150, 200, 3), 7, np.uint8)
    empty = PoseSequence.empty(1, 1, (400, 300))
    assert np.array_equal(draw_pose(rgb, empty), rgb)
    half = draw_pose(rgb, _person())  # landmarks of a 400x300 frame on a 200x150 copy
    assert _colour_near(half, (111, 125), LEFT_COLOUR)


def test_names_add_text_and_png_encodes():
    rgb = np.zeros((300, 400, 3), np.uint8)
    plain, named = draw_pose(rgb, _person()), draw_pose(rgb, _person(), show_names=True)
    assert (named != plain).any()
    assert encode_png(named)[:8] == b"\x89PNG\r\n\x1a\n"


def test_far_outside_landmarks_do_not_crash():
    seq = _person()
    xy = np.array(seq.image_xy)
    xy[0, 0, 0] = (1e12, -1e12)
    far = PoseSequence(
        xy,
        seq.z,
        seq.visibility,
        seq.presence,
        seq.world_m,
        seq.time_s,
        seq.frame_index,
        seq.image_size,
    )
    out = draw_pose(np.zeros((300, 400, 3), np.uint8), far)
    assert out.shape == (300, 400, 3)
    assert _colour_near(out, (223, 250), LEFT_COLOUR)  # the rest of the body is still drawn
