"""Joint-angle charts (Plotly), as pure functions: an AngleSet in, a Figure out.

One chart shows chosen angles over time, one row per angle, the person's left
and right sides overlaid in the skeleton overlay's colours
(:func:`dashboard.skeleton.hex_colour`). What the chart must not hide:

- **raw and filtered together**: the measured values as a thin, faint line,
  the filtered values as a solid one;
- **gaps stay gaps**: NaN values are never joined across (``connectgaps`` is
  off); each frame without a value is marked by a tick on a "gap rug" below
  the curves, saying why (nobody found, or confidence below the threshold);
  short gaps the filter bridged are said to be interpolated in the hover;
- **suspect values**: frames flagged as foreshortened (image space) or out of
  plane (world space) carry an ``x`` marker;
- **hover**: time, source frame, filtered and raw value, visibility and the
  series' verdict;
- **verdict, not visibility, decides how a series is drawn**
  (:mod:`dashboard.kinematics.validity`, ``verdicts``): valid as a solid line;
  caution dotted and thinner, "⚠" in the legend, the reason in the hover; a
  withheld series draws **no value** at all, only the reason written on its
  row; values left out as implausible break the line (a red ring marks them);
- **repetitions**: a shaded span from start to end and a numbered marker at
  each peak, on the row of the angle they were counted on, with the
  hysteresis thresholds as dashed lines.

Every point carries ``customdata[0]`` = its row in the sequence, so a
clicked point tells the page which frame to show.

Only ``plotly.graph_objects`` Scatter traces are used: nothing that loads map
tiles or other resources from the internet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.repetitions import RepetitionMarks, mark_repetitions
from dashboard.kinematics.plausibility import implausible
from dashboard.kinematics.validity import CAUTION, VALID, WITHHELD, describe
from dashboard.skeleton import hex_colour

__all__ = ["MIDLINE_COLOUR", "RepetitionMarks", "angle_time_figure", "series_colour", "side_name"]

#: Midline angles (trunk, pelvis, neck). The overlay's centre colour is near
#: white, invisible on a light chart, so charts use a dark grey.
MIDLINE_COLOUR = "#4d4d4d"
_ROW_HEIGHT = 250
_GAP_OPACITY = 0.55


def series_colour(side: str) -> str:
    """Chart colour of a side: the skeleton overlay's for 'left'/'right'."""
    return hex_colour(side) if side in ("left", "right") else MIDLINE_COLOUR


def side_name(side: str) -> str:
    return {"left": "Left", "right": "Right"}.get(side, "Midline")


def _rgba(hex_str: str, alpha: float) -> str:
    h = hex_str.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _fmt(value: float, spec: str, missing: str = "–") -> str:
    return format(value, spec) if np.isfinite(value) else missing


def _sides(angle_set, key: str) -> tuple[str, ...]:
    return tuple(d.side for d in angle_set.defs if d.key == key)


