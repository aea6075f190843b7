"""The only module that imports MediaPipe.

It knows three things about MediaPipe 0.10.21: where its bundled BlazePose model
files are, how to write TFLite metadata into them, and how to run the Tasks API
``PoseLandmarker`` and turn its results into plain numpy arrays. MediaPipe is
imported lazily, so importing PoseDash never loads it (or a model).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
import threading
import types
from pathlib import Path

import numpy as np

from dashboard.settings import AnalysisSettings
from dashboard.skeleton import NUM_LANDMARKS

MEDIAPIPE_VERSION = "0.10.21"
DETECTOR_FILE = "modules/pose_detection/pose_detection.tflite"
LANDMARK_FILE = "modules/pose_landmark/pose_landmark_full.tflite"


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mediapipe")
    except PackageNotFoundError:
        return ""


def package_dir() -> Path:
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("mediapipe is not installed")
    return Path(spec.origin).parent


def installed_model_files() -> tuple[Path, Path]:
    """(pose detector, full landmark model) as installed with mediapipe."""
    root = package_dir()
    return root / DETECTOR_FILE, root / LANDMARK_FILE


def with_normalization_metadata(tflite: bytes, name: str, mean: float, std: float) -> bytes:
    """Return ``tflite`` with TFLite metadata describing an RGB float image input.

    The Tasks API reads ``NormalizationOptions`` to turn 0-255 pixels into the
    model's float range: ``(pixel - mean) / std``.
    """
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(tflite))
    writer.add_general_info(name, f"{name} from mediapipe {MEDIAPIPE_VERSION}, built by PoseDash")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    content, _ = writer.populate()
    return bytes(content)


def write_task_bundle(members: dict[str, bytes], path: Path) -> None:
    """Write a ``.task`` bundle: an uncompressed, 4-byte aligned zip."""
    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    model_asset_bundle_utils.create_model_asset_bundle(members, os.fspath(path))


class _OnFirstUse(types.ModuleType):
    """Stands in for a module that is imported for real on first attribute use."""

    def __getattr__(self, attr: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


_IMPORT_LOCK = threading.Lock()


def load_mediapipe() -> None:
    """Import MediaPipe, leaving out matplotlib's pyplot until something uses it.

    ``import mediapipe`` loads the legacy ``solutions`` package, whose drawing
    helpers import ``matplotlib.pyplot`` at the top (used only to plot
    landmarks, which PoseDash never does): most of the CPU MediaPipe takes to
    import, paid by every analysis process (measured for issue 27: 0.73 s with
    matplotlib, 0.45 s without pyplot, less again without the package; the two-core
    analysis is bound by the CPU both processes spend). While MediaPipe is
    imported, ``matplotlib.pyplot`` (and ``matplotlib`` when not loaded yet) are
    stand-ins that import the real module on first use; they are then removed, so
    any later ``import matplotlib.pyplot`` is the real one. Nothing changes when
    pyplot or MediaPipe is loaded already. The command line's helper thread calls
    this before its own imports (:mod:`dashboard.cli.ahead`), so that nothing is
    imported beside it; a missing or broken MediaPipe is left to
    :func:`create_landmarker` to report.
    """
    with _IMPORT_LOCK, contextlib.suppress(ImportError):
        if "mediapipe" in sys.modules or "matplotlib.pyplot" in sys.modules:
            from mediapipe.tasks.python import vision

            return
        stand_ins = {"matplotlib.pyplot": _OnFirstUse("matplotlib.pyplot")}
        if "matplotlib" not in sys.modules:  # ``import matplotlib.pyplot`` loads it first
            package = stand_ins["matplotlib"] = _OnFirstUse("matplotlib")
            setattr(package, "pyplot", stand_ins["matplotlib.pyplot"])  # noqa: B010 (a module)
        sys.modules.update(stand_ins)
        try:
            from mediapipe.tasks.python import vision  # noqa: F401
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


def create_landmarker(model_path: Path, settings: AnalysisSettings, video: bool):
    """A new PoseLandmarker in IMAGE or VIDEO mode. Not thread-safe: one user at a time."""
    load_mediapipe()
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=os.fspath(model_path)),
        running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
        num_poses=int(settings.num_poses),
        min_pose_detection_confidence=float(settings.min_detection_confidence),
        min_pose_presence_confidence=float(settings.min_presence_confidence),
        min_tracking_confidence=float(settings.min_tracking_confidence),
        output_segmentation_masks=False,
    )
    return vision.PoseLandmarker.create_from_options(options)


def _to_image(rgb: np.ndarray):
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


def _convert(result, width: int, height: int) -> dict[str, np.ndarray]:
    """PoseLandmarkerResult -> arrays with a leading person axis."""
    n = len(result.pose_landmarks)
    norm = np.empty((n, NUM_LANDMARKS, 5))
    world = np.empty((n, NUM_LANDMARKS, 3))
    for p, (landmarks, worlds) in enumerate(
        zip(result.pose_landmarks, result.pose_world_landmarks, strict=False)
    ):
        norm[p] = [(lm.x, lm.y, lm.z, lm.visibility or 0.0, lm.presence or 0.0) for lm in landmarks]
        world[p] = [(lm.x, lm.y, lm.z) for lm in worlds]
    return {
        "image_xy": norm[..., :2] * (width, height),
        "z": norm[..., 2],
        "visibility": norm[..., 3],
        "presence": norm[..., 4],
        "world_m": world,
    }


def detect_image(landmarker, rgb: np.ndarray) -> dict[str, np.ndarray]:
    """Run an IMAGE-mode landmarker on one RGB uint8 frame."""
    height, width = rgb.shape[:2]
    return _convert(landmarker.detect(_to_image(rgb)), width, height)


def detect_video_frame(landmarker, rgb: np.ndarray, timestamp_ms: int) -> dict[str, np.ndarray]:
    """Run a VIDEO-mode landmarker on the next frame (timestamps strictly increasing)."""
    height, width = rgb.shape[:2]
    return _convert(landmarker.detect_for_video(_to_image(rgb), int(timestamp_ms)), width, height)


@contextlib.contextmanager
def native_logs_silenced():
    """Send MediaPipe's and TFLite's native log lines (written straight to file
    descriptor 2) to /dev/null for the duration. For the command line only:
    anything else written to stderr meanwhile is lost too."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
