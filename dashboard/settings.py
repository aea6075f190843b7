"""Analysis settings: what changes a detection result (and so its cache key)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class AnalysisSettings:
    """Options passed to MediaPipe's PoseLandmarker.

    num_poses
        Maximum number of people to look for (1 to 10).
    min_detection_confidence
        Score the person detector needs before a pose is reported (0 to 1).
    min_presence_confidence
        Score the landmark model needs to keep a pose (0 to 1).
    min_tracking_confidence
        Videos only: score below which the person is detected afresh instead
        of being tracked from the previous frame (0 to 1).
    swap_repair
        Videos only: make the left/right labels of legs and arms consistent
        over time, undoing the model's brief limb swaps
        (:mod:`dashboard.detect.swaps`). On by default.
    """

    num_poses: int = 1
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    swap_repair: bool = True

    def __post_init__(self) -> None:
        if not 1 <= int(self.num_poses) <= 10:
            raise ValueError(f"num_poses must be between 1 and 10, got {self.num_poses}")
        for name in (
            "min_detection_confidence",
            "min_presence_confidence",
            "min_tracking_confidence",
        ):
            value = getattr(self, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")

    def as_dict(self) -> dict:
        return asdict(self)
