import numpy as np
import pytest

from dashboard.poses import PoseSequence


def _frame(n_people, value=1.0):
    return {
        "image_xy": np.full((n_people, 33, 2), value),
        "z": np.zeros((n_people, 33)),
        "visibility": np.full((n_people, 33), 0.9),
        "presence": np.full((n_people, 33), 0.95),
        "world_m": np.zeros((n_people, 33, 3)),
    }


def test_empty_is_all_nan_and_nobody_detected():
    seq = PoseSequence.empty(4, 2, (640, 480))
    assert seq.image_xy.shape == (4, 2, 33, 2)
    assert np.isnan(seq.world_m).all()
    assert not seq.detected.any()
    assert list(seq.frame_index) == [0, 1, 2, 3]


def test_from_frames_pads_missing_people_with_nan():
    seq = PoseSequence.from_frames(
        [_frame(1), _frame(0), _frame(2, 5.0)],
        (100, 50),
        time_s=[0, 0.1, 0.25],
        frame_index=[0, 1, 2],
    )
    assert seq.num_frames == 3 and seq.num_people == 2
    assert seq.detected.tolist() == [[True, False], [False, False], [True, True]]
    assert seq.image_xy[2, 1, 0, 0] == 5.0
    assert np.isnan(seq.visibility[1]).all()
    np.testing.assert_allclose(seq.time_s, [0, 0.1, 0.25])


def test_normalized_coordinates_use_width_and_height_separately():
    seq = PoseSequence.from_frames([_frame(1, 50.0)], (200, 100), [0.0], [0])
    np.testing.assert_allclose(seq.normalized_xy[0, 0, 0], [0.25, 0.5])


def test_shape_errors_say_expected_and_actual():
    seq = PoseSequence.empty(2, 1, (10, 10))
    with pytest.raises(
        ValueError, match=r"visibility must have shape \(2, 1, 33\), got \(2, 1, 32\)"
    ):
        PoseSequence(
            seq.image_xy,
            seq.z,
            np.zeros((2, 1, 32)),
            seq.presence,
            seq.world_m,
            seq.time_s,
            seq.frame_index,
            (10, 10),
        )
    with pytest.raises(ValueError, match="image_xy must have shape"):
        PoseSequence(
            np.zeros((2, 1, 17, 2)),
            seq.z,
            seq.visibility,
            seq.presence,
            seq.world_m,
            seq.time_s,
            seq.frame_index,
            (10, 10),
        )


def test_arrays_are_read_only():
    seq = PoseSequence.empty(1, 1, (10, 10))
    with pytest.raises(ValueError):
        seq.image_xy[0, 0, 0, 0] = 1.0


def test_select_and_equals():
    seq = PoseSequence.from_frames([_frame(2), _frame(1)], (10, 10), [0, 1], [0, 1])
    one = seq.select(frames=slice(1, 2), people=slice(0, 1))
    assert one.num_frames == 1 and one.num_people == 1
    assert seq.equals(seq.select())
    assert not seq.equals(one)
