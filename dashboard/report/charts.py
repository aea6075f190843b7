"""Static charts for the report, drawn by matplotlib's Agg backend: no browser, no
display, no global pyplot state (each chart is its own ``Figure``).

Colours follow the app: the person's left side orange, right side sky blue (as
the skeleton), midline angles dark grey; before/after comparisons neutral, as
on the comparison page: the earlier session grey and dashed, the later near
black and solid (blue and orange would read as right and left).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from dashboard.kinematics.filters import valid_runs
from dashboard.skeleton import LEFT_COLOUR, RIGHT_COLOUR

BEFORE_COLOUR = "#8C8C8C"  # earlier session: grey, dashed (never a side colour)
AFTER_COLOUR = "#1A1A1A"  # later session: near black, solid
MIDLINE_COLOUR = "#404040"
DPI = 150


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*tuple(rgb))


SIDE_COLOURS = {"left": _hex(LEFT_COLOUR), "right": _hex(RIGHT_COLOUR), "": MIDLINE_COLOUR}


def _figure(
    width_in: float,
    height_in: float,
    left_in: float = 0.55,
    bottom_in: float = 0.45,
    top_in: float = 0.3,
):
    """A figure with fixed margins in inches (no "tight" layout pass: each chart is
    drawn once)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(
        left=left_in / width_in,
        right=1 - 0.1 / width_in,
        bottom=bottom_in / height_in,
        top=1 - top_in / height_in,
    )
    return fig


def _style(ax) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def angle_chart(
    time_s,
    series: Sequence[tuple[str, np.ndarray, np.ndarray] | tuple[str, np.ndarray, np.ndarray, str]],
    title: str,
    size_in: tuple[float, float] = (7.0, 1.9),
) -> bytes:
    """PNG of one angle over time: per side the filtered values (a line broken where
    there is no value: gaps stay visible) over the raw values (faint dots).

    ``series``: (side, filtered values, raw values[, verdict level]); side '' for
    a midline angle. A ``caution`` series is drawn dashed and says so in the
    legend; a withheld series must not be passed (it has no value to draw).
    """
    fig = _figure(*size_in)
    ax = fig.add_subplot(111)
    t = np.asarray(time_s, float)
    shown = False
    for side, value, raw, *level in series:
        caution = bool(level) and level[0] == "caution"
        colour = SIDE_COLOURS.get(side, MIDLINE_COLOUR)
        value, raw = np.asarray(value, float), np.asarray(raw, float)
        if np.isfinite(raw).any():
            ax.plot(t, raw, linestyle="none", marker=".", markersize=1.6, color=colour, alpha=0.35)
        if np.isfinite(value).any():
            shown = True
            ax.plot(
                t,
                value,
                color=colour,
                linewidth=1.1 if caution else 1.3,
                linestyle="--" if caution else "-",
                label=(side or "midline") + (" (caution)" if caution else ""),
            )
            _mark_extremes(ax, t, value, colour)
    missing = np.ones(len(t), bool)
    for _, value, _, *_ in series:
        missing &= ~np.isfinite(np.asarray(value, float))
    _shade(ax, t, missing)
    ax.set_title(title, fontsize=8.5, loc="left")
    ax.set_xlabel("time (s)", fontsize=7)
    ax.set_ylabel("angle (°)", fontsize=7)
    if len(t) > 1:
        ax.set_xlim(t[0], t[-1])
    if shown:
        ax.legend(
            fontsize=6.5,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            ncol=2,
            borderaxespad=0.1,
        )
    else:
        ax.text(
            0.5,
            0.5,
            "no value in any frame",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=8,
            color="#777777",
        )
    _style(ax)
    return _png(fig)


def _mark_extremes(ax, t, value, colour) -> None:
    ok = np.isfinite(value)
    for pick in (np.nanargmax, np.nanargmin):
        i = int(pick(np.where(ok, value, np.nan)))
        ax.plot(
            [t[i]],
            [value[i]],
            marker="o",
            markersize=3.2,
            color=colour,
            markeredgecolor="black",
            markeredgewidth=0.5,
        )


