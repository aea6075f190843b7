"""Latest-frame-wins processing of a live camera stream.

A :class:`LiveProcessor` takes camera frames (RGB arrays with their capture
time), runs a VIDEO-mode pose landmarker on the newest one (timed by its capture
time), and returns that frame with the skeleton drawn; frames that piled up while
it was busy are dropped unprocessed, so the picture shown is never more than one
processing time behind the camera. Each processed frame updates the live readouts (angle,
range-of-motion hold, repetitions), the rate statistics and, while recording,
the landmark recording.

Threads: frames are processed on one thread at a time (the streaming
runtime's); :meth:`LiveProcessor.snapshot`, :meth:`configure`, :meth:`reset`
and the recording calls may come from another (the page) and never wait for a
detection to finish. MediaPipe is reached only through
:mod:`dashboard.detect.backend`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np

from dashboard.analysis import Analysis
from dashboard.detect import backend
from dashboard.errors import PoseDashError
from dashboard.figures.render import draw_pose
from dashboard.live.readout import Reading, RomHold, StreamingRepCounter, read_angle
from dashboard.live.recorder import LiveRecorder
from dashboard.live.stats import LiveStats, RateSummary
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings

__all__ = ["LiveOptions", "LiveProcessor", "LiveSnapshot"]

log = logging.getLogger("posedash")

Frame = tuple[np.ndarray, float | None]  # (RGB uint8, capture time in s or None)


@dataclass(frozen=True)
class LiveOptions:
    """What the live page chose: the angle, its checks, the display."""

    angle_key: str = "shoulder_abduction"
    side: str = "left"
    view_check: bool = True
    min_confidence: float = 0.5
    polarity: str = "max"
    mirror: bool = False


@dataclass(frozen=True)
class LiveSnapshot:
    """The live figures at one instant, for display."""

    reading: Reading | None
    max_deg: float
    min_deg: float
    max_picture: np.ndarray | None
    reps: int
    rate: RateSummary
    recording: bool
    recorded_frames: int
    recorded_s: float
    seconds_since_frame: float  # NaN before the first frame
    error: str = ""
    loading: bool = False
    options: LiveOptions = field(default_factory=LiveOptions)


class LiveProcessor:
    """Pose landmarks, readouts and recording for one live stream.

    Parameters
    ----------
    model_path
        The ``.task`` bundle (:func:`dashboard.detect.models.resolve_model`).
    settings
        Detection settings.
    model
        Provenance (``ModelInfo.as_dict()``), stored with a recording.
    landmarker_factory
        ``() -> detect(rgb, timestamp_ms) -> found``: how to detect. Default: a
        VIDEO-mode landmarker from :mod:`dashboard.detect.backend`, created on the
        first frame and closed by :meth:`close`.
    clock
        Monotonic seconds (latency, rate, and the landmarker's clock).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        settings: AnalysisSettings | None = None,
        options: LiveOptions | None = None,
        model: dict | None = None,
        landmarker_factory: Callable[[], Callable] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model_path = model_path
        self.settings = settings or AnalysisSettings()
        self.model = dict(model or {})
        self._factory = landmarker_factory or self._mediapipe_factory
        self._clock = clock
        self._lock = threading.Lock()  # state shared with the page
        self._busy = threading.Lock()  # one detection at a time
        self._detect: Callable | None = None
        self._loading = self._load_failed = False
        self._generation = 0
        self._last_ms = -1
        self._options = options or LiveOptions()
        self._hold = RomHold()
        self._reps = StreamingRepCounter(self._options.polarity)
        self._stats = LiveStats()
        self._recorder = LiveRecorder()
        self._reading: Reading | None = None
        self._last_frame_at = float("nan")
        self._error = ""

    # -- detection ------------------------------------------------------------
    def _mediapipe_factory(self) -> Callable:
        from dashboard.detect.frames import open_landmarker

        if self.model_path is None:
            from dashboard.detect.models import resolve_model

            self.model_path = resolve_model().path
        return _Detector(open_landmarker(self.model_path, self.settings, video=True))

    def prepare(self, background: bool = True) -> None:
        """Load the model now (in a thread of its own when ``background``), so the
        stream never waits for it: until it is ready, frames are passed through
        undrawn and :attr:`LiveSnapshot.loading` is True. Loading can take
        seconds on a busy computer; the streaming runtime gives up on a frame
        that takes more than 10 s."""
        with self._lock:
            if self._detect is not None or self._loading or self._load_failed:
                return
            self._loading = True
            generation = self._generation
        if background:
            threading.Thread(
                target=self._load, args=(generation,), daemon=True, name="posedash-live-model"
            ).start()
        else:
            self._load(generation)

    def _load(self, generation: int) -> None:
        detect, error = None, ""
        try:
            detect = self._factory()
        except PoseDashError as exc:
            error = str(exc)
        except Exception as exc:
            log.error("live model load failed: %s: %s", type(exc).__name__, exc)
            error = (
                "The pose model could not be prepared, so the camera picture is shown "
                "without a skeleton. Stop the camera and start it again; if this "
                "keeps happening, restart PoseDash."
            )
        with self._lock:
            stale = generation != self._generation
            if not stale:
                self._detect, self._loading = detect, False
                self._load_failed = detect is None
                self._error = error
        if stale and detect is not None:
            getattr(detect, "close", lambda: None)()

    def close(self) -> None:
        """Release the model (the stream ended); a later frame loads it again."""
        with self._busy, self._lock:
            detect, self._detect = self._detect, None
            self._generation += 1
            self._loading = self._load_failed = False
            self._last_ms = -1
        if detect is not None:
            getattr(detect, "close", lambda: None)()

    def process_latest(self, frames: Sequence[Frame]) -> np.ndarray:
        """Process the newest of ``frames`` and drop the others (latest frame wins).

        Returns the newest frame with the skeleton drawn (mirrored when the
        options say so). ``frames`` are ``(rgb, capture_time_s)`` oldest first.
        """
        if not frames:
            raise ValueError("no frame to process")
        rgb, time_s = frames[-1]
        return self.process(rgb, time_s, dropped=len(frames) - 1)

    def process(self, rgb: np.ndarray, time_s: float | None = None, dropped: int = 0) -> np.ndarray:
        """Process one frame (see :meth:`process_latest`)."""
        arrived = self._clock()
        with self._busy:
            found = self._detect_one(rgb, arrived, time_s)
        with self._lock:
            options = self._options
        height, width = rgb.shape[:2]
        if found is None:  # no model (yet): show the camera as it is
            out = rgb
        else:
            seq = PoseSequence.from_frames(
                [found], (width, height), [0.0], [0], num_people=int(self.settings.num_poses)
            )
            out = draw_pose(rgb, seq)
        out = np.ascontiguousarray(out[:, ::-1]) if options.mirror else out
        if found is not None:
            reading = read_angle(
                seq,
                options.angle_key,
                options.side,
                min_confidence=options.min_confidence,
                view_check=options.view_check,
            )
        done = self._clock()
        with self._lock:
            self._last_frame_at = done
            if found is None:
                return out
            self._stats.add(done, done - arrived, dropped)
            when = arrived if time_s is None else float(time_s)
            self._recorder.add(when, found, (width, height))
            if self._options == options:  # not for an angle changed meanwhile
                self._update_readouts(reading, out, when)
        return out

    def _detect_one(
        self, rgb: np.ndarray, arrived: float, time_s: float | None
    ) -> dict[str, np.ndarray] | None:
        with self._lock:
            detect = self._detect
        if detect is None:  # not loaded (yet): pass the picture through
            self.prepare(background=True)
            return None
        self._last_ms = stamp = frame_stamp_ms(time_s, arrived, self._last_ms)
        return detect(np.ascontiguousarray(rgb), stamp)

    def _update_readouts(self, reading: Reading, picture: np.ndarray, time_s: float) -> None:
        self._reading = reading
        self._hold.update(reading.value_deg, time_s, picture=lambda: picture.copy())
        self._reps.update(reading.value_deg)

    def note_camera_frame(self) -> None:
        """Count a frame the camera delivered, analysed or not (from the streaming
        runtime, as it arrives): the page compares the analysed rate with the
        camera's. Frames that arrive while the model loads are not counted."""
        with self._lock:
            if self._detect is not None:
                self._stats.camera(self._clock())

    def note_dropped(self, count: int) -> None:
        """Count frames the streaming runtime dropped before they reached us."""
        with self._lock:
            self._stats.dropped += int(count)

    def note_error(self, message: str) -> None:
        """Keep a message for the page (a frame failed; streaming goes on)."""
        with self._lock:
            self._error = message

    # -- what the page does ---------------------------------------------------
    def configure(self, options: LiveOptions) -> None:
        """Apply the page's options; a different angle or polarity resets the
        hold and the repetition count."""
        with self._lock:
            old, self._options = self._options, options
            if (old.angle_key, old.side, old.polarity, old.view_check, old.min_confidence) != (
                options.angle_key,
                options.side,
                options.polarity,
                options.view_check,
                options.min_confidence,
            ):
                self._reset_readouts()
            elif old.mirror != options.mirror:
                self._hold.max_picture = (
                    None
                    if self._hold.max_picture is None
                    else np.ascontiguousarray(self._hold.max_picture[:, ::-1])
                )

    @property
    def options(self) -> LiveOptions:
        with self._lock:
            return self._options

    def _reset_readouts(self) -> None:
        self._hold.reset()
        self._reps = StreamingRepCounter(self._options.polarity)
        self._reading = None

    def reset(self) -> None:
        """Start the max/min hold and the repetition count afresh."""
        with self._lock:
            self._reset_readouts()

    def start_recording(self, started: datetime | None = None) -> None:
        with self._lock:
            self._recorder.start(started)

    @property
    def recording(self) -> bool:
        with self._lock:
            return self._recorder.recording

    def stop_recording(self) -> Analysis | None:
        """Stop recording; the recording as an analysis, or None when it holds no frame."""
        with self._lock:
            self._recorder.stop()
            if not self._recorder.num_frames:
                return None
            return self._recorder.to_analysis(self.settings, self.model)

    def snapshot(self) -> LiveSnapshot:
        with self._lock:
            now = self._clock()
            return LiveSnapshot(
                reading=self._reading,
                max_deg=self._hold.max_deg,
                min_deg=self._hold.min_deg,
                max_picture=self._hold.max_picture,
                reps=self._reps.count,
                rate=self._stats.summary(now),
                recording=self._recorder.recording,
                recorded_frames=self._recorder.num_frames,
                recorded_s=self._recorder.duration_s,
                seconds_since_frame=now - self._last_frame_at,
                error=self._error,
                loading=self._loading,
                options=replace(self._options),
            )


def frame_stamp_ms(time_s: float | None, arrived_s: float, last_ms: int) -> int:
    """The landmarker's timestamp (ms) of a frame: its capture time when known (the
    tracking between frames then follows the movement's real timing, however many
    frames were skipped or however long one waited), else its arrival time; always
    after the previous frame's ``last_ms`` (VIDEO mode needs increasing times)."""
    seconds = arrived_s if time_s is None or not np.isfinite(time_s) else float(time_s)
    return max(int(round(seconds * 1000.0)), last_ms + 1)


class _Detector:
    """A VIDEO-mode landmarker as ``detect(rgb, timestamp_ms) -> found`` with ``close()``."""

    def __init__(self, landmarker) -> None:
        self._landmarker = landmarker

    def __call__(self, rgb: np.ndarray, timestamp_ms: int) -> dict[str, np.ndarray]:
        return backend.detect_video_frame(self._landmarker, rgb, timestamp_ms)

    def close(self) -> None:
        self._landmarker.close()
