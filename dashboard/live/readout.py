"""Live numbers from one frame at a time: an angle with its confidence and camera
view, the maximum and minimum held since a reset (live range of motion), and a
streaming repetition counter.

Everything here is computed from the landmarks of the newest frame only, with
the angle catalogue's public functions (:mod:`dashboard.kinematics.angles`), so a
live value is the value the Joint angles page gives for the same frame with
filtering off.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from dashboard.kinematics import (
    VIEW_TOLERANCE_DEG,
    angle_def,
    camera_yaw_deg,
    classify_view,
    compute_angles,
)
from dashboard.kinematics.filters import FilterSettings
from dashboard.poses import PoseSequence

__all__ = ["Reading", "RomHold", "StreamingRepCounter", "read_angle"]

_NO_FILTER = FilterSettings(method="none", max_gap_s=0.0)
_VIEW_NAMES = {"front": "a front or back view", "side": "a side view"}


@dataclass(frozen=True)
class Reading:
    """One live angle value and how far to trust it.

    value_deg
        The image-space angle, NaN when it cannot be measured in this frame.
    confidence
        Lowest visibility (0..1) of the angle's landmarks; NaN without a person.
    view
        The camera view seen in this frame: ``'front'``, ``'side'``,
        ``'oblique'`` or ``''`` (unknown).
    needed_view
        The view the angle needs (catalogue ``view``: ``'side'``, ``'front'`` or
        ``'any'``).
    reason
        Why there is no value ('' when there is one), in words for the user.
    """

    value_deg: float
    confidence: float
    view: str
    needed_view: str
    reason: str

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.value_deg))


def read_angle(
    seq: PoseSequence,
    key: str,
    side: str = "",
    person: int = 0,
    min_confidence: float = 0.5,
    view_check: bool = True,
    frame: int = 0,
) -> Reading:
    """The image-space angle ``key``/``side`` of one frame, with its checks.

    Parameters
    ----------
    seq
        Landmarks; only ``frame`` is used.
    view_check
        Apply the catalogue's camera-view check (:func:`~dashboard.kinematics.angles.view_matches`
        with :data:`~dashboard.kinematics.angles.VIEW_TOLERANCE_DEG`): a side-view
        angle is NaN unless the person is seen from the side. False turns it
        off (a tolerance of 90 deg); the reading still names the view seen.

    Notes
    -----
    No filtering and no foreshortening flag: both need a history (the
    foreshortening check needs five confident frames), while a live value is
    one frame's. The value is the one :func:`~dashboard.kinematics.angles.compute_angles`
    gives for that frame in image space with filtering off.
    """
    d = angle_def(key, side)
    one = seq.frame(frame) if seq.num_frames > 1 else seq
    angles = compute_angles(
        one,
        "image",
        min_confidence=min_confidence,
        filter=_NO_FILTER,
        defs=(d,),
        view_tolerance_deg=VIEW_TOLERANCE_DEG if view_check else 90.0,
    )
    value = float(angles.raw_deg[0, person, 0]) if one.num_people > person else np.nan
    conf = float(angles.confidence[0, person, 0]) if one.num_people > person else np.nan
    yaw = camera_yaw_deg(one.world_m, d.body_segment)
    view = str(classify_view(yaw)[0, person]) if one.num_people > person else ""
    reason = ""
    if not np.isfinite(value):
        if not np.isfinite(conf):
            reason = "Nobody in view."
        elif conf < min_confidence:
            reason = (
                f"The landmarks of this angle are not seen well enough "
                f"(confidence {conf:.2f} < {min_confidence:.2f})."
            )
        elif angles.off_view[0, person, 0]:
            seen = {"": "an unknown view", "oblique": "an oblique view"}.get(
                view, _VIEW_NAMES.get(view, view)
            )
            reason = f"{d.display} needs {_VIEW_NAMES.get(d.view, d.view)}; the camera sees {seen}."
        else:
            reason = "A segment of this angle points too far out of the picture."
    return Reading(value, conf, view, d.view, reason)


class RomHold:
    """Maximum and minimum of a live angle since the last :meth:`reset`, with
    the picture of the frame at the maximum.

    NaN values (no measurement) never change the hold.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.max_deg = float("nan")
        self.min_deg = float("nan")
        self.max_time_s = float("nan")
        self.min_time_s = float("nan")
        self.max_picture: np.ndarray | None = None
        self.samples = 0

    @property
    def range_deg(self) -> float:
        return self.max_deg - self.min_deg

    def update(self, value_deg: float, time_s: float, picture=None) -> bool:
        """Take one value; return True when it is a new maximum. ``picture``
        (an array, or a function returning one, called only at a new maximum)
        is kept as the snapshot of the maximum."""
        v = float(value_deg)
        if not np.isfinite(v):
            return False
        self.samples += 1
        if not v >= self.min_deg:  # also when min is NaN
            self.min_deg, self.min_time_s = v, float(time_s)
        if v > self.max_deg or not np.isfinite(self.max_deg):
            self.max_deg, self.max_time_s = v, float(time_s)
            if picture is not None:
                self.max_picture = picture() if callable(picture) else picture
            return True
        return False


