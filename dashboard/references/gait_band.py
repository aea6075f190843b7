"""Normal gait-cycle curves (hip, knee and ankle, sagittal) and how a patient's
curves compare with them.

The band is the file ``data/gait_cycle_fukuchi2018.json``: per walking speed and
angle, the mean and SD over 0, 1, ..., 100 % of the gait cycle of healthy adults
walking overground (Fukuchi, Fukuchi and Duarte 2018, CC BY 4.0), built by
:mod:`dashboard.references.build_gait_band` from the per-subject curves of the
public data set.

Sign conventions (checked on the data; see the file's ``conventions``): flexion
positive at hip and knee, dorsiflexion positive at the ankle, 0 % and 100 % at
initial contact of the same foot: PoseDash's own conventions
(:mod:`dashboard.kinematics.catalogue`). One difference remains and is printed
wherever the band is shown: the band's hip angle is the thigh relative to the
*pelvis* (tilted forwards by about 5-25 deg in walking), PoseDash's the thigh
relative to the *trunk line* (shoulder to hip), so a normal PoseDash hip curve
runs below the band by about the pelvic tilt with the same shape: for the hip,
read the correlation rather than the share outside +- 2 SD.

Pure: numpy and pandas, no UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dashboard.references import ReferenceError, load

__all__ = [
    "BAND_ID",
    "CURVE_ANGLES",
    "DEFAULT_SPEED",
    "Band",
    "band",
    "compare",
    "normal_band",
    "short_source",
    "source",
    "speeds",
]

BAND_ID = "gait_cycle_fukuchi2018"
CURVE_ANGLES = ("hip_flexion", "knee_flexion", "ankle_dorsiflexion")
DEFAULT_SPEED = "comfortable"
#: Fewest points a curve needs (of 101) for a correlation with the band.
MIN_POINTS = 51
#: Why the hip is read differently (printed with the hip's comparison).
HIP_NOTE = (
    "The band's hip angle is measured against the pelvis, PoseDash's against the trunk "
    "line: a normal PoseDash hip curve runs about 5-10° below the band with the same "
    "shape, so for the hip read the correlation rather than the share outside ±2 SD."
)


@dataclass(frozen=True)
class Band:
    """One angle's normal curve at one walking speed."""

    angle: str
    speed: str
    cycle_pct: np.ndarray
    mean_deg: np.ndarray
    sd_deg: np.ndarray
    n_subjects: int
    n_curves: int

    def lower(self, k: float = 1.0) -> np.ndarray:
        return self.mean_deg - k * self.sd_deg

    def upper(self, k: float = 1.0) -> np.ndarray:
        return self.mean_deg + k * self.sd_deg


def _ref() -> dict | None:
    try:
        return load(BAND_ID)
    except ReferenceError:
        return None


def source() -> dict:
    """The band's source (citation, doi, url, licence, checked), {} when not shipped."""
    ref = _ref()
    return dict(ref["source"]) if ref else {}


def short_source() -> str:
    """How a chart or table names the band's source in a few words."""
    ref = _ref()
    return str(ref.get("short_source") or ref["source"]["citation"]) if ref else ""


def speeds() -> tuple[str, ...]:
    """Walking speeds the shipped band covers (``comfortable`` first)."""
    ref = _ref()
    found = dict.fromkeys(r["speed"] for r in (ref["rows"] if ref else ()))
    return tuple(sorted(found, key=lambda s: (s != DEFAULT_SPEED, s)))


def band(angle: str, speed: str = DEFAULT_SPEED) -> Band | None:
    """The normal curve of ``angle`` (one of :data:`CURVE_ANGLES`) at ``speed``;
    None when the band is not shipped or does not cover it."""
    ref = _ref()
    for r in ref["rows"] if ref else ():
        if r["angle"] == angle and r["speed"] == speed:
            return Band(
                angle,
                speed,
                np.asarray(r["cycle_pct"], float),
                np.asarray(r["mean_deg"], float),
                np.asarray(r["sd_deg"], float),
                int(r["n_subjects"]),
                int(r["n_curves"]),
            )
    return None


def _finite(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def compare(cycle_pct, curve_deg, b: Band) -> dict:
    """How a patient's mean curve compares with the band ``b``.

    Returns ``r`` (Pearson correlation with the band's mean: the shape, 1 is the
    same shape whatever the offset), ``outside_2sd_pct`` (share of the cycle, in
    %, where the curve lies more than 2 SD from the band's mean),
    ``mean_offset_deg`` (curve minus band mean, on average) and ``n_points``
    (points of the band's 0-100 % grid where the curve has a value). Values are
    None when fewer than :data:`MIN_POINTS` points have a value.
    """
    pct = np.asarray(cycle_pct, float)
    deg = np.asarray(curve_deg, float)
    ok = np.isfinite(pct) & np.isfinite(deg)
    empty = dict(r=None, outside_2sd_pct=None, mean_offset_deg=None, n_points=0)
    if ok.sum() < 2:
        return empty
    order = np.argsort(pct[ok])
    xp, fp = pct[ok][order], deg[ok][order]
    on_band = (b.cycle_pct >= xp[0]) & (b.cycle_pct <= xp[-1])
    curve = np.where(on_band, np.interp(b.cycle_pct, xp, fp), np.nan)
    use = np.isfinite(curve) & np.isfinite(b.mean_deg) & np.isfinite(b.sd_deg)
    n = int(use.sum())
    if n < MIN_POINTS:
        return dict(empty, n_points=n)
    c, m, s = curve[use], b.mean_deg[use], b.sd_deg[use]
    r = float(np.corrcoef(c, m)[0, 1]) if np.std(c) > 0 and np.std(m) > 0 else float("nan")
    return dict(
        r=_finite(round(r, 3)),
        outside_2sd_pct=round(float(np.mean(np.abs(c - m) > 2 * s)) * 100, 1),
        mean_offset_deg=round(float(np.mean(c - m)), 1),
        n_points=n,
    )


def normal_band(cycles, speed: str = DEFAULT_SPEED) -> dict | None:
    """The ``normal_band`` entry of ``gait.json``: the band's source, its curves,
    and per patient curve (side and angle of ``cycles``, a
    :meth:`~dashboard.kinematics.gait.GaitResult.cycles_table`) the comparison of
    :func:`compare` with its ``n_cycles``. None when the band is not shipped."""
    bands = {a: band(a, speed) for a in CURVE_ANGLES}
    ref = _ref()
    if ref is None or not any(bands.values()):
        return None
    comparison = []
    if cycles is not None and len(cycles):
        for (side, angle), part in cycles.groupby(["side", "angle"], sort=False):
            b = bands.get(angle)
            if b is None:
                continue
            part = part.sort_values("cycle_pct")
            row = compare(part["cycle_pct"], part["mean_deg"], b)
            comparison.append(
                dict(side=side, angle=angle, n_cycles=int(part["n_cycles"].max()), **row)
            )
    src = ref["source"]
    return {
        "source": {k: src.get(k) for k in ("citation", "doi", "url", "licence")},
        "short_source": short_source(),
        "speed": speed,
        "conventions": ref.get("conventions", ""),
        "hip_note": HIP_NOTE,
        "curves": {
            a: dict(
                cycle_pct=b.cycle_pct.tolist(),
                mean_deg=b.mean_deg.tolist(),
                sd_deg=b.sd_deg.tolist(),
                n_subjects=b.n_subjects,
                n_curves=b.n_curves,
            )
            for a, b in bands.items()
            if b is not None
        },
        "comparison": comparison,
    }
