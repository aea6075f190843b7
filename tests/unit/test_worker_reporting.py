"""First results from helper processes (dashboard.detect.worker): the frames a worker
keeps are batched as small arrays (FoundFrames) and passed on to the parent's watcher
frame by frame, once each, in their places (report_found). Known answers, no model."""

from __future__ import annotations

import io
import pickle

import numpy as np

from dashboard.detect import frames
from dashboard.detect.worker import FoundFrames, read_message, report_found, write_message


def _row(value: float, people: int = 1) -> dict[str, np.ndarray]:
    return {
        "image_xy": np.full((people, 33, 2), value),
        "z": np.full((people, 33), value),
        "visibility": np.full((people, 33), 0.5),
        "presence": np.full((people, 33), 0.5),
        "world_m": np.full((people, 33, 3), value / 100),
    }


def test_a_worker_batches_the_frames_it_keeps_and_starts_a_new_batch():
    found = FoundFrames()
    assert frames.FRAME_WATCHER.get() is None
    with found.watching():
        watch = frames.FRAME_WATCHER.get()
        buffer = _row(1.0, people=2)
        watch(300, 10.0, buffer, np.zeros((4, 4, 3), np.uint8))
        buffer["image_xy"][:] = 7.0  # run_landmarker's buffer is reused: the batch copied it
        watch(301, 10.25, _row(2.0, people=2), None)
    assert frames.FRAME_WATCHER.get() is None
    index, time_s, arrays = found.take()
    assert index.tolist() == [300, 301] and index.dtype == np.int64
    assert time_s.tolist() == [10.0, 10.25]
    assert arrays["image_xy"].shape == (2, 2, 33, 2)  # (k, P, 33, 2): landmarks, no picture
    assert arrays["image_xy"][:, 0, 0, 0].tolist() == [1.0, 2.0]
    assert sorted(arrays) == ["image_xy", "presence", "visibility", "world_m", "z"]
    empty = found.take()
    assert empty[0].tolist() == [] and empty[2] == {}


def test_a_batch_crosses_the_pipe_small_and_unchanged():
    found = FoundFrames()
    with found.watching():
        for k in range(4):  # one progress message's worth (_REPORT_EVERY)
            frames.FRAME_WATCHER.get()(500 + k, k / 30, _row(k + 0.125), None)
    pipe = io.BytesIO()
    write_message(pipe, ("progress", 4, found.take()))
    assert pipe.tell() < 12_000  # a few kB for four frames of one person
    pipe.seek(0)
    kind, kept, (index, _time_s, arrays) = read_message(pipe)
    assert (kind, kept, index.tolist()) == ("progress", 4, [500, 501, 502, 503])
    assert arrays["z"][:, 0, 0].tolist() == [0.125, 1.125, 2.125, 3.125]
    assert pickle.loads(pickle.dumps(arrays))["world_m"].dtype == np.float64


def test_report_found_passes_each_frame_on_once_in_its_place():
    seen = []

    def watch(index, time_s, row, rgb):
        seen.append((index, time_s, float(row["image_xy"][0, 0, 0]), rgb))

    batch = (
        np.array([40, 41, 42]),
        np.array([1.0, 1.5, 2.0]),
        {k: np.stack([_row(v)[k] for v in (40, 41, 42)]) for k in _row(0)},
    )
    assert report_found(watch, batch) == 42
    assert seen == [(40, 1.0, 40.0, None), (41, 1.5, 41.0, None), (42, 2.0, 42.0, None)]
    # the final result repeats frames already passed on: only the newer ones go on
    assert report_found(watch, batch, after=41) == 42
    assert [s[0] for s in seen] == [40, 41, 42, 42]
    seen.clear()
    assert report_found(watch, batch, after=42) == 42 and seen == []
    empty = (np.array([], np.int64), np.array([]), {})
    assert report_found(watch, empty, after=7) == 7
