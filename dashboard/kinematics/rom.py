"""Range of motion and left/right symmetry of angle series, each with its verdict.

:func:`rom_table` is the one place ranges of motion and symmetry indices are
computed: ``summary.json``, the pages, Compare, the report, ``batch.csv`` and the
patient library's progress values all read its rows. Each row carries the
verdict of :mod:`dashboard.kinematics.validity` (``validity``, ``validity_reasons``,
``bias``); a withheld row has no number (:data:`WITHHELD_FIELDS` are NaN), and
the symmetry index has its own verdict (``symmetry_validity``,
``symmetry_reasons``) and is NaN unless both sides were measured alike
(:func:`dashboard.kinematics.validity.symmetry_verdict`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from dashboard.kinematics.plausibility import implausible
from dashboard.kinematics.symmetry import symmetry_index
from dashboard.kinematics.validity import Verdict, series_verdict, symmetry_verdict

__all__ = [
    "ROM_COLUMNS",
    "WITHHELD_FIELDS",
    "RangeOfMotion",
    "range_of_motion",
    "reasons_text",
    "rom_csv",
    "rom_table",
    "symmetry_index",
    "verdicts_of",
]


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
    "validity",
    "validity_reasons",
    "bias",
    "symmetry_validity",
    "symmetry_reasons",
)
#: The numbers a withheld row does not give (NaN; ``frame_of_*`` are -1).
WITHHELD_FIELDS = (
    "min_deg",
    "max_deg",
    "range_deg",
    "mean_deg",
    "time_of_min_s",
    "time_of_max_s",
    "symmetry_index_pct",
)


def reasons_text(reasons) -> str:
    """A row's reasons (a tuple or list of sentences) as one text cell ('' for none)."""
    if isinstance(reasons, str):
        return reasons
    return "; ".join(str(r) for r in (reasons or ()))


def _flagged_at(aset, index: int, person: int, i: int) -> bool:
    return bool(index >= 0 and aset.foreshortened[index, person, i])


def rom_table(
    angle_sets: Iterable, filtered: bool = True, include_implausible: bool = False
) -> pd.DataFrame:
    """One row per person, angle, side and space of the given AngleSets.

    Values are the filtered ``value_deg`` (or ``raw_deg`` with
    ``filtered=False``). ``foreshortened_fraction`` is the share of valid frames
    flagged as foreshortened or out of plane. ``frame_of_min``/``frame_of_max``
    are source frame indices (-1 when unknown); ``min_flagged``/``max_flagged``
    say whether the frame holding that extreme is flagged. ``n_off_view`` counts
    the frames left out because they were not filmed from the angle's camera
    view (image space; see :attr:`dashboard.kinematics.compute.AngleSet.off_view`):
    a side-view angle in a front-view recording has ``n_valid`` 0 and
    ``n_off_view`` equal to the frames the person was found in.

    Verdict: ``validity`` (``'valid'``, ``'caution'``, ``'withheld'``),
    ``validity_reasons`` (a tuple of sentences) and ``bias`` (the measured error of
    the absolute value, '' when none is known), from
    :func:`dashboard.kinematics.validity.series_verdict` with the person's
    dominant camera view and near side (``AngleSet.views``, ``AngleSet.near_sides``).
    A withheld row's :data:`WITHHELD_FIELDS` are NaN: it gives no number.

    Symmetry: ``symmetry_index_pct`` is
    :func:`dashboard.kinematics.symmetry.symmetry_index` of the left and right
    ranges, repeated on both rows, with its own verdict (``symmetry_validity``,
    ``symmetry_reasons``; '' and () for midline angles). It is NaN unless both
    sides were measured alike (:func:`dashboard.kinematics.validity.symmetry_verdict`:
    never in a side view, nor when either side has fewer valid frames than half
    the frames analysed, nor when either side is withheld).

    Flagged values count: they are measurements with a larger error, not
    undefined ones (a segment between 45 and 60 deg out of the angle's plane;
    beyond 60 deg the angle is already NaN, see
    :data:`dashboard.kinematics.catalogue.MIN_IN_PLANE_FRACTION`). Leaving them out would
    silently cut the extremes of the very movements that take a limb out of
    the picture (the bottom of a squat filmed from the front), so the range
    would look smaller than the movement was; ``foreshortened_fraction``, the two
    ``*_flagged`` columns and a ``caution`` verdict say when to look twice instead.

    Implausible values are different: outside the angle's plausible range
    (:mod:`dashboard.kinematics.plausibility`, e.g. knee hyperextension beyond
    -15 deg) they are errors, not movements. By default they are left out of
    every column here (``include_implausible=False``); ``n_implausible``
    counts them and ``implausible_included`` says whether they were used. So are,
    and so counted, the values not meaningful in the posture
    (``AngleSet.not_meaningful``: the knee FPPA with the knee bent beyond 60 deg).
    """
    rows: list[dict] = []
    for aset in angle_sets:
        arr = aset.value_deg if filtered else aset.raw_deg
        for person in range(arr.shape[1]):
            found = _person_frames(aset, person)
            first = len(rows)
            used = {}
            for i in range(len(aset.defs)):
                row, series = _rom_row(aset, arr, person, i, include_implausible, found)
                rows.append(row)
                used[(aset.defs[i].key, aset.defs[i].side)] = (len(rows) - 1, series)
            _add_symmetry(rows, used, aset.view_of(person), len(aset.time_s), aset.space)
            for row in rows[first:]:
                _withhold(row)
    return pd.DataFrame(rows, columns=list(ROM_COLUMNS))


