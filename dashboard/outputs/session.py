"""Session files: one analysis saved as one ``.posedash`` file, reopened without the video.

A session file lets a physiotherapist review a recording days later, or compare it with a
later one, without keeping the video and without running detection again. It holds the
landmarks and what is needed to trust and reproduce them; it holds **no image or video**:
the source is named and identified by its SHA-256 only.

Format (version 1)
------------------
A zip archive (so any unzip tool can look inside) with these members:

``manifest.json``
    ``{"format": "posedash.session", "version": 1, ...}``: the source's file
    name, SHA-256 and kind, fps and stride, frame size, the detection settings,
    the model's provenance (its file *name* and SHA-256, not the folder it was
    in), the angle settings, the gait settings (``gait_settings``, optional: files
    written before gait analysis have none), when and by which PoseDash it was
    written, the notes on how the recording was read (``read_notes``, optional:
    a list of sentences, ``Analysis.notes``; files written before they were kept
    have none and open with no note), and the shape and dtype of every array.
``arrays/<name>.npy``
    The :class:`~dashboard.poses.PoseSequence` arrays in NumPy's ``.npy``
    format (the archive is also a valid ``.npz``: ``np.load`` opens it).
    ``swapped`` (bool, frames x people x 2: legs, arms relabelled by the swap
    repair) was added later and is optional: files without it open with no
    frame marked, and with the swap repair recorded as off in their settings.
``angles.csv`` (optional)
    The angle table (``dashboard.kinematics.summary.angles_dataframe``) as it was
    when saved, for other programs. PoseDash does **not** read it back: angles
    are derived from the landmarks, so they are recomputed on load with the
    stored angle settings. That way a reopened session always gets the current
    angle definitions and filters, and a file whose table was edited cannot
    disagree with its own landmarks.

Reading is defensive: a file that is not a zip, is truncated, is another
program's zip, comes from a newer PoseDash, or declares absurd sizes raises
:class:`~dashboard.errors.InputError` with a message for the user, before any
large allocation. Arrays are read with ``allow_pickle=False``: a session file
cannot run code. Every setting is checked against one schema
(:mod:`dashboard.outputs.session_schema`): invalid detection settings refuse the
file, invalid angle settings fall back to their defaults with a note, and notes
on how the recording was read are shown as plain one-line text (invalid ones
left out, with a note).

``manual_measurements`` (optional)
    Measurements made by hand on frames (angles, distances, pinned notes), each with
    its frame, points and "measured by hand" (:mod:`dashboard.manual.records`); values
    are recomputed from the points on load, and a damaged entry is left out with a note.
``functional_tests`` (optional)
    Functional tests kept, scored again from their options (:mod:`dashboard.functional.saved`).

Fields added to format 1 after it was defined (``swapped``, ``gait_settings``, ``read_notes``,
``manual_measurements``, ``functional_tests``) are optional: older files open without them,
and an older PoseDash ignores them. The version changes only for what an older PoseDash
could not read correctly; it then refuses the file as "saved by a newer PoseDash".

Limits
------
PoseDash opens sessions of up to 216,000 frames (an hour at 60 frames per second), 10 people,
360,000 frames x people (10 minutes at 60 fps with 10 people: about 760 MB of landmarks) and 6
hours; more is refused before any array is read (:data:`.session_schema.SESSION_LIMITS`).
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Any

import numpy as np

import dashboard
from dashboard.analysis import Analysis
from dashboard.errors import InputError
from dashboard.jsonsafe import to_jsonable
from dashboard.manual.records import measurements_from_json
from dashboard.outputs import session_schema as schema
from dashboard.outputs.session_gait import gait_events_field, read_gait_events
from dashboard.poses import PoseSequence
from dashboard.skeleton import NUM_LANDMARKS

__all__ = [
    "EXTENSION",
    "FORMAT",
    "MIME",
    "VERSION",
    "SessionFile",
    "kinematics_settings",
    "load_session",
    "read_session",
    "save_session",
    "session_file_name",
]

FORMAT = "posedash.session"
VERSION = 1
EXTENSION = ".posedash"
MIME = "application/x-posedash-session"

#: Limits that keep a damaged or hostile file from allocating absurd memory.
MAX_FILE_BYTES = 1 << 30  # 1 GiB: an hour of 60 fps video with 2 people is ~0.4 GiB
MAX_FRAMES = schema.SESSION_LIMITS["frames"]
MAX_PEOPLE = schema.SESSION_LIMITS["people"]
MAX_FRAME_SLOTS = schema.SESSION_LIMITS["frame_slots"]
MAX_DURATION_S = schema.SESSION_LIMITS["duration_s"]
MAX_MANIFEST_BYTES = 1 << 20
MAX_MEMBERS = 64

MANIFEST = "manifest.json"
ANGLES_CSV = "angles.csv"

_FLOAT_ARRAYS = ("image_xy", "z", "visibility", "presence", "world_m", "time_s")
_INT_ARRAYS = ("frame_index", "person_ids")
ARRAY_NAMES = _FLOAT_ARRAYS + _INT_ARRAYS
_FLOAT_DTYPES = (np.dtype("<f8"), np.dtype("<f4"))
_INT_DTYPES = (np.dtype("<i8"), np.dtype("<i4"))
#: Optional arrays (added after format 1 was defined; older files lack them).
OPTIONAL_BOOL_ARRAYS = ("swapped",)

_NOT_A_SESSION = schema.NOT_A_SESSION
_DAMAGED = schema.DAMAGED


@dataclass(frozen=True)
class SessionFile:
    """What a session file holds, beyond the :class:`Analysis` itself.

    angle_settings: as saved (``KinematicsSettings.as_dict``), or None. created_utc: ISO
    8601 time it was written. posedash_version: of the PoseDash that wrote it.
    has_angle_table: carries an ``angles.csv`` for other programs (never read). notes:
    sentences for the user about settings that could not be used (replaced by their
    defaults) or notes on reading left out; empty when every field was valid (how the
    recording was read is in ``analysis.notes``).
    """

    analysis: Analysis
    angle_settings: dict[str, Any] | None = None
    created_utc: str = ""
    posedash_version: str = ""
    has_angle_table: bool = False
    manifest: dict[str, Any] = field(default_factory=dict, repr=False)
    notes: tuple[str, ...] = ()
    #: The gait settings as saved (``GaitSettings.as_dict``), or None.
    gait_settings: dict[str, Any] | None = None
    #: Measurements made by hand (:class:`dashboard.manual.ManualMeasurement`), checked
    #: against the landmarks; entries left out are explained in :attr:`notes`.
    measurements: tuple = ()
    #: Gait events corrected by hand (:func:`~dashboard.outputs.session_gait.read_gait_events`).
    gait_events: dict | None = None


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------
def _model_provenance(model: dict) -> dict:
    """The model dict without the folder it was in (it may name the user)."""
    out = dict(model or {})
    if out.get("path"):
        out["path"] = PurePath(str(out["path"]).replace("\\", "/")).name
    return to_jsonable(out)


def _arrays(seq: PoseSequence) -> dict[str, np.ndarray]:
    """The arrays to store. Float arrays holding only float32 values (the pose model's own
    outputs: visibility, presence, depth, world metres) are stored as <f4: they read back
    identical, in half the room and time; the others as <f8."""
    out = {}
    for name in _FLOAT_ARRAYS:
        a = np.asarray(getattr(seq, name), dtype="<f8")
        with np.errstate(over="ignore", invalid="ignore"):
            f4 = name != "time_s" and np.array_equal(a.astype("<f4"), a, equal_nan=True)
        out[name] = a.astype("<f4") if f4 else a
    out.update({name: np.asarray(getattr(seq, name), dtype="<i8") for name in _INT_ARRAYS})
    out.update({name: np.asarray(getattr(seq, name), dtype="|b1") for name in OPTIONAL_BOOL_ARRAYS})
    return out


def _write_table(zf: zipfile.ZipFile, angle_table) -> None:
    """``angles.csv``: a DataFrame, or CSV text chunks (``angles_csv_chunks``) written as
    they come (a long recording's table is never held whole)."""
    zf.compresslevel = 6  # text: a quarter smaller than at level 1, for little time
    with zf.open(ANGLES_CSV, "w", force_zip64=True) as fp:
        if hasattr(angle_table, "to_csv"):
            fp.write(angle_table.to_csv(index=False, float_format="%.6g").encode())
        else:
            for chunk in angle_table:
                fp.write(chunk.encode())


def save_session(
    analysis: Analysis,
    angle_settings=None,
    angle_table=None,
    created: datetime | None = None,
    gait_settings=None,
    measurements=(),
    gait_events=None,
    functional_tests=(),
) -> bytes:
    """The bytes of a ``.posedash`` file holding ``analysis``.

    ``angle_settings``: in use (``KinematicsSettings`` or dict), saved so that the angles
    recomputed on load are the ones the user saw. ``angle_table``: optional long angle table
    (``angles_dataframe``, or its CSV text in chunks: ``angles_csv_chunks(..., "%.6g")``)
    written as ``angles.csv`` for other programs, never read back. ``created``: time stamp
    (default now, UTC). ``gait_settings``: ``GaitSettings`` or dict, or None.
    ``measurements``: made by hand (:class:`dashboard.manual.ManualMeasurement`), saved as
    ``manual_measurements`` when there are some. ``gait_events``, ``functional_tests``:
    gait events corrected by hand (:mod:`dashboard.outputs.session_gait`) or None; functional
    tests kept (:func:`dashboard.functional.saved.kept_record` of each).
    """
    seq = analysis.poses
    arrays = _arrays(seq)
    created = created or datetime.now(timezone.utc)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_utc": created.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "posedash_version": str(getattr(dashboard, "__version__", "dev")),
        "note": "PoseDash session: landmarks and settings only, no image or video. "
        "Angles are recomputed from the landmarks when the session is opened.",
        "source": {
            "name": analysis.source_name,
            "sha256": analysis.source_sha256,
            "kind": analysis.kind,
        },
        "fps": to_jsonable(analysis.fps),
        "stride": int(analysis.stride),
        "image_size": [int(v) for v in seq.image_size],
        "frames": int(seq.num_frames),
        "people": int(seq.num_people),
        "landmarks": NUM_LANDMARKS,
        "settings": to_jsonable(analysis.settings),
        "model": _model_provenance(analysis.model),
        "angle_settings": None if angle_settings is None else to_jsonable(angle_settings),
        "angle_table": angle_table is not None,
        "gait_settings": None if gait_settings is None else to_jsonable(gait_settings),
        "read_notes": [str(n) for n in analysis.notes],
        **({"manual_measurements": [m.as_dict() for m in measurements]} if measurements else {}),
        **gait_events_field(gait_events),
        **({"functional_tests": to_jsonable(list(functional_tests))} if functional_tests else {}),
        "arrays": {
            name: {"dtype": a.dtype.str, "shape": list(a.shape), "member": f"arrays/{name}.npy"}
            for name, a in arrays.items()
        },
    }
    buf = io.BytesIO()
    # level 1: landmarks barely compress further at 6, which took twice as long
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, allow_nan=False))
        for name, a in arrays.items():
            with zf.open(f"arrays/{name}.npy", "w") as fp:  # streamed: no copy of the array
                np.lib.format.write_array(fp, np.ascontiguousarray(a), allow_pickle=False)
        if angle_table is not None:
            _write_table(zf, angle_table)
    return buf.getvalue()


