"""Parallel chunked video analysis: planning (pure), frame ranges, and the real thing
(worker processes, stitching, progress, cancel, worker errors)."""

from __future__ import annotations

import io
import itertools
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

from dashboard.detect import parallel
from dashboard.detect.engine import analyze_video
from dashboard.detect.parallel import Chunk, plan_chunks
from dashboard.errors import Cancelled, InputError
from dashboard.media import video
from tests.videotools import corrupt_second_half, make_clip

LATERAL = "sports2d_demo5_lateral_raise_front.mp4"  # 540 frames, 1280 x 720


# -- planning (pure) -----------------------------------------------------------


def _kept(chunks, stride=1):
    return [i for c in chunks for i in range(c.start, c.stop, stride)]


def _start_worker(job: dict, data: bytes) -> subprocess.Popen:
    """A worker process (``python -m dashboard.detect.parallel``) given ``job`` and the
    video bytes ``data`` on its standard input, as analyze_parallel starts one."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.detect.parallel"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=parallel._PACKAGE_ROOT,
    )
    buf = io.BytesIO()
    parallel._write(buf, job)
    proc.stdin.write(buf.getvalue() + struct.pack("<Q", len(data)) + data)
    proc.stdin.flush()
    return proc


@pytest.mark.parametrize(
    "n,workers,stride",
    [(2000, 2, 1), (2000, 4, 1), (1001, 3, 1), (5000, 2, 3), (2999, 2, 7), (640, 2, 2)],
)
def test_chunks_tile_the_video_with_warm_up_overlap(n, workers, stride):
    chunks = plan_chunks(n, workers, stride=stride, overlap=30, head_extra=40)
    assert 2 <= len(chunks) <= workers
    assert _kept(chunks, stride) == list(range(0, n, stride))  # every analysed frame once
    assert chunks[0] == Chunk(0, 0, chunks[0].stop)
    for prev, c in itertools.pairwise(chunks):
        assert c.start == prev.stop and c.start % stride == 0
        assert c.warm_start == c.start - 30 * stride  # re-acquires tracking before it
    sizes = [parallel.kept_frames(c, stride) for c in chunks]
    assert sizes[0] >= max(sizes[1:])  # the first chunk starts at once: it takes more
    assert max(sizes) - min(sizes) <= 30 + 40 + 1


def test_short_clips_and_one_worker_stay_sequential():
    assert plan_chunks(299, 8) == [Chunk(0, 0, 299)]
    assert plan_chunks(1000, 1) == [Chunk(0, 0, 1000)]
    assert plan_chunks(897, 8, stride=3) == [Chunk(0, 0, 897)]  # 299 analysed frames
    assert len(plan_chunks(300, 2, min_chunk=120)) == 2
    assert len(plan_chunks(300, 8, min_chunk=120)) == 2  # no chunk under min_chunk
    assert plan_chunks(0, 2) == [Chunk(0, 0, 0)]
    with pytest.raises(ValueError):
        plan_chunks(100, 0)


def test_workers_default_to_the_cores(monkeypatch):
    monkeypatch.delenv("POSEDASH_WORKERS", raising=False)
    assert parallel.resolve_workers(None) == parallel.available_cores() >= 1
    assert parallel.resolve_workers(1) == 1
    monkeypatch.setenv("POSEDASH_WORKERS", "3")
    assert parallel.resolve_workers(None) == 3
    assert parallel.resolve_workers(2) == 2


# -- frame ranges --------------------------------------------------------------


def test_frame_ranges_match_the_sequential_decoder():
    clip = make_clip(60, options={"g": "12", "bf": "2"})  # B-frames, a keyframe every 12
    index = video.index_video(clip, "clip.mp4")
    assert index is not None and index.num_frames == 60
    whole = list(video.iter_frames(clip))
    t0 = whole[0][1]
    for start, stop, stride in [(0, 60, 1), (17, 41, 1), (24, 60, 3), (59, 60, 1)]:
        part = list(video.iter_frame_range(clip, index, start, stop, stride))
        want = [w for w in whole if start <= w[0] < stop and w[0] % stride == 0]
        assert [p[0] for p in part] == [w[0] for w in want]
        first_raw = next(iter(video.iter_frame_range(clip, index, 0, 1)))[1]
        assert [p[1] - first_raw for p in part] == [w[1] - t0 for w in want]
        for p, w in zip(part, want, strict=False):
            assert np.array_equal(p[2], w[2])


def test_index_of_a_file_that_is_not_a_video_is_an_input_error():
    with pytest.raises(InputError):
        video.index_video(b"\x00" * 100, "broken.mp4")


# -- the real thing (worker processes) -------------------------------------------


@pytest.fixture(scope="module")
def lateral(media_dir) -> bytes:
    return (media_dir / "videos" / LATERAL).read_bytes()


@pytest.fixture(scope="module")
def sequential(lateral, model_info):
    return analyze_video(lateral, model_info, name=LATERAL, workers=1)


@pytest.mark.slow
def test_parallel_matches_sequential(lateral, sequential, model_info):
    calls = []
    par = analyze_video(
        lateral, model_info, name=LATERAL, workers=2, progress=lambda d, t: calls.append((d, t))
    )
    assert par.frame_index.tolist() == sequential.frame_index.tolist() == list(range(540))
    assert np.array_equal(par.time_s, sequential.time_s)  # the same floats
    assert par.image_size == sequential.image_size
    assert np.array_equal(par.detected, sequential.detected)
    err = np.linalg.norm(par.image_xy - sequential.image_xy, axis=-1)
    within = np.mean(err[np.isfinite(err)] <= 15)
    print(
        f"parallel vs sequential: {within:.2%} within 15 px, "
        f"{np.mean(err[np.isfinite(err)] == 0):.0%} identical"
    )
    assert within >= 0.99
    # the first chunk (analysed here) is the sequential result itself
    head = parallel.plan_chunks(540, 2)[0].stop
    assert np.array_equal(par.image_xy[:head], sequential.image_xy[:head], equal_nan=True)
    done = [d for d, _ in calls]
    assert all(t == 540 for _, t in calls) and calls[-1] == (540, 540)
    assert done == sorted(done) and len(set(done)) > 100  # fed by both processes


@pytest.mark.slow
def test_with_workers_started_ahead_this_process_takes_the_last_chunk(lateral, model_info):
    """The command line starts its workers ahead and then analyses the last (shortest)
    chunk itself, so that it finishes first and prepares the writing (issue 27). A chunk
    gives the same landmarks in either process: the result is the same to the bit."""
    assert parallel._own_chunk(2, watched=False) == 0  # no workers started ahead
    here_first = analyze_video(lateral, model_info, name=LATERAL, workers=2)
    with parallel.workers_started(1):
        assert parallel._own_chunk(2, watched=False) == 1
        assert parallel._own_chunk(2, watched=True) == 0  # first results: the head here
        here_last = analyze_video(lateral, model_info, name=LATERAL, workers=2)
    for name in ("image_xy", "world_m", "visibility", "time_s", "swapped"):
        a, b = getattr(here_first, name), getattr(here_last, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name


@pytest.mark.slow
def test_parallel_with_several_people_and_stride(lateral, model_info):
    from dashboard.settings import AnalysisSettings

    settings = AnalysisSettings(num_poses=2)
    seq = analyze_video(lateral, model_info, settings, stride=1, max_side=640, workers=1)
    par = analyze_video(lateral, model_info, settings, stride=1, max_side=640, workers=2)
    assert par.frame_index.tolist() == seq.frame_index.tolist()
    assert par.num_people == seq.num_people
    err = np.linalg.norm(par.image_xy[:, 0] - seq.image_xy[:, 0], axis=-1)
    assert np.mean(err[np.isfinite(err)] <= 15) >= 0.99  # the one person, one track


@pytest.mark.slow
def test_cancel_stops_the_workers(lateral, model_info):
    seen = []
    started = time.monotonic()
    with pytest.raises(Cancelled, match="cancelled"):
        analyze_video(
            lateral,
            model_info,
            workers=2,
            name=LATERAL,
            progress=lambda d, t: seen.append(d),
            should_cancel=lambda: len(seen) >= 40,
        )
    assert len(seen) >= 40 and max(seen) < 540
    assert time.monotonic() - started < 60
    assert _worker_processes() == []


def _worker_processes():
    """This process's children that are PoseDash workers (Linux /proc; [] elsewhere)."""
    import os

    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as f:
            children = f.read().split()
    except OSError:
        return []
    found = []
    for pid in children:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"dashboard.detect.parallel" in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


