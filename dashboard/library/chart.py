"""The progress chart: one value across a patient's sessions, by date, drawn so
that it cannot mislead.

Plotly only (bundled with the app; nothing is loaded from the internet).

- **Verdict.** A valid value is a filled green point; a caution value (or one on
  poorly visible landmarks or few frames: :func:`is_weak`) a hollow amber point
  with its reason in the hover text; a withheld value is never drawn as a number:
  a grey ✕ on the axis at its date, with the reason.
- **Lines.** Two successive points are joined by a solid line only when both
  are valid and their sessions compare; by a dotted line when one is weak; not
  at all when a session does not compare with the first one charted (a different
  camera view, movement or frame rate: Compare's check), which is drawn as a
  diamond with the reason.
- **Axis.** From the data by default; from zero on request (``from_zero``).
- **Guides** (functional tests): the norm band for the patient's age and sex (shaded),
  published cut-offs (dashed red) and the minimal detectable change around the first
  valid session's value (dotted grey), where the references ship them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import plotly.graph_objects as go

from dashboard.kinematics.validity import describe
from dashboard.library.records import ProgressPoint

#: Below these a value is drawn hollow and called weak in its hover text.
WEAK_CONFIDENCE = 0.5
WEAK_COVERAGE = 0.5
COLOURS = {"valid": "#2ca02c", "caution": "#e69f00", "withheld": "#7f7f7f"}


def is_weak(point: ProgressPoint) -> bool:
    """Whether a value is not plainly valid: caution, or resting on poorly visible
    landmarks or few frames (withheld values are not drawn at all)."""
    c, v = point.confidence, point.coverage
    return bool(
        point.validity != "valid"
        or (c is not None and c < WEAK_CONFIDENCE)
        or (v is not None and v < WEAK_COVERAGE)
    )


def _pct(x: float | None) -> str:
    return "not given" if x is None else f"{100 * x:.0f} %"


def _hover(p: ProgressPoint, unit: str) -> str:
    unit_text = "" if unit in ("", "repetitions") else unit
    value = (
        "— (withheld)"
        if p.value is None
        else f"{p.value:.1f}{unit_text} {'' if unit_text else unit}"
    )
    text = f"<b>{p.date}</b><br>{value}<br>{describe(p.validity, p.reasons, p.bias)}"
    if p.confidence is not None or p.coverage is not None:
        text += f"<br>visibility {_pct(p.confidence)}, measured in {_pct(p.coverage)} of frames"
    if not p.comparable:
        text += "<br><i>not comparable with the first session:</i><br>" + "<br>".join(
            p.comparable_reasons
        )
    if p.body_region:
        text += f"<br>{p.body_region}"
    return text + f"<br>{p.source_name}"


def segments(
    points: Sequence[ProgressPoint],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(solid, dotted): index pairs of successive drawn points joined by a line
    (see the module notes)."""
    drawn = [i for i, p in enumerate(points) if p.value is not None]
    solid: list[tuple[int, int]] = []
    dotted: list[tuple[int, int]] = []
    for i, j in pairwise(drawn):
        a, b = points[i], points[j]
        if not (a.comparable and b.comparable):
            continue
        (dotted if is_weak(a) or is_weak(b) else solid).append((i, j))
    return solid, dotted


def _lines(fig: go.Figure, points, pairs, dash: str) -> None:
    xs, ys = [], []
    for i, j in pairs:
        xs += [points[i].date, points[j].date, None]
        ys += [points[i].value, points[j].value, None]
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color="#7f8c8d", width=1.5, dash=dash),
                hoverinfo="skip",
                name="solid" if dash == "solid" else "weak",
            )
        )