def session_file_name(analysis: Analysis) -> str:
    """A file name for the session of ``analysis``: ``<source stem>.posedash``."""
    stem = PurePath(analysis.source_name.replace("\\", "/")).stem or "session"
    return f"{stem}{EXTENSION}"


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------
def load_session(data: bytes) -> Analysis:
    """The :class:`Analysis` saved in a ``.posedash`` file's bytes.

    Raises :class:`~dashboard.errors.InputError` (with a message for the user)
    for anything that is not a complete session file PoseDash can read.
    """
    return read_session(data).analysis


def read_session(data: bytes) -> SessionFile:
    """Like :func:`load_session`, with the file's angle settings and metadata."""
    if data is None or len(data) == 0:
        raise InputError("This session file is empty.", _NOT_A_SESSION[1])
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"This file is too large to be a PoseDash session "
            f"({len(data) / 2**20:.0f} MB; the limit is "
            f"{MAX_FILE_BYTES / 2**20:.0f} MB).",
            _NOT_A_SESSION[1],
        )
    if not bytes(data[:4]) == b"PK\x03\x04":
        raise InputError(*_NOT_A_SESSION)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _read(zf)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
    ) as exc:
        raise InputError(*_DAMAGED) from exc
    except (NotImplementedError, RuntimeError) as exc:  # encrypted, unknown compression
        raise InputError(
            "This session file is encrypted or compressed in a way PoseDash does not read.",
            _NOT_A_SESSION[1],
        ) from exc