@pytest.mark.slow
def test_worker_errors_are_input_errors(lateral, model_info):
    broken = corrupt_second_half(lateral)
    with pytest.raises(InputError) as sequential_error:
        analyze_video(broken, model_info, workers=1, name="broken.mp4", stride=4)
    with pytest.raises(InputError) as parallel_error:
        analyze_video(broken, model_info, workers=2, name="broken.mp4")
    assert "damaged" in str(parallel_error.value)
    assert type(parallel_error.value) is type(sequential_error.value)
    assert _worker_processes() == []


def test_worker_process_reports_an_input_error_as_such(lateral, model_info):
    """The worker's protocol, in this process: an InputError is sent as ("error", ...)."""
    from dashboard.settings import AnalysisSettings

    index = video.index_video(lateral, LATERAL)
    job = dict(
        model_path=model_info.path,
        settings=AnalysisSettings(),
        chunk=Chunk(400, 430, 540),
        stride=1,
        max_side=None,
        name="cut.mp4",
        display=(1280, 720),
        index=index,
    )
    cut = lateral[: len(lateral) // 2]  # the frames of the chunk are missing
    proc = _start_worker(job, cut)
    message = parallel._read(proc.stdout)
    proc.stdin.close()
    proc.wait(timeout=30)
    assert message[0] in ("error", "unsupported")
    if message[0] == "error":
        assert message[1] == "InputError"


@pytest.mark.slow
def test_parallel_cli_run_connects_nowhere_and_leaves_nothing(media_dir, tmp_path):
    """The workers too: under strace (when installed), no connection leaves the
    machine, and TMPDIR stays empty."""
    import os
    import shutil

    from tests.apprunner import ROOT
    from tests.privacy.egress import connections, non_loopback

    scratch, traces = tmp_path / "tmp", tmp_path / "traces"
    scratch.mkdir()
    traces.mkdir()
    prefix = (
        ["strace", "-f", "-ff", "-qq", "-e", "trace=connect", "-o", str(traces / "trace")]
        if shutil.which("strace")
        else []
    )
    result = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            str(media_dir / "videos" / LATERAL),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "TMPDIR": str(scratch), "POSEDASH_WORKERS": "2"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "a person in 540 of 540 frames" in result.stdout
    assert list(scratch.rglob("*")) == []
    if prefix:
        assert len(list(traces.iterdir())) >= 2  # one file per traced process and thread
        assert non_loopback(connections(traces)) == []


@pytest.mark.slow
def test_a_crashed_worker_is_reported_and_progress_stays_truthful(lateral, sequential, model_info):
    """Killing the worker process mid-analysis: the user is told, the other part's
    work is kept (the progress never restarts from zero), the result is complete."""
    import os
    import signal

    calls, notes, killed = [], [], []

    def progress(done, total):
        calls.append((done, total))
        if not killed and done >= 150:
            pids = _worker_processes()
            if pids:
                os.kill(int(pids[0]), signal.SIGKILL)
                killed.append(done)

    par = analyze_video(
        lateral, model_info, name=LATERAL, workers=2, progress=progress, notice=notes.append
    )
    assert killed, "no worker to kill"
    assert len(notes) == 1 and "stopped unexpectedly" in notes[0], notes
    assert par.frame_index.tolist() == sequential.frame_index.tolist()
    err = np.linalg.norm(par.image_xy - sequential.image_xy, axis=-1)
    assert np.mean(err[np.isfinite(err)] <= 15) >= 0.99
    done = [d for d, _ in calls]
    after = done[done.index(killed[0]) :]
    # the head's work is kept: progress drops by at most the crashed part, never to zero
    head = parallel.plan_chunks(540, 2)[0].stop
    assert min(after) > 0 and max(done) == 540 and calls[-1] == (540, 540)
    assert min(after) >= min(killed[0], head) - len(range(head, 540))
    assert all(t == 540 for _, t in calls)
    assert _worker_processes() == []


@pytest.mark.slow
def test_workers_report_their_frames_as_they_go_and_the_result_is_unchanged(lateral, model_info):
    """First results (issue 27.2): with a frame watcher set, every kept frame reaches it
    once, the workers' frames as they are found (no picture), with the very values the
    stitched result holds; the result is that of a run without a watcher."""
    from dashboard.detect.frames import FRAME_WATCHER
    from dashboard.settings import AnalysisSettings

    info = video.probe_video(lateral, LATERAL)
    settings = AnalysisSettings()
    seen: dict[int, tuple] = {}
    order = []

    def watch(index, time_s, row, rgb):
        order.append((index, rgb is None, len(seen)))
        seen[index] = (time_s, {k: np.array(v) for k, v in row.items()})

    def run():
        return parallel.analyze_parallel(
            lateral, model_info, settings, info, workers=2, name=LATERAL
        )

    plain = run()
    token = FRAME_WATCHER.set(watch)
    try:
        watched = run()
    finally:
        FRAME_WATCHER.reset(token)
    assert plain is not None and watched is not None
    for k in plain.arrays:
        assert np.array_equal(plain.arrays[k], watched.arrays[k], equal_nan=True), k
    assert np.array_equal(plain.time_s, watched.time_s)
    indices = [i for i, _, _ in order]
    assert sorted(indices) == list(range(540)) and len(indices) == 540  # each once
    head = parallel.plan_chunks(540, 2)[0].stop
    assert all(from_worker == (i >= head) for i, from_worker, _ in order)
    first_worker = next(n for _, w, n in order if w)  # a figure, not asserted (timing)
    print(f"the worker's first frame came after {first_worker} of this process's {head}")
    raw0 = seen[0][0]
    for i, (time_s, row) in seen.items():
        assert time_s - raw0 == watched.time_s[i]
        for k, a in row.items():
            assert np.array_equal(a, watched.arrays[k][i], equal_nan=True), (i, k)


@pytest.mark.slow
def test_a_streaming_worker_sends_its_frames_with_each_progress_message(lateral, model_info):
    """The worker's protocol with ``stream``: each progress message carries the frames
    kept since the last one (4 each, in order, landmarks only); the "done" result holds
    them all with the same values, and a job without ``stream`` sends progress alone."""
    from dashboard.settings import AnalysisSettings

    index = video.index_video(lateral, LATERAL)
    chunk = Chunk(500, 470, 523)  # 23 kept frames: 5 reports of 4, 3 in the result only

    def messages(stream: bool) -> list:
        job = dict(
            model_path=model_info.path,
            settings=AnalysisSettings(),
            chunk=chunk,
            stride=1,
            max_side=None,
            name=LATERAL,
            display=(1280, 720),
            index=index,
            stream=stream,
        )
        proc = _start_worker(job, lateral)
        got = [parallel._read(proc.stdout)]
        while got[-1][0] == "progress":
            got.append(parallel._read(proc.stdout))
        proc.stdin.close()
        proc.wait(timeout=30)
        return got

    got = messages(True)
    assert [m[0] for m in got] == ["progress"] * 5 + ["done"]
    _, arrays, time_s, frame_index = got[-1]
    assert frame_index.tolist() == list(range(500, 523))
    for n, (_, kept, (idx, t, rows)) in enumerate(got[:-1]):
        assert kept == 4 * (n + 1)
        assert idx.tolist() == list(range(500 + 4 * n, 504 + 4 * n))
        assert np.array_equal(t, time_s[4 * n : 4 * n + 4])
        for k, a in rows.items():
            assert np.array_equal(a, arrays[k][4 * n : 4 * n + 4], equal_nan=True), k
    plain = messages(False)
    assert [len(m) for m in plain[:-1]] == [2] * 5  # ("progress", kept): no frames
    for k in arrays:
        assert np.array_equal(plain[-1][1][k], arrays[k], equal_nan=True), k


@pytest.mark.slow
def test_a_spare_core_is_told_when_a_process_has_finished_its_part(lateral, model_info):
    """The command line imports its writers' modules on a core the analysis leaves free
    (issue 27): told when the first process has finished its part (all of that part's
    frames reported), and once per process at most."""
    from dashboard.detect.frames import SPARE_CORE

    done: list[int] = []
    told: list[int] = []
    head = parallel.plan_chunks(540, 2)[0].stop
    token = SPARE_CORE.set(lambda: told.append(done[-1] if done else 0))
    try:
        analyze_video(
            lateral, model_info, name=LATERAL, workers=2, progress=lambda d, t: done.append(d)
        )
    finally:
        SPARE_CORE.reset(token)
    assert 1 <= len(told) <= 2
    assert told[0] >= min(head, 540 - head)  # one process's frames are all in


@pytest.mark.slow
def test_a_spare_core_is_told_at_once_when_one_process_analyses(lateral, model_info):
    from dashboard.detect.frames import SPARE_CORE

    done: list[int] = []
    told: list[int] = []
    token = SPARE_CORE.set(lambda: told.append(len(done)))
    try:
        analyze_video(
            lateral, model_info, name=LATERAL, workers=1, progress=lambda d, t: done.append(d)
        )
    finally:
        SPARE_CORE.reset(token)
    assert told == [0]  # before the first frame


@pytest.mark.slow
def test_a_spare_core_is_told_at_once_for_a_photo(model_info):
    from dashboard.detect.engine import photo_analysis
    from dashboard.detect.frames import SPARE_CORE
    from dashboard.settings import AnalysisSettings

    told: list[bool] = []
    token = SPARE_CORE.set(lambda: told.append(True))
    try:
        photo_analysis(
            np.zeros((64, 48, 3), np.uint8), model_info, AnalysisSettings(), name="a.png", sha256=""
        )
    finally:
        SPARE_CORE.reset(token)
    assert told == [True]
