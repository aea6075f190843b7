"""The pose model: built locally from MediaPipe's own files, never downloaded.

MediaPipe's Tasks API wants a ``.task`` bundle: a zip holding
``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``. mediapipe 0.10.21
installs both networks (for its legacy API) without the TFLite metadata the
Tasks API needs, so PoseDash adds that metadata and zips them, once, into a
per-user cache folder. A user may instead choose any ``.task`` file, such as
Google's official lite, full or heavy bundles.

Three BlazePose landmark models: *full* (built-in: the wheel ships it), and
*lite* (Fast) and *heavy* (Accurate), which the wheel lacks. ``make models``
fetches the npm package ``@mediapipe/pose@0.5.1675469404`` (Apache-2.0) with
the system's ``npm pack`` into a temporary folder, and
:func:`build_variant_bundle` checks the landmark model's SHA-256 (pinned
below) and bundles it with the wheel's detector and the same normalisation
metadata, next to the built-in bundle. Never at app start, never from Google.

Where the model comes from, in order: an explicit choice (``--model``, the
sidebar: a variant name ``lite``/``full``/``heavy`` or a path), the
``POSEDASH_MODEL`` environment variable, the built-in bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.detect import backend
from dashboard.errors import ModelError

#: SHA-256 of the files mediapipe 0.10.21 installs; anything else is refused.
DETECTOR_SHA256 = "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
LANDMARK_SHA256 = "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
BUNDLE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")

#: The npm package holding all three landmark models, and their SHA-256.
NPM_PACKAGE = "@mediapipe/pose@0.5.1675469404"
NPM_VERSION = "0.5.1675469404"
VARIANT_SHA256 = {
    "lite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "full": LANDMARK_SHA256,  # byte-identical to the wheel's
    "heavy": "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
}
VARIANTS = ("lite", "full", "heavy")
#: How the app names them, and what they cost: benchmarks/models.py on a quiet 2-core
#: machine (warm 1-MP photo; 1280x720 video, one process; the app uses every core).
VARIANT_LABELS = {"lite": "Fast (lite)", "full": "Standard (full)", "heavy": "Accurate (heavy)"}
VARIANT_SPEED = {
    "lite": "≈ 15 ms a photo, 100 video frames/s",
    "full": "≈ 17 ms a photo, 85 video frames/s",
    "heavy": "≈ 35 ms a photo, 40 video frames/s",
}
BUILD_COMMAND = "make models"
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
    variant: str = ""  # "lite", "full", "heavy" for PoseDash's own bundles, else ""

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "origin": self.origin,
            "description": self.description,
            "variant": self.variant,
        }


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


def sha256_of(data: bytes | Path) -> str:
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
        raise ModelError(
            f"{path.name} is not a pose landmarker bundle: it lacks " + ", ".join(missing) + "."
        )
    if bad is not None:
        raise ModelError(f"{path.name} is corrupt ({bad} fails its checksum).")


def _detector_bytes() -> bytes:
    """The wheel's pose detector, checked."""
    detector, _ = _installed_models()
    return detector


def _installed_models():
    try:
        detector_path, landmark_path = backend.installed_model_files()
        detector, landmark = detector_path.read_bytes(), landmark_path.read_bytes()
    except (FileNotFoundError, OSError) as exc:
        raise ModelError(
            f"mediapipe {backend.MEDIAPIPE_VERSION} and its model files are "
            f"needed to build the model ({exc}). Run 'make run' to install."
        ) from None
    for label, data, want in (
        ("pose detector", detector, DETECTOR_SHA256),
        ("pose landmark model", landmark, LANDMARK_SHA256),
    ):
        if sha256_of(data) != want:
            raise ModelError(
                f"The installed {label} is not the one mediapipe {backend.MEDIAPIPE_VERSION} "
                f"ships (sha256 {sha256_of(data)[:12]}…, expected {want[:12]}…). "
                "Reinstall requirements.txt."
            )
    return detector, landmark


def _write_bundle(dest: Path, detector: bytes, landmark: bytes, built_from: dict) -> Path:
    members = {
        BUNDLE_MEMBERS[0]: backend.with_normalization_metadata(
            detector, "pose_detector", *DETECTOR_NORM
        ),
        BUNDLE_MEMBERS[1]: backend.with_normalization_metadata(
            landmark, "pose_landmarks_detector", *LANDMARK_NORM
        ),
    }

    def write(tmp: Path) -> None:
        backend.write_task_bundle(members, tmp)
        check_task_file(tmp)

    _atomic_write(dest, write)
    _atomic_write(
        dest.with_suffix(".json"),
        lambda tmp: tmp.write_text(
            json.dumps({"sha256": sha256_of(dest), "built_from": built_from}, indent=1)
        ),
    )
    return dest