def _member(zf: zipfile.ZipFile, name: str, limit: int) -> zipfile.ZipInfo:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise InputError(*_DAMAGED) from None
    if info.file_size > limit or info.file_size < 0:
        raise InputError(*_DAMAGED)
    return info


def _manifest(zf: zipfile.ZipFile) -> dict:
    """The manifest, checked to be a PoseDash session this PoseDash can read."""
    names = zf.namelist()
    if MANIFEST not in names:
        # A zip from another program (or a PoseDash file cut before its end).
        raise InputError(*_NOT_A_SESSION)
    if len(names) > MAX_MEMBERS:
        raise InputError(*_NOT_A_SESSION)
    info = _member(zf, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(*_DAMAGED) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(*_NOT_A_SESSION)
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise InputError(*_DAMAGED)
    if version > VERSION:
        raise InputError(
            f"This session was saved by a newer PoseDash (session format {version}; "
            f"this PoseDash reads format {VERSION}).",
            "Update PoseDash to open it, or open it on the computer that saved it.",
        )
    return manifest


def _poses(zf: zipfile.ZipFile, manifest: dict) -> PoseSequence:
    frames, people = schema.check_dims(manifest)
    arrays = {}
    for name in ARRAY_NAMES:
        arrays[name] = _read_array(zf, name, _expected_shape(name, frames, people))
    names = set(zf.namelist())
    for name in OPTIONAL_BOOL_ARRAYS:
        if f"arrays/{name}.npy" in names:
            arrays[name] = _read_array(zf, name, _expected_shape(name, frames, people))
    size = manifest.get("image_size")
    if not (
        isinstance(size, list)
        and len(size) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 100_000 for v in size)
    ):
        raise InputError(*_DAMAGED)
    seq = PoseSequence(**arrays, image_size=(size[0], size[1]))
    schema.check_values(seq)
    return seq


