"""Play and Pause buttons and a time slider for the 3D skeleton figure
(:mod:`dashboard.figures.skeleton3d`): one Plotly frame per shown video frame."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from dashboard.poses import PoseSequence


def add_animation(
    fig: go.Figure, seq: PoseSequence, shown: np.ndarray, start: int, n_dynamic: int, frame_traces
) -> None:
    names = [str(int(f)) for f in shown]
    fig.frames = [
        go.Frame(data=frame_traces(int(f), False), name=name, traces=list(range(n_dynamic)))
        for f, name in zip(shown, names, strict=False)
    ]
    step_s = float(np.median(np.diff(seq.time_s[shown]))) if len(shown) > 1 else 0.1
    duration = int(max(20, min(1000, 1000 * step_s))) if math.isfinite(step_s) else 100
    steps = [
        dict(
            method="animate",
            label=f"{seq.time_s[f]:.2f} s",
            args=[
                [name],
                dict(
                    mode="immediate",
                    frame=dict(duration=0, redraw=True),
                    transition=dict(duration=0),
                ),
            ],
        )
        for f, name in zip(shown, names, strict=False)
    ]
    fig.update_layout(
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                showactive=False,
                x=0.0,
                y=0.0,
                xanchor="left",
                yanchor="top",
                pad=dict(t=45, r=10),
                buttons=[
                    dict(
                        label="▶ Play",
                        method="animate",
                        args=[
                            None,
                            dict(
                                frame=dict(duration=duration, redraw=True),
                                transition=dict(duration=0),
                                fromcurrent=True,
                                mode="immediate",
                            ),
                        ],
                    ),
                    dict(
                        label="Pause",
                        method="animate",
                        args=[
                            [None],
                            dict(
                                frame=dict(duration=0, redraw=False),
                                transition=dict(duration=0),
                                mode="immediate",
                            ),
                        ],
                    ),
                ],
            )
        ],
        sliders=[
            dict(
                active=int(np.searchsorted(shown, start)),
                steps=steps,
                x=0.18,
                len=0.82,
                y=0.0,
                yanchor="top",
                pad=dict(t=30, b=10),
                currentvalue=dict(prefix="Time: ", visible=True),
            )
        ],
    )
