"""The timeline of a functional test: the signal its events were read from, with each
event as a clickable marker (``customdata[0]`` is the event's row in the sequence)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

__all__ = ["EVENT_COLOURS", "test_timeline_figure"]

#: Marker colour by the event's kind (the name before its number).
EVENT_COLOURS = {
    "start": "#2f855a",
    "seat_off": "#dd6b20",
    "full_stand": "#2b6cb0",
    "standing": "#2b6cb0",
    "seat_on": "#805ad5",
    "seated": "#805ad5",
    "turn_start": "#c53030",
    "turn_end": "#c53030",
    "sit_turn_start": "#d69e2e",
    "zone_entry": "#2f855a",
    "zone_exit": "#c53030",
    "lift_off": "#dd6b20",
    "touch_down": "#805ad5",
    "end": "#c53030",
    "end_30s": "#c53030",
    "contact": "#718096",
}


def _kind(name: str) -> str:
    head, _, tail = name.rpartition("_")
    return head if tail.isdigit() and head else name


def _y_at(t: np.ndarray, y: np.ndarray, time_s: float) -> float:
    if not t.size:
        return 0.0
    v = y[int(np.argmin(np.abs(t - time_s)))]
    return float(v) if np.isfinite(v) else 0.0


def _mark_corrections(fig: go.Figure, result, t: np.ndarray, y: np.ndarray) -> None:
    """Events placed by hand ringed in black; automatic events replaced as grey crosses."""
    edits = getattr(result, "edits", None) or {}
    if not edits:
        return
    now = {(_kind(e.event), e.frame) for e in result.events}
    gone = [
        e for e in edits.get("automatic_events", []) if (_kind(e["event"]), e["frame"]) not in now
    ]
    placed = [e for e in result.events if e.by_hand]
    for name, evs, symbol, color, size in (
        ("automatic (replaced)", gone, "x-thin", "#888", 11),
        (
            "placed by hand",
            [e.as_dict() | {"index": e.index} for e in placed],
            "circle-open",
            "#111",
            22,
        ),
    ):
        if not evs:
            continue
        fig.add_trace(
            go.Scatter(
                x=[e["time_s"] for e in evs],
                y=[_y_at(t, y, e["time_s"]) for e in evs],
                mode="markers",
                name=name,
                marker=dict(symbol=symbol, size=size, color=color, line=dict(width=2, color=color)),
                customdata=[
                    [
                        e.get("index", int(np.argmin(np.abs(t - e["time_s"]))) if t.size else 0),
                        e["frame"],
                        f"{name}: {e['label']}",
                        1.0,
                    ]
                    for e in evs
                ],
                hovertemplate="%{customdata[2]}<br>%{x:.2f} s (video frame %{customdata[1]})"
                "<extra></extra>",
            )
        )


def test_timeline_figure(result, current_time_s: float | None = None, height: int = 260):
    """The trace of :class:`~dashboard.functional.TestResult` ``result`` over time and
    its events (fainter markers: less confident)."""
    trace = result.trace or {}
    t = np.asarray(trace.get("time_s", []), float)
    y = np.asarray(trace.get("value", []), float)
    fig = go.Figure()
    if t.size:
        fig.add_trace(
            go.Scatter(
                x=t,
                y=y,
                mode="lines",
                name=trace.get("label", "signal"),
                showlegend=False,  # the y axis says what it is
                line=dict(color="#4a5568", width=2),
                connectgaps=False,
                hoverinfo="skip",
            )
        )
    kinds: dict[str, list] = {}
    for e in result.events:
        kinds.setdefault(_kind(e.event), []).append(e)
    for kind, events in kinds.items():
        ys = [float(y[e.index]) if t.size and np.isfinite(y[e.index]) else 0.0 for e in events]
        fig.add_trace(
            go.Scatter(
                x=[e.time_s for e in events],
                y=ys,
                mode="markers",
                name=kind.replace("_", " "),
                marker=dict(
                    color=EVENT_COLOURS.get(kind, "#718096"),
                    size=13,
                    symbol="diamond",
                    opacity=[0.35 + 0.65 * float(e.confidence) for e in events],
                    line=dict(color="white", width=1),
                ),
                customdata=[[e.index, e.frame, e.label, e.confidence] for e in events],
                hovertemplate="%{customdata[2]}<br>%{x:.2f} s (video frame %{customdata[1]})"
                "<br>confidence %{customdata[3]:.2f}<extra></extra>",
            )
        )
    _mark_corrections(fig, result, t, y)
    if current_time_s is not None:
        fig.add_vline(x=current_time_s, line=dict(color="#444", dash="dot"))
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis=dict(title="time (s)"),
        yaxis=dict(title=dict(text=trace.get("label", ""), font=dict(size=11))),
        showlegend=True,
        # short entries side by side above the plot (one per row, it pushed the plot down)
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.02,
            x=0,
            font=dict(size=11),
            entrywidth=0.33,  # three to a row
            entrywidthmode="fraction",
        ),
    )
    return fig
