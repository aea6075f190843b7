"""Repetitions on a joint-angle chart: a shaded span from start to end, a numbered
marker at each peak, and the hysteresis thresholds as dashed lines (see
:func:`dashboard.figures.charts.angle_time_figure`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go


@dataclass(frozen=True)
class RepetitionMarks:
    """Repetitions to draw on the row of angle ``key`` (side ``side``).

    reps
        :class:`dashboard.kinematics.reps.Repetition` objects, as detected on that series.
    polarity
        'max' (peaks upwards) or 'min' (peaks downwards): the peak marker
        points at the peak.
    thresholds
        Hysteresis levels in degrees to draw as dashed lines:
        ``((value, label), ...)``.
    """

    key: str
    side: str
    reps: tuple
    polarity: str = "max"
    thresholds: tuple[tuple[float, str], ...] = ()


def mark_repetitions(
    fig: go.Figure, angle_set, marks: RepetitionMarks, row: int, colour: str
) -> None:
    """Draw ``marks`` on ``row`` of ``fig`` in the series' ``colour``."""
    t = np.asarray(angle_set.time_s, float)
    first = t[0] if len(t) else 0.0
    last = t[-1] if len(t) else 0.0
    for rep in marks.reps:
        start = rep.start_time_s if np.isfinite(rep.start_time_s) else first
        end = rep.end_time_s if np.isfinite(rep.end_time_s) else last
        _shade(fig, start, end, row, colour if rep.complete else None)
    for level, label in marks.thresholds:
        if np.isfinite(level):
            fig.add_hline(
                y=level,
                row=row,
                col=1,
                line=dict(color=colour, width=1, dash="dash"),
                annotation_text=label,
                annotation_position="top left",
                annotation_font=dict(size=11, color="#555555"),
            )
    if marks.reps:
        fig.add_trace(_peaks(angle_set, marks, colour), row=row, col=1)


def _shade(fig: go.Figure, start: float, end: float, row: int, colour: str | None) -> None:
    """A counted repetition's span in ``colour``; a cut one (``colour`` None) grey, dotted."""
    if colour is not None:
        fig.add_vrect(
            x0=start,
            x1=end,
            row=row,
            col=1,
            fillcolor=colour,
            opacity=0.16,
            line_width=0,
            layer="below",
        )
    else:
        fig.add_vrect(
            x0=start,
            x1=end,
            row=row,
            col=1,
            fillcolor="#999999",
            opacity=0.1,
            line=dict(color="#999999", width=1, dash="dot"),
            layer="below",
        )


def _peaks(angle_set, marks: RepetitionMarks, colour: str) -> go.Scatter:
    """One numbered marker per repetition at its peak ('?' after a cut one's number)."""
    reps = marks.reps
    custom = [
        [
            int(rep.peak_index),
            int(angle_set.frame_index[rep.peak_index]),
            f"{rep.rom_deg:.1f}",
            f"{rep.duration_s:.2f} s ({rep.to_peak_s:.2f} s to the peak, "
            f"{rep.from_peak_s:.2f} s back)"
            if rep.complete
            else "cut by the start or end of the recording: not counted",
        ]
        for rep in reps
    ]
    up = marks.polarity != "min"
    return go.Scatter(
        x=[rep.peak_time_s for rep in reps],
        y=[rep.peak_deg for rep in reps],
        mode="markers+text",
        text=[str(rep.number) if rep.complete else f"{rep.number}?" for rep in reps],
        textposition="top center" if up else "bottom center",
        name="repetition peak",
        legendgroup="reps",
        showlegend=True,
        marker=dict(
            symbol="triangle-down" if up else "triangle-up",
            size=12,
            color=colour,
            line=dict(width=1, color="#333333"),
        ),
        textfont=dict(size=12, color="#333333"),
        customdata=custom,
        hovertemplate=(
            "<b>Repetition %{text}</b><br>peak %{y:.1f}° at %{x:.2f} s "
            "(frame %{customdata[1]})<br>range of motion %{customdata[2]}°"
            "<br>%{customdata[3]}<extra></extra>"
        ),
        meta=dict(angle=marks.key, side=marks.side, kind="rep_peak"),
    )
