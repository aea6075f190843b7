"""Record a live stream's landmarks (never its pictures) and turn them into an
:class:`~dashboard.analysis.Analysis` that every review page can use."""

from __future__ import annotations

import hashlib
from datetime import datetime

import numpy as np

from dashboard.analysis import Analysis
from dashboard.errors import InputError
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings

__all__ = ["LiveRecorder", "landmarks_sha256", "recording_name"]

_FIELDS = ("image_xy", "z", "visibility", "presence", "world_m")


def recording_name(started: datetime) -> str:
    """e.g. ``'Live recording 2026-12-01 16:20'``."""
    return f"Live recording {started:%Y-%m-%d %H:%M}"


def landmarks_sha256(seq: PoseSequence) -> str:
    """SHA-256 of the landmarks and their times: a live recording has no file,
    so this identifies it instead of a file's hash."""
    digest = hashlib.sha256(b"posedash-live-landmarks")
    digest.update(repr(seq.image_size).encode())
    for name in (*_FIELDS, "time_s"):
        digest.update(np.ascontiguousarray(getattr(seq, name), dtype=float).tobytes())
    return digest.hexdigest()


class LiveRecorder:
    """Keeps the landmarks of each processed frame with its true time.

    Times are the camera frames' own timestamps (seconds, any origin), kept
    relative to the first recorded frame; frames the processor dropped are
    simply absent, so the recording's frame rate is the processed rate, and
    ``frame_index`` counts recorded frames. No picture is ever kept. Not
    thread-safe: the caller holds a lock.

    Coordinates are kept in the pixels of the first recorded frame; a later
    frame of another size (the camera changed resolution) is scaled to it.
    """

    def __init__(self) -> None:
        self.recording = False
        self.started: datetime | None = None
        self._rows: list[dict[str, np.ndarray]] = []
        self._times: list[float] = []
        self._size: tuple[int, int] | None = None

    @property
    def num_frames(self) -> int:
        return len(self._rows)

    @property
    def duration_s(self) -> float:
        return self._times[-1] - self._times[0] if len(self._times) > 1 else 0.0

    def start(self, started: datetime | None = None) -> None:
        """Start a new recording (what was recorded before is discarded)."""
        self.recording = True
        self.started = started or datetime.now()
        self._rows, self._times, self._size = [], [], None

    def add(self, time_s: float, found: dict[str, np.ndarray], image_size: tuple[int, int]) -> None:
        """Keep one frame's landmarks (``found``: arrays with a leading person axis,
        as :mod:`dashboard.detect.backend` returns them). Ignored when not recording
        or when the time does not move forward."""
        if not self.recording:
            return
        t = float(time_s)
        if self._times and not t > self._times[-1]:
            return
        if self._size is None:
            self._size = (int(image_size[0]), int(image_size[1]))
        row = {k: np.array(found[k], float) for k in _FIELDS}
        if tuple(image_size) != self._size and len(row["image_xy"]):
            row["image_xy"] = row["image_xy"] * (
                np.asarray(self._size, float) / np.asarray(image_size, float)
            )
        self._rows.append(row)
        self._times.append(t)

    def stop(self) -> None:
        self.recording = False

    def to_poses(self, num_people: int = 1) -> PoseSequence:
        if not self._rows or self._size is None:
            raise InputError(
                "The recording holds no frame.",
                "Start the camera, press Record, move, then stop recording.",
            )
        times = np.asarray(self._times) - self._times[0]
        return PoseSequence.from_frames(
            self._rows, self._size, times, np.arange(len(self._rows)), num_people=num_people
        )

    def to_analysis(
        self, settings: AnalysisSettings | None = None, model: dict | None = None
    ) -> Analysis:
        """The recording as a ``'video'`` analysis named after its start time,
        identified by the SHA-256 of its landmarks (:func:`landmarks_sha256`).
        ``fps`` is the median processed rate."""
        settings = settings or AnalysisSettings()
        seq = self.to_poses(num_people=int(settings.num_poses))
        steps = np.diff(seq.time_s)
        fps = float(1.0 / np.median(steps)) if steps.size and np.median(steps) > 0 else None
        return Analysis(
            poses=seq,
            source_name=recording_name(self.started or datetime.now()),
            source_sha256=landmarks_sha256(seq),
            kind="video",
            settings=settings,
            model=dict(model or {}),
            fps=fps,
            stride=1,
        )
