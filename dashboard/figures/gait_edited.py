"""Events corrected by hand on the gait timeline (plotly): the events placed by hand
ringed in black, the automatic events no longer used as grey crosses; and the feet
close-up of a frame, to see when a foot lands or leaves the ground. Pure."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.kinematics.gait.words import EVENT_WORDS
from dashboard.skeleton import INDEX

__all__ = ["feet_crop", "mark_corrections"]


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


#: Landmarks framed by the feet close-up.
_FEET = ("ankle", "heel", "foot_index")


def feet_crop(rgb: np.ndarray, seq, row: int, person: int = 0, margin: float = 0.6):
    """The part of ``rgb`` (a frame of ``seq``, any size, landmarks drawn or not) around
    both feet of ``person`` at sequence row ``row``: a square whose side is the feet's
    extent plus ``margin`` of it on each side (at least 1/8 of the frame's longer side),
    or None when no foot landmark is known on that frame."""
    names = [f"{s}_{p}" for s in ("left", "right") for p in _FEET]
    xy = np.asarray(seq.image_xy[row, person, [INDEX[n] for n in names]], float)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        return None
    h, w = rgb.shape[:2]
    k = np.array([w / seq.image_size[0], h / seq.image_size[1]])
    lo, hi = xy.min(axis=0) * k, xy.max(axis=0) * k
    side = max((hi - lo).max() * (1 + 2 * margin), max(h, w) / 8)
    cx, cy = (lo + hi) / 2
    x0 = int(np.clip(cx - side / 2, 0, max(0, w - side)))
    y0 = int(np.clip(cy - side / 2, 0, max(0, h - side)))
    crop = rgb[y0 : y0 + int(side), x0 : x0 + int(side)]
    return crop if crop.size else None