def _read(zf: zipfile.ZipFile) -> SessionFile:
    manifest = _manifest(zf)
    problems = schema.check_fields(manifest, schema.RECORDING, "")
    if problems:
        raise InputError(schema.refused(problems, "recording details"), _DAMAGED[1])
    settings = schema.detection_settings(manifest.get("settings"))
    seq = _poses(zf, manifest)
    source = manifest.get("source") or {}
    if not isinstance(source, dict) or source.get("kind") not in ("photo", "video"):
        raise InputError(*_DAMAGED)
    model = manifest.get("model") or {}
    if not isinstance(model, dict):
        raise InputError(*_DAMAGED)
    fps = manifest.get("fps")
    read_notes, dropped = schema.read_notes(manifest.get("read_notes"))
    analysis = Analysis(
        poses=seq,
        source_name=str(source.get("name") or "session"),
        source_sha256=str(source.get("sha256") or ""),
        kind=source["kind"],
        settings=settings,
        model={str(k): v for k, v in model.items()},
        fps=None if fps is None else float(fps),
        stride=manifest.get("stride", 1),
        notes=read_notes,
    )
    angle_settings, notes = schema.angle_settings(manifest.get("angle_settings"))
    gait_settings = manifest.get("gait_settings")
    measurements, measured_notes = measurements_from_json(manifest.get("manual_measurements"), seq)
    gait_events, gait_notes = read_gait_events(manifest.get("gait_events"), seq.num_people)
    return SessionFile(
        analysis=analysis,
        angle_settings=angle_settings,
        created_utc=str(manifest.get("created_utc") or ""),
        posedash_version=str(manifest.get("posedash_version") or ""),
        has_angle_table=ANGLES_CSV in zf.namelist(),
        manifest=manifest,
        notes=notes + dropped + measured_notes + gait_notes,
        gait_settings=gait_settings if isinstance(gait_settings, dict) else None,
        measurements=measurements,
        gait_events=gait_events,
    )


