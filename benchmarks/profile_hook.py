"""Stage timers for ``benchmarks/profile_stages.py``, loaded into every process it times.

``profile_stages.py`` copies this file as ``sitecustomize.py`` into a private
temporary folder put first on ``PYTHONPATH``: Python imports it at start-up in
the command line's process and in each analysis worker (a worker inherits the
environment). It changes no result; it wraps functions of PoseDash (and
``__import__``) with timers once their modules are imported, and when the
process ends (``os._exit``, as both the command line and the workers end)
writes a JSON file of per-stage times into ``$POSEDASH_PROFILE_DIR``.

Each stage's time is exclusive: a stage called inside another (an import inside
the gait analysis, the colour conversion inside decoding) counts for itself
only. Wall seconds are ``perf_counter``; CPU seconds are the whole process's
(``process_time``: every thread, so MediaPipe's own threads count for inference).
Stages run in threads other than the main one are named with their thread.
"""

from __future__ import annotations

import builtins
import functools
import json
import os
import sys
import threading
import time

_LAUNCH = float(os.environ.get("POSEDASH_PROFILE_LAUNCH", "nan"))
_FIRST_LINE = time.time()
_CPU_AT_START = time.process_time()
_ROLE = os.environ.get("POSEDASH_PROFILE_ROLE", "other")
_DIR = os.environ.get("POSEDASH_PROFILE_DIR")
_STATS: dict[str, list[float]] = {}
_LOCAL = threading.local()
_MARK = "_posedash_profiled"

#: (module, attribute, stage): functions timed once their module is imported.
TARGETS = (
    ("dashboard.cli.analyze", "read_input", "read input file"),
    ("dashboard.cli.analyze", "write_outputs", "write outputs: staging, moves"),
    ("dashboard.detect.models", "resolve_model", "resolve model (hash check)"),
    ("dashboard.media.video", "probe_video", "probe video (open, first frame)"),
    ("dashboard.media.video", "index_video", "index packets"),
    ("dashboard.media.video_container", "index_video", "index packets"),
    ("dashboard.media.video", "to_rgb", "colour conversion (to rgb24)"),
    ("dashboard.detect.frames", "open_landmarker", "model load (landmarker)"),
    ("dashboard.detect.engine", "open_landmarker", "model load (landmarker)"),
    ("dashboard.detect.frames", "run_landmarker", "frame loop (rest)"),
    ("dashboard.detect.engine", "run_landmarker", "frame loop (rest)"),
    ("dashboard.detect.backend", "detect_video_frame", "inference (detect_for_video)"),
    ("dashboard.detect.backend", "_to_image", "mp.Image of the frame"),
    ("dashboard.detect.backend", "_convert", "result to arrays"),
    ("dashboard.detect.engine", "finish_rows", "tracking (finish_rows)"),
    ("dashboard.detect.engine", "video_analysis", "analysis (rest)"),
    ("dashboard.detect.swaps", "repair_swaps", "swap repair"),
    ("dashboard.detect.parallel", "_wait_for", "wait for workers"),
    ("dashboard.detect.parallel", "_stitch", "stitch chunks"),
    ("dashboard.detect.worker", "read_message", "pipe in: job, video bytes"),
    ("dashboard.detect.worker", "read_exact", "pipe in: job, video bytes"),
    ("dashboard.detect.worker", "write_message", "pipe out: progress, result"),
    ("dashboard.detect.parallel", "_write", "pipe out: job to worker"),
    ("dashboard.outputs.export", "landmark_csv", "landmarks CSV text"),
    ("dashboard.kinematics.summary", "compute_kinematics", "kinematics (angles, reps)"),
    ("dashboard.kinematics.summary", "write_kinematics", "write angles CSV, summary JSON"),
    ("dashboard.kinematics.walking_reps", "walking_people", "looks like walking"),
    ("dashboard.kinematics.gait", "analyze_gait", "gait analysis"),
    ("dashboard.kinematics.gait", "write_gait", "write gait files"),
)
_PENDING: dict[str, list[tuple[str, str]]] = {}
for _mod, _attr, _stage in TARGETS:
    _PENDING.setdefault(_mod, []).append((_attr, _stage))


def _stack() -> list:
    stack = getattr(_LOCAL, "stack", None)
    if stack is None:
        stack = _LOCAL.stack = []
    return stack


