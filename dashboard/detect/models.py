"""The pose model: built locally from MediaPipe's own files, never downloaded.

MediaPipe's Tasks API wants a ``.task`` bundle: a zip holding
``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``. mediapipe 0.10.21
installs both networks (for its legacy API) without the TFLite metadata the
Tasks API needs, so PoseDash adds that metadata and zips them, once, into a
per-user cache folder. A user may instead choose any ``.task`` file, such as
Google's official lite, full or heavy bundles.

Where the model comes from, in order: an explicit path (``--model``, the
sidebar), the ``POSEDASH_MODEL`` environment variable, the built-in bundle.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from dashboard.detect import backend
from dashboard.errors import ModelError

#: SHA-256 of the files mediapipe 0.10.21 installs; anything else is refused.
DETECTOR_SHA256 = "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
LANDMARK_SHA256 = "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
BUILTIN_NAME = f"pose_landmarker_full_mediapipe{backend.MEDIAPIPE_VERSION}.task"
# Detector input in [-1, 1]; landmark model input in [0, 1].
DETECTOR_NORM = (127.5, 127.5)
LANDMARK_NORM = (0.0, 255.0)


@dataclass(frozen=True)
class ModelInfo:
    """Which model file an analysis used, and where it came from."""

    path: Path
    sha256: str
    origin: str  # "built-in", "environment variable POSEDASH_MODEL", "chosen file"
    description: str

    def as_dict(self) -> dict:
        return {"path": str(self.path), "sha256": self.sha256, "origin": self.origin,
                "description": self.description}


def cache_dir() -> Path:
    """Per-user cache folder: ``$POSEDASH_CACHE_DIR`` or the platform's cache folder."""
    override = os.environ.get("POSEDASH_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "PoseDash" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "PoseDash"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "posedash"


def sha256_of(data: Union[bytes, Path]) -> str:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with open(data, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename into place, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check_task_file(path: Path) -> None:
    """Raise ModelError unless ``path`` is a readable pose landmarker bundle."""
    if not path.is_file():
        raise ModelError(f"The model file {path} does not exist.")
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            bad = bundle.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{path.name} is not a MediaPipe .task model bundle ({exc}).") from None
    missing = [m for m in BUNDLE_MEMBERS if m not in names]
    if missing:
        raise ModelError(f"{path.name} is not a pose landmarker bundle: it lacks "
                         + ", ".join(missing) + ".")
    if bad is not None:
        raise ModelError(f"{path.name} is corrupt ({bad} fails its checksum).")


def build_bundle(dest: Path) -> Path:
    """Build the built-in bundle at ``dest`` from mediapipe's installed files."""
    try:
        detector_path, landmark_path = backend.installed_model_files()
        detector, landmark = detector_path.read_bytes(), landmark_path.read_bytes()
    except (FileNotFoundError, OSError) as exc:
        raise ModelError(f"mediapipe {backend.MEDIAPIPE_VERSION} and its model files are "
                         f"needed to build the model ({exc}). Run 'make run' to install.") from None
    for label, data, want in (("pose detector", detector, DETECTOR_SHA256),
                              ("pose landmark model", landmark, LANDMARK_SHA256)):
        if sha256_of(data) != want:
            raise ModelError(
                f"The installed {label} is not the one mediapipe {backend.MEDIAPIPE_VERSION} "
                f"ships (sha256 {sha256_of(data)[:12]}…, expected {want[:12]}…). "
                "Reinstall requirements.txt.")
    members = {
        BUNDLE_MEMBERS[0]: backend.with_normalization_metadata(
            detector, "pose_detector", *DETECTOR_NORM),
        BUNDLE_MEMBERS[1]: backend.with_normalization_metadata(
            landmark, "pose_landmarks_detector", *LANDMARK_NORM),
    }

    def write(tmp: Path) -> None:
        backend.write_task_bundle(members, tmp)
        check_task_file(tmp)

    _atomic_write(dest, write)
    _atomic_write(dest.with_suffix(".json"), lambda tmp: tmp.write_text(json.dumps({
        "sha256": sha256_of(dest),
        "built_from": {"mediapipe": backend.MEDIAPIPE_VERSION,
                       "detector_sha256": DETECTOR_SHA256,
                       "landmark_sha256": LANDMARK_SHA256},
    }, indent=1)))
    return dest


def builtin_bundle_path() -> Path:
    return cache_dir() / BUILTIN_NAME


def _builtin_is_intact(path: Path) -> bool:
    try:
        record = json.loads(path.with_suffix(".json").read_text())
        return path.is_file() and record.get("sha256") == sha256_of(path)
    except (OSError, ValueError):
        return False


def ensure_builtin_bundle(rebuild: bool = False) -> Path:
    """The built-in bundle's path, building it first if it is missing or corrupt."""
    path = builtin_bundle_path()
    if rebuild or not _builtin_is_intact(path):
        build_bundle(path)
    return path


def resolve_model(path: Optional[Union[str, Path]] = None) -> ModelInfo:
    """Choose the model: ``path`` if given, else ``$POSEDASH_MODEL``, else built-in."""
    if path:
        origin = "chosen file"
    elif os.environ.get("POSEDASH_MODEL"):
        path, origin = os.environ["POSEDASH_MODEL"], "environment variable POSEDASH_MODEL"
    else:
        built = ensure_builtin_bundle()
        return ModelInfo(built, sha256_of(built), "built-in",
                         f"BlazePose full, built locally from mediapipe {backend.MEDIAPIPE_VERSION}")
    resolved = Path(path).expanduser().resolve()
    check_task_file(resolved)
    return ModelInfo(resolved, sha256_of(resolved), origin, resolved.name)


def store_uploaded_model(data: bytes, name: str) -> Path:
    """Keep a model file the user uploaded in the cache, named by its hash."""
    dest = cache_dir() / "models" / f"{sha256_of(data)[:16]}-{Path(name).name}"
    if not dest.is_file():
        _atomic_write(dest, lambda tmp: tmp.write_bytes(data))
    try:
        check_task_file(dest)
    except ModelError:
        dest.unlink(missing_ok=True)
        raise
    return dest
