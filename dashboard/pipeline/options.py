"""What to analyse in one input and which files to write: :class:`RunOptions`.

The command line builds it from its options (``dashboard.cli.analyze.options_from_args``:
the checks and the usage messages live there); a batch ships it to every worker. It holds
plain values, so that building it imports nothing heavy: the angle and gait settings are
made from them when the writers are (:meth:`RunOptions.kinematics_settings`,
:meth:`RunOptions.gait_settings`; a ValueError there is a bad option too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dashboard.settings import AnalysisSettings

if TYPE_CHECKING:
    from dashboard.functional.model import TestOptions
    from dashboard.kinematics.gait.settings import GaitSettings
    from dashboard.kinematics.settings import KinematicsSettings

__all__ = ["RunOptions"]


@dataclass(frozen=True)
class RunOptions:
    """The analysis of one photo or video and the files written from it.

    settings, stride, max_side, model
        Detection: its settings, every ``stride``-th video frame, frames shrunk to at
        most ``max_side`` pixels (None: full size), the model as chosen (``'lite'``,
        ``'full'``, ``'heavy'``, a ``.task`` path; None: the default).
    min_confidence, filter, cutoff_hz, max_gap_s, rep_angles
        The angles (``angles.csv``, ``summary.json``): see :meth:`kinematics_settings`.
    gait, height_m, floor_marks
        ``gait.json``: for every video (True), none (False) or videos that look like
        walking (None); lengths in metres from the height or from two floor marks
        ``(ax, ay, bx, by, distance_m)``: see :meth:`gait_settings`.
    report, paper
        ``report.pdf`` and its paper size.
    session
        ``.posedash``: the session file.
    test, test_events
        ``test.json``: the functional test to score (None: none), from events given by
        hand when ``test_events`` is set.
    gait_events
        Gait events given by hand: the gait analysis uses them in place of the detected
        ones, and the session file keeps them.
    """

    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    stride: int = 1
    max_side: int | None = None
    model: str | None = None
    min_confidence: float = 0.5
    filter: str = "butterworth"
    cutoff_hz: float = 6.0
    max_gap_s: float = 0.25
    rep_angles: tuple[str, ...] | None = None
    gait: bool | None = None
    height_m: float | None = None
    floor_marks: tuple[float, float, float, float, float] | None = None
    report: bool = False
    paper: str = "A4"
    session: bool = False
    test: TestOptions | None = None
    test_events: Any | None = None
    gait_events: tuple | None = None

    def kinematics_settings(self) -> KinematicsSettings:
        """The angle settings (ValueError for a bad value)."""
        from dashboard.kinematics.filters import FilterSettings
        from dashboard.kinematics.settings import KinematicsSettings

        return KinematicsSettings(
            min_confidence=self.min_confidence,
            filter=FilterSettings(
                method=self.filter, cutoff_hz=self.cutoff_hz, max_gap_s=self.max_gap_s
            ),
            repetition_angles=self.rep_angles,
        )

    def gait_settings(self) -> GaitSettings:
        """The gait settings: the height and the floor marks (ValueError for a bad value)."""
        from dashboard.kinematics.gait import GaitSettings

        return GaitSettings(height_m=self.height_m, floor_marks=self.floor_marks)
