"""Before/after comparison of two sessions: pure functions, data in, data out.

A physiotherapist compares a patient's session with a later one: the same
angle's curves overlaid, and the range-of-motion tables side by side with
their differences (after minus before).

Curves are normalised to 0-100 % of each repetition when both sessions have
complete repetitions of that angle (so a slower or faster repetition lines up
with the other), else shown against time from the start of each recording.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "AFTER_COLOUR",
    "AFTER_DASH",
    "BEFORE_COLOUR",
    "BEFORE_DASH",
    "COMPARE_COLUMNS",
    "Curves",
    "angle_curves",
    "compare_rom",
    "comparison_figure",
    "repetition_curves",
]

# Neutral, not a side: everywhere else in PoseDash blue is the patient's right
# and orange the left (dashboard.skeleton). The earlier session is mid grey and
# dashed, the later near black and solid: told apart in grey-scale print too.
BEFORE_COLOUR = "#8C8C8C"
AFTER_COLOUR = "#1A1A1A"
BEFORE_DASH, AFTER_DASH = "dash", "solid"
N_POINTS = 101  # 0, 1, ..., 100 %


@dataclass(frozen=True)
class Curves:
    """One session's curves of one angle, ready to plot.

    x
        (N,) percent of the repetition (0..100) when ``normalised``, else seconds
        from the first frame.
    curves
        (R, N) one row per complete repetition (normalised), or one row: the
        whole recording.
    normalised
        True when ``x`` is percent of repetition.
    """

    x: np.ndarray
    curves: np.ndarray
    normalised: bool

    @property
    def mean(self) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
            return np.nanmean(self.curves, axis=0)

    @property
    def sd(self) -> np.ndarray:
        if len(self.curves) < 2:
            return np.full(self.curves.shape[1], np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanstd(self.curves, axis=0, ddof=1)

    @property
    def count(self) -> int:
        """Number of repetitions (0 when not normalised)."""
        return len(self.curves) if self.normalised else 0


def _field(rep, key: str) -> Any:
    """``key`` of a repetition given as a dict (None when missing) or an object."""
    return rep.get(key) if isinstance(rep, dict) else getattr(rep, key)


def repetition_curves(
    values, time_s, repetitions: Sequence, n_points: int = N_POINTS
) -> np.ndarray:
    """(R, n_points) the angle over each complete repetition, resampled on 0-100 %.

    ``repetitions`` are :class:`dashboard.kinematics.reps.Repetition` (or dicts with
    ``complete``, ``start_time_s``, ``end_time_s``). Each repetition runs from
    its start time (0 %) to its end time (100 %); values are interpolated
    linearly in time between frames; a point with no valid frame on both
    sides is NaN.
    """
    x = np.asarray(values, float)
    t = np.asarray(time_s, float)
    ok = np.isfinite(x)
    if ok.sum() < 2:
        return np.zeros((0, n_points))
    tv, xv = t[ok], x[ok]
    step = float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    out = []
    for r in repetitions:
        if not _field(r, "complete"):
            continue
        t0, t1 = float(_field(r, "start_time_s")), float(_field(r, "end_time_s"))
        if not (np.isfinite(t0) and np.isfinite(t1) and t1 > t0):
            continue
        grid = np.linspace(t0, t1, n_points)
        y = np.interp(grid, tv, xv, left=np.nan, right=np.nan)
        # no invention across gaps: NaN where the valid frames around a point are far apart
        idx = np.searchsorted(tv, grid)
        span = tv[np.clip(idx, 0, len(tv) - 1)] - tv[np.clip(idx - 1, 0, len(tv) - 1)]
        y[span > 3.5 * step] = np.nan
        out.append(y)
    return np.array(out).reshape(-1, n_points)


def angle_curves(
    values, time_s, repetitions: Sequence | None = None, normalise: bool = True
) -> Curves:
    """Curves of one angle series: per repetition when possible, else over time."""
    values = np.asarray(values, float)
    time_s = np.asarray(time_s, float)
    if normalise and repetitions:
        reps = repetition_curves(values, time_s, repetitions)
        if len(reps):
            return Curves(np.linspace(0, 100, N_POINTS), reps, True)
    start = time_s[0] if len(time_s) else 0.0
    return Curves(time_s - start, values[None, :], False)


COMPARE_COLUMNS = (
    "person",
    "angle",
    "side",
    "space",
    "label",
    "before_min_deg",
    "after_min_deg",
    "before_max_deg",
    "after_max_deg",
    "before_range_deg",
    "after_range_deg",
    "range_change_deg",
    "max_change_deg",
    "before_n_valid",
    "after_n_valid",
    "before_validity",
    "after_validity",
)


def compare_rom(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Range-of-motion tables of two sessions side by side, with differences.

    ``before`` and ``after`` are ``dashboard.kinematics.rom.rom_table`` outputs. Rows are
    matched on person, angle, side and space; differences are after minus
    before (positive: more range, or a larger maximum, after). An angle present
    in only one session keeps NaN for the other. ``before_validity`` and
    ``after_validity`` carry each session's verdict of the row (``valid``,
    ``caution``, ``withheld``; '' when unknown): a withheld range is NaN, so its
    change is NaN too.
    """
    keys = ["person", "angle", "side", "space"]
    cols = ["min_deg", "max_deg", "range_deg", "n_valid", "validity"]
    before, after = (t if "validity" in t else t.assign(validity="") for t in (before, after))
    b = before[[*keys, "label", *cols]].rename(columns={c: f"before_{c}" for c in cols})
    a = after[[*keys, "label", *cols]].rename(columns={c: f"after_{c}" for c in cols})
    merged = b.merge(a, on=keys, how="outer", suffixes=("", "_after"), sort=False)
    merged["label"] = merged["label"].fillna(merged.pop("label_after"))
    merged["range_change_deg"] = merged["after_range_deg"] - merged["before_range_deg"]
    merged["max_change_deg"] = merged["after_max_deg"] - merged["before_max_deg"]
    for c in ("before_n_valid", "after_n_valid"):
        merged[c] = merged[c].fillna(0).astype(int)
    for c in ("before_validity", "after_validity"):
        merged[c] = merged[c].fillna("")
    return merged[list(COMPARE_COLUMNS)].reset_index(drop=True)


