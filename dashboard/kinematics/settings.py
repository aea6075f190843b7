"""The settings of the angles, ranges of motion and repetitions: :class:`KinematicsSettings`.

Kept apart from :mod:`dashboard.kinematics.summary` (which computes with them and needs
pandas and SciPy) so that checking a setting imports nothing heavy: the command line
checks its options before the analysis starts, and imports the rest on a free core
(:mod:`dashboard.cli.ahead`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from dashboard.kinematics.catalogue import CATALOGUE, MIN_IN_PLANE_FRACTION, SPACES
from dashboard.kinematics.filters import FilterSettings
from dashboard.kinematics.reps import RepetitionSettings
from dashboard.kinematics.views import VIEW_TOLERANCE_DEG

__all__ = ["KinematicsSettings"]


@dataclass(frozen=True)
class KinematicsSettings:
    """Everything that changes the angles, ROM and repetitions of a sequence.

    spaces
        Which spaces to compute ('image', 'world').
    min_confidence
        Angle values with a lower confidence (lowest landmark visibility) are NaN.
    foreshortening_ratio
        See :func:`dashboard.kinematics.compute.compute_angles`.
    filter
        Gap filling and low-pass for ``value_deg``.
    repetitions
        Detector parameters.
    repetition_angles
        Angle keys (e.g. ``('shoulder_abduction',)``) searched for
        repetitions, on both sides and in every space; ``None``: every angle.
    min_in_plane_fraction
        Planar angles whose segment keeps less than this share of its length
        in the angle's plane (more than 60 deg out of it at 0.5) are NaN: see
        :data:`dashboard.kinematics.catalogue.MIN_IN_PLANE_FRACTION`.
    view_tolerance_deg
        Image space: a side-view angle is measured only in frames whose body
        left-right line is within this many degrees of pointing at the
        camera, a front-view angle only where it is within this of lying in
        the picture; elsewhere it is NaN. See
        :data:`dashboard.kinematics.views.VIEW_TOLERANCE_DEG` (30; 90 turns it off).
    include_implausible
        Use values outside their angle's plausible range
        (:mod:`dashboard.kinematics.plausibility`) in ranges of motion (default:
        left out and counted).
    """

    spaces: tuple[str, ...] = SPACES
    min_confidence: float = 0.5
    foreshortening_ratio: float = 0.7
    filter: FilterSettings = field(default_factory=FilterSettings)
    repetitions: RepetitionSettings = field(default_factory=RepetitionSettings)
    repetition_angles: tuple[str, ...] | None = None
    min_in_plane_fraction: float = MIN_IN_PLANE_FRACTION
    view_tolerance_deg: float = VIEW_TOLERANCE_DEG
    include_implausible: bool = False

    def __post_init__(self) -> None:
        bad = [s for s in self.spaces if s not in SPACES]
        if bad or not self.spaces:
            raise ValueError(f"spaces must be a non-empty subset of {SPACES}, got {self.spaces}")
        keys = {d.key for d in CATALOGUE}
        unknown = [k for k in (self.repetition_angles or ()) if k not in keys]
        if unknown:
            raise ValueError(f"unknown angle(s) {unknown}; known: {sorted(keys)}")
        if not 0.0 <= float(self.min_in_plane_fraction) <= 1.0:
            raise ValueError("min_in_plane_fraction must be between 0 and 1")
        if not 0.0 <= float(self.view_tolerance_deg) <= 90.0:
            raise ValueError("view_tolerance_deg must be between 0 and 90")
        if not 0.0 <= float(self.min_confidence) <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        if not 0.0 <= float(self.foreshortening_ratio) <= 1.0:
            raise ValueError(
                f"foreshortening_ratio must be between 0 and 1, got {self.foreshortening_ratio}"
            )

    def as_dict(self) -> dict:
        return asdict(self)
