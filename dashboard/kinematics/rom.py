"""Range of motion and left/right symmetry of angle series."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from dashboard.kinematics.plausibility import implausible

__all__ = ["ROM_COLUMNS", "RangeOfMotion", "range_of_motion", "rom_table", "symmetry_index"]


@dataclass(frozen=True)
class RangeOfMotion:
    """Range of motion of one angle series (NaN fields when no value is valid).

    index_of_min / index_of_max are positions in the series (-1 when unknown);
    on ties the first occurrence is reported.
    """

    min_deg: float
    max_deg: float
    range_deg: float
    mean_deg: float
    time_of_min_s: float
    time_of_max_s: float
    index_of_min: int
    index_of_max: int
    n_valid: int

    def as_dict(self) -> dict:
        return asdict(self)


def range_of_motion(values, time_s) -> RangeOfMotion:
    """Minimum, maximum, range (max - min), mean and when the extremes happened.

    NaN samples are ignored; ``n_valid`` counts the others.
    """
    x = np.asarray(values, float)
    t = np.asarray(time_s, float)
    if x.ndim != 1 or t.shape != x.shape:
        raise ValueError("values and time_s must be 1-D arrays of the same length")
    ok = np.isfinite(x)
    if not ok.any():
        nan = float("nan")
        return RangeOfMotion(nan, nan, nan, nan, nan, nan, -1, -1, 0)
    i_min = int(np.nanargmin(np.where(ok, x, np.nan)))
    i_max = int(np.nanargmax(np.where(ok, x, np.nan)))
    return RangeOfMotion(
        min_deg=float(x[i_min]),
        max_deg=float(x[i_max]),
        range_deg=float(x[i_max] - x[i_min]),
        mean_deg=float(x[ok].mean()),
        time_of_min_s=float(t[i_min]),
        time_of_max_s=float(t[i_max]),
        index_of_min=i_min,
        index_of_max=i_max,
        n_valid=int(ok.sum()),
    )


def symmetry_index(left: float, right: float) -> float:
    """Symmetry index in percent: ``SI = 100 * (L - R) / (0.5 * (L + R))``.

    Applied to ranges of motion (both >= 0). 0 is perfect symmetry; positive
    means the left range is larger, negative the right; the bounds are +-200
    (one side not moving at all). Two zero ranges give 0; a NaN input, or a
    negative mean (not a range), gives NaN.
    """
    left, right = float(left), float(right)
    if not (np.isfinite(left) and np.isfinite(right)):
        return float("nan")
    mean = 0.5 * (left + right)
    if mean == 0:
        return 0.0 if left == right else float("nan")
    if mean < 0:
        return float("nan")
    return 100.0 * (left - right) / mean


ROM_COLUMNS = (
    "person",
    "angle",
    "side",
    "space",
    "label",
    "view",
    "min_deg",
    "max_deg",
    "range_deg",
    "mean_deg",
    "time_of_min_s",
    "time_of_max_s",
    "frame_of_min",
    "frame_of_max",
    "n_valid",
    "n_frames",
    "n_off_view",
    "foreshortened_fraction",
    "symmetry_index_pct",
    "min_flagged",
    "max_flagged",
    "n_implausible",
    "implausible_included",
)


def _flagged_at(aset, index: int, person: int, i: int) -> bool:
    return bool(index >= 0 and aset.foreshortened[index, person, i])


def rom_table(
    angle_sets: Iterable, filtered: bool = True, include_implausible: bool = False
) -> pd.DataFrame:
    """One row per person, angle, side and space of the given AngleSets.

    Values are the filtered ``value_deg`` (or ``raw_deg`` with
    ``filtered=False``). ``symmetry_index_pct`` is :func:`symmetry_index` of the
    left and right ranges, repeated on both rows (NaN for midline angles).
    ``foreshortened_fraction`` is the share of valid frames flagged as
    foreshortened or out of plane. ``frame_of_min``/``frame_of_max`` are source
    frame indices (-1 when unknown); ``min_flagged``/``max_flagged`` say whether
    the frame holding that extreme is flagged. ``n_off_view`` counts the
    frames left out because they were not filmed from the angle's camera view
    (image space; see :attr:`dashboard.kinematics.compute.AngleSet.off_view`): a side-view
    angle in a front-view recording has ``n_valid`` 0 and ``n_off_view`` equal
    to the frames the person was found in.

    Flagged values count: they are measurements with a larger error, not
    undefined ones (a segment between 45 and 60 deg out of the angle's plane;
    beyond 60 deg the angle is already NaN, see
    :data:`dashboard.kinematics.catalogue.MIN_IN_PLANE_FRACTION`). Leaving them out would
    silently cut the extremes of the very movements that take a limb out of
    the picture (the bottom of a squat filmed from the front), so the range
    would look smaller than the movement was; ``foreshortened_fraction`` and
    the two ``*_flagged`` columns say when to look twice instead.

    Implausible values are different: outside the angle's plausible range
    (:mod:`dashboard.kinematics.plausibility`, e.g. knee hyperextension beyond
    -15 deg) they are errors, not movements. By default they are left out of
    every column here (``include_implausible=False``); ``n_implausible``
    counts them and ``implausible_included`` says whether they were used. So are,
    and so counted, the values not meaningful in the posture
    (``AngleSet.not_meaningful``: the knee FPPA with the knee bent beyond 60 deg).
    """
    rows = []
    for aset in angle_sets:
        arr = aset.value_deg if filtered else aset.raw_deg
        ranges = {}
        for person in range(arr.shape[1]):
            for i, d in enumerate(aset.defs):
                row, range_deg = _rom_row(aset, arr, person, i, include_implausible)
                rows.append(row)
                ranges[(person, d.key, d.side)] = (len(rows) - 1, range_deg)
        for (person, key, side), (row, _) in ranges.items():
            if side:
                left = ranges.get((person, key, "left"))
                right = ranges.get((person, key, "right"))
                if left and right:
                    rows[row]["symmetry_index_pct"] = symmetry_index(left[1], right[1])
    return pd.DataFrame(rows, columns=list(ROM_COLUMNS))


def _rom_row(aset, arr, person: int, i: int, include_implausible: bool) -> tuple[dict, float]:
    """The :func:`rom_table` row of angle ``i`` of ``person`` in ``arr`` (the set's
    filtered or raw values), its symmetry index still NaN; and its range."""
    d = aset.defs[i]
    series = arr[:, person, i]
    bad = implausible(series, d.key) | (aset.not_meaningful[:, person, i] & np.isfinite(series))
    if not include_implausible:
        series = np.where(bad, np.nan, series)
    r = range_of_motion(series, aset.time_s)
    raw_ok = np.isfinite(aset.raw_deg[:, person, i])
    flagged = (
        float(aset.foreshortened[:, person, i][raw_ok].mean()) if raw_ok.any() else float("nan")
    )
    row = dict(
        person=int(aset.person_ids[person]),
        angle=d.key,
        side=d.side,
        space=aset.space,
        label=d.label,
        view=d.view,
        min_deg=r.min_deg,
        max_deg=r.max_deg,
        range_deg=r.range_deg,
        mean_deg=r.mean_deg,
        time_of_min_s=r.time_of_min_s,
        time_of_max_s=r.time_of_max_s,
        frame_of_min=int(aset.frame_index[r.index_of_min]) if r.n_valid else -1,
        frame_of_max=int(aset.frame_index[r.index_of_max]) if r.n_valid else -1,
        n_valid=r.n_valid,
        n_frames=int(arr.shape[0]),
        n_off_view=int(np.count_nonzero(aset.off_view[:, person, i])),
        foreshortened_fraction=flagged,
        symmetry_index_pct=float("nan"),
        min_flagged=_flagged_at(aset, r.index_of_min, person, i),
        max_flagged=_flagged_at(aset, r.index_of_max, person, i),
        n_implausible=int(bad.sum()),
        implausible_included=bool(include_implausible),
    )
    return row, r.range_deg
