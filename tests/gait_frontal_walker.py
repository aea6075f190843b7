"""A synthetic walker filmed from the front or the back (walking towards or away from
a phone in a corridor), with known gait events, for tests.

A pinhole camera at 1.0 m height looks along the corridor; the person (1.70 m)
walks towards it (``towards=True``) or away from it at constant speed, each foot
standing still on the floor for ``stance`` of the stride and swinging forward,
lifted, for the rest (:func:`tests.gait_walker.foot_track`, as the side walker).
Landmarks are the projections of the body points, so the person grows in the picture
walking towards the camera and the feet, standing still, keep their place in the picture.
"""

from __future__ import annotations

import numpy as np

from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, NUM_LANDMARKS
from tests.gait_walker import foot_events, foot_track

F_PX = 1000.0
CAM_H = 1.0
SIZE = (1280, 720)
STATURE_M = 1.70

_BODY_M = {  # (lateral, height): lateral positive = the person's left
    "nose": (0.0, 1.58),
    "eye": (0.03, 1.62),
    "eye_inner": (0.02, 1.62),
    "eye_outer": (0.045, 1.62),
    "ear": (0.075, 1.60),
    "mouth": (0.025, 1.53),
    "shoulder": (0.19, 1.42),
    "elbow": (0.22, 1.12),
    "wrist": (0.22, 0.86),
    "pinky": (0.22, 0.80),
    "index": (0.21, 0.79),
    "thumb": (0.20, 0.81),
    "hip": (0.10, 0.92),
}


def frontal_walker(
    towards: bool = True,
    fps: float = 30.0,
    strides: float = 4.0,
    T: float = 1.1,
    stance: float = 0.6,
    speed_m_s: float = 1.2,
    still_s: float = 1.0,
    noise_px: float = 0.0,
    seed: int = 0,
):
    """(PoseSequence, truth): the person stands ``still_s``, then walks ``strides``
    strides; truth is a list of (side, event, time_s) of the walking part."""
    rng = np.random.default_rng(seed)
    d = -1.0 if towards else 1.0  # along the corridor (z: distance from the camera)
    z0 = 8.5 if towards else 3.0
    n_walk = round(strides * T * fps)
    n_still = round(still_s * fps)
    t = np.arange(n_still + n_walk) / fps
    tau = np.clip(t - still_s, 0, None)
    L = speed_m_s * T
    zp = z0 + d * speed_m_s * tau
    pts3 = np.zeros((len(t), NUM_LANDMARKS, 3))  # (lateral, height, distance)
    pts3[..., 1], pts3[..., 2] = 1.0, zp[:, None]  # landmarks not placed below
    facing = -d  # the face points the way they walk
    for name, (lat, h) in _BODY_M.items():
        for side, sgn in (("left", 1), ("right", -1)):
            key = name if name == "nose" else f"{side}_{name}"
            if key not in INDEX:
                continue
            pts3[:, INDEX[key]] = np.stack(
                [np.full(len(t), sgn * lat), np.full(len(t), h), zp + 0.05 * facing], -1
            )
    truth = []
    for side, sgn, t0 in (("left", 1, 0.25 * T), ("right", -1, 0.75 * T)):
        first = z0 + d * (speed_m_s * t0 + 0.3 * L)
        z, lift = foot_track(tau, t0, T, stance, L, first, d, 0.10)  # along the corridor
        moving = t >= still_s
        z = np.where(moving, z, z[np.argmax(moving)])
        lift = np.where(moving, lift, 0.0)
        lat = np.full(len(t), sgn * 0.10)
        for part, h, dz in (
            ("ankle", 0.08, 0.0),
            ("heel", 0.03, -0.06),
            ("foot_index", 0.02, 0.18),
        ):
            pts3[:, INDEX[f"{side}_{part}"]] = np.stack([lat, h + lift, z + facing * dz], -1)
        knee_z = 0.5 * (z + zp) + facing * 0.04
        pts3[:, INDEX[f"{side}_knee"]] = np.stack([lat, 0.5 + 0.5 * lift, knee_z], -1)
        truth += [
            (side, ev, still_s + te) for ev, te in foot_events(t0, T, stance, strides, tau[-1])
        ]
    # camera: x right; the person's left is on the picture's right when they face it
    lat_img = pts3[..., 0] * (1.0 if towards else -1.0)
    xy = np.stack(
        [
            SIZE[0] / 2 + F_PX * lat_img / pts3[..., 2],
            SIZE[1] / 2 - F_PX * (pts3[..., 1] - CAM_H) / pts3[..., 2],
        ],
        -1,
    )[:, None]
    if noise_px:
        xy = xy + rng.normal(0, noise_px, xy.shape)
    f = len(t)
    vis = np.full((f, 1, NUM_LANDMARKS), 0.95)
    world = np.stack([pts3[..., 0], -(pts3[..., 1] - 0.92), pts3[..., 2] - zp[:, None]], -1)[
        :, None
    ]
    seq = PoseSequence(
        image_xy=xy,
        z=np.zeros((f, 1, NUM_LANDMARKS)),
        visibility=vis,
        presence=vis.copy(),
        world_m=world,
        time_s=t,
        frame_index=np.arange(f),
        image_size=SIZE,
    )
    return seq, sorted(truth, key=lambda e: e[2])
