"""3D skeleton figures (Plotly) from world landmarks: pure functions, data in, figure out.

Display axes
------------
MediaPipe's world landmarks are metres from the point between the hips, x to
the camera's right, **y down**, z away from the camera. The figures show them
upright, with Plotly's vertical axis as "up":

    shown x = x (camera's right),  shown y = z (depth, away from the camera),
    shown z = -y (up)

a proper rotation (no mirror image): the person's left stays their left. The
skeleton uses the 2D overlay's colours (:func:`dashboard.skeleton.hex_colour`):
the person's left side orange, right side blue, the midline grey. Points the
model could barely see (visibility below the threshold) are drawn hollow.

Every figure has equal scaling on the three axes (a cube around the data),
a floor grid at the height of the lowest foot point, and a camera preset of
:data:`CAMERAS`. For videos, :func:`skeleton_figure` can add animation frames
with a frame slider and play button (subsampled to at most ``max_frames``).
World landmarks are re-centred on the hips in every frame: the skeleton moves
in place, it does not travel across the room.

Nothing here loads anything from the internet: Plotly's JavaScript is served
by Streamlit itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.animation3d import add_animation as _add_animation
from dashboard.poses import PoseSequence
from dashboard.skeleton import (
    CONNECTIONS,
    INDEX,
    LANDMARK_NAMES,
    NUM_LANDMARKS,
    connection_side,
    hex_colour,
    side_of,
)

__all__ = [
    "CAMERAS",
    "SIDES",
    "axis_ticks",
    "display_coords",
    "floor_height",
    "frame_indices",
    "scene_ranges",
    "skeleton_figure",
]

SIDES = ("left", "right", "centre")
#: Colour of the midline in 3D: the overlay's near-white would vanish on a light theme.
CENTRE_3D = "#7f7f7f"
GRID_COLOUR = "#c8c8c8"
TRAIL_COLOUR = "#cc79a7"  # Okabe-Ito reddish purple: apart from both sides' colours
ZOOM = 1.6  # scene box size (Plotly normalised units), the same on all three axes

#: Camera presets (Plotly scene cameras) in the display axes described above.
CAMERAS: dict[str, dict] = {
    # Orthographic: no perspective, so a front or side view reads like a photograph
    # taken from far away, and lengths across the picture compare fairly. Front and
    # side look slightly down, so that the floor grid shows as a floor.
    "front": dict(
        eye=dict(x=0.0, y=-1.3, z=0.2),
        up=dict(x=0, y=0, z=1),
        center=dict(x=0, y=0, z=0),
        projection=dict(type="orthographic"),
    ),
    "side": dict(
        eye=dict(x=1.3, y=0.0, z=0.2),
        up=dict(x=0, y=0, z=1),
        center=dict(x=0, y=0, z=0),
        projection=dict(type="orthographic"),
    ),
    "top": dict(
        eye=dict(x=0.0, y=0.0, z=1.4),
        up=dict(x=0, y=1, z=0),
        center=dict(x=0, y=0, z=0),
        projection=dict(type="orthographic"),
    ),
}
CAMERA_LABELS = {
    "front": "Front (as the camera saw it)",
    "side": "Side (from the camera's right)",
    "top": "Top (from above, the camera at the bottom)",
}

_FEET = tuple(
    INDEX[n]
    for n in (
        "left_ankle",
        "right_ankle",
        "left_heel",
        "right_heel",
        "left_foot_index",
        "right_foot_index",
    )
)
_BONES = {side: [c for c in CONNECTIONS if connection_side(*c) == side] for side in SIDES}
_JOINTS = {side: [i for i in range(NUM_LANDMARKS) if side_of(i) == side] for side in SIDES}


def _colour(side: str) -> str:
    return CENTRE_3D if side == "centre" else hex_colour(side)


def display_coords(world_m: np.ndarray) -> np.ndarray:
    """(..., 3) MediaPipe world metres -> display axes (x right, y depth, z up)."""
    w = np.asarray(world_m, float)
    return np.stack([w[..., 0], w[..., 2], -w[..., 1]], axis=-1)


def floor_height(points: np.ndarray) -> float:
    """Display height (up) of the floor: the lowest foot point, else the lowest point.

    ``points`` is (..., 33, 3) in display axes. 0 when nothing is known.
    """
    pts = np.asarray(points, float)
    for subset in (pts[..., _FEET, 2], pts[..., 2]):
        finite = subset[np.isfinite(subset)]
        if finite.size:
            return float(finite.min())
    return 0.0


def scene_ranges(points: np.ndarray, floor: float, margin: float = 0.15) -> list[list[float]]:
    """Equal-length [min, max] ranges for the three axes: a cube holding every point
    and the floor, so that a metre is as long along every axis."""
    pts = np.asarray(points, float).reshape(-1, 3)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if pts.size == 0:
        pts = np.zeros((1, 3))
    lo = pts.min(axis=0)
    hi = pts.max(axis=0)
    lo[2] = min(lo[2], floor)
    centre = (lo + hi) / 2
    half = max(float((hi - lo).max()) / 2 + margin, 0.5)
    return [[float(c - half), float(c + half)] for c in centre]


def frame_indices(num_frames: int, max_frames: int = 300) -> np.ndarray:
    """Evenly spaced positions (at most ``max_frames``, always the first) for animation."""
    if num_frames <= 0:
        return np.zeros(0, int)
    step = max(1, math.ceil(num_frames / max(1, max_frames)))
    return np.arange(0, num_frames, step)


def _segments(pts: np.ndarray, pairs: Sequence) -> tuple:
    """x, y, z arrays of line segments separated by NaN (a NaN end breaks the line)."""
    ends = np.asarray(pairs, int).reshape(-1, 2)
    seg = np.full((len(ends), 3, 3), np.nan)
    seg[:, 0] = pts[ends[:, 0]]
    seg[:, 1] = pts[ends[:, 1]]
    seg = seg.reshape(-1, 3)
    return seg[:, 0], seg[:, 1], seg[:, 2]


def _person_traces(
    pts: np.ndarray, vis: np.ndarray, label: str, threshold: float, show_legend: bool
) -> list[go.Scatter3d]:
    """Six traces (bones and joints of each side) for one person in one frame.

    The number and order of traces never change, so animation frames can
    update them in place.
    """
    traces = []
    for side in SIDES:
        x, y, z = _segments(pts, _BONES[side])
        traces.append(
            go.Scatter3d(
                x=x,
                y=y,
                z=z,
                mode="lines",
                line=dict(color=_colour(side), width=6),
                name=f"{label}{side} side" if side != "centre" else f"{label}midline",
                legendgroup=f"{label}{side}",
                showlegend=show_legend,
                hoverinfo="skip",
            )
        )
    for side in SIDES:
        idx = _JOINTS[side]
        p = pts[idx]
        v = vis[idx]
        ok = np.isfinite(p).all(axis=1)
        sure = np.where(np.isfinite(v), v, 0.0) >= threshold
        traces.append(
            go.Scatter3d(
                x=np.where(ok, p[:, 0], np.nan),
                y=np.where(ok, p[:, 1], np.nan),
                z=np.where(ok, p[:, 2], np.nan),
                mode="markers",
                marker=dict(
                    size=4,
                    color=_colour(side),
                    symbol=["circle" if s else "circle-open" for s in sure],
                    line=dict(color=_colour(side), width=2),
                ),
                text=_joint_text(idx, v),
                hovertemplate="%{text}<br>x %{x:.2f} m, depth %{y:.2f} m, up %{z:.2f} m"
                "<extra></extra>",
                name=f"{label}{side} joints",
                legendgroup=f"{label}{side}",
                showlegend=False,
            )
        )
    return traces


def _frame_update(
    pts: np.ndarray, vis: np.ndarray, people: Sequence[int], trail: str | None, threshold: float
) -> list[dict]:
    """The changing properties of the dynamic traces of one frame, in trace order."""
    out = []
    for p in people:
        for side in SIDES:
            x, y, z = _segments(pts[p], _BONES[side])
            out.append(dict(type="scatter3d", x=x, y=y, z=z))
        for side in SIDES:
            idx = _JOINTS[side]
            q = pts[p, idx]
            v = vis[p, idx]
            sure = np.where(np.isfinite(v), v, 0.0) >= threshold
            out.append(
                dict(
                    type="scatter3d",
                    x=q[:, 0],
                    y=q[:, 1],
                    z=q[:, 2],
                    marker=dict(symbol=["circle" if s else "circle-open" for s in sure]),
                    text=_joint_text(idx, v),
                )
            )
    if trail is not None:
        i = INDEX[trail]
        out.append(
            dict(type="scatter3d", x=pts[people, i, 0], y=pts[people, i, 1], z=pts[people, i, 2])
        )
    return out


def _joint_text(idx, vis) -> list[str]:
    return [
        f"{LANDMARK_NAMES[i]}<br>visibility {v:.2f}" if np.isfinite(v) else LANDMARK_NAMES[i]
        for i, v in zip(idx, vis, strict=False)
    ]


def _floor_trace(ranges: list[list[float]], floor: float, spacing: float = 0.25):
    (x0, x1), (y0, y1) = ranges[0], ranges[1]
    xs, ys, zs = [], [], []
    for x in np.arange(math.ceil(x0 / spacing) * spacing, x1 + 1e-9, spacing):
        xs += [float(x), float(x), None]
        ys += [y0, y1, None]
        zs += [floor, floor, None]
    for y in np.arange(math.ceil(y0 / spacing) * spacing, y1 + 1e-9, spacing):
        xs += [x0, x1, None]
        ys += [float(y), float(y), None]
        zs += [floor, floor, None]
    return go.Scatter3d(
        x=xs,
        y=ys,
        z=zs,
        mode="lines",
        name=f"floor ({spacing:g} m grid)",
        line=dict(color=GRID_COLOUR, width=2),
        hoverinfo="skip",
        showlegend=True,
    )


def _trail_now(xyz: np.ndarray, trail: str, legend: bool) -> go.Scatter3d:
    """Where the trailed landmark (``xyz``: one row per person) is in the frame shown."""
    return go.Scatter3d(
        x=xyz[:, 0],
        y=xyz[:, 1],
        z=xyz[:, 2],
        mode="markers",
        marker=dict(size=8, color=TRAIL_COLOUR, symbol="diamond"),
        name=f"{_plain(trail)} now",
        showlegend=legend,
        hoverinfo="skip",
    )


def skeleton_figure(
    seq: PoseSequence,
    frame: int = 0,
    people: Sequence[int] | None = None,
    camera: str = "front",
    trail: str | None = None,
    visibility_threshold: float = 0.5,
    animate: bool = False,
    max_frames: int = 300,
    height: int = 720,
) -> go.Figure:
    """A 3D skeleton of ``seq``'s world landmarks.

    Parameters
    ----------
    frame
        Position (0-based, along the sequence) of the frame shown first.
    people
        Person slots to draw (default: every slot).
    camera
        A key of :data:`CAMERAS`.
    trail
        A landmark name (e.g. ``'right_wrist'``): draws its path over the whole
        sequence, and in an animation a marker of its current position.
    visibility_threshold
        Joints whose visibility is below this are drawn hollow.
    animate
        Add one animation frame per shown frame (at most ``max_frames``, evenly
        spaced), with a frame slider and play/pause buttons.
    """
    _check_args(seq, frame, camera, trail)
    n = seq.num_frames
    people = list(range(seq.num_people)) if people is None else [int(p) for p in people]
    pts = display_coords(seq.world_m)  # (F, P, 33, 3)
    shown = frame_indices(n, max_frames) if animate and n > 1 else np.array([frame])
    if animate and n > 1 and frame not in shown:
        shown = np.unique(np.append(shown, frame))
    used = pts[:, people] if animate or trail else pts[frame : frame + 1, people]
    floor = floor_height(used)
    ranges = scene_ranges(used, floor)

    def label(p: int) -> str:
        return f"Person {int(seq.person_ids[p]) + 1}: " if len(people) > 1 else ""

    def frame_traces(f: int, legend: bool) -> list:
        if not legend:  # an animation frame: only what changes, as plain dicts (fast)
            return _frame_update(pts[f], seq.visibility[f], people, trail, visibility_threshold)
        out = []
        for p in people:
            out += _person_traces(
                pts[f, p],
                seq.visibility[f, p],
                label(p),
                visibility_threshold,
                legend and p == people[0],
            )
        if trail is not None:
            out.append(_trail_now(pts[f, people, INDEX[trail]], trail, legend))
        return out

    data = frame_traces(frame, True)
    n_dynamic = len(data)
    if trail is not None:
        data += [
            _trail_path(
                pts[:, p, INDEX[trail]], seq.time_s, f"{label(p)}{_plain(trail)} path", trail
            )
            for p in people
        ]
    data.append(_floor_trace(ranges, floor))
    fig = go.Figure(data=data)
    _layout(fig, height, ranges, camera)
    if animate and n > 1:
        _add_animation(fig, seq, shown, frame, n_dynamic, frame_traces)
    return fig


def _check_args(seq: PoseSequence, frame: int, camera: str, trail: str | None) -> None:
    if camera not in CAMERAS:
        raise ValueError(f"camera must be one of {sorted(CAMERAS)}, got {camera!r}")
    if trail is not None and trail not in INDEX:
        raise ValueError(f"unknown landmark {trail!r}")
    n = seq.num_frames
    if not 0 <= frame < max(n, 1):
        raise ValueError(f"frame must be between 0 and {n - 1}, got {frame}")


def _plain(landmark: str) -> str:
    """A landmark's name in words ("right wrist"), for legends and hovers."""
    return landmark.replace("_", " ")