def comparison_figure(
    before: Curves, after: Curves, title: str, labels=("earlier", "later"), height: int = 420
) -> go.Figure:
    """Both sessions' curves overlaid: thin lines per repetition, a thick mean and
    a ±1 SD band when normalised to repetitions; one line each otherwise. The
    earlier session grey and dashed, the later near black and solid (never the
    side colours); ``labels`` name them in the legend, e.g. ``'earlier (2026-03-14)'``."""
    fig = go.Figure()
    normalised = before.normalised and after.normalised
    for curves, label, colour, dash in (
        (before, labels[0], BEFORE_COLOUR, BEFORE_DASH),
        (after, labels[1], AFTER_COLOUR, AFTER_DASH),
    ):
        if normalised:
            _normalised_traces(fig, curves, label, colour, dash)
        else:
            fig.add_trace(
                go.Scatter(
                    x=curves.x,
                    y=curves.curves.reshape(-1, len(curves.x))[0] if len(curves.x) else [],
                    mode="lines",
                    line=dict(color=colour, width=2, dash=dash),
                    name=label,
                    hovertemplate=f"{label}<br>%{{x:.2f}} s: %{{y:.1f}}°<extra></extra>",
                )
            )
    fig.update_layout(
        title=title,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        xaxis_title="% of repetition" if normalised else "time from start (s)",
        yaxis_title="angle (°)",
        legend=dict(orientation="h", y=-0.2),
        hovermode="closest",
    )
    if normalised:
        fig.update_xaxes(range=[0, 100])
    return fig


def _normalised_traces(fig: go.Figure, curves: Curves, label: str, colour: str, dash: str) -> None:
    """One session's repetitions: a thin line each, the ±1 SD band and the thick mean."""
    for i, row in enumerate(curves.curves):
        fig.add_trace(
            go.Scatter(
                x=curves.x,
                y=row,
                mode="lines",
                line=dict(color=colour, width=1, dash=dash),
                opacity=0.35,
                legendgroup=label,
                showlegend=False,
                name=f"{label}, repetition {i + 1}",
                hovertemplate=f"{label}, repetition {i + 1}<br>%{{x:.0f}} %: "
                "%{y:.1f}°<extra></extra>",
            )
        )
    mean, sd = curves.mean, curves.sd
    if np.isfinite(sd).any():
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([curves.x, curves.x[::-1]]),
                y=np.concatenate([mean + sd, (mean - sd)[::-1]]),
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                line=dict(width=0),
                legendgroup=label,
                showlegend=False,
                hoverinfo="skip",
                name=f"{label} ±1 SD",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=curves.x,
            y=mean,
            mode="lines",
            line=dict(color=colour, width=3, dash=dash),
            legendgroup=label,
            name=f"{label}: mean of {curves.count} repetition{'s' if curves.count != 1 else ''}",
            hovertemplate=f"{label} mean<br>%{{x:.0f}} %: %{{y:.1f}}°<extra></extra>",
        )
    )
