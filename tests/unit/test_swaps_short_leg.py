"""The leg swap repair's second step (dashboard.detect.swaps.short_leg_swaps): brief
leg swaps judged by position relative to the pelvis. Synthetic side-view walkers
with known answers (tests/gait_walker.py: feet standing still in stance, swinging
forward; tests/swap_walker.py: legs and arms swinging as sinusoids)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.detect import swaps
from tests.gait_walker import walker
from tests.swap_walker import inject, walking

LEGS = swaps.LIMBS.index("legs")


def _walk(fps=30.0, swap=(), seed=0):
    """(arrays, time_s, truth): the gait walker with its legs swapped in ``swap``
    = (first, last) frames; truth (F,) bool."""
    seq, _ = walker(fps=fps, directions=(1, -1), noise_px=1.5, swap=swap, seed=seed)
    truth = np.zeros(seq.num_frames, bool)
    if swap:
        truth[swap[0] : swap[1] + 1] = True
    return {k: np.array(getattr(seq, k)) for k in swaps._FIELDS}, np.array(seq.time_s), truth


@pytest.mark.parametrize("swap", [(44, 44), (70, 72), (100, 111), (61, 74)])
def test_brief_swaps_are_found_exactly(swap):
    arrays, t, truth = _walk(swap=swap)
    np.testing.assert_array_equal(swaps.short_leg_swaps(arrays["image_xy"][:, 0], t), truth)
    np.testing.assert_array_equal(swaps.find_swaps(arrays, time_s=t)[:, 0, LEGS], truth)


def test_a_swap_the_first_step_misplaces_is_repaired():
    """A 14-frame swap starting while the legs cross (1.3 s, 30 fps): the whole-
    recording step alone moves its start 3 frames too early and leaves 13 of its
    frames swapped; with the second step the repair is exact."""
    arrays, t, truth = _walk(swap=(39, 52))
    first = swaps.find_swaps(arrays, swaps.SwapSettings(glitch_cost=0), t)[:, 0, LEGS]
    assert np.flatnonzero(first).tolist() == [36, 37, 38, 52]
    np.testing.assert_array_equal(swaps.find_swaps(arrays, time_s=t)[:, 0, LEGS], truth)
    # the second step alone accepts that run because, counted from the model's
    # labels, it is still 14 frames (0.47 s) long, not 17
    fixed = swaps.apply_swaps(
        {"image_xy": arrays["image_xy"]}, np.stack([first, np.zeros_like(first)], -1)[:, None]
    )["image_xy"][:, 0]
    found = swaps.short_leg_swaps(fixed, t, before=first)
    np.testing.assert_array_equal(found ^ first, truth)
    assert not swaps.short_leg_swaps(fixed, t).any()  # 17 frames on their own: too long


def test_the_longest_brief_swap_follows_the_frame_rate():
    arrays, t, truth = _walk(swap=(100, 119))  # 20 frames
    xy = arrays["image_xy"][:, 0]
    assert not swaps.short_leg_swaps(xy, t).any()  # 0.67 s at 30 fps: too long
    np.testing.assert_array_equal(swaps.short_leg_swaps(xy, t / 2), truth)  # 0.33 s
    assert not swaps.short_leg_swaps(xy, None).any()  # no times: 30 fps
    assert not swaps.short_leg_swaps(xy, t / 2, swaps.SwapSettings(glitch_cost=0)).any()
    longer = swaps.SwapSettings(max_glitch_s=0.7)
    np.testing.assert_array_equal(swaps.short_leg_swaps(xy, t, longer), truth)


def test_legs_only_and_each_person():
    original = walking(people=2, seed=4)
    arrays = {k: v.copy() for k, v in original.items()}
    truth = inject(arrays, [70, 71], person=1, limb="legs")
    truth |= inject(arrays, range(128, 131), person=0, limb="arms")
    t = np.arange(240) / 30
    legs_only = swaps.find_swaps(arrays, time_s=t, limbs=("legs",))
    np.testing.assert_array_equal(legs_only[..., LEGS], truth[..., LEGS])
    assert not legs_only[..., swaps.LIMBS.index("arms")].any()
    np.testing.assert_array_equal(swaps.find_swaps(arrays, time_s=t), truth)


def test_clean_walks_and_nobody_are_left_alone():
    arrays, t, _ = _walk()
    assert not swaps.find_swaps(arrays, time_s=t).any()
    assert not swaps.short_leg_swaps(walking()["image_xy"][:, 0]).any()
    assert not swaps.short_leg_swaps(np.full((10, 33, 2), np.nan)).any()