def angle_time_figure(
    angle_set,
    keys: Sequence[str],
    person: int = 0,
    *,
    repetitions: RepetitionMarks | None = None,
    selected_time_s: float | None = None,
    show_raw: bool = True,
    row_height: int = _ROW_HEIGHT,
    verdicts=None,
) -> go.Figure:
    """Angles over time for one person, one row per angle key, sides overlaid.

    Parameters
    ----------
    angle_set
        A :class:`dashboard.kinematics.compute.AngleSet` (one space).
    keys
        Angle keys (``AngleDef.key``) in the order of the rows.
    person
        Person slot (index into the set's person axis).
    repetitions
        Repetitions to mark (on the row of ``repetitions.key``, if shown).
    selected_time_s
        Draws a vertical line at this time on every row (the frame on show).
    show_raw
        Draw the unfiltered values as a thin, faint line under the filtered
        ones (skipped where they are identical).
    verdicts
        ``(angle, side) -> Verdict`` of each series
        (:func:`dashboard.kinematics.rom.verdicts_of` of the core's table); a
        series missing from it is drawn as valid.
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ValueError("choose at least one angle")
    labels = []
    for key in keys:
        d = next((d for d in angle_set.defs if d.key == key), None)
        if d is None:
            raise KeyError(f"no angle {key!r} in this set")
        labels.append(d.label)
    n = len(keys)
    fig = make_subplots(
        rows=n,
        cols=1,
        shared_xaxes=True,
        subplot_titles=labels,
        vertical_spacing=min(0.12, 0.35 / n),
    )
    chart = _Chart(fig, angle_set, person, show_raw, verdicts or {})
    for r, key in enumerate(keys, start=1):
        lo, hi = _row_range(angle_set, key, person)
        span = max(hi - lo, 10.0)
        for s_i, side in enumerate(_sides(angle_set, key)):
            chart.add_series(key, side, r, y_rug=lo - (0.07 + 0.06 * s_i) * span)
        fig.update_yaxes(
            title_text="degrees",
            row=r,
            col=1,
            ticksuffix="°",
            zeroline=True,
            zerolinecolor="#bbbbbb",
        )
        if repetitions is not None and repetitions.key == key:
            mark_repetitions(fig, angle_set, repetitions, r, series_colour(repetitions.side))
    fig.update_xaxes(title_text="time (s)", row=n, col=1)
    if selected_time_s is not None and np.isfinite(selected_time_s):
        _time_line(fig, selected_time_s)
    _layout(fig, 120 + row_height * n)
    return fig


def _time_line(fig: go.Figure, time_s: float) -> None:
    """A vertical line at ``time_s`` across every row (the frame on show)."""
    fig.add_shape(
        type="line",
        x0=time_s,
        x1=time_s,
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line=dict(color="#d62728", width=1.5, dash="dot"),
    )


def _layout(fig: go.Figure, height: int) -> None:
    fig.update_layout(
        height=height,
        hovermode="closest",
        clickmode="event+select",
        margin=dict(l=10, r=10, t=80, b=10),
        # the legend sits above the first row's title, 30 px above the plot area
        legend=dict(
            orientation="h", yanchor="bottom", y=1.0 + 30 / (height - 90), xanchor="left", x=0
        ),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee")


class _Chart:
    """The traces of :func:`angle_time_figure`, one series (angle and side) at a time;
    each legend entry is shown once."""

    def __init__(self, fig: go.Figure, angle_set, person: int, show_raw: bool, verdicts):
        self.fig, self.aset, self.person, self.show_raw = fig, angle_set, person, show_raw
        self.verdicts = verdicts
        self.withheld_notes: dict[int, list[str]] = {}
        self.t = np.asarray(angle_set.time_s, float)
        self.rows = np.arange(len(self.t))
        self.frames = np.asarray(angle_set.frame_index)
        self.legend_done: set[str] = set()

    def _legend(self, group: str) -> bool:
        """Whether ``group``'s legend entry is still to show (and mark it shown)."""
        first = group not in self.legend_done
        self.legend_done.add(group)
        return first

    def add_series(self, key: str, side: str, r: int, y_rug: float) -> None:
        aset, person, t = self.aset, self.person, self.t
        i = aset.index(key, side)
        d = aset.defs[i]
        verdict = self.verdicts.get((key, side))
        level = verdict.level if verdict is not None else VALID
        colour, group, name = series_colour(side), side or "midline", side_name(side)
        if level == WITHHELD:  # no value drawn: the reason on the row instead
            self._withheld(r, name, verdict)
            return
        raw = np.asarray(aset.raw_deg[:, person, i], float)
        val = np.asarray(aset.value_deg[:, person, i], float)
        conf = np.asarray(aset.confidence[:, person, i], float)
        flag = np.asarray(aset.foreshortened[:, person, i], bool)
        bad = implausible(val, key) | (
            np.asarray(aset.not_meaningful[:, person, i], bool) & np.isfinite(val)
        )
        custom = self._custom(raw, val, conf, flag, verdict)
        hover = (
            f"<b>{d.display}</b><br>%{{x:.2f}} s · frame %{{customdata[1]}}"
            "<br>%{y:.1f}° (raw %{customdata[2]})"
            "<br>visibility %{customdata[3]}%{customdata[4]}<extra></extra>"
        )
        meta = dict(angle=key, side=side, validity=level)
        same = np.array_equal(raw, val, equal_nan=True)
        caution = level == CAUTION
        if caution:
            name = f"{name} ⚠ caution"
            group += "_caution"
        if self.show_raw and not same:
            self._raw(np.where(bad, np.nan, raw), name, group, colour, caution, meta, r)
        # Plotly selects markers only, never lines: invisible markers make every
        # sample clickable (a single frame gets visible ones).
        few = len(t) < 3
        marker_opacity = 1.0 if few else 0.0
        self.fig.add_trace(
            go.Scatter(
                x=t,
                y=np.where(bad, np.nan, val),  # left out of the ROM: never joined
                mode="lines+markers",
                name=name if same or not self.show_raw else f"{name} (filtered)",
                legendgroup=group,
                showlegend=self._legend(group),
                connectgaps=False,
                line=dict(
                    color=colour, width=1.8 if caution else 2.5, dash="dot" if caution else "solid"
                ),
                marker=dict(
                    color=colour,
                    size=8 if few else 7,
                    opacity=marker_opacity,
                    symbol="circle-open" if caution else "circle",
                ),
                selected=dict(marker=dict(opacity=marker_opacity)),
                unselected=dict(marker=dict(opacity=marker_opacity)),
                customdata=custom,
                hovertemplate=hover,
                meta=dict(meta, kind="filtered"),
            ),
            row=r,
            col=1,
        )
        if flag.any():
            self._foreshortened(raw, val, flag, custom, hover, meta, colour, r)
        self._implausible(bad, val, custom, hover, meta, r)
        if np.isnan(raw).any():
            self._gaps(d, i, raw, conf, custom, colour, r, y_rug)

    def _raw(self, raw, name, group, colour, caution: bool, meta, r: int) -> None:
        """The unfiltered values: a thin, faint line (dotted for a caution series)."""
        self.fig.add_trace(
            go.Scatter(
                x=self.t,
                y=raw,
                mode="lines",
                name=f"{name} (raw)",
                legendgroup=group + "_raw",
                showlegend=self._legend(group + "_raw"),
                connectgaps=False,
                line=dict(color=colour, width=1, dash="dot" if caution else "solid"),
                opacity=0.45,
                hoverinfo="skip",
                meta=dict(meta, kind="raw"),
            ),
            row=r,
            col=1,
        )

    def _withheld(self, r: int, name: str, verdict) -> None:
        """A withheld series: its reason written on its row, no value drawn."""
        text = f"{name}: withheld, no value shown. {verdict.text}"
        notes = self.withheld_notes.setdefault(r, [])
        notes.append(text)
        axis = "" if r == 1 else str(r)
        self.fig.add_annotation(
            text="<br>".join(_wrap(n) for n in notes),
            xref=f"x{axis} domain",
            yref=f"y{axis} domain",
            x=0.01,
            y=0.95,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font=dict(size=11, color="#555555"),
            bgcolor="rgba(255,255,255,0.85)",
            name=f"withheld:{r}",
        )
        # one annotation per row, holding every withheld side
        anns = [a for a in self.fig.layout.annotations if a.name != f"withheld:{r}"]
        anns.append(self.fig.layout.annotations[-1])
        self.fig.layout.annotations = anns

    def _foreshortened(self, raw, val, flag, custom, hover, meta, colour, r) -> None:
        """An ``x`` on each frame flagged as foreshortened or out of plane."""
        t = self.t
        y_flag = np.where(np.isfinite(val), val, raw)
        sel = flag & np.isfinite(y_flag)
        self.fig.add_trace(
            go.Scatter(
                x=t[sel],
                y=y_flag[sel],
                mode="markers",
                name="⚠ foreshortened / out of plane",
                legendgroup="flag",
                showlegend=self._legend("flag"),
                marker=dict(
                    symbol="x-thin", size=7, color=colour, line=dict(width=1.5, color=colour)
                ),
                customdata=custom[sel],
                hovertemplate=hover,
                meta=dict(meta, kind="foreshortened"),
            ),
            row=r,
            col=1,
        )

    def _implausible(self, bad, val, custom, hover, meta, r) -> None:
        """Red rings on values outside the angle's plausible range or not meaningful in
        the posture (they are left out of the range of motion; see
        :mod:`dashboard.kinematics.plausibility`)."""
        if not bad.any():
            return
        self.fig.add_trace(
            go.Scatter(
                x=self.t[bad],
                y=val[bad],
                mode="markers",
                name="✖ implausible / not meaningful (not in ROM)",
                legendgroup="implausible",
                showlegend=self._legend("implausible"),
                marker=dict(
                    symbol="circle-open",
                    size=11,
                    color="#d62728",
                    line=dict(width=2, color="#d62728"),
                ),
                customdata=custom[bad],
                hovertemplate=hover,
                meta=dict(meta, kind="implausible"),
            ),
            row=r,
            col=1,
        )

    def _custom(self, raw, val, conf, flag, verdict=None) -> np.ndarray:
        """Per point: row, source frame, raw value, visibility, note (with the verdict)."""
        notes = np.where(flag, " · ⚠ foreshortened / out of plane", "")
        notes = np.where(
            np.isnan(raw) & np.isfinite(val), " · short gap bridged (interpolated)", notes
        )
        custom = np.empty((len(self.t), 5), dtype=object)
        custom[:, 0] = self.rows
        custom[:, 1] = self.frames
        custom[:, 2] = [_fmt(v, ".1f") + ("°" if np.isfinite(v) else "") for v in raw]
        custom[:, 3] = [_fmt(c, ".2f") for c in conf]
        trust = (
            ""
            if verdict is None
            else "<br>" + _wrap(describe(verdict.level, verdict.reasons, verdict.bias))
        )
        custom[:, 4] = [n + trust for n in notes]
        return custom

    def _gaps(self, d, i, raw, conf, custom, colour, r, y_rug) -> None:
        """The gap rug: a tick under the curves at each frame without a value, saying why."""
        aset, t = self.aset, self.t
        gap = np.isnan(raw)
        off_view = np.asarray(aset.off_view[:, self.person, i], bool)
        why = np.where(
            np.isnan(conf),
            "nobody found in this frame",
            np.where(
                conf < aset.min_confidence,
                f"confidence below {aset.min_confidence:.2f}: left out",
                np.where(
                    off_view,
                    f"not filmed from the {d.view}: not "
                    "measurable in the picture (try world space)",
                    "landmarks unusable for this angle",
                ),
            ),
        )
        gap_custom = np.stack(
            [
                self.rows[gap].astype(object),
                self.frames[gap].astype(object),
                custom[gap, 3],
                why[gap],
            ],
            axis=1,
        )
        self.fig.add_trace(
            go.Scatter(
                x=t[gap],
                y=np.full(int(gap.sum()), y_rug),
                mode="markers",
                name="gap (no value)",
                legendgroup="gap",
                showlegend=self._legend("gap"),
                marker=dict(
                    symbol="line-ns-open", size=9, color=colour, line=dict(width=2, color=colour)
                ),
                opacity=_GAP_OPACITY,
                customdata=gap_custom,
                hovertemplate=(
                    f"<b>{d.display}: no value</b><br>%{{x:.2f}} s · frame "
                    "%{customdata[1]}<br>%{customdata[3]}"
                    "<br>visibility %{customdata[2]}<extra></extra>"
                ),
                meta=dict(angle=d.key, side=d.side, kind="gap"),
            ),
            row=r,
            col=1,
        )


def _wrap(text: str, width: int = 90) -> str:
    """``text`` broken into lines of about ``width`` characters for a hover or note."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) or text


def _row_range(angle_set, key: str, person: int) -> tuple[float, float]:
    cols = [angle_set.index(key, s) for s in _sides(angle_set, key)]
    vals = np.concatenate(
        [
            np.asarray(angle_set.raw_deg[:, person, cols], float).ravel(),
            np.asarray(angle_set.value_deg[:, person, cols], float).ravel(),
        ]
    )
    vals = vals[np.isfinite(vals)]
    if not vals.size:
        return 0.0, 10.0
    return float(vals.min()), float(vals.max())
