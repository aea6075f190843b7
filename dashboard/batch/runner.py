"""The batch loop: hash, skip what is done, submit, collect, write, report.

Work runs in local worker processes (one input per process at a time, on all
cores) or, with a scheduler address, on an existing Dask cluster. Either way the
results come back here and are written atomically; ``batch.csv`` is rewritten
after every input, so an interruption loses at most the inputs in progress.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import dashboard
from dashboard.batch.guard import folder_lock, watch_parent
from dashboard.batch.ledger import Ledger, atomic_write, rows_in_order
from dashboard.batch.names import owned_stems, unique_stems
from dashboard.batch.task import TaskResult, analyze_input
from dashboard.errors import PoseDashError
from dashboard.pipeline import RunOptions


@dataclass
class BatchReport:
    """Counts and speed of one batch run."""

    counts: dict[str, int]
    frames: int = 0
    seconds: float = 0.0
    analysed: int = 0
    failed_paths: list[str] = field(default_factory=list)

    @property
    def files_per_min(self) -> float:
        return 60.0 * self.analysed / self.seconds if self.seconds > 0 else 0.0

    @property
    def frames_per_s(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def settings_key(options: dict, model_sha256: str) -> str:
    """A short hash of everything that changes an input's results: the analysis
    options, the model's SHA-256 and PoseDash's version."""
    doc = json.dumps(
        {
            "options": {k: str(v) for k, v in sorted(options.items())},
            "model": model_sha256,
            "version": dashboard.__version__,
        },
        sort_keys=True,
    )
    return hashlib.sha256(doc.encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class LocalPool:
    """Worker processes on this computer (spawned: MediaPipe is not fork-safe)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn, *args):
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:  # a worker was killed: the others are gone with it
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(fn, *args)

    def wait_any(self, futures):
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return done

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)


class DaskPool:
    """An existing Dask distributed cluster, reached at ``address``."""

    def __init__(self, address: str, wait_s: float = 30.0) -> None:
        self._client = _connect(address, wait_s)
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)

    def wait_any(self, futures):
        from distributed import wait

        return wait(list(futures), return_when="FIRST_COMPLETED").done

    def close(self, cancel: bool = False) -> None:
        self._client.close()


def _connect(address: str, wait_s: float):
    """A Dask client of the scheduler at ``address``, or PoseDashError in one line: an
    address that is not a Dask scheduler made Dask hang with no message, or fail with a
    numpy "Unable to allocate 3.07 EiB" traceback when it answered in another protocol."""
    import threading

    from distributed import Client

    box: dict = {}

    def connect() -> None:
        try:
            box["client"] = Client(address, timeout="10s")
        except BaseException as exc:  # anything Dask raises on a foreign answer
            box["error"] = exc

    thread = threading.Thread(target=connect, name="posedash-dask-connect", daemon=True)
    thread.start()
    thread.join(wait_s)
    if "client" in box:
        return box["client"]
    why = (
        f"no Dask scheduler answered within {wait_s:.0f} s"
        if thread.is_alive()
        else f"{type(box['error']).__name__}: {str(box['error'])[:120]}"
    )
    raise PoseDashError(
        f"cannot reach a Dask scheduler at {address} ({why}). Give the address the scheduler "
        "printed when it started (tcp://HOST:PORT)."
    )


Progress = Callable[[str, dict, int, int], None]


