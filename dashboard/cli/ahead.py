"""Work the command line does in a helper thread, on a core the analysis leaves free.

Writing the files needs pandas, SciPy and the gait package (:func:`dashboard.pipeline.prepare`):
about a second of CPU. Imported beside the analysis it takes that second from the
analysis of the video, which is what a clinician waits for. ``analyze`` checks its
options first (in this thread: a bad one is still the first and only thing said), then
starts the analysis with an :class:`Ahead` for those imports, started when the analysis
says a core is free (:data:`dashboard.detect.frames.SPARE_CORE`): at once for a photo or
a video analysed in one process, when the first process has finished its part of a video
analysed in parallel. :meth:`Ahead.result` starts it if nobody has (and waits),
so the files are written the same either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Ahead:
    """``fn(*args)``, run once in a daemon thread from the first :meth:`start`."""

    def __init__(self, fn: Callable, *args) -> None:
        self._value: object = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.name = "posedash-ahead"
        self._started = False

    def _run(self, fn: Callable, args: tuple) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # given to the caller by result()
            self._error = exc
        finally:
            self._done.set()

    def start(self) -> None:
        """Start ``fn`` (from any thread; again: nothing more). Returns at once."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()

    @property
    def started(self) -> bool:
        return self._started

    def result(self):
        """Start ``fn`` if nobody has, wait for it; its value, or raise what it raised."""
        self.start()
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value