def _shade(ax, t, missing) -> None:
    """Light grey bands where no side has a value (a gap in the measurement)."""
    if len(t) < 2 or not missing.any():
        return
    step = float(np.median(np.diff(t)))
    for a, b in valid_runs(missing):
        ax.axvspan(t[a] - step / 2, t[b - 1] + step / 2, color="#eeeeee", zorder=0, linewidth=0)


def comparison_chart(
    before, after, title: str, labels: tuple[str, str], size_in: tuple[float, float] = (7.0, 2.4)
) -> bytes:
    """PNG of two sessions' curves of one angle overlaid (see
    :func:`dashboard.kinematics.compare.angle_curves`): per repetition (0-100 %) with
    the mean and a ±1 SD band when both are normalised, else against time."""
    fig = _figure(*size_in)
    ax = fig.add_subplot(111)
    normalised = before.normalised and after.normalised
    for curves, label, colour, style in (
        (before, labels[0], BEFORE_COLOUR, "--"),
        (after, labels[1], AFTER_COLOUR, "-"),
    ):
        if normalised:
            for row in curves.curves:
                ax.plot(curves.x, row, color=colour, linewidth=0.6, alpha=0.3, linestyle=style)
            mean, sd = curves.mean, curves.sd
            if np.isfinite(sd).any():
                ax.fill_between(
                    curves.x, mean - sd, mean + sd, color=colour, alpha=0.15, linewidth=0
                )
            n = curves.count
            ax.plot(
                curves.x,
                mean,
                color=colour,
                linewidth=1.8,
                linestyle=style,
                label=f"{label}: mean of {n} repetition{'s' if n != 1 else ''}",
            )
        elif len(curves.x):
            ax.plot(
                curves.x,
                curves.curves.reshape(-1, len(curves.x))[0],
                color=colour,
                linewidth=1.2,
                linestyle=style,
                label=label,
            )
    ax.set_title(title, fontsize=8.5, loc="left")
    ax.set_xlabel("% of repetition" if normalised else "time from start (s)", fontsize=7)
    ax.set_ylabel("angle (°)", fontsize=7)
    if normalised:
        ax.set_xlim(0, 100)
    ax.legend(fontsize=6.5, loc="best", frameon=False, handlelength=3)
    _style(ax)
    return _png(fig)


def gait_cycles_chart(cycles, size_in: tuple[float, float] = (7.0, 2.3)) -> bytes | None:
    """PNG of gait-cycle curves: one panel per angle, mean ± SD per side over 0-100 %
    of the stride. ``cycles`` has the columns ``side, angle, cycle_pct, mean_deg,
    sd_deg, n_cycles`` (``GaitResult.cycles_table()``); None when it is empty."""
    from dashboard.kinematics.gait.words import CURVE_TITLES, CYCLE_WORDS  # the app's words

    if cycles is None or not len(cycles):
        return None
    angles = list(dict.fromkeys(cycles["angle"]))
    fig = _figure(size_in[0], size_in[1], bottom_in=0.5, top_in=0.4)
    axes = fig.subplots(1, len(angles), squeeze=False)[0]
    fig.subplots_adjust(wspace=0.3)
    for ax, angle in zip(axes, angles, strict=False):
        part = cycles[cycles["angle"] == angle]
        for side in ("left", "right"):
            s = part[part["side"] == side].sort_values("cycle_pct")
            if not len(s):
                continue
            x = s["cycle_pct"].to_numpy(float)
            m = s["mean_deg"].to_numpy(float)
            sd = s["sd_deg"].to_numpy(float)
            colour = SIDE_COLOURS[side]
            ax.fill_between(x, m - sd, m + sd, color=colour, alpha=0.2, linewidth=0)
            n = int(s["n_cycles"].max()) if "n_cycles" in s else 0
            ax.plot(x, m, color=colour, linewidth=1.3, label=f"{side} (n={n})")
        title = CURVE_TITLES.get(angle, str(angle).replace("_", " "))
        ax.set_title(title.replace(" / ", " /\n"), fontsize=8)  # two lines: fits a third
        ax.set_xlabel(CYCLE_WORDS, fontsize=7)
        ax.set_xlim(0, 100)
        ax.legend(fontsize=6, frameon=False)
        _style(ax)
    axes[0].set_ylabel("angle (°)", fontsize=7)
    return _png(fig)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG bytes."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
