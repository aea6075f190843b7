"""Events corrected by hand on the gait timeline (plotly): the events placed by hand
ringed in black, the automatic events no longer used as grey crosses. Pure."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.kinematics.gait.words import EVENT_WORDS

__all__ = ["mark_corrections"]


def _trace(evs, name: str, symbol: str, color: str, size: int) -> go.Scatter:
    return go.Scatter(
        x=[e["time_s"] for e in evs],
        y=[e["side"] for e in evs],
        mode="markers",
        name=name,
        marker=dict(symbol=symbol, size=size, color=color, line=dict(width=2, color=color)),
        # the row is not known for a dict: the frame shown by a click is the event's own
        customdata=[[e["row"], e["frame"], 0.0, "", ""] for e in evs],
        hovertemplate=[
            f"{name}: {e['side']} {EVENT_WORDS.get(e['event'], e['event'])}<br>"
            f"{e['time_s']:.2f} s · frame {e['frame']}<extra></extra>"
            for e in evs
        ],
    )


def mark_corrections(fig: go.Figure, result, rows: dict[int, int]) -> go.Figure:
    """``fig`` (:func:`~.gait.events_figure` of ``result``) with the corrections by hand
    marked; ``rows`` maps a video frame to its sequence row. Unchanged for automatic
    events."""
    if result.events_source != "edited":
        return fig
    doc = result.extra["events_doc"]
    now = {(e.side, e.event, e.frame) for e in result.events}
    gone = [
        dict(e, row=rows.get(e["frame"]))
        for e in doc["automatic_events"]
        if (e["side"], e["event"], e["frame"]) not in now
    ]
    placed = [dict(e, row=rows.get(e["frame"])) for e in doc["events_placed_by_hand"]]
    if gone:
        fig.add_trace(_trace(gone, "automatic event (replaced)", "x-thin", "#888", 11))
    if placed:
        fig.add_trace(_trace(placed, "placed by hand", "circle-open", "#111", 22))
    return fig