def build_bundle(dest: Path) -> Path:
    """Build the built-in bundle at ``dest`` from mediapipe's installed files."""
    detector, landmark = _installed_models()
    return _write_bundle(
        dest,
        detector,
        landmark,
        {
            "mediapipe": backend.MEDIAPIPE_VERSION,
            "detector_sha256": DETECTOR_SHA256,
            "landmark_sha256": LANDMARK_SHA256,
        },
    )


def variant_bundle_path(variant: str) -> Path:
    """Where the bundle of ``variant`` lives (the built-in one for 'full')."""
    if variant not in VARIANTS:
        raise ModelError(f"Unknown model {variant!r}: choose one of {', '.join(VARIANTS)}.")
    if variant == "full":
        return builtin_bundle_path()
    return cache_dir() / f"pose_landmarker_{variant}_npm{NPM_VERSION}.task"


def variant_is_built(variant: str) -> bool:
    """True when the bundle of ``variant`` is in the cache and intact."""
    return _builtin_is_intact(variant_bundle_path(variant))


def build_variant_bundle(variant: str, npm_tarball: Path) -> Path:
    """Build the ``lite`` or ``heavy`` bundle from the npm package's tarball.

    The landmark model ``package/pose_landmark_<variant>.tflite`` must have the
    pinned SHA-256 (:data:`VARIANT_SHA256`); it is bundled with the wheel's
    detector and the same normalisation metadata as the built-in model, written
    atomically next to it. Nothing is fetched here (``make models`` runs ``npm pack``).
    """
    if variant == "full":
        return ensure_builtin_bundle(rebuild=True)
    dest = variant_bundle_path(variant)
    member = f"package/pose_landmark_{variant}.tflite"
    try:
        with tarfile.open(npm_tarball, "r:gz") as tar:
            handle = tar.extractfile(member)
            if handle is None:
                raise KeyError(member)
            landmark = handle.read()
    except (OSError, tarfile.TarError, KeyError) as exc:
        raise ModelError(
            f"{Path(npm_tarball).name} is not the npm package {NPM_PACKAGE} with {member} ({exc}).",
            f"Run '{BUILD_COMMAND}'.",
        ) from None
    got = sha256_of(landmark)
    if got != VARIANT_SHA256[variant]:
        raise ModelError(
            f"pose_landmark_{variant}.tflite in {Path(npm_tarball).name} is not "
            f"the file PoseDash expects (sha256 {got[:12]}…, expected "
            f"{VARIANT_SHA256[variant][:12]}…); it was not used."
        )
    return _write_bundle(
        dest,
        _detector_bytes(),
        landmark,
        {
            "npm": NPM_PACKAGE,
            "mediapipe": backend.MEDIAPIPE_VERSION,
            "detector_sha256": DETECTOR_SHA256,
            "landmark_sha256": got,
        },
    )


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


def _variant_info(variant: str) -> ModelInfo:
    if variant == "full":
        built = ensure_builtin_bundle()
        return ModelInfo(
            built,
            sha256_of(built),
            "built-in",
            f"BlazePose full, built locally from mediapipe {backend.MEDIAPIPE_VERSION}",
            variant="full",
        )
    path = variant_bundle_path(variant)
    if not variant_is_built(variant):
        raise ModelError(
            f"The {VARIANT_LABELS[variant]} model is not built on this computer yet.",
            f"Run '{BUILD_COMMAND}' once in the PoseDash folder (it needs npm and "
            "the internet once, then works offline).",
        )
    return ModelInfo(
        path,
        sha256_of(path),
        "built-in",
        f"BlazePose {variant}, built locally from {NPM_PACKAGE}",
        variant=variant,
    )


def resolve_model(path: str | Path | None = None) -> ModelInfo:
    """Choose the model: ``path`` if given (a variant name ``lite``, ``full``,
    ``heavy`` or a ``.task`` file), else ``$POSEDASH_MODEL``, else built-in full."""
    if path and str(path) in VARIANTS:
        return _variant_info(str(path))
    if path:
        origin = "chosen file"
    elif os.environ.get("POSEDASH_MODEL"):
        path, origin = os.environ["POSEDASH_MODEL"], "environment variable POSEDASH_MODEL"
        if path in VARIANTS:
            return _variant_info(path)
    else:
        return _variant_info("full")
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