class StreamingRepCounter:
    """Repetitions counted as the values arrive, with the hysteresis rules of
    :func:`dashboard.kinematics.reps.detect_repetitions` (method ``'hysteresis'``).

    A repetition starts when the angle rises past ``enter`` after having been
    at or below ``exit`` (so a stream that starts mid-movement does not count
    its first half), and is counted when it falls back to ``exit`` or below.
    Polarity ``'min'`` mirrors this for exercises whose rest is at the high end.

    Thresholds are the given ``enter_deg``/``exit_deg``, or, as in the batch
    detector, ``p5 + 0.6 A`` and ``p5 + 0.35 A`` of the values seen so far
    (``A`` = 95th minus 5th percentile; the last ``window`` values), and no
    repetition is counted while ``A`` is below ``min_range_deg``.

    Notes
    -----
    The batch detector sets its automatic thresholds from the whole recording;
    here they come from the past only, so early in a stream they can differ.
    On a recording that starts at rest both count the same complete
    repetitions (tested on synthetic cycles and on a real clip).
    """

    def __init__(
        self,
        polarity: str = "max",
        enter_deg: float | None = None,
        exit_deg: float | None = None,
        min_range_deg: float = 15.0,
        window: int = 900,
    ) -> None:
        if polarity not in ("max", "min"):
            raise ValueError(f"polarity must be 'max' or 'min', got {polarity!r}")
        if (enter_deg is None) != (exit_deg is None):
            raise ValueError("give both enter_deg and exit_deg, or neither")
        self.sign = 1.0 if polarity == "max" else -1.0
        if (
            enter_deg is not None
            and exit_deg is not None
            and not self.sign * enter_deg > self.sign * exit_deg
        ):
            raise ValueError("enter_deg must be beyond exit_deg in the direction of the peak")
        self.polarity = polarity
        self.enter_deg, self.exit_deg = enter_deg, exit_deg
        self.min_range_deg = float(min_range_deg)
        self._history: deque[float] = deque(maxlen=int(window))
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.in_rep = False
        self._armed = False
        self._started = False
        self._counts = False
        self._history.clear()
        self.last_peak_deg = float("nan")
        self._peak = float("nan")

    def thresholds(self):
        """(enter, exit) in degrees of the signal, or None while unknown."""
        if self.enter_deg is not None:
            return float(self.enter_deg), float(self.exit_deg)
        if len(self._history) < 3:
            return None
        lo, hi = np.percentile(np.asarray(self._history), [5, 95])
        amplitude = hi - lo
        if amplitude < self.min_range_deg or amplitude <= 0:
            return None
        if self.sign > 0:
            return lo + 0.6 * amplitude, lo + 0.35 * amplitude
        return hi - 0.6 * amplitude, hi - 0.35 * amplitude

    def update(self, value_deg: float) -> int:
        """Take one value (NaN is skipped); return the count of complete repetitions."""
        v = float(value_deg)
        if not np.isfinite(v):
            return self.count
        self._history.append(v)
        levels = self.thresholds()
        if levels is None:
            return self.count
        enter, leave = self.sign * levels[0], self.sign * levels[1]
        y = self.sign * v
        if not self._started:
            # as the batch detector, which knows its thresholds from the start:
            # a rest seen before the thresholds were known arms the first rep
            self._armed = self._armed or min(self.sign * h for h in self._history) <= leave
        if not self.in_rep:
            if y <= leave:
                self._armed = True
            elif y >= enter:
                self.in_rep, self._peak, self._started = True, y, True
                self._counts = self._armed
                self._armed = False
        else:
            self._peak = max(self._peak, y)
            if y <= leave:
                self.in_rep, self._armed = False, True
                if self._counts:
                    self.count += 1
                    self.last_peak_deg = self.sign * self._peak
        return self.count
