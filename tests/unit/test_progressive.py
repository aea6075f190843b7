"""FirstResults (dashboard.detect.progressive): the frames found so far, in order, from
synthetic rows fed through the frame watcher as run_landmarker feeds it."""

from __future__ import annotations

import threading

import numpy as np

from dashboard.detect.frames import FRAME_WATCHER
from dashboard.detect.progressive import FirstResults
from dashboard.settings import AnalysisSettings


def _row(value: float, people: int = 1) -> dict[str, np.ndarray]:
    body = np.stack([np.arange(33) * 2.0, np.arange(33) * 10.0], axis=-1)  # a body's extent
    return {
        "image_xy": np.full((people, 33, 2), value) + body,
        "z": np.full((people, 33), value),
        "visibility": np.full((people, 33), 0.9),
        "presence": np.full((people, 33), 0.9),
        "world_m": np.full((people, 33, 3), value / 100),
    }


def _picture(value: int) -> np.ndarray:
    return np.full((8, 12, 3), value, np.uint8)


def test_the_watcher_is_set_only_meanwhile_and_only_in_this_thread():
    first = FirstResults(12, 8, AnalysisSettings())
    assert FRAME_WATCHER.get() is None
    elsewhere = []
    with first.watching():
        assert FRAME_WATCHER.get() is not None
        thread = threading.Thread(target=lambda: elsewhere.append(FRAME_WATCHER.get()))
        thread.start()
        thread.join()
    assert elsewhere == [None]
    assert FRAME_WATCHER.get() is None


def test_frames_in_order_from_the_first_with_times_from_zero():
    first = FirstResults(12, 8, AnalysisSettings(), stride=2, picture_every_s=0.0)
    assert first.snapshot() is None
    with first.watching():
        watch = FRAME_WATCHER.get()
        for k, index in enumerate((0, 2, 4)):
            watch(index, 10.0 + k / 15, _row(k), _picture(k))
    preview = first.snapshot()
    assert preview.frames == 3 and preview.pending == ()
    assert list(preview.poses.frame_index) == [0, 2, 4]
    assert np.allclose(preview.poses.time_s, [0, 1 / 15, 2 / 15])
    assert preview.poses.image_xy[:, 0, 0, 0].tolist() == [0, 1, 2]
    assert preview.picture_row == 2 and preview.picture[0, 0, 0] == 2
    assert first.snapshot() is preview  # nothing new: the same object