def _guides(fig: go.Figure, points: Sequence[ProgressPoint], guides: dict | None) -> None:
    """The norm band (shaded, or a dotted line at a mean), the cut-offs (dashed) and the
    minimal detectable change around the first valid, comparable value (dotted)."""
    if not guides:
        return
    norm = guides.get("norm")
    if norm and norm["high"] > norm["low"]:
        fig.add_hrect(
            y0=norm["low"],
            y1=norm["high"],
            fillcolor=COLOURS["valid"],
            opacity=0.12,
            line_width=0,
            annotation_text=f"norm: {norm['what']}",
            annotation_position="top left",
        )
    elif norm:
        fig.add_hline(
            y=norm["low"],
            line=dict(color=COLOURS["valid"], dash="dot", width=1.5),
            annotation_text=f"norm: {norm['what']}",
            annotation_position="top left",
        )
    for c in guides.get("cutoffs") or ():
        fig.add_hline(
            y=c["threshold"],
            line=dict(color="#c0392b", dash="dash", width=1.5),
            annotation_text=f"cut-off {c['threshold']:g}",
            annotation_position="bottom right",
        )
    mdc = guides.get("mdc")
    first = next(
        (p for p in points if p.value is not None and not is_weak(p) and p.comparable), None
    )
    if mdc and first is not None:
        line = dict(color=COLOURS["withheld"], dash="dot", width=1)
        fig.add_hline(
            y=first.value + mdc["mdc95"],
            line=line,
            annotation_text="first valid session ± MDC95",
            annotation_position="top right",
        )
        fig.add_hline(y=first.value - mdc["mdc95"], line=line)


def progress_figure(
    points: Sequence[ProgressPoint],
    label: str,
    unit: str,
    from_zero: bool = False,
    guides: dict | None = None,
) -> go.Figure:
    """A dated trend chart of ``points`` (see the module notes); ``guides``
    (:func:`dashboard.functional.progress.guides`) adds a functional test's norm band,
    cut-offs and minimal detectable change."""
    fig = go.Figure()
    _guides(fig, points, guides)
    solid, dotted = segments(points)
    _lines(fig, points, solid, "solid")
    _lines(fig, points, dotted, "dot")
    drawn = [p for p in points if p.value is not None]
    weak = [is_weak(p) for p in drawn]
    fig.add_trace(
        go.Scatter(
            x=[p.date for p in drawn],
            y=[p.value for p in drawn],
            mode="markers",
            name=label,
            text=[_hover(p, unit) for p in drawn],
            hovertemplate="%{text}<extra></extra>",
            marker=dict(
                size=13,
                color=[COLOURS["caution" if w else "valid"] for w in weak],
                line=dict(width=2, color=[COLOURS["caution" if w else "valid"] for w in weak]),
                symbol=[
                    ("diamond" if not p.comparable else "circle") + ("-open" if w else "")
                    for p, w in zip(drawn, weak, strict=True)
                ],
            ),
        )
    )
    withheld = [p for p in points if p.value is None]
    if withheld:
        fig.add_trace(
            go.Scatter(
                x=[p.date for p in withheld],
                y=[0] * len(withheld),
                yaxis="y2",
                mode="markers",
                name="withheld",
                text=[_hover(p, unit) for p in withheld],
                hovertemplate="%{text}<extra></extra>",
                marker=dict(
                    size=12, symbol="x-thin-open", line=dict(width=2), color=COLOURS["withheld"]
                ),
            )
        )
    axis_unit = f" ({unit})" if unit else ""
    dates = [p.date for p in points]
    fig.update_layout(
        title=dict(text=label),
        margin=dict(l=50, r=20, t=50, b=40),
        height=420,
        xaxis=dict(title="session date", type="date", tickformat="%Y-%m-%d"),
        yaxis=dict(
            title=f"{label.split(',')[0]}{axis_unit}", rangemode="tozero" if from_zero else "normal"
        ),
        yaxis2=dict(overlaying="y", range=[0, 1], visible=False, fixedrange=True),
        showlegend=False,
    )
    if len(set(dates)) == 1:
        fig.update_xaxes(tickvals=dates[:1])
    return fig