def _person_frames(aset, person: int) -> int:
    """Frames in which the person was found (any angle has a confidence)."""
    conf = np.asarray(aset.confidence[:, person, :], float)
    return int(np.isfinite(conf).any(axis=-1).sum())


def _rom_row(aset, arr, person: int, i: int, include_implausible: bool, found: int):
    """The :func:`rom_table` row of angle ``i`` of ``person`` in ``arr`` (the set's
    filtered or raw values), its symmetry still to come; and the series used."""
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
    min_flagged = _flagged_at(aset, r.index_of_min, person, i)
    max_flagged = _flagged_at(aset, r.index_of_max, person, i)
    verdict = series_verdict(
        d.key,
        d.side,
        aset.space,
        aset.view_of(person),
        n_valid=r.n_valid,
        n_person_frames=found,
        is_photo=len(aset.time_s) == 1,
        near=aset.near_side_of(person),
        extreme_foreshortened=min_flagged or max_flagged,
        n_implausible=int(bad.sum()) if not include_implausible else 0,
        n_measured=int(np.isfinite(arr[:, person, i]).sum()),
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
        min_flagged=min_flagged,
        max_flagged=max_flagged,
        n_implausible=int(bad.sum()),
        implausible_included=bool(include_implausible),
        validity=verdict.level,
        validity_reasons=verdict.reasons,
        bias=verdict.bias,
        symmetry_validity="",
        symmetry_reasons=(),
    )
    return row, series


def _add_symmetry(rows: list[dict], used: dict, view: str, n_frames: int, space: str) -> None:
    """Symmetry index and its verdict on both rows of every sided angle of one person."""
    for (key, side), (at, series) in used.items():
        if side != "left" or (key, "right") not in used:
            continue
        right_at, right_series = used[(key, "right")]
        left, right = rows[at], rows[right_at]
        verdict = symmetry_verdict(
            Verdict(left["validity"], left["validity_reasons"]),
            Verdict(right["validity"], right["validity_reasons"]),
            view,
            n_left=left["n_valid"],
            n_right=right["n_valid"],
            n_both=int(np.sum(np.isfinite(series) & np.isfinite(right_series))),
            n_frames=n_frames,
            is_photo=n_frames == 1,
            space=space,
        )
        value = (
            float("nan")
            if verdict.withheld
            else symmetry_index(left["range_deg"], right["range_deg"])
        )
        for row in (left, right):
            row.update(
                symmetry_index_pct=value,
                symmetry_validity=verdict.level,
                symmetry_reasons=verdict.reasons,
            )


def _withhold(row: dict) -> None:
    """A withheld row gives no number."""
    if row["validity"] != "withheld":
        return
    for name in WITHHELD_FIELDS:
        row[name] = float("nan")
    row["frame_of_min"] = row["frame_of_max"] = -1
    row["min_flagged"] = row["max_flagged"] = False


def verdicts_of(table: pd.DataFrame, person: int, space: str) -> dict[tuple[str, str], Verdict]:
    """``(angle, side) -> Verdict`` of one person (id) and space of a :func:`rom_table`:
    what the charts and per-frame tables draw each series with."""
    rows = table[(table.person == person) & (table.space == space)]
    return {
        (r.angle, r.side): Verdict(r.validity, tuple(r.validity_reasons), r.bias)
        for r in rows.itertuples()
    }


def rom_csv(table: pd.DataFrame) -> str:
    """A :func:`rom_table` as CSV text (reasons joined into one cell, numbers to 1e-4)."""
    out = table.copy()
    for name in ("validity_reasons", "symmetry_reasons"):
        if name in out:
            out[name] = [reasons_text(r) for r in out[name]]
    return out.to_csv(index=False, float_format="%.4f")
