"""Left/right limb swap repair on the shared side-view clips (real model, real video).

Label jumps (``dashboard.detect.swaps.count_label_jumps``: a frame pair in which
both legs' knee, ankle, heel and foot index are each much closer, under half the
distance, to the other side's previous position than to their own) go to 0; a
front-view clip without swaps is left untouched; the parallel engine gives the
same result as the sequential one.
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.detect.engine import analyze_video
from dashboard.detect.swaps import count_label_jumps, repair_sequence
from dashboard.settings import AnalysisSettings

GAIT = "videos/sports2d_demo4_gait_side.mp4"
SPRINT = "videos/sports2d_demo3_sprint_side.mp4"
RAISE = "videos/sports2d_demo5_lateral_raise_front.mp4"

_CACHE = {}


def _analyse(media_dir, model_info, name, repair=True, workers=1):
    key = (name, repair, workers)
    if key not in _CACHE:
        data = (media_dir / name).read_bytes()
        _CACHE[key] = analyze_video(
            data, model_info, AnalysisSettings(swap_repair=repair), name=name, workers=workers
        )
    return _CACHE[key]


@pytest.mark.parametrize("clip", [GAIT, SPRINT])
def test_side_view_label_jumps_are_repaired(media_dir, model_info, clip):
    raw = _analyse(media_dir, model_info, clip, repair=False)
    fixed = _analyse(media_dir, model_info, clip)
    before = count_label_jumps(raw.image_xy)
    assert before >= 1  # measured: gait 2, sprint 1 (6 and 2 counting "closer" at all)
    assert count_label_jumps(fixed.image_xy) == 0
    # Counting "closer" at all also counts legs that cross in stance: measured 0 on
    # both clips since the brief-swap step (2 on the gait clip before it); at most 1
    # allowed, for the parallel engine's landmarks, which differ by a pixel or so.
    assert count_label_jumps(fixed.image_xy, ratio=1.0) <= 1
    assert not raw.swapped.any() and fixed.swapped[..., 0].any()
    # Applied again, the repair changes nothing (gait analysis relies on this: it
    # applies the repair to whatever landmarks it gets, see kinematics/gait/labels.py).
    again = repair_sequence(fixed)
    np.testing.assert_array_equal(again.swapped, fixed.swapped)
    # Only labels change: the same landmarks, each frame, in one order or the other.
    both = np.sort(raw.image_xy[:, 0, 25:33, 0], axis=-1)
    np.testing.assert_allclose(np.sort(fixed.image_xy[:, 0, 25:33, 0], axis=-1), both)


def test_walking_clip_swaps_checked_by_eye(media_dir, model_info):
    """Frames of the walking clip checked by eye (each foot's track relative to the
    pelvis over the stride, and the frames drawn): the model exchanged the legs in
    frame 110 and frames 257-260, 263 and 265, which the whole-recording step
    alone left (and relabelled frame 264, which the model had right). Measured: 30
    leg frames relabelled, these among them (20 by the whole-recording step alone)."""
    fixed = _analyse(media_dir, model_info, GAIT)
    legs = fixed.swapped[:, 0, 0]
    checked = [110, 257, 258, 259, 260, 263, 265]
    assert legs[checked].sum() >= len(checked) - 1, np.flatnonzero(legs)
    assert not legs[264]
    assert 20 <= legs.sum() <= 40, legs.sum()


def test_clip_without_swaps_is_untouched(media_dir, model_info):
    raw = _analyse(media_dir, model_info, RAISE, repair=False)
    fixed = _analyse(media_dir, model_info, RAISE)
    assert not fixed.swapped.any()
    assert fixed.equals(raw)


def test_parallel_matches_sequential(media_dir, model_info):
    seq = _analyse(media_dir, model_info, GAIT, workers=1)
    par = _analyse(media_dir, model_info, GAIT, workers=2)
    assert count_label_jumps(par.image_xy) == 0
    # The engines' landmarks agree to a pixel or so, not bit for bit; the repair
    # flags the same frames.
    agree = (seq.swapped == par.swapped).mean()
    assert agree >= 0.98, agree
