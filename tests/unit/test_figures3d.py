"""3D figures: upright display axes, overlay colours, equal scaling, floor, animation."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.figures.skeleton3d import (
    CAMERAS,
    display_coords,
    floor_height,
    frame_indices,
    scene_ranges,
    skeleton_figure,
)
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, hex_colour


def _standing(frames=1, people=1) -> PoseSequence:
    """A crude standing skeleton: head 0.7 m above the hips, feet 0.9 m below."""
    seq = PoseSequence.empty(frames, people, (640, 480), time_s=np.arange(frames) / 10.0)
    world = np.zeros((frames, people, 33, 3))
    for name, idx in INDEX.items():
        x = 0.15 if "left" in name else (-0.15 if "right" in name else 0.0)
        y = (
            -0.7
            if idx <= 10
            else -0.45
            if "shoulder" in name or "elbow" in name
            else -0.2
            if any(k in name for k in ("wrist", "pinky", "index", "thumb"))
            else 0.0
            if "hip" in name
            else 0.45
            if "knee" in name
            else 0.9
        )
        world[:, :, idx] = [x, y, 0.0]
    world[:, :, INDEX["right_wrist"], 0] += np.arange(frames)[:, None] * 0.05
    vis = np.full((frames, people, 33), 0.9)
    vis[:, :, INDEX["left_ankle"]] = 0.2
    return PoseSequence(
        image_xy=np.full((frames, people, 33, 2), 50.0),
        z=np.zeros((frames, people, 33)),
        visibility=vis,
        presence=vis,
        world_m=world,
        time_s=seq.time_s.copy(),
        frame_index=seq.frame_index.copy(),
        image_size=(640, 480),
    )


def test_display_axes_are_upright_and_not_mirrored():
    p = display_coords(np.array([0.1, -0.7, 0.3]))
    assert p.tolist() == pytest.approx([0.1, 0.3, 0.7])  # x, depth, up
    assert np.linalg.det(display_coords(np.eye(3))) == pytest.approx(1.0)


def test_floor_is_at_the_lowest_foot_point():
    pts = display_coords(_standing().world_m)
    assert floor_height(pts) == pytest.approx(-0.9)
    assert floor_height(np.full((1, 1, 33, 3), np.nan)) == 0.0


def test_ranges_are_an_equal_cube_around_the_data():
    pts = display_coords(_standing().world_m)
    ranges = scene_ranges(pts, floor=-0.9)
    lengths = [hi - lo for lo, hi in ranges]
    assert lengths == pytest.approx([lengths[0]] * 3)
    assert ranges[2][0] <= -0.9 and ranges[2][1] >= 0.7


def test_static_figure_uses_overlay_colours_and_hollow_unsure_points():
    fig = skeleton_figure(_standing(), camera="side")
    colours = {t.name: t.line.color for t in fig.data if t.mode == "lines"}
    assert colours["left side"] == hex_colour("left")
    assert colours["right side"] == hex_colour("right")
    left_joints = next(t for t in fig.data if t.name == "left joints")
    assert left_joints.marker.color == hex_colour("left")
    ankle_pos = [i for i in range(33) if "left" in list(INDEX)[i]].index(INDEX["left_ankle"])
    assert left_joints.marker.symbol[ankle_pos] == "circle-open"
    assert left_joints.marker.symbol[0] == "circle"
    scene = fig.layout.scene
    assert scene.aspectmode == "manual"
    assert scene.aspectratio.x == scene.aspectratio.y == scene.aspectratio.z
    assert scene.camera.eye.x == CAMERAS["side"]["eye"]["x"]
    assert scene.zaxis.title.text.startswith("up")
    floor = next(t for t in fig.data if t.name.startswith("floor"))
    assert [v for v in floor.z if v is not None] == pytest.approx([-0.9] * (len(floor.z) // 3 * 2))
    assert not fig.frames


def test_animation_is_subsampled_with_slider_and_play():
    seq = _standing(frames=700)
    fig = skeleton_figure(seq, animate=True, trail="right_wrist", max_frames=300)
    assert 1 < len(fig.frames) <= 300
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert any("Play" in label for label in labels) and any("Pause" in label for label in labels)
    # frames update only the moving traces, never the floor or the trail's path
    n_dynamic = len(fig.frames[0].data)
    assert fig.frames[0].traces == tuple(range(n_dynamic))
    names = [t.name for t in fig.data]
    assert names.index("right wrist path") >= n_dynamic
    assert names[-1].startswith("floor")
    path = next(t for t in fig.data if t.name == "right wrist path")
    assert len(path.x) == 700 and path.x[-1] == pytest.approx(-0.15 + 699 * 0.05)
    # the cube holds the whole movement, not just the first frame
    assert fig.layout.scene.xaxis.range[1] >= -0.15 + 699 * 0.05


def test_frame_indices():
    assert frame_indices(10, 300).tolist() == list(range(10))
    idx = frame_indices(540, 300)
    assert len(idx) <= 300 and idx[0] == 0 and np.all(np.diff(idx) == 2)


def test_people_and_bad_arguments():
    fig = skeleton_figure(_standing(people=2))
    assert sum(1 for t in fig.data if t.name and "Person 2" in t.name) >= 3
    with pytest.raises(ValueError):
        skeleton_figure(_standing(), camera="underneath")
    with pytest.raises(ValueError):
        skeleton_figure(_standing(), trail="tail")
    with pytest.raises(ValueError):
        skeleton_figure(_standing(), frame=3)


def test_nobody_found_still_draws_an_empty_scene():
    seq = PoseSequence.empty(3, 1, (640, 480), time_s=np.arange(3) / 10.0)
    fig = skeleton_figure(seq, animate=True)
    assert len(fig.frames) == 3


def test_no_tick_at_the_middle_of_an_axis_where_its_title_is():
    """Plotly writes a 3D axis title at the axis's middle: no tick label there."""
    from dashboard.figures.skeleton3d import axis_ticks

    assert axis_ticks(-0.9, 0.9) == [-0.5, 0.5]
    assert axis_ticks(-1.2, 0.8) == [-1.0, -0.5, 0.5]  # middle -0.2: 0 left out
    small = axis_ticks(-0.4, 0.6)  # too few 0.5 m ticks: every 0.25 m
    assert len(small) >= 2 and all(abs(t - 0.1) > 0.25 for t in small)


def test_figure_axes_have_no_tick_under_their_titles():
    from dashboard.figures.skeleton3d import skeleton_figure

    for camera in ("front", "side", "top"):
        scene = skeleton_figure(_standing(), camera=camera).layout.scene
        for axis in (scene.xaxis, scene.yaxis, scene.zaxis):
            middle = sum(axis.range) / 2
            assert axis.tickangle == 0
            assert all(abs(t - middle) > 0.25 for t in axis.tickvals)
    top = skeleton_figure(_standing(), camera="top").layout.scene.zaxis
    assert top.showticklabels is False  # seen from above: labels would pile up