def _trail_path(path: np.ndarray, time_s, name: str, trail: str) -> go.Scatter3d:
    """The whole path (F, 3) of the trail landmark of one person."""
    return go.Scatter3d(
        x=path[:, 0],
        y=path[:, 1],
        z=path[:, 2],
        mode="lines",
        line=dict(color=TRAIL_COLOUR, width=3),
        name=name,
        showlegend=True,
        customdata=time_s,
        hovertemplate=f"{_plain(trail)}<br>%{{customdata:.2f}} s<extra></extra>",
    )


def axis_ticks(lo: float, hi: float, clear: float = 0.25) -> list[float]:
    """Tick positions (metres) of an axis shown over ``[lo, hi]``, none within
    ``clear`` metres of its middle.

    Notes
    -----
    Plotly writes a 3D axis's title at the middle of the axis, on the line of its
    tick labels, and cannot move it: a tick there would run into the title. Ticks
    are every 0.5 m, or every 0.25 m when that leaves fewer than two.
    """
    centre = (lo + hi) / 2
    for step in (0.5, 0.25):
        ticks = [round(k * step, 2) for k in range(math.ceil(lo / step), math.floor(hi / step) + 1)]
        ticks = [t for t in ticks if abs(t - centre) > clear]
        if len(ticks) >= 2:
            return ticks
    return ticks


def _layout(fig: go.Figure, height: int, ranges, camera: str) -> None:
    # level tick labels (Plotly turns them along a foreshortened axis otherwise)
    axis = dict(showbackground=False, zeroline=False, gridcolor="#e5e5e5", tickangle=0)
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=30, b=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        scene=dict(
            # equal ranges and equal aspect ratios: a metre is as long on every axis
            # (a manual ratio above 1 fills more of the figure than 'cube' does)
            aspectmode="manual",
            aspectratio=dict(x=ZOOM, y=ZOOM, z=ZOOM),
            camera=CAMERAS[camera],
            xaxis=dict(title="right (m)", range=ranges[0], tickvals=axis_ticks(*ranges[0]), **axis),
            yaxis=dict(title="depth (m)", range=ranges[1], tickvals=axis_ticks(*ranges[1]), **axis),
            zaxis=dict(
                title="up (m)" if camera != "top" else "",
                range=ranges[2],
                tickvals=axis_ticks(*ranges[2]),
                **axis,
                # seen from above, the up axis is a point: its labels would pile up
                showticklabels=camera != "top",
            ),
        ),
        uirevision=camera,  # keep the user's rotation until the preset changes
    )
