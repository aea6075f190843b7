"""The frame-review timeline marks the frames whose left/right labels were repaired."""

from __future__ import annotations

import numpy as np

from dashboard.figures.timeline import detection_table, timeline_figure
from dashboard.poses import PoseSequence
from tests.swap_walker import FIELDS, walking


def _seq(flags=None):
    arrays = walking(frames=30)
    return PoseSequence(
        **{k: arrays[k] for k in FIELDS},
        time_s=np.arange(30) / 30.0,
        frame_index=np.arange(30),
        image_size=(1280, 720),
        swapped=flags,
    )


def test_repaired_frames_are_marked():
    flags = np.zeros((30, 1, 2), bool)
    flags[[4, 5, 6], 0, 0] = True
    flags[20, 0, 1] = True
    table = detection_table(_seq(flags))
    assert table.legs_relabelled.tolist().count(True) == 3
    assert table.frame[table.arms_relabelled].tolist() == [20]
    names = {t.name: t for t in timeline_figure(_seq(flags)).data}
    assert list(names["legs relabelled"].customdata) == [4, 5, 6]
    assert list(names["arms relabelled"].customdata) == [20]


def test_nothing_marked_without_repairs():
    names = {t.name for t in timeline_figure(_seq()).data}
    assert "legs relabelled" not in names and "arms relabelled" not in names
