"""Left/right limb swap repair (dashboard.detect.swaps): synthetic sequences with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.detect import swaps
from dashboard.detect.engine import finish_rows
from dashboard.detect.frames import Rows
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings
from dashboard.skeleton import INDEX
from tests.swap_walker import FIELDS, apart, inject, walking


def test_viterbi_small_chain():
    # A point moving at constant speed, labels exchanged at steps 2 and 3:
    # the second-order (constant-velocity) costs find exactly those.
    n = 7
    left = np.arange(n, dtype=float)[:, None, None, None] * [[[1.0]]]
    right = -left + 20
    pts = np.concatenate([left, right], axis=1)  # (N, 2, 1, 1)
    pts[2:4] = pts[2:4, ::-1]
    first, second = swaps._motion_costs([pts], np.ones((n, 1)))
    unary = np.zeros((n, 2))
    unary[:, 1] = 0.01
    assert swaps.viterbi_second_order(first, second, unary).tolist() == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
    ]
    assert swaps.viterbi_second_order(first[:0], second[:0], unary[:1]).tolist() == [False]
    assert swaps.viterbi_second_order(first, second, np.zeros((0, 2))).size == 0


def test_no_swaps_leave_the_sequence_untouched():
    arrays = walking()
    fixed, swapped = swaps.repair_swaps(arrays)
    assert not swapped.any()
    for k in FIELDS:
        np.testing.assert_array_equal(fixed[k], arrays[k])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_injected_swaps_are_recovered_exactly(seed):
    original = walking(seed=seed)
    arrays = {k: v.copy() for k, v in original.items()}
    rng = np.random.default_rng(100 + seed)
    truth = np.zeros((*arrays["image_xy"].shape[:2], 2), bool)
    for limb in swaps.LIMBS:
        stretch = []
        for cycle in range(1, 15):  # one swap per half step, away from the crossings
            start = 15 * cycle + int(rng.integers(3, 8))
            stretch += [t for t in range(start, start + int(rng.integers(1, 5))) if apart(t)]
        truth |= inject(arrays, stretch, limb=limb)
    assert swaps.count_label_jumps(arrays["image_xy"]) > 0
    fixed, swapped = swaps.repair_swaps(arrays)
    np.testing.assert_array_equal(swapped, truth)
    for k in FIELDS:
        np.testing.assert_allclose(fixed[k], original[k])
    assert swaps.count_label_jumps(fixed["image_xy"]) == 0
    assert swaps.count_label_jumps(fixed["image_xy"], limb="arms") == 0


def test_each_person_and_gaps():
    original = walking(people=2, seed=3)
    original["image_xy"][50:60, 1] = np.nan  # person 1 not found for 10 frames
    for k in ("z", "visibility", "presence", "world_m"):
        original[k][50:60, 1] = np.nan
    arrays = {k: v.copy() for k, v in original.items()}
    truth = inject(arrays, range(68, 72), person=1, limb="legs")
    truth |= inject(arrays, range(128, 131), person=0, limb="arms")
    fixed, swapped = swaps.repair_swaps(arrays)
    np.testing.assert_array_equal(swapped, truth)
    assert not swapped[50:60, 1].any()
    for k in FIELDS:
        np.testing.assert_allclose(fixed[k], original[k])


def test_the_longer_stretch_keeps_its_labels():
    arrays = walking()
    s = next(u for u in range(10, 30) if apart(u) and apart(u - 1))
    inject(arrays, range(s, 240))  # labels exchanged for most of the clip
    # With a small cost per relabelled frame, the minority (frames before s, where the
    # limbs are apart) is the one relabelled. (The default cost is higher, so that legs
    # crossing in a real walk are not taken for swaps; a short stretch at the very start
    # of a recording is then left as the model gave it.)
    _, swapped = swaps.repair_swaps(arrays, swaps.SwapSettings(prior=0.02))
    assert swapped[[t for t in range(s) if apart(t)], 0, 0].all()
    assert not swapped[s:, 0, 0].any()


def test_repair_does_not_modify_its_input_and_hips_stay():
    arrays = walking()
    inject(arrays, range(41, 44))
    before = {k: v.copy() for k, v in arrays.items()}
    fixed, _ = swaps.repair_swaps(arrays)
    for k in FIELDS:
        np.testing.assert_array_equal(arrays[k], before[k])
        for part in ("hip", "shoulder"):
            for side in ("left", "right"):
                i = INDEX[f"{side}_{part}"]
                np.testing.assert_array_equal(fixed[k][:, :, i], before[k][:, :, i])


def test_count_label_jumps():
    arrays = walking()
    assert swaps.count_label_jumps(arrays["image_xy"]) == 0
    inject(arrays, range(41, 44))  # 40->41 and 43->44: two jumps
    assert swaps.count_label_jumps(arrays["image_xy"]) == 2


def _rows(arrays):
    n = arrays["image_xy"].shape[0]
    return Rows(arrays, np.arange(n) / 30.0, np.arange(n))


def test_finish_rows_repairs_and_records_and_can_be_turned_off():
    original = walking()
    arrays = {k: v.copy() for k, v in original.items()}
    truth = inject(arrays, range(41, 44))
    seq = finish_rows(_rows(arrays), AnalysisSettings(), (1280, 720))
    np.testing.assert_array_equal(seq.swapped, truth)
    np.testing.assert_allclose(seq.image_xy, original["image_xy"])
    off = finish_rows(_rows(arrays), AnalysisSettings(swap_repair=False), (1280, 720))
    assert not off.swapped.any()
    np.testing.assert_array_equal(off.image_xy, arrays["image_xy"])
    # One post-processing for both engines: the same rows give the same sequence.
    assert finish_rows(_rows(arrays), AnalysisSettings(), (1280, 720)).equals(seq)


def test_pose_sequence_swapped_defaults_and_select():
    seq = PoseSequence.empty(5, 2, (10, 10))
    assert seq.swapped.shape == (5, 2, 2) and not seq.swapped.any()
    flags = np.zeros((5, 2, 2), bool)
    flags[3, 1, 0] = True
    seq = PoseSequence(
        **{k: getattr(seq, k) for k in FIELDS},
        time_s=seq.time_s,
        frame_index=seq.frame_index,
        image_size=(10, 10),
        swapped=flags,
    )
    assert seq.select(frames=slice(3, 4), people=slice(1, 2)).swapped.tolist() == [[[True, False]]]
    with pytest.raises(ValueError):
        PoseSequence(
            **{k: getattr(seq, k) for k in FIELDS},
            time_s=seq.time_s,
            frame_index=seq.frame_index,
            image_size=(10, 10),
            swapped=np.ones((5, 2), bool),
        )
