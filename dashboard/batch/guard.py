"""What keeps a batch folder whole: one batch at a time writes to it, and the workers of
a batch whose parent process was killed end instead of holding memory for ever."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from dashboard.errors import PoseDashError

LOCK_NAME = ".batch.lock"


@contextlib.contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir``'s batch lock meanwhile, or raise PoseDashError at once when
    another batch holds it (two batches on one folder lost rows of ``batch.csv``)."""
    import fcntl

    fd = os.open(Path(out_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise PoseDashError(
                f"another batch is writing to {out_dir}: wait until it ends, or choose "
                "another --out folder."
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def watch_parent(parent_pid: int, every_s: float = 1.0) -> None:
    """In a worker process: end it when ``parent_pid`` is no longer its parent (the batch
    was killed with kill -9; its workers held 1.46 GB until killed by hand)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="posedash-parent-watch", daemon=True).start()
