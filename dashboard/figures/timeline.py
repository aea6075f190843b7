"""Per-frame detection summary of a sequence, and its timeline figure. Pure."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.poses import PoseSequence


def detection_table(seq: PoseSequence) -> pd.DataFrame:
    """One row per analysed frame: frame, time_s, people found, the mean
    visibility of their landmarks (NaN where nobody was found), and whether the
    left/right labels of someone's legs or arms were relabelled there by the
    swap repair (``legs_relabelled``, ``arms_relabelled``)."""
    detected = seq.detected
    with warnings.catch_warnings():  # frames with nobody give NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        vis = (
            np.nanmean(np.where(detected[..., None], seq.visibility, np.nan), axis=(1, 2))
            if seq.num_people
            else np.full(seq.num_frames, np.nan)
        )
    swapped = seq.swapped.any(axis=1)  # (F, 2)
    return pd.DataFrame(
        {
            "frame": seq.frame_index.astype(int),
            "time_s": seq.time_s,
            "people": detected.sum(axis=1).astype(int),
            "mean_visibility": vis,
            "legs_relabelled": swapped[:, 0],
            "arms_relabelled": swapped[:, 1],
        }
    )


def timeline_figure(
    seq: PoseSequence, current_time_s: float | None = None, height: int = 180
) -> go.Figure:
    """Mean landmark visibility over time; frames with nobody found marked in red,
    frames whose left/right leg or arm labels were repaired marked near the bottom."""
    table = detection_table(seq)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=table.time_s,
            y=table.mean_visibility,
            mode="lines",
            name="mean visibility",
            line=dict(color="#2b6cb0", width=2),
            connectgaps=False,
            customdata=np.stack([table.frame, table.people], axis=1),
            hovertemplate="%{x:.2f} s (frame %{customdata[0]})<br>mean visibility %{y:.2f}"
            "<br>people found: %{customdata[1]}<extra></extra>",
        )
    )
    missing = table[table.people == 0]
    if len(missing):
        fig.add_trace(
            go.Scatter(
                x=missing.time_s,
                y=np.zeros(len(missing)),
                mode="markers",
                name="nobody found",
                marker=dict(color="#c53030", symbol="line-ns-open", size=14),
                customdata=missing.frame,
                hovertemplate="%{x:.2f} s (frame %{customdata}): nobody found<extra></extra>",
            )
        )
    for column, label, y, colour in (
        ("legs_relabelled", "legs relabelled", 0.15, "#dd6b20"),
        ("arms_relabelled", "arms relabelled", 0.3, "#805ad5"),
    ):
        fixed = table[table[column]]
        if len(fixed):
            fig.add_trace(
                go.Scatter(
                    x=fixed.time_s,
                    y=np.full(len(fixed), y),
                    mode="markers",
                    name=label,
                    marker=dict(color=colour, symbol="line-ns-open", size=10),
                    customdata=fixed.frame,
                    hovertemplate="%{x:.2f} s (frame %{customdata}): left/right "
                    + label.split()[0]
                    + " swapped by the model, labels repaired<extra></extra>",
                )
            )
    if current_time_s is not None:
        fig.add_vline(x=current_time_s, line=dict(color="#444", dash="dot"))
    # the legend above the plot area (with room for it), so it never hides the curve
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        yaxis=dict(range=[0, 1.05], title="visibility"),
        xaxis=dict(title="time (s)"),
        showlegend=True,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
    return fig
