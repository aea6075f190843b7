"""Gait charts of the report (matplotlib Agg, one ``Figure`` each): a joint's
gait-cycle curves over the normal band, the same for two sessions, and the
timeline of gait events.

Colours: the person's left side orange, right side blue (as the skeleton); the
normal band light grey with its mean dashed; in a comparison the earlier session
grey and dashed, the later near black and solid (as every comparison chart).
"""

from __future__ import annotations

import numpy as np

from dashboard.report.charts import AFTER_COLOUR, BEFORE_COLOUR, SIDE_COLOURS, _figure, _png, _style

BAND_FILL = "#d9d9d9"
BAND_LINE = "#7a7a7a"


def _title(angle: str) -> str:
    from dashboard.kinematics.gait.words import CURVE_TITLES

    return CURVE_TITLES.get(angle, str(angle).replace("_", " "))


def _side_curve(cycles, angle: str, side: str):
    """(x, mean, sd, n) of one side's curve of ``angle`` in a cycles table, or None."""
    if cycles is None or not len(cycles):
        return None
    s = cycles[(cycles["angle"] == angle) & (cycles["side"] == side)].sort_values("cycle_pct")
    if not len(s):
        return None
    n = int(s["n_cycles"].max()) if "n_cycles" in s else 0
    return (
        s["cycle_pct"].to_numpy(float),
        s["mean_deg"].to_numpy(float),
        s["sd_deg"].to_numpy(float),
        n,
    )


def _draw_band(ax, band) -> None:
    if band is None:
        return
    x = band.cycle_pct
    ax.fill_between(
        x, band.lower(), band.upper(), color=BAND_FILL, linewidth=0, zorder=0, label="normal ±1 SD"
    )
    ax.plot(x, band.mean_deg, color=BAND_LINE, linewidth=0.9, linestyle="--", zorder=1)


def _finish(ax, title: str, legend: bool) -> None:
    from dashboard.kinematics.gait.words import CYCLE_WORDS

    ax.set_title(title.replace(" / ", " /\n"), fontsize=7.5, loc="left")
    ax.set_xlabel(CYCLE_WORDS, fontsize=6.5)
    ax.set_ylabel("angle (°)", fontsize=6.5)
    ax.set_xlim(0, 100)
    if legend:
        ax.legend(fontsize=5.6, frameon=False, loc="best", handlelength=1.6)
    _style(ax)
    ax.tick_params(labelsize=6)


def band_chart(
    cycles, angle: str, band=None, size_in: tuple[float, float] = (2.45, 2.2)
) -> bytes | None:
    """PNG of one joint's gait-cycle curves, left and right (mean ± SD of the
    strides), over the normal band (mean ± 1 SD); None when neither side has
    a curve."""
    curves = {s: _side_curve(cycles, angle, s) for s in ("left", "right")}
    if not any(curves.values()):
        return None
    fig = _figure(*size_in, left_in=0.42, bottom_in=0.36, top_in=0.36)
    ax = fig.add_subplot(111)
    _draw_band(ax, band)
    for side, c in curves.items():
        if c is None:
            continue
        x, m, sd, n = c
        colour = SIDE_COLOURS[side]
        if np.isfinite(sd).any():
            ax.fill_between(x, m - sd, m + sd, color=colour, alpha=0.18, linewidth=0)
        ax.plot(x, m, color=colour, linewidth=1.3, label=f"{side} (n={n})")
    _finish(ax, _title(angle), legend=True)
    return _png(fig)


def overlay_chart(
    earlier,
    later,
    angle: str,
    side: str,
    band=None,
    labels=("earlier", "now"),
    size_in: tuple[float, float] = (2.45, 2.1),
) -> bytes | None:
    """PNG of one side's curve of ``angle`` in two sessions (earlier grey dashed,
    later black solid) over the normal band; None when neither session has it."""
    curves = [
        (_side_curve(c, angle, side), lab) for c, lab in zip((earlier, later), labels, strict=True)
    ]
    if not any(c for c, _ in curves):
        return None
    fig = _figure(*size_in, left_in=0.42, bottom_in=0.36, top_in=0.36)
    ax = fig.add_subplot(111)
    _draw_band(ax, band)
    for (c, label), colour, style in zip(
        curves, (BEFORE_COLOUR, AFTER_COLOUR), ("--", "-"), strict=True
    ):
        if c is None:
            continue
        x, m, _, n = c
        ax.plot(x, m, color=colour, linewidth=1.4, linestyle=style, label=f"{label} (n={n})")
    _finish(ax, f"{_title(angle)} ({side})", legend=True)
    return _png(fig)


def timeline_chart(gait: dict, size_in: tuple[float, float] = (7.0, 1.35)) -> bytes | None:
    """PNG of the gait events over time: per foot, initial contacts (filled) and
    toe offs (open), over the walking passes (green: analysed; grey hatched: left
    out); None when there is no pass and no event."""
    passes = [p for p in gait.get("passes") or [] if "start_s" in p and "end_s" in p]
    events = gait.get("events") or []
    if not passes and not events:
        return None
    fig = _figure(*size_in, left_in=0.55, bottom_in=0.38, top_in=0.12)
    ax = fig.add_subplot(111)
    for k, p in enumerate(passes):
        kept = p.get("analysed", True) is not False
        words = f"pass {k + 1}" + ("" if kept else ": left out")
        ax.text(
            0.5 * (float(p["start_s"]) + float(p["end_s"])),
            1.45,
            words,
            ha="center",
            va="center",
            fontsize=5.8,
            color="#555555",
        )
        ax.axvspan(
            float(p["start_s"]),
            float(p["end_s"]),
            ymin=0.02,
            ymax=0.98,
            facecolor="#e3f1e0" if kept else "#eeeeee",
            hatch=None if kept else "///",
            edgecolor="#bbbbbb",
            linewidth=0,
            zorder=0,
        )
    rows = {"left": 1, "right": 0}
    for side, y in rows.items():
        for kind, marker in (("initial_contact", "v"), ("toe_off", "o")):
            t = [
                float(e["time_s"])
                for e in events
                if e.get("side") == side and e.get("event") == kind
            ]
            if t:
                ax.plot(
                    t,
                    [y] * len(t),
                    linestyle="none",
                    marker=marker,
                    markersize=4.2,
                    color=SIDE_COLOURS[side],
                    markerfacecolor=SIDE_COLOURS[side] if kind == "initial_contact" else "white",
                    markeredgewidth=0.9,
                )
    ax.set_yticks([0, 1], ["right", "left"], fontsize=6.5)
    ax.set_ylim(-0.6, 1.75)
    ax.set_xlabel("time (s)", fontsize=6.5)
    _style(ax)
    ax.grid(False, axis="y")
    return _png(fig)
