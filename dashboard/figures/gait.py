"""Gait figures (plotly): the events on a timeline and the gait-cycle curves. Pure."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.kinematics.gait.words import CURVE_TITLES, CYCLE_WORDS, EVENT_WORDS
from dashboard.skeleton import hex_colour

__all__ = ["CURVE_TITLES", "cycle_curves_figure", "events_figure"]

_EVENT_NAMES = EVENT_WORDS
#: Added to a pass's label on the timeline when it was not plainly walked forwards.
_WALKING_TAGS = {"backward": " walked backwards (apart)", "unclear": " facing unclear"}
_SYMBOLS = {"initial_contact": "triangle-down", "toe_off": "circle-open", "foot_off": "circle-open"}
#: Acceleration and deceleration contacts (not in the averages) are drawn open.
_EDGE_SYMBOLS = {
    "initial_contact": "triangle-down-open",
    "toe_off": "circle-open-dot",
    "foot_off": "circle-open-dot",
}


def _rgba(side: str, alpha: float) -> str:
    h = hex_colour(side).lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def events_figure(result, current_time_s: float | None = None, height: int = 260) -> go.Figure:
    """Initial contacts (▼) and toe offs (○) of each foot over time, walking passes
    shaded with their direction; strides dropped by the quality checks hatched in
    grey. Every event carries ``customdata = [row, frame, confidence]`` so that a
    click can show its frame."""
    fig = go.Figure()
    for p in result.passes:
        arrow = "→" if p.direction > 0 else "←"
        fig.add_vrect(x0=p.start_s, x1=p.end_s, fillcolor="rgba(120,120,120,0.10)", line_width=0)
        fig.add_annotation(
            x=p.start_s,
            y=1.0,
            xref="x",
            yref="paper",
            yanchor="bottom",
            xanchor="left",
            showarrow=False,
            text=f"pass {p.index + 1} {arrow}"
            + _WALKING_TAGS.get(getattr(p, "walking", "forward"), ""),
        )
    for c in result.dropped_cycles:
        edge = c.phase != "steady"
        fig.add_shape(
            type="line",
            x0=c.start_s,
            x1=c.end_s,
            y0=c.side,
            y1=c.side,
            line=dict(
                color="rgba(230,160,60,0.45)" if edge else "rgba(150,150,150,0.7)",
                width=8,
                dash="dash" if edge else "dot",
            ),
        )
    for side in ("left", "right"):
        for kind in ("initial_contact", "toe_off", "foot_off"):
            for steady in (True, False):
                evs = [
                    e
                    for e in result.events
                    if e.side == side and e.event == kind and e.steady == steady
                ]
                if evs:
                    fig.add_trace(_events_trace(side, kind, steady, evs))
    if current_time_s is not None:
        fig.add_vline(x=current_time_s, line=dict(color="#444", dash="dot"))
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis=dict(title="time (s)"),
        yaxis=dict(
            categoryorder="array", categoryarray=["right", "left"], title="", range=[-0.6, 1.6]
        ),
        # no legend: the page's caption says what each marker is (in a column a legend
        # of 8 to 10 long entries became a scroll box over the "time (s)" title and the plot)
        showlegend=False,
        clickmode="event+select",
    )
    return fig


def _events_trace(side: str, kind: str, steady: bool, evs) -> go.Scatter:
    conf = np.array([e.confidence for e in evs])
    name = f"{side} {_EVENT_NAMES[kind]}" + ("" if steady else " (acceleration/deceleration)")
    return go.Scatter(
        x=[e.time_s for e in evs],
        y=[side] * len(evs),
        mode="markers",
        name=name,
        marker=dict(
            symbol=(_SYMBOLS if steady else _EDGE_SYMBOLS)[kind],
            size=13,
            color=hex_colour(side),
            opacity=list(0.35 + 0.65 * conf),
            line=dict(width=2, color=hex_colour(side)),
        ),
        customdata=[
            [
                int(e.index),
                int(e.frame),
                round(float(e.confidence), 3),
                "" if e.steady else f"<br>{e.phase} contact: {e.phase_reason}",
                " (walking backwards)" if e.walking == "backward" else "",
            ]
            for e in evs
        ],
        hovertemplate=(
            f"{side} {_EVENT_NAMES[kind]}%{{customdata[4]}}<br>%{{x:.2f}} s · frame "
            "%{customdata[1]}<br>confidence %{customdata[2]:.2f}%{customdata[3]}"
            "<extra></extra>"
        ),
    )


def _wrap(text: str, width: int) -> str:
    """``text`` broken into lines of about ``width`` characters (plotly's <br>)."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def cycle_curves_figure(result, height: int = 360) -> go.Figure:
    """Hip, knee and ankle angle over 0-100 % of the gait cycle: mean (line) ± SD
    (band) of the kept strides per side, left and right overlaid, mean toe off
    dashed."""
    from dashboard.kinematics.gait.cycles import CURVE_ANGLES, WITHHELD_CURVES

    table = result.cycles_table()
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=[CURVE_TITLES[a] for a in CURVE_ANGLES],
        horizontal_spacing=0.07,
    )
    for col, angle in enumerate(CURVE_ANGLES, start=1):
        if angle in WITHHELD_CURVES:
            fig.add_annotation(
                text="No curve: " + _wrap(WITHHELD_CURVES[angle], 34),
                x=50,
                y=0,
                showarrow=False,
                font=dict(size=11),
                row=1,
                col=col,
            )
            fig.update_yaxes(range=[-30, 30], showticklabels=False, row=1, col=col)
        for side in ("left", "right"):
            rows = table[(table.side == side) & (table.angle == angle)]
            if rows.empty:
                continue
            x, m = rows.cycle_pct.to_numpy(), rows.mean_deg.to_numpy()
            sd = np.nan_to_num(rows.sd_deg.to_numpy(dtype=float))
            n = int(rows.n_cycles.iloc[0])
            fig.add_trace(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=np.concatenate([m + sd, (m - sd)[::-1]]),
                    fill="toself",
                    fillcolor=_rgba(side, 0.18),
                    line=dict(width=0),
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=side,
                ),
                row=1,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=m,
                    mode="lines",
                    line=dict(color=hex_colour(side), width=2.5),
                    name=f"{side} (mean ± SD, {n} stride{'' if n == 1 else 's'})",
                    legendgroup=side,
                    showlegend=col == 1,
                    hovertemplate=f"{side}: %{{y:.1f}}° at %{{x:.0f}} %<extra></extra>",
                ),
                row=1,
                col=col,
            )
            to = result.toe_off_pct(side)
            if np.isfinite(to):
                fig.add_vline(
                    x=to, line=dict(color=hex_colour(side), dash="dash", width=1.5), row=1, col=col
                )
        fig.update_xaxes(title_text=CYCLE_WORDS, range=[0, 100], row=1, col=col)
    fig.update_yaxes(title_text="degrees", row=1, col=1)
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.25, x=0),
    )
    return fig
