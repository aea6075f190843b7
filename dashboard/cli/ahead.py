"""Work the command line does in a helper thread while the analysis starts.

Building the writers (:func:`dashboard.pipeline.writers`) imports pandas, SciPy
and the gait package: about a second of CPU before the first frame could be
analysed. ``analyze`` builds them in an :class:`Ahead` thread instead, while this
thread reads the video, starts the worker processes and the landmarker, and
waits for them (:meth:`Ahead.result`) only before it reports or writes anything:
an option the writers refuse is still the first and only thing said (exit 2),
and the analysis under way is cancelled as soon as it is known (:meth:`Ahead.failed`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Refused(Exception):
    """The work ahead raised a ValueError: an option it refuses (a usage error)."""


class Ahead:
    """``fn(*args)`` run in a daemon thread at once."""

    def __init__(self, fn: Callable, *args) -> None:
        self._value: object = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        thread.name = "posedash-ahead"
        thread.start()

    def _run(self, fn: Callable, args: tuple) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # given to the caller by result()
            self._error = exc
        finally:
            self._done.set()

    def failed(self) -> bool:
        """True once ``fn`` has raised (without waiting)."""
        return self._done.is_set() and self._error is not None

    def result(self):
        """Wait for ``fn``; its value, or raise what it raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def settled(self):
        """:meth:`result`, with a ValueError (an option refused) raised as :class:`Refused`."""
        try:
            return self.result()
        except ValueError as exc:
            raise Refused(str(exc)) from None
