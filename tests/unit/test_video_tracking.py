"""The person tracker on synthetic skeletons with known identities."""

from __future__ import annotations

import numpy as np

from dashboard.detect import tracking


def skeleton(cx: float, cy: float, size: float = 100.0) -> np.ndarray:
    """A (33, 2) pose: fixed random offsets scaled by ``size`` around (cx, cy)."""
    offsets = np.random.default_rng(7).uniform(-0.5, 0.5, (33, 2))
    return np.array([cx, cy]) + offsets * size


def walk(n: int, start: float, speed: float, y: float = 300.0) -> np.ndarray:
    return np.stack([skeleton(start + speed * f, y) for f in range(n)])


def test_identities_survive_slot_swaps():
    n = 20
    a, b = walk(n, 100, 5), walk(n, 600, -5)
    xy = np.full((n, 2, 33, 2), np.nan)
    for f in range(n):  # MediaPipe's order changes every other frame
        first, second = (a[f], b[f]) if f % 2 == 0 else (b[f], a[f])
        xy[f, 0], xy[f, 1] = first, second
    ids = tracking.assign_tracks(xy)
    out = tracking.reorder_by_track({"image_xy": xy}, ids)["image_xy"]
    assert out.shape == (n, 2, 33, 2)
    np.testing.assert_allclose(out[:, 0], a)
    np.testing.assert_allclose(out[:, 1], b)


def test_gap_within_tolerance_keeps_the_id_and_long_gap_gets_a_new_one():
    n = 40
    a = walk(n, 100, 2)
    xy = np.full((n, 1, 33, 2), np.nan)
    xy[:10, 0] = a[:10]
    xy[15:20, 0] = a[15:20]  # 4 missing frames: same person
    xy[38:, 0] = a[38:]  # 17 missing frames: beyond max_gap
    ids = tracking.assign_tracks(xy, max_gap=15)
    assert set(ids[:20, 0][ids[:20, 0] >= 0]) == {0}
    assert set(ids[38:, 0]) == {1}
    assert (ids[10:15, 0] == -1).all()


def test_far_jump_is_a_new_person():
    xy = np.full((2, 1, 33, 2), np.nan)
    xy[0, 0], xy[1, 0] = skeleton(100, 100), skeleton(900, 100)
    ids = tracking.assign_tracks(xy)
    assert ids[:, 0].tolist() == [0, 1]


def test_person_entering_and_leaving():
    n = 10
    a, b = walk(n, 100, 3), walk(n, 700, 0)
    xy = np.full((n, 2, 33, 2), np.nan)
    xy[:, 0] = a
    xy[4:8, 1] = b[4:8]
    ids = tracking.assign_tracks(xy)
    out = tracking.reorder_by_track({"image_xy": xy}, ids)["image_xy"]
    detected = ~np.isnan(out[..., 0]).all(-1)
    assert detected[:, 0].all()
    assert detected[:, 1].tolist() == [False] * 4 + [True] * 4 + [False] * 2


def test_duplicate_detection_is_merged_keeping_the_better_one():
    xy = np.full((3, 3, 33, 2), np.nan)
    for f in range(3):
        xy[f, 0] = skeleton(100, 100) + f
        xy[f, 1] = skeleton(500, 100)
    xy[1, 2] = xy[1, 0] + 2.0  # MediaPipe reports person 0 twice in frame 1
    scores = np.ones((3, 3))
    scores[1, 0] = 0.5  # the duplicate in slot 2 is the more confident one
    ids = tracking.assign_tracks(xy, scores=scores)
    assert ids.max() == 1
    assert ids[1].tolist() == [-1, 1, 0]


def test_size_normalised_distance():
    near_small = skeleton(0, 0, size=20)
    assert tracking.pose_size(near_small[None])[0] < 30
    cost = tracking.pose_distance(near_small[None], (near_small + 3)[None])
    assert cost[0, 0] == np.sqrt(18)
    assert np.isinf(tracking.pose_distance(np.full((1, 33, 2), np.nan), near_small[None]))[0, 0]


def test_greedy_match_prefers_lowest_cost_and_respects_threshold():
    cost = np.array([[0.1, 0.2], [0.15, 0.9]])
    rows, cols = tracking.greedy_match(cost, 0.5)
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=False)) == [(0, 0)]
    rows, cols = tracking.greedy_match(cost, 1.0)
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=False)) == [(0, 0), (1, 1)]


def test_nobody_anywhere():
    ids = tracking.assign_tracks(np.full((5, 2, 33, 2), np.nan))
    assert (ids == -1).all()
    out = tracking.reorder_by_track({"image_xy": np.full((5, 2, 33, 2), np.nan)}, ids)
    assert out["image_xy"].shape == (5, 1, 33, 2)
