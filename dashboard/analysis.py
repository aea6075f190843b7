"""One analysed recording: the landmarks plus what is needed to trust and reproduce them.

An :class:`Analysis` is what the review pages (angles, 3D, tables, comparison)
work on, whether it was just computed from a photo or video or reopened from a
session file. It holds no image or video: the source is identified by name and
SHA-256 only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings


@dataclass(frozen=True)
class Analysis:
    """Landmarks of one photo or video and their provenance.

    Attributes
    ----------
    poses
        The landmarks, frame by frame.
    source_name
        File name of the photo or video as the user gave it (no folder).
    source_sha256
        SHA-256 of the file's bytes: identifies the recording without keeping it.
    kind
        ``"photo"`` or ``"video"``.
    settings
        The detection settings used.
    model
        Provenance of the model: ``ModelInfo.as_dict()`` (path, sha256, origin, description).
    fps
        Nominal frame rate of a video (None for a photo); the true times are in
        ``poses.time_s``.
    stride
        Every ``stride``-th frame of the video was analysed.
    video_index
        The video's frame index (:class:`dashboard.media.video.VideoIndex`) when the
        engine read it, kept with the analysis so that showing a frame never
        reads the packets again; None for a photo, a reopened session, or a
        video whose timestamps cannot locate frames. Not part of equality.

    :func:`dashboard.detect.engine.photo_analysis` and
    :func:`~dashboard.detect.engine.video_analysis` build one from a recording.
    notes
        Sentences on how the file was read (which video stream, repaired
        timestamps, a photo analysed at a reduced size): kept in session files
        (``read_notes``) and in :meth:`provenance`. Not part of equality.
    """

    poses: PoseSequence
    source_name: str
    source_sha256: str
    kind: str
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    model: dict = field(default_factory=dict)
    fps: float | None = None
    stride: int = 1
    video_index: Any | None = field(default=None, compare=False, repr=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ("photo", "video"):
            raise ValueError(f"kind must be 'photo' or 'video', got {self.kind!r}")

    def provenance(self) -> dict:
        """Which model and detection settings made these landmarks, and how the
        file was read, as recorded in ``summary.json``: the model's file *name*
        and hash (never the folder it is in, which may name the user), the
        settings and the :attr:`notes` (``read_notes``, a list, empty when the
        file was read without anything unusual)."""
        from pathlib import PurePath

        model = dict(self.model or {})
        if model.get("path"):
            model["path"] = PurePath(str(model["path"])).name
        return {
            "model": model,
            "detection": self.settings.as_dict(),
            "read_notes": [str(n) for n in self.notes],
        }

    @property
    def label(self) -> str:
        """A short name for menus: the file name and, for videos, the duration."""
        if self.kind == "video" and self.poses.num_frames:
            return f"{self.source_name} ({self.poses.time_s[-1]:.1f} s)"
        return self.source_name
