"""Files for OpenSim, Pose2Sim and Sports2D: markers as ``.trc``, angles as ``.mot``.

Both are plain tab-separated text in the layouts OpenSim reads
(``TRCFileAdapter`` and the ``Storage`` / ``STOFileAdapter`` format), and that
Pose2Sim and Sports2D write.

Coordinates in the .trc
-----------------------
MediaPipe's world landmarks are metres with the origin between the hips,
x towards the camera's right, **y down** and z away from the camera. OpenSim
is **Y up**. :func:`to_trc` writes

    X = x (camera's right),  Y = -y (up),  Z = -z (towards the camera)

which is a proper rotation (180 deg about x: no mirror image, still
right-handed). This is a lab frame fixed to the camera, as in Pose2Sim and
Sports2D output; OpenSim's inverse kinematics finds the body's orientation in
it. Because MediaPipe re-centres every frame on the hips, the pelvis does not
travel: a walk is seen on a treadmill.

Frame rate
----------
A .trc file assumes one constant rate. :func:`to_trc` derives ``DataRate``
from the real frame times (the median interval) and writes the real time of
every frame in the ``Time`` column, which is what OpenSim uses. For a clip
with a variable frame rate, ``DataRate`` is then only nominal:
:func:`frame_rate` reports how far the intervals depart from it.

Missing values
--------------
A landmark of a frame where the person was not found is an empty field in the
.trc (OpenSim reads it as a missing marker) and ``NaN`` in the .mot (which
OpenSim's number parser reads as not-a-number).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

import numpy as np
import pandas as pd

from dashboard.analysis import Analysis
from dashboard.kinematics.filters import frame_interval_s
from dashboard.poses import PoseSequence
from dashboard.skeleton import LANDMARK_NAMES
from dashboard.text.textsafe import one_line, spreadsheet_cell

__all__ = [
    "MARKER_NAMINGS",
    "OPENSIM_FROM_MEDIAPIPE",
    "POSE2SIM_NAMES",
    "angles_wide",
    "frame_rate",
    "to_mot",
    "to_opensim",
    "to_trc",
]

#: Marker names of Pose2Sim and Sports2D's BLAZEPOSE skeleton, in MediaPipe order.
POSE2SIM_NAMES: tuple[str, ...] = (
    "Nose",
    "LEyeInner",
    "LEye",
    "LEyeOuter",
    "REyeInner",
    "REye",
    "REyeOuter",
    "LEar",
    "REar",
    "LMouth",
    "RMouth",
    "LShoulder",
    "RShoulder",
    "LElbow",
    "RElbow",
    "LWrist",
    "RWrist",
    "LPinky",
    "RPinky",
    "LIndex",
    "RIndex",
    "LThumb",
    "RThumb",
    "LHip",
    "RHip",
    "LKnee",
    "RKnee",
    "LAnkle",
    "RAnkle",
    "LHeel",
    "RHeel",
    "LBigToe",
    "RBigToe",
)
MARKER_NAMINGS = {"pose2sim": POSE2SIM_NAMES, "mediapipe": LANDMARK_NAMES}

#: Rotation taking MediaPipe world coordinates (y down) to OpenSim's (Y up).
OPENSIM_FROM_MEDIAPIPE = np.diag([1.0, -1.0, -1.0])


def to_opensim(world_m: np.ndarray) -> np.ndarray:
    """MediaPipe world coordinates (..., 3) as OpenSim lab coordinates (Y up)."""
    return np.asarray(world_m, float) @ OPENSIM_FROM_MEDIAPIPE.T


def frame_rate(time_s: np.ndarray, default: float = 30.0) -> tuple[float, float]:
    """(rate in Hz, largest relative departure of an interval from 1/rate).

    The rate is 1 / median interval between frames
    (:func:`dashboard.kinematics.filters.frame_interval_s`); ``default`` when
    there are fewer than two frames or the times do not increase.
    """
    step = frame_interval_s(time_s)
    if step is None:
        return float(default), 0.0
    dt = np.diff(np.asarray(time_s, float))
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return 1.0 / step, float(np.max(np.abs(dt - step)) / step)


def _num(value: float) -> str:
    """A rate or time as short, exact-enough text: 29.97, 30, 0.033367."""
    return f"{value:.6f}".rstrip("0").rstrip(".") if np.isfinite(value) else "NaN"


def to_trc(source, person: int = 0, naming: str = "pose2sim", file_name: str | None = None) -> str:
    """The world landmarks of one person as an OpenSim marker file (.trc text).

    Parameters
    ----------
    source
        An :class:`~dashboard.analysis.Analysis` or a
        :class:`~dashboard.poses.PoseSequence`.
    person
        Person slot (index along the sequence's person axis).
    naming
        ``'pose2sim'`` (``LShoulder``, ``RKnee``..., as Pose2Sim and Sports2D
        name BlazePose markers) or ``'mediapipe'`` (``left_shoulder``...).
    file_name
        Name written on the first header line (default: from the source).

    Layout: ``PathFileType 4 (X/Y/Z) <name>``; the header names and values
    ``DataRate CameraRate NumFrames NumMarkers Units OrigDataRate
    OrigDataStartFrame OrigNumFrames``; the marker names (each over its three
    columns) after ``Frame#`` and ``Time``; ``X1 Y1 Z1 X2 ...``; then one row
    per analysed frame. Units are metres. ``Frame#`` counts the rows from 1;
    ``OrigDataRate``, ``OrigDataStartFrame`` and ``OrigNumFrames`` describe the
    source video (its frame rate, first analysed frame counted from 1, and the
    number of source frames spanned), so a strided analysis stays traceable.
    """
    if isinstance(source, Analysis):
        seq, fps = source.poses, source.fps
        name = file_name or (PurePath(source.source_name).stem or "posedash") + ".trc"
    elif isinstance(source, PoseSequence):
        seq, fps, name = source, None, file_name or "posedash.trc"
    else:
        raise TypeError("source must be an Analysis or a PoseSequence")
    if naming not in MARKER_NAMINGS:
        raise ValueError(f"naming must be one of {sorted(MARKER_NAMINGS)}, got {naming!r}")
    if not 0 <= person < seq.num_people:
        raise ValueError(f"person must be between 0 and {seq.num_people - 1}, got {person}")
    markers = MARKER_NAMINGS[naming]
    n_frames, n_markers = seq.num_frames, len(markers)
    rate, _ = frame_rate(seq.time_s, default=fps or 30.0)
    orig_rate = float(fps) if fps else rate
    first = int(seq.frame_index[0]) if n_frames else 0
    span = int(seq.frame_index[-1]) - first + 1 if n_frames else 0
    xyz = to_opensim(seq.world_m[:, person])  # (F, 33, 3)

    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{spreadsheet_cell(one_line(name))}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\t"
        "OrigDataStartFrame\tOrigNumFrames",
        "\t".join(
            [
                _num(rate),
                _num(rate),
                str(n_frames),
                str(n_markers),
                "m",
                _num(orig_rate),
                str(first + 1),
                str(span),
            ]
        ),
        "\t".join(["Frame#", "Time"] + [f"{m}\t\t" for m in markers]).rstrip("\t"),
        "\t".join(["", ""] + [f"X{i}\tY{i}\tZ{i}" for i in range(1, n_markers + 1)]),
    ]
    values = np.char.mod("%.6f", np.nan_to_num(xyz.reshape(n_frames, -1), nan=0.0))
    values[np.isnan(xyz.reshape(n_frames, -1))] = ""
    for f in range(n_frames):
        lines.append("\t".join([str(f + 1), f"{seq.time_s[f]:.6f}", *values[f].tolist()]))
    return "\n".join(lines) + "\n"


def angles_wide(
    table: pd.DataFrame,
    person: int | None = None,
    space: str | None = None,
    column: str = "value_deg",
) -> pd.DataFrame:
    """One row per frame, ``time`` then one column per angle (``knee_flexion_left``...).

    ``table`` is the long angle table (columns frame, time_s, person, angle,
    side, space, raw_deg, value_deg, confidence). ``person`` (a person id) and
    ``space`` may be left out only when the table holds a single one.
    """
    needed = {"frame", "time_s", "person", "angle", "side", "space", column}
    missing = needed - set(table.columns)
    if missing:
        raise ValueError(f"the angle table lacks the column(s) {sorted(missing)}")
    df = table
    for key, value in (("person", person), ("space", space)):
        present = pd.unique(df[key])
        if value is None:
            if len(present) > 1:
                raise ValueError(
                    f"the table holds several {key} values {list(present)}: choose one"
                )
        else:
            df = df[df[key] == value]
    if df.empty:
        raise ValueError("no angle values for this person and space")
    side = df["side"].fillna("").astype(str)
    names = df["angle"].astype(str).where(side == "", df["angle"].astype(str) + "_" + side)
    order = list(dict.fromkeys(names))
    keyed = df.assign(_name=names.to_numpy()).set_index(["frame", "time_s", "_name"])[column]
    if keyed.index.has_duplicates:
        raise ValueError("the angle table has several values for one frame and angle")
    wide = (
        keyed.unstack("_name")
        .reindex(columns=order)
        .reset_index()
        .sort_values("time_s", kind="stable")
    )
    wide = wide.drop(columns="frame").rename(columns={"time_s": "time"})
    wide.columns.name = None
    return wide.reset_index(drop=True)


def to_mot(
    table: pd.DataFrame,
    person: int | None = None,
    space: str | None = None,
    column: str = "value_deg",
    name: str = "PoseDash joint angles",
) -> str:
    """Joint angles as an OpenSim motion file (.mot text), in degrees.

    Header: the name, ``version=1``, ``nRows``, ``nColumns`` (time included),
    ``inDegrees=yes``, ``endheader``; then a tab-separated line ``time`` plus
    one column per angle and side, and one row per frame. Times are the real
    frame times in seconds. See :func:`angles_wide` for ``person``, ``space``
    and ``column`` (``'value_deg'`` filtered, ``'raw_deg'`` as measured).
    """
    wide = angles_wide(table, person, space, column)
    n_rows, n_cols = wide.shape
    header = [
        spreadsheet_cell(one_line(name)),
        "version=1",
        f"nRows={n_rows}",
        f"nColumns={n_cols}",
        "inDegrees=yes",
        "",
        "Units are S.I. units (second, meters, Newtons, ...)",
        "Angles are in degrees. Angle names are PoseDash's; they are not OpenSim model "
        "coordinates.",
        "",
        "endheader",
        "\t".join(str(c) for c in wide.columns),
    ]
    body = wide.to_csv(
        sep="\t", header=False, index=False, na_rep="NaN", float_format="%.6f", lineterminator="\n"
    )
    return "\n".join(header) + "\n" + body


def marker_names(naming: str = "pose2sim") -> Sequence[str]:
    return MARKER_NAMINGS[naming]
