"""Realistic Analysis objects from ``shared/media/reference/*.legacy.json``, without the model.

The legacy reference files hold, for each real photo and video, the landmarks
MediaPipe's legacy ``solutions.pose`` produced (pixels, visibility, world
metres). They make review-page and export tests realistic and fast.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from dashboard.analysis import Analysis
from dashboard.poses import PoseSequence


def legacy_sequence(path: Path, max_frames: int = 0) -> PoseSequence:
    doc = json.loads(Path(path).read_text())
    frames = doc.get("frames") or [doc]
    if max_frames:
        frames = frames[:max_frames]
    per_frame = []
    for fr in frames:
        if fr.get("landmarks_px") is None:
            per_frame.append(
                dict(
                    image_xy=np.zeros((0, 33, 2)),
                    z=np.zeros((0, 33)),
                    visibility=np.zeros((0, 33)),
                    presence=np.zeros((0, 33)),
                    world_m=np.zeros((0, 33, 3)),
                )
            )
            continue
        vis = np.array([fr["visibility"]], float)
        per_frame.append(
            dict(
                image_xy=np.array([fr["landmarks_px"]], float),
                z=np.zeros((1, 33)),
                visibility=vis,
                presence=vis,
                world_m=np.array([fr["world_m"]], float),
            )
        )
    n = len(per_frame)
    fps = doc.get("fps")
    time_s = np.arange(n) / fps if fps else np.zeros(n)
    return PoseSequence.from_frames(
        per_frame, tuple(doc["image_size_wh"]), time_s, np.arange(n), num_people=1
    )


def legacy_analysis(path: Path, max_frames: int = 0) -> Analysis:
    path = Path(path)
    doc = json.loads(path.read_text())
    seq = legacy_sequence(path, max_frames)
    kind = "video" if doc.get("frames") else "photo"
    source = doc.get("source") or path.name.replace(".legacy.json", "")
    return Analysis(
        seq,
        source,
        hashlib.sha256(source.encode()).hexdigest(),
        kind,
        model={
            "path": "/home/someone/.cache/posedash/model.task",
            "sha256": "0" * 64,
            "origin": "built-in",
            "description": "legacy reference (test)",
        },
        fps=doc.get("fps"),
        stride=1,
    )


def first_frames(full: Analysis, frames: int, name: str, sha256: str) -> Analysis:
    """The first ``frames`` frames of the video analysis ``full`` as another
    recording: the file ``name`` with the content hash ``sha256``."""
    return Analysis(
        full.poses.select(frames=slice(0, frames)),
        name,
        sha256,
        "video",
        full.settings,
        full.model,
        full.fps,
    )
