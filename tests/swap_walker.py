"""Landmark arrays of a synthetic walker seen from the side, and left/right label
swaps injected into them with their truth, for the swap repair tests."""

from __future__ import annotations

import numpy as np

from dashboard.detect import swaps
from dashboard.skeleton import INDEX, NUM_LANDMARKS

FIELDS = ("image_xy", "z", "visibility", "presence", "world_m")


def walking(frames: int = 240, people: int = 1, seed: int = 0) -> dict:
    """A person walking to the left in side view: legs and arms swinging in
    opposite phase (period 30 frames), small noise; every field filled."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None]
    xy = np.zeros((frames, people, NUM_LANDMARKS, 2))
    world = np.zeros((frames, people, NUM_LANDMARKS, 3))
    for p in range(people):
        hip_x = 1100.0 - 3.0 * t[:, 0] + 400 * p
        xy[:, p, :, 0] = hip_x[:, None]
        xy[:, p, :, 1] = 300.0
        heights = {
            "shoulder": -250,
            "elbow": -130,
            "wrist": -20,
            "pinky": 0,
            "index": 5,
            "thumb": -5,
            "hip": 0,
            "knee": 150,
            "ankle": 290,
            "heel": 300,
            "foot_index": 305,
        }
        reach = {
            "elbow": 25,
            "wrist": 50,
            "pinky": 55,
            "index": 58,
            "thumb": 52,
            "knee": 45,
            "ankle": 80,
            "heel": 70,
            "foot_index": 110,
        }
        for side, phase in (("left", 0.0), ("right", np.pi)):
            for part, dy in heights.items():
                i = INDEX[f"{side}_{part}"]
                swing = np.sin(
                    2 * np.pi * t[:, 0] / 30
                    + phase
                    + (np.pi if part in swaps.LIMB_PARTS["arms"] else 0)
                )
                dx = reach.get(part, 0) * swing
                xy[:, p, i, 0] += dx + (-12 if part == "foot_index" else 0)
                xy[:, p, i, 1] += dy
                world[:, p, i, 0] = dx / 400
                world[:, p, i, 1] = dy / 400
                world[:, p, i, 2] = -0.1 if side == "left" else 0.1
        for i in range(11):  # face
            xy[:, p, i] += [-30, -300]
            world[:, p, i] = [-0.08, -0.75, 0.0]
    xy += rng.normal(0, 1.0, xy.shape)
    world += rng.normal(0, 0.003, world.shape)
    vis = np.full(xy.shape[:3], 0.95)
    vis[..., [INDEX[f"right_{p}"] for p in swaps.LIMB_PARTS["legs"]]] = 0.7  # far leg
    return dict(
        image_xy=xy,
        z=world[..., 2].copy(),
        visibility=vis,
        presence=np.full_like(vis, 0.99),
        world_m=world,
    )


def inject(arrays: dict, frames, person: int = 0, limb: str = "legs") -> np.ndarray:
    """Swap ``limb``'s labels in ``frames`` in place; returns the (F, P, 2) truth."""
    truth = np.zeros((*arrays["image_xy"].shape[:2], 2), bool)
    truth[list(frames), person, swaps.LIMBS.index(limb)] = True
    swapped = swaps.apply_swaps(arrays, truth)
    arrays.update(swapped)
    return truth


def apart(t: int) -> bool:
    """Legs and arms clearly apart at frame t (not crossing)."""
    return abs(np.sin(2 * np.pi * t / 30)) > 0.6
