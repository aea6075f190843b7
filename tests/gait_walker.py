"""A synthetic side-view walker with known gait events (for tests and benchmarks).

The pelvis moves at constant speed; each foot stands still on the ground for
``stance`` of the stride and swings forward at constant speed for the rest, so
the heel is furthest ahead of the pelvis exactly at initial contact and the toe
furthest behind exactly at toe off (Zeni's definitions). Knees come from
two-link inverse kinematics, so hip, knee and ankle angles are realistic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, NUM_LANDMARKS

H = 600.0  # stature in pixels
GROUND = 900.0  # image y of the floor


def foot_track(tau, t0, T, stance, L, first, d, lift_height):
    """Position along the walk and lift of one foot at local times ``tau``: it lands at
    ``first`` at ``t0`` (then every stride ``T``, ``L`` further towards ``d``), stands
    still for ``stance`` of the stride, then swings forwards, lifted up to ``lift_height``
    (the side walker's pixels, the frontal walker's metres)."""
    k = np.floor((tau - t0) / T)
    phi = (tau - t0) / T - k
    s = np.clip((phi - stance) / (1 - stance), 0, 1)
    along = first + d * k * L + d * s * L
    lift = np.where(phi >= stance, lift_height * np.sin(np.pi * s), 0.0)
    return along, lift


def foot_events(t0, T, stance, strides, end_s) -> list[tuple[str, float]]:
    """(event, time_s) of one foot of :func:`foot_track` between 0 and ``end_s``:
    its initial contacts (``t0`` + k ``T``) and toe offs (``stance`` of a stride later)."""
    out = []
    for k in range(-2, int(strides) + 3):
        for ev, dt in (("initial_contact", 0.0), ("toe_off", stance * T)):
            te = t0 + k * T + dt
            if 0 < te < end_s:
                out.append((ev, te))
    return out


def _knee(hip, ankle, d, thigh=0.245 * H, shank=0.246 * H):
    v = ankle - hip
    dist = np.minimum(np.linalg.norm(v, axis=-1), 0.999 * (thigh + shank))
    u = v / np.linalg.norm(v, axis=-1, keepdims=True)
    a = (thigh**2 - shank**2 + dist**2) / (2 * dist)
    h = np.sqrt(np.maximum(thigh**2 - a**2, 0))
    perp = np.stack([-u[:, 1], u[:, 0]], -1)
    # the knee bends forwards: choose the perpendicular pointing in the walking direction
    perp = perp * np.sign(perp[:, :1] * d + 1e-12)
    return hip + a[:, None] * u + h[:, None] * perp


def walker(
    fps: float = 30.0,
    directions: Sequence[int] = (1, -1),
    strides: float = 6.0,
    T: float = 1.1,
    stance: float = 0.6,
    speed_bh: float = 0.75,
    pause_s: float = 1.5,
    noise_px: float = 0.0,
    swap: tuple[int, int] = (),
    seed: int = 0,
    facing: Sequence[int] = (),
    head: Sequence[int] = (),
):
    """(PoseSequence, truth) where truth is a list of (side, event, time_s, pass).

    ``facing`` per pass: +1 the person faces the way they move (the default),
    -1 they face the other way (walking backwards: toes, knees, shoulders and
    face point against the travel). ``head`` per pass: the face's own direction
    relative to the travel (default: as ``facing``; 0: the face turned to the
    camera, nose and ears above one another). The feet move the same way
    whichever way the person faces, so the truth is a forward walker's events.

    ``swap`` = (first, last) frames whose left and right leg landmarks are
    exchanged (a tracker leg swap). Passes are separated by ``pause_s`` of
    standing still (a turn). Timestamps are exact multiples of 1/fps.
    """
    rng = np.random.default_rng(seed)
    v = speed_bh * H
    L = v * T
    pass_s = strides * T
    width = int(v * pass_s + 1.2 * H)
    blocks, truth, t_offset = [], [], 0.0
    x0 = 0.6 * H if directions[0] > 0 else width - 0.6 * H
    facing = list(facing) or [1] * len(directions)
    head = list(head) or facing
    n = int(round(pass_s * fps))
    tau = np.arange(n) / fps
    passes, starts = [], []
    for pi, d in enumerate(directions):
        starts.append(x0)
        passes.append(_pose(tau, x0, d, T, stance, L, v, facing[pi], head[pi]))
        x0 = x0 + d * v * n / fps  # the next pass starts where this one stopped
    for pi in range(len(directions)):
        frames = passes[pi]
        blocks.append(frames)
        for side, t0 in (("left", 0.25 * T), ("right", 0.75 * T)):
            for ev, te in foot_events(t0, T, stance, strides, tau[-1]):
                truth.append((side, ev, t_offset + te, pi))
        # standing still, turning half-way through the pause (no walking into it)
        m = int(round(pause_s * fps))
        after = passes[pi + 1][:1] if pi + 1 < len(passes) else frames[-1:]
        still = np.concatenate(
            [np.repeat(frames[-1:], m - m // 2, axis=0), np.repeat(after, m // 2, axis=0)]
        )
        blocks.append(still)
        t_offset += (n + len(still)) / fps
    xy = np.concatenate(blocks)[:, None]
    if noise_px:
        xy = xy + rng.normal(0, noise_px, xy.shape)
    f = len(xy)
    vis = np.full((f, 1, NUM_LANDMARKS), 0.95)
    if swap:
        a, b = swap
        li = [INDEX[f"left_{p}"] for p in ("hip", "knee", "ankle", "heel", "foot_index")]
        ri = [INDEX[f"right_{p}"] for p in ("hip", "knee", "ankle", "heel", "foot_index")]
        seg = xy[a : b + 1, 0].copy()
        seg[:, li], seg[:, ri] = xy[a : b + 1, 0][:, ri], xy[a : b + 1, 0][:, li]
        xy[a : b + 1, 0] = seg
    faces = np.repeat(np.asarray(directions) * np.asarray(facing), 2)
    world = _world(
        xy[:, 0],
        np.concatenate([np.full(len(b_), dd) for b_, dd in zip(blocks, faces, strict=False)]),
    )
    seq = PoseSequence(
        image_xy=xy,
        z=np.zeros((f, 1, NUM_LANDMARKS)),
        visibility=vis,
        presence=vis.copy(),
        world_m=world[:, None],
        time_s=np.arange(f) / fps,
        frame_index=np.arange(f),
        image_size=(width, int(GROUND + 0.1 * H)),
    )
    return seq, sorted(truth, key=lambda e: e[2])


def _pose(tau, start_x, d, T, stance, L, v, f=1, hf=1) -> np.ndarray:
    """Landmarks moving towards ``d``, the body facing ``d * f``, the face ``d * hf``."""
    n = len(tau)
    pts = np.zeros((n, NUM_LANDMARKS, 2))
    px = start_x + d * v * tau
    py = GROUND - 0.53 * H + 0.01 * H * np.cos(4 * np.pi * tau / T)
    for side, t0, _z in (("left", 0.25 * T, 1), ("right", 0.75 * T, -1)):
        first = start_x + d * (v * t0 + 0.3 * L)
        heel, lift = foot_track(tau, t0, T, stance, L, first, d, 0.06 * H)
        heel_xy = np.stack([heel, GROUND - lift], -1)
        toe_xy = heel_xy + np.array([d * f * 0.15 * H, 0])
        ankle_xy = heel_xy + np.array([d * f * 0.02 * H, -0.045 * H])
        hip_xy = np.stack([px, py], -1)
        pts[:, INDEX[f"{side}_hip"]] = hip_xy
        pts[:, INDEX[f"{side}_knee"]] = _knee(hip_xy, ankle_xy, d * f)
        pts[:, INDEX[f"{side}_ankle"]] = ankle_xy
        pts[:, INDEX[f"{side}_heel"]] = heel_xy
        pts[:, INDEX[f"{side}_foot_index"]] = toe_xy
        sh = np.stack([px + d * f * 0.02 * H, GROUND - 0.82 * H + 0 * px], -1)
        pts[:, INDEX[f"{side}_shoulder"]] = sh
        for part in ("elbow", "wrist", "pinky", "index", "thumb"):
            pts[:, INDEX[f"{side}_{part}"]] = sh + np.array([0, 0.15 * H])
        for part in ("eye_inner", "eye", "eye_outer", "ear"):
            pts[:, INDEX[f"{side}_{part}"]] = np.stack(
                [px + d * hf * 0.05 * H, np.full(n, GROUND - 0.936 * H)], -1
            )
    pts[:, INDEX["nose"]] = np.stack([px + d * hf * 0.08 * H, np.full(n, GROUND - 0.92 * H)], -1)
    pts[:, INDEX["mouth_left"]] = pts[:, INDEX["mouth_right"]] = pts[:, INDEX["nose"]] + [
        0,
        0.03 * H,
    ]
    return pts


def _world(xy: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Metres (1.7 m tall), centred between the hips; the person's left is away from
    the camera when walking to the right of the picture (z positive)."""
    pelvis = 0.5 * (xy[:, INDEX["left_hip"]] + xy[:, INDEX["right_hip"]])
    w = np.zeros((*xy.shape[:2], 3))
    w[..., :2] = (xy - pelvis[:, None]) / H * 1.7
    from dashboard.skeleton import LEFT, RIGHT

    w[:, list(LEFT), 2] = 0.1 * direction[:, None]
    w[:, list(RIGHT), 2] = -0.1 * direction[:, None]
    return w


def truth_by(truth: list, side: str, event: str):
    return np.array([t for s, e, t, _ in truth if s == side and e == event])