def _expected_shape(name: str, f: int, p: int) -> tuple[int, ...]:
    return {
        "image_xy": (f, p, NUM_LANDMARKS, 2),
        "z": (f, p, NUM_LANDMARKS),
        "visibility": (f, p, NUM_LANDMARKS),
        "presence": (f, p, NUM_LANDMARKS),
        "world_m": (f, p, NUM_LANDMARKS, 3),
        "time_s": (f,),
        "frame_index": (f,),
        "person_ids": (p,),
        "swapped": (f, p, 2),
    }[name]


def _read_array(zf: zipfile.ZipFile, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Read ``arrays/<name>.npy``, checking its header before reading its data."""
    allowed = (
        _FLOAT_DTYPES
        if name in _FLOAT_ARRAYS
        else (np.dtype("|b1"),)
        if name in OPTIONAL_BOOL_ARRAYS
        else _INT_DTYPES
    )
    limit = int(np.prod(shape)) * 8 + 4096  # data at most 8 bytes/value, plus the header
    info = _member(zf, f"arrays/{name}.npy", limit)
    with zf.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            header = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            header = np.lib.format.read_array_header_2_0(fp)
        else:
            raise InputError(*_DAMAGED)
    got_shape, fortran, dtype = header
    if tuple(got_shape) != shape or dtype not in allowed or fortran:
        raise InputError(*_DAMAGED)
    with zf.open(info) as fp:
        array = np.load(fp, allow_pickle=False)
    if array.shape != shape:
        raise InputError(*_DAMAGED)
    if name in OPTIONAL_BOOL_ARRAYS:
        return np.array(array, dtype=bool)
    return np.asarray(array, dtype=np.float64 if name in _FLOAT_ARRAYS else np.int64)


def kinematics_settings(raw: dict | None):
    """A ``KinematicsSettings`` from a session's saved angle settings.

    Returns ``(settings, exact)``: the saved settings; ``exact=False`` when none
    were saved, or some are not valid (:func:`dashboard.outputs.session_schema.
    clean_angle_settings`: those fall back to their defaults, the rest are kept),
    or this PoseDash no longer knows them (a filter that has since been renamed).
    """
    from dashboard.kinematics.filters import FilterSettings
    from dashboard.kinematics.reps import RepetitionSettings
    from dashboard.kinematics.summary import KinematicsSettings

    if not isinstance(raw, dict):
        return KinematicsSettings(), False
    try:
        kw, problems = schema.clean_angle_settings(raw)
        fields = KinematicsSettings.__dataclass_fields__
        unknown = set()
        for key, cls in (("filter", FilterSettings), ("repetitions", RepetitionSettings)):
            if isinstance(kw.get(key), dict):
                known = cls.__dataclass_fields__
                unknown |= set(kw[key]) - set(known)
                kw[key] = cls(**{k: v for k, v in kw[key].items() if k in known})
        for key in ("spaces", "repetition_angles"):
            if isinstance(kw.get(key), list):
                kw[key] = tuple(kw[key])
        unknown |= set(kw) - set(fields)
        settings = KinematicsSettings(**{k: v for k, v in kw.items() if k in fields})
        return settings, not unknown and not problems
    except (TypeError, ValueError):
        return KinematicsSettings(), False
