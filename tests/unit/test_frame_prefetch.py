"""The frame loop decodes ahead in a helper thread (issue 27): same frames, same order,
the same exceptions at the same place, and the source left alone once the loop ends."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from dashboard.detect.frames import _Prefetch, run_landmarker
from dashboard.errors import Cancelled, InputError


def _frames(n, fail_at=None):
    for i in range(n):
        if i == fail_at:
            raise InputError(f"frame {i} is damaged")
        yield i, i / 30, np.full((4, 6, 3), i % 256, np.uint8)


def test_items_come_in_order_and_the_end_is_the_end():
    ahead = _Prefetch(_frames(50), depth=2)
    got = [i for i, _, _ in ahead]
    ahead.close()
    assert got == list(range(50))


def test_an_error_of_the_source_is_raised_after_the_frames_before_it():
    ahead = _Prefetch(_frames(10, fail_at=7), depth=3)
    seen = []
    with pytest.raises(InputError, match="frame 7"):
        for i, _, _ in ahead:
            seen.append(i)
    ahead.close()
    assert seen == list(range(7))


def test_close_stops_the_thread_so_that_the_source_can_be_closed():
    pulled = []

    def slow():
        for i in range(1000):
            pulled.append(i)
            yield i, 0.0, None

    source = slow()
    ahead = _Prefetch(source, depth=2)
    for i, _, _ in ahead:
        if i == 3:
            break
    ahead.close()
    count = len(pulled)
    source.close()  # "generator already executing" if the thread were still in it
    time.sleep(0.05)
    assert count <= 3 + 1 + 2 + 1 and len(pulled) == count
    assert not any(t.name == "posedash-decode" and t.is_alive() for t in threading.enumerate())


class _Landmarker:
    """Stands in for MediaPipe in run_landmarker: backend.detect_video_frame calls it."""

    def detect_for_video(self, image, stamp):
        raise AssertionError("replaced")


def test_run_landmarker_gives_the_same_rows_with_and_without_prefetch(monkeypatch):
    from dashboard.detect import backend

    def detect(landmarker, rgb, stamp):
        v = float(rgb[0, 0, 0])
        return {
            "image_xy": np.full((1, 33, 2), v / 100),
            "z": np.full((1, 33), v),
            "visibility": np.full((1, 33), 0.9),
            "presence": np.full((1, 33), 0.8),
            "world_m": np.full((1, 33, 3), stamp / 1000),
        }

    monkeypatch.setattr(backend, "detect_video_frame", detect)
    rows = [
        run_landmarker(_Landmarker(), _frames(40), (6, 4), 1, 40, keep_from=5, prefetch=p)
        for p in (0, 2)
    ]
    assert np.array_equal(rows[0].frame_index, rows[1].frame_index)
    assert rows[0].frame_index.tolist() == list(range(5, 40))
    for k in rows[0].arrays:
        assert np.array_equal(rows[0].arrays[k], rows[1].arrays[k], equal_nan=True)


def test_a_cancel_between_frames_stops_the_decoding_thread(monkeypatch):
    from dashboard.detect import backend

    monkeypatch.setattr(
        backend,
        "detect_video_frame",
        lambda lm, rgb, stamp: {
            "image_xy": np.zeros((0, 33, 2)),
            "z": np.zeros((0, 33)),
            "visibility": np.zeros((0, 33)),
            "presence": np.zeros((0, 33)),
            "world_m": np.zeros((0, 33, 3)),
        },
    )
    seen = []

    def before():
        if len(seen) >= 5:
            raise Cancelled("cancelled")
        seen.append(1)

    with pytest.raises(Cancelled):
        run_landmarker(_Landmarker(), _frames(1000), (6, 4), 1, 10, before_frame=before)
    assert not any(t.name == "posedash-decode" and t.is_alive() for t in threading.enumerate())
