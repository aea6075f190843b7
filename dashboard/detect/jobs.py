"""Long analyses in a background thread, with progress and cancellation.

UI-free: a page starts a :class:`Job`, then polls :meth:`Job.snapshot` to draw a
progress bar, and may call :meth:`Job.cancel`. The work function receives
``progress(done, total)`` and ``should_cancel()`` callables, the same ones the
engine's ``analyze_video`` takes, and, with ``notices=True``, a third,
``notice(text)``, for what the user should know while it runs (a helper process
that crashed, an analysis that had to start again); notices are kept in
:attr:`Progress.notes`.

A job belongs to someone: ``owner_alive()``, when given, is asked about twice a
second while the work runs; once it has said False for ``grace_s`` seconds in a
row (a browser tab closed, not a network blip) the job is cancelled, as if its
Cancel button had been pressed, and its state says ``abandoned``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dashboard.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """What a progress bar shows, at one moment."""

    state: str  # "running", "done", "failed", "cancelled"
    done: int
    total: int
    elapsed_s: float
    notes: tuple[str, ...] = ()
    abandoned: bool = False  # cancelled because its owner (the browser session) went away

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    @property
    def rate(self) -> float:
        """Items (frames) per second so far."""
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def remaining_s(self) -> float | None:
        """Estimated seconds left, or None before there is a rate."""
        if self.rate <= 0 or self.total <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)

    def describe(self, unit: str = "frames") -> str:
        text = f"{self.done:,} of {self.total:,} {unit}"
        if self.rate > 0:
            text += f" · {self.rate:.0f} {unit}/s"
        if self.state == "running" and self.remaining_s is not None:
            text += f" · about {_duration(self.remaining_s)} left"
        return text


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class Job:
    """Run ``work(progress, should_cancel)`` in a daemon thread.

    The result, or the exception raised, is kept for :meth:`result`.
    """

    def __init__(
        self,
        work: Callable[..., Any],
        total: int = 0,
        *,
        notices: bool = False,
        owner_alive: Callable[[], bool] | None = None,
        grace_s: float = 3.0,
    ) -> None:
        self._work = work
        self._notices = notices
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._notes: list = []
        self._owner_alive = owner_alive
        self._grace_s = float(grace_s)
        self._owner_checked = 0.0
        self._owner_lost: float | None = None
        self._abandoned = False
        self._done, self._total = 0, max(0, int(total))
        self._state = "running"
        self._result: Any = None
        self._error: BaseException | None = None
        self._start = time.monotonic()
        self._end: float | None = None
        self._thread = threading.Thread(target=self._run, name="posedash-job", daemon=True)
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = int(done), int(total)

    def note(self, text: str) -> None:
        """Keep a notice for the user (shown with the progress)."""
        with self._lock:
            self._notes.append(str(text))

    def _should_cancel(self) -> bool:
        if self._cancel.is_set():
            return True
        if self._owner_alive is None:
            return False
        now = time.monotonic()
        if now - self._owner_checked < 0.5:
            return False
        self._owner_checked = now
        try:
            alive = bool(self._owner_alive())
        except Exception:  # a probe that fails says nothing: keep going
            alive = True
        if alive:
            self._owner_lost = None
        elif self._owner_lost is None:
            self._owner_lost = now
        elif now - self._owner_lost >= self._grace_s:
            self._abandoned = True
            self._cancel.set()
            return True
        return False

    def _run(self) -> None:
        error: BaseException | None
        try:
            args = (self._progress, self._should_cancel) + ((self.note,) if self._notices else ())
            result = self._work(*args)
            state, error = "done", None
        except Cancelled as exc:
            result, state, error = None, "cancelled", exc
        except BaseException as exc:  # kept for the page to show, never raised in the thread
            result, state, error = None, "failed", exc
        with self._lock:
            self._result, self._error, self._state = result, error, state
            self._end = time.monotonic()

    def cancel(self) -> None:
        """Ask the work to stop; it does at its next ``should_cancel()`` check."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        """True once a cancel was asked for (the work may still be stopping)."""
        return self._cancel.is_set()

    def snapshot(self) -> Progress:
        with self._lock:
            end = self._end if self._end is not None else time.monotonic()
            return Progress(
                self._state,
                self._done,
                self._total,
                end - self._start,
                tuple(self._notes),
                self._abandoned,
            )

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.finished

    def result(self) -> Any:
        """The work's return value; raises what the work raised (Cancelled included)."""
        if not self.finished:
            raise RuntimeError("the job is still running")
        if self._error is not None:
            raise self._error
        return self._result