def run_batch(
    files: Sequence[Path],
    out_dir: Path,
    options: RunOptions,
    model_sha256: str,
    *,
    key_options: dict,
    missing: Sequence[tuple[str, str]] = (),
    pool=None,
    force: bool = False,
    progress: Progress | None = None,
) -> BatchReport:
    """Analyse ``files`` into ``out_dir`` and keep ``out_dir/batch.csv`` current.

    Parameters
    ----------
    files
        Inputs, in order (see :func:`dashboard.batch.inputs.discover`).
    options
        What to analyse and write per input (see :func:`dashboard.batch.task.analyze_input`).
    model_sha256
        The model's hash: part of the settings key, and checked on every worker.
    key_options
        The analysis options as given (a plain dict of the command line's values): what
        the settings key hashes (:func:`settings_key`).
    missing
        ``(input, reason)`` for inputs that named nothing: recorded as failed rows.
    pool
        :class:`LocalPool` or :class:`DaskPool`; default a LocalPool on all cores.
    force
        Redo inputs already done with the same content and settings.
    progress
        Called ``(path, row, done, total)`` after each input.

    Notes
    -----
    A failure is a row, never the end of the batch. On KeyboardInterrupt the
    inputs in progress are abandoned, ``batch.csv`` keeps every finished row,
    and the interrupt is raised again.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir):
        return _run_batch(
            files, out_dir, options, model_sha256, key_options, missing, pool, force, progress
        )


def _run_batch(files, out_dir, options, model_sha256, key_options, missing, pool, force, progress):
    from dashboard.detect.parallel import available_cores

    for stale in out_dir.glob(".*.part"):  # left by a batch killed mid-write
        stale.unlink(missing_ok=True)
    ledger, key = Ledger(out_dir), settings_key(key_options, model_sha256)
    report = BatchReport(counts={})
    started = time.perf_counter()
    total = len(files) + len(missing)
    for item, reason in missing:
        ledger.record({"path": item, "status": "failed", "reason": reason})
        _tell(progress, item, ledger.rows[item], len(ledger.rows), total)
    todo: list = []
    stems = unique_stems(files, owned_stems(ledger.previous))
    for path, stem in zip(files, stems, strict=True):
        row = _skip_or_plan(ledger, path, stem, key, out_dir, force, todo)
        if row is not None:
            ledger.record(row)
            _tell(progress, str(path), row, len(ledger.rows), total)
    own_pool = pool is None
    pool = pool or LocalPool(max(1, min(available_cores(), len(todo) or 1)))
    try:
        _run(pool, todo, out_dir, options, model_sha256, key, ledger, report, progress, total)
    except BaseException:
        pool.close(cancel=True)
        raise
    else:
        if own_pool:
            pool.close()
    rows_in_order(ledger, [str(p) for p, _ in missing] + [str(p) for p in files])
    ledger.save()
    report.counts = ledger.counts()
    report.failed_paths = [p for p, r in ledger.rows.items() if r["status"] == "failed"]
    report.seconds = time.perf_counter() - started
    return report


def _skip_or_plan(
    ledger, path: Path, stem: str, key: str, out_dir: Path, force: bool, todo: list
) -> dict | None:
    """A row for an input that is skipped or cannot be read; else plan it (None)."""
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return {
            "path": str(path),
            "status": "failed",
            "reason": f"cannot be read ({exc.strerror or exc}).",
        }
    earlier = None if force else ledger.done_before(str(path), sha, key, out_dir)
    if earlier is not None:
        return dict(
            earlier, status="skipped", reason="already done with the same content and settings"
        )
    todo.append((path, stem, sha))
    return None


def _run(pool, todo, out_dir, options, model_sha256, key, ledger, report, progress, total):
    window = 2 * pool.workers
    pending: dict[object, tuple] = {}
    retried: dict[Path, int] = {}
    queue = list(todo)
    while queue or pending:
        while queue and len(pending) < window:
            path, stem, sha = queue.pop(0)
            try:
                data = path.read_bytes()
            except OSError as exc:
                ledger.record(
                    {
                        "path": str(path),
                        "sha256": sha,
                        "status": "failed",
                        "reason": f"cannot be read ({exc.strerror or exc}).",
                    }
                )
                continue
            future = pool.submit(analyze_input, data, path.name, stem, options, model_sha256, sha)
            pending[future] = (path, stem, sha)
        if not pending:
            break
        for future in pool.wait_any(list(pending)):
            path, stem, sha = pending.pop(future)
            if _lost_with_its_worker(future) and retried.get(path, 0) < 1:
                retried[path] = retried.get(path, 0) + 1  # maybe another input killed it
                queue.insert(0, (path, stem, sha))
                continue
            row = _finish(future, path, stem, sha, key, out_dir, report)
            ledger.record(row)
            _tell(progress, str(path), row, len(ledger.rows), total)


def _lost_with_its_worker(future) -> bool:
    """Whether ``future`` failed because its worker process died (killed, out of memory)."""
    try:
        future.result()
    except BrokenProcessPool:
        return True
    except BaseException:
        return False
    return False


def _finish(
    future, path: Path, stem: str, sha: str, key: str, out_dir: Path, report: BatchReport
) -> dict:
    try:
        result: TaskResult = future.result()
    except BrokenProcessPool:
        result = TaskResult(
            "failed",
            "the worker analysing it stopped twice (killed, or out of memory); the other "
            "inputs went on.",
        )
    except Exception as exc:  # the worker itself died or could not run the task
        result = TaskResult("failed", f"the worker failed ({type(exc).__name__}: {exc}).")
    row = {
        "path": str(path),
        "sha256": sha,
        "status": result.status,
        "reason": result.reason,
        "notes": result.notes,
        "frames": result.frames or None,
        "duration_s": result.duration_s,
        "person_found_share": result.person_found_share,
        "seconds": round(result.seconds, 3),
        "settings_key": key,
    }
    if result.status == "done":
        names = []
        try:
            for suffix, data in sorted(result.files.items()):
                atomic_write(out_dir / f"{stem}{suffix}", data)
                names.append(f"{stem}{suffix}")
        except OSError as exc:  # a full disk, a name the file system refuses
            for name in names:
                (out_dir / name).unlink(missing_ok=True)
            row.update(
                status="failed", reason=f"its results could not be written ({exc.strerror})."
            )
            return row
        row["outputs"] = ";".join(names)
        row.update(result.headline)
        report.frames += result.frames
        report.analysed += 1
    return row


def _tell(progress: Progress | None, path: str, row: dict, done: int, total: int) -> None:
    if progress is not None:
        progress(path, row, done, total)


def default_progress(stream=None) -> tuple[Progress, Callable[[], None]]:
    """A tqdm bar (files, frames, rate, time left) on a terminal; a plain line per
    file otherwise. Returns ``(progress, close)``."""
    stream = stream or sys.stderr
    if not stream.isatty():

        def plain(path, row, done, total):
            extra = f", {row['frames']} frames" if row.get("frames") else ""
            why = f": {row['reason']}" if row.get("reason") else ""
            print(f"[{done}/{total}] {path}: {row['status']}{extra}{why}", file=stream, flush=True)

        return plain, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=None, unit="file", file=stream, dynamic_ncols=True)
    frames = [0]

    def fancy(path, row, done, total):
        bar.total = total
        frames[0] += int(row.get("frames") or 0) if row["status"] == "done" else 0
        bar.set_postfix_str(f"{frames[0]} frames, last: {Path(path).name} {row['status']}")
        bar.update(1)
        if row["status"] == "failed":
            bar.write(f"{path}: {row['reason']}")

    return fancy, bar.close