class _Stage:
    """Context manager timing one stage, exclusive of the stages nested in it."""

    __slots__ = ("clock", "cpu", "inner_cpu", "inner_wall", "name", "wall")

    def __init__(self, name: str) -> None:
        thread = threading.current_thread()
        if thread is threading.main_thread():
            self.name, self.clock = name, time.process_time
        else:  # a helper thread: its own CPU only
            self.name, self.clock = f"{name} [{thread.name}]", time.thread_time

    def __enter__(self):
        _stack().append(self)
        self.inner_wall = self.inner_cpu = 0.0
        self.cpu = self.clock()
        self.wall = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self.wall
        cpu = self.clock() - self.cpu
        _first_cpu = time.process_time() - cpu if self.clock is time.process_time else None
        stack = _stack()
        stack.pop()
        if stack:
            stack[-1].inner_wall += wall
            stack[-1].inner_cpu += cpu
        row = _STATS.get(self.name)
        if row is None:  # wall, CPU, calls, first start (s since the epoch, process CPU s)
            row = _STATS[self.name] = [0.0, 0.0, 0, time.time() - wall, _first_cpu]
        row[0] += wall - self.inner_wall
        row[1] += cpu - self.inner_cpu
        row[2] += 1


def _timed(fn, stage: str):
    if getattr(fn, _MARK, False):
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if stage == "frame loop (rest)":
            args = (args[0], _timed_frames(args[1]), *args[2:])
        with _Stage(stage):
            return fn(*args, **kwargs)

    setattr(wrapper, _MARK, True)
    return wrapper


def _timed_frames(frames):
    """The frames iterator of run_landmarker, with each step timed as decoding."""
    it = iter(frames)
    while True:
        with _Stage("decode (demux, seek, lead-in)"):
            try:
                item = next(it)
            except StopIteration:
                return
        yield item


def _patch_worker_class(module) -> None:
    cls = module._Worker
    if getattr(cls, _MARK, False):
        return
    init, feed, stop = cls.__init__, cls._feed, cls.stop

    def __init__(self, *args, **kwargs):
        with _Stage("start worker process (Popen)"):
            saved = os.environ.get("POSEDASH_PROFILE_ROLE")
            os.environ["POSEDASH_PROFILE_ROLE"] = "worker"
            os.environ["POSEDASH_PROFILE_LAUNCH"] = repr(time.time())
            try:
                init(self, *args, **kwargs)
            finally:
                os.environ["POSEDASH_PROFILE_ROLE"] = saved or _ROLE

    def _feed(self, *args):
        with _Stage("feed worker: job, video bytes"):
            return feed(self, *args)

    def _stop(self):
        with _Stage("stop workers"):
            return stop(self)

    cls.__init__, cls._feed, cls.stop = __init__, _feed, _stop
    cls._posedash_profiled = True


def _patch_loaded() -> None:
    for name in [m for m in _PENDING if m in sys.modules]:
        module = sys.modules[name]
        if getattr(getattr(module, "__spec__", None), "_initializing", False):
            continue  # still being imported: patched once complete
        for attr, stage in _PENDING.pop(name):
            if hasattr(module, attr):
                setattr(module, attr, _timed(getattr(module, attr), stage))
        if name == "dashboard.detect.parallel":
            _patch_worker_class(module)


_real_import = builtins.__import__


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    stack = _stack()
    if stack and stack[-1].name.startswith("imports"):
        stage = stack[-1].name if level else f"imports: {name.partition('.')[0]}"
    else:
        stage = (
            "imports: (already loaded)"
            if name in sys.modules and not fromlist
            else (f"imports: {name.partition('.')[0]}" if not level else "imports: (relative)")
        )
    with _Stage(stage):
        module = _real_import(name, globals, locals, fromlist, level)
    if _PENDING:
        _patch_loaded()
    return module


def _sha256(real):
    def sha256(*args, **kwargs):
        big = bool(args) and len(args[0]) > 1 << 20
        with _Stage("sha256 of the video" if big else "sha256 (small)"):
            return real(*args, **kwargs)

    return sha256


_THREADS: dict[str, float] = {}
_real_run = threading.Thread.run


def _run(self) -> None:
    """Thread.run, adding the thread's own CPU seconds to ``_THREADS`` by name."""
    try:
        _real_run(self)
    finally:
        _THREADS[self.name] = _THREADS.get(self.name, 0.0) + time.thread_time()


_real_exit = os._exit


def _exit(code):
    end, cpu_end = time.time(), time.process_time()
    times = os.times()
    record = {
        "role": _ROLE,
        "pid": os.getpid(),
        "launch": _LAUNCH,
        "first_line": _FIRST_LINE,
        "end": end,
        "cpu_at_first_line": _CPU_AT_START,
        "cpu_end": cpu_end,
        "children_cpu": times.children_user + times.children_system,
        "stages": _STATS,
        "threads": _THREADS,
    }
    if _DIR:
        with open(os.path.join(_DIR, f"{_ROLE}-{os.getpid()}.json"), "w") as f:
            json.dump(record, f)
    _real_exit(code)


if _DIR:
    import hashlib

    hashlib.sha256 = _sha256(hashlib.sha256)
    builtins.__import__ = _import
    threading.Thread.run = _run
    os._exit = _exit