def test_a_later_part_is_shown_where_it_belongs_with_the_gap_pending():
    # frames 0-2 analysed here (with pictures), 6-7 reported by a helper process (no
    # picture), 3-5 not yet: three rows not found, between 0.1 s and 0.6 s
    first = FirstResults(12, 8, AnalysisSettings(), picture_every_s=0.0)
    with first.watching():
        watch = FRAME_WATCHER.get()
        watch(6, 10.6, _row(6), None)  # a part's frames may come before the first's
        assert first.snapshot() is None  # nothing before the video's first frame
        for index in range(3):
            watch(index, 10.0 + index / 20, _row(index), _picture(index))
        watch(7, 10.7, _row(7), None)
        watch(5, 10.5, _row(5), None)
        watch(9, 10.9, _row(9), None)  # stride 1: a lone frame later still
    preview = first.snapshot()
    assert preview.frames == 6  # 0, 1, 2, 5, 7, 9
    # one empty row stands for each stretch not analysed yet: it breaks the curves
    assert preview.pending == ((3, 4), (6, 6), (8, 8))
    assert preview.gap_rows == (3, 5, 7)
    assert preview.poses.num_frames == 9
    assert list(preview.poses.frame_index) == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert preview.poses.detected[:, 0].tolist() == [1, 1, 1, 0, 1, 0, 1, 0, 1]
    x = preview.poses.image_xy[:, 0, 0, 0]
    assert x[[0, 1, 2, 4, 6, 8]].tolist() == [0, 1, 2, 5, 7, 9]
    # the times: as found where analysed; a gap row's halfway between its neighbours'
    assert np.allclose(preview.poses.time_s, [0, 0.05, 0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert np.allclose(preview.pending_s(), [(0.1, 0.5), (0.5, 0.7), (0.7, 0.9)])
    assert preview.picture_row == 2 and preview.picture[0, 0, 0] == 2  # only this process's


def test_a_frame_off_the_stride_is_not_one_of_the_analysis():
    first = FirstResults(12, 8, AnalysisSettings(), stride=3)
    with first.watching():
        watch = FRAME_WATCHER.get()
        watch(0, 0.0, _row(0), _picture(0))
        watch(4, 0.4, _row(4), None)
        watch(6, 0.6, _row(6), None)
    preview = first.snapshot()
    assert preview.frames == 2 and preview.pending == ((3, 3),)  # frame 3 (0-based)
    assert list(preview.poses.frame_index) == [0, 3, 6] and preview.gap_rows == (1,)


def test_the_picture_row_counts_the_gap_rows_before_it():
    first = FirstResults(12, 8, AnalysisSettings(), stride=2, picture_every_s=0.0)
    with first.watching():
        watch = FRAME_WATCHER.get()
        watch(0, 0.0, _row(0), _picture(0))
        watch(40, 2.0, _row(40), None)  # a later part first
        watch(44, 2.2, _row(44), None)
        watch(2, 0.1, _row(2), _picture(2))
    preview = first.snapshot()
    assert list(preview.poses.frame_index) == [0, 2, 4, 40, 42, 44]
    assert preview.gap_rows == (2, 4) and preview.pending == ((4, 38), (42, 42))
    assert preview.picture_row == 1 and preview.poses.image_xy[1, 0, 0, 0] == 2


def test_an_analysis_started_again_starts_the_preview_again():
    first = FirstResults(12, 8, AnalysisSettings(), picture_every_s=0.0)
    with first.watching():
        watch = FRAME_WATCHER.get()
        for index in range(5):
            watch(index, index / 30, _row(index), _picture(index))
        before = first.snapshot()
        watch(0, 0.0, _row(7), _picture(7))  # the fallback: from the first frame again
    after = first.snapshot()
    assert before.frames == 5 and after.frames == 1
    assert after.poses.image_xy[0, 0, 0, 0] == 7


def test_rows_are_copied_and_pictures_kept_at_most_so_often():
    first = FirstResults(12, 8, AnalysisSettings(), picture_every_s=3600.0)
    row = _row(1.0)
    with first.watching():
        watch = FRAME_WATCHER.get()
        watch(0, 0.0, row, _picture(1))
        watch(1, 0.1, _row(2.0), _picture(2))
    row["image_xy"][:] = 99.0  # the engine's buffer is reused: the preview keeps its copy
    preview = first.snapshot()
    assert preview.poses.image_xy[0, 0, 0, 0] == 1.0
    assert (
        preview.picture_row == 0 and preview.picture[0, 0, 0] == 1
    )  # the first, not yet the second


def test_several_people_are_tracked_and_swaps_left_for_the_final_pass():
    settings = AnalysisSettings(num_poses=2)
    first = FirstResults(1000, 800, settings)
    with first.watching():
        watch = FRAME_WATCHER.get()
        for index in range(4):
            row = _row(100.0 + index, people=2)
            row["image_xy"][1] += 500.0  # a second person further right
            if index % 2:  # MediaPipe's slots come in any order
                row = {k: v[::-1].copy() for k, v in row.items()}
            watch(index, index / 30, row, _picture(0))
    preview = first.snapshot()
    assert preview.poses.num_people == 2
    x = preview.poses.image_xy[:, :, 0, 0]  # landmark 0's x of each slot
    assert np.allclose(x[:, 0], [100, 101, 102, 103]) or np.allclose(x[:, 1], [100, 101, 102, 103])
    assert not preview.poses.swapped.any()
