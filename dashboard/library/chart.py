"""The progress chart: one metric across a patient's sessions, by date.

Plotly only (bundled with the app; nothing is loaded from the internet).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.library.records import ProgressPoint

#: Below these a value is drawn hollow and called weak in its hover text.
WEAK_CONFIDENCE = 0.5
WEAK_COVERAGE = 0.5


def is_weak(point: ProgressPoint) -> bool:
    """Whether a value rests on poorly visible landmarks or few frames."""
    c, v = point.confidence, point.coverage
    return bool((c is not None and c < WEAK_CONFIDENCE) or (v is not None and v < WEAK_COVERAGE))


def _pct(x: float | None) -> str:
    return "not given" if x is None else f"{100 * x:.0f} %"


def progress_figure(points: Sequence[ProgressPoint], label: str, unit: str) -> go.Figure:
    """A dated trend chart of ``points``, each marker coloured by its confidence.

    Markers are filled where the value is well supported and hollow where it is
    weak (confidence or coverage below 50 %); the hover text of each gives the
    date, value, confidence, coverage, body region and source file.
    """
    dates = [p.date for p in points]
    values = [p.value for p in points]
    conf = np.array([np.nan if p.confidence is None else p.confidence for p in points], float)
    weak = [is_weak(p) for p in points]
    unit_text = "" if unit in ("", "repetitions") else unit
    hover = [
        f"<b>{p.date}</b><br>{p.value:.1f}{unit_text} {'' if unit_text else unit}"
        f"<br>confidence {_pct(p.confidence)}, measured in {_pct(p.coverage)} of frames"
        + ("<br><i>weak value: look twice</i>" if w else "")
        + (f"<br>{p.body_region}" if p.body_region else "")
        + f"<br>{p.source_name}"
        for p, w in zip(points, weak, strict=False)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=values,
            mode="lines+markers",
            name=label,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            line=dict(color="#7f8c8d", width=1.5),
            marker=dict(
                size=12,
                line=dict(width=2, color="#2c3e50"),
                color=[float(c) if np.isfinite(c) else 0.0 for c in conf],
                cmin=0.0,
                cmax=1.0,
                colorscale=[[0.0, "#d62728"], [0.5, "#ffbf00"], [1.0, "#2ca02c"]],
                symbol=["circle-open" if w else "circle" for w in weak],
                colorbar=dict(title="confidence", tickformat=".0%", len=0.8),
            ),
        )
    )
    axis_unit = f" ({unit})" if unit else ""
    fig.update_layout(
        title=dict(text=label),
        margin=dict(l=50, r=20, t=50, b=40),
        height=420,
        xaxis=dict(title="session date", type="date", tickformat="%Y-%m-%d"),
        yaxis=dict(title=f"{label.split(',')[0]}{axis_unit}"),
        showlegend=False,
    )
    if len(points) == 1:
        fig.update_xaxes(tickvals=dates)
    return fig
