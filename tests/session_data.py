"""Small analyses and session files with known contents for the session, notes and report tests."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import numpy as np

from dashboard.analysis import Analysis
from dashboard.outputs.session import (
    MANIFEST,
    save_session,
)
from dashboard.poses import PoseSequence
from dashboard.settings import AnalysisSettings


def small_analysis(frames=6, people=2, kind="video") -> Analysis:
    """Random landmarks of person 0 in every frame; a second person (id 3) in frame 2 only."""
    rng = np.random.default_rng(0)
    seq = PoseSequence.empty(
        frames,
        people,
        (640, 480),
        time_s=np.arange(frames) / 30.0,
        frame_index=np.arange(frames) * 2,
    )
    arrays = {
        k: np.array(getattr(seq, k)) for k in ("image_xy", "z", "visibility", "presence", "world_m")
    }
    arrays["image_xy"][:, 0] = rng.uniform(0, 480, (frames, 33, 2))
    arrays["z"][:, 0] = rng.normal(size=(frames, 33))
    arrays["visibility"][:, 0] = rng.uniform(size=(frames, 33))
    arrays["presence"][:, 0] = rng.uniform(size=(frames, 33))
    arrays["world_m"][:, 0] = rng.normal(scale=0.5, size=(frames, 33, 3))
    if frames > 2 and people > 1:  # a second person found in one frame only
        for name, value in (
            ("image_xy", 100.0),
            ("world_m", 0.1),
            ("visibility", 0.9),
            ("presence", 0.9),
            ("z", 0.0),
        ):
            arrays[name][2, 1] = value
    seq = PoseSequence(
        **arrays,
        time_s=seq.time_s.copy(),
        frame_index=seq.frame_index.copy(),
        image_size=(640, 480),
        person_ids=np.array([0, 3][:people]),
    )
    return Analysis(
        seq,
        "patient walk.mp4",
        "ab" * 32,
        kind,
        AnalysisSettings(num_poses=2, min_detection_confidence=0.3),
        {
            "path": "/home/alice/.cache/posedash/pose_landmarker_full.task",
            "sha256": "cd" * 32,
            "origin": "built-in",
            "description": "full",
        },
        fps=29.97,
        stride=2,
    )


STREAM = (
    "This file has 2 video streams: PoseDash analyses stream 2 (96 x 64), the main "
    "video; stream 1 (32 x 24) is a still picture or thumbnail."
)
TIMES = "3 repeated or backward timestamps were repaired (times from the frame rate)."


def noted_analysis(**kw) -> Analysis:
    return replace(small_analysis(**kw), notes=(STREAM, TIMES))


def manifest_of(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read(MANIFEST))


def edited_manifest(good: bytes, change) -> bytes:
    """``good`` with ``change(manifest)`` applied to its manifest (may return text)."""
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                text = change(manifest)
                content = (text if text is not None else json.dumps(manifest)).encode()
            dst.writestr(item, content)
    return buf.getvalue()


def edited_session(change) -> bytes:
    """A session of :func:`noted_analysis` with ``change(manifest)`` applied (as by hand)."""
    return edited_manifest(save_session(noted_analysis()), change)


def with_notes(value) -> bytes:
    """A session whose manifest's ``read_notes`` is ``value`` (as a hostile file would)."""
    return edited_session(lambda m: m.update(read_notes=value))


def two_people(walk: Analysis) -> Analysis:
    """``walk`` with a second person slot before it: the walk's second half, in the
    first half of the frames only."""
    s, f = walk.poses, walk.poses.num_frames
    half = f // 2

    def two(arr):
        arr = np.asarray(arr)
        other = np.full_like(arr, np.nan)
        other[:half] = arr[half : 2 * half]  # the walk's second half, in the first half only
        return np.concatenate([other, arr], axis=1)

    seq = PoseSequence(
        two(s.image_xy),
        two(s.z),
        two(s.visibility),
        two(s.presence),
        two(s.world_m),
        s.time_s,
        s.frame_index,
        s.image_size,
    )
    return replace(walk, poses=seq, settings=replace(walk.settings, num_poses=2))
