"""A synthetic side-view person with known functional-test events (for tests).

A two-link leg (thigh and shank 200 px each: a leg length of 400 px) whose thigh
turns from horizontal (seated: hips half a leg above the ankles) to vertical
(standing: a whole leg), a trunk that leans forward while rising, a head whose nose
points the way the person faces, and feet that can slide along the floor (walking)
or lift (single-leg stance). Everything is built from per-frame "scripts": arrays of
the thigh angle, the lean, the pelvis x, the facing and each foot's lift.
"""

from __future__ import annotations

import numpy as np

from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, LEFT, NUM_LANDMARKS, RIGHT

SEG = 200.0  # thigh and shank, px
FLOOR = 1000.0  # ankle image y
W, H = 2400, 1100


def smoothstep(n: int) -> np.ndarray:
    s = np.linspace(0.0, 1.0, n)
    return 3 * s**2 - 2 * s**3


class Script:
    """Per-frame scripts, appended phase by phase; ``mark(name)`` notes an event time."""

    def __init__(self, fps: float = 30.0, x0: float = 600.0, facing: float = 1.0):
        self.fps = fps
        self.theta, self.lean, self.x, self.face, self.lift_l, self.lift_r = [], [], [], [], [], []
        self.state = dict(theta=0.0, lean=0.0, x=x0, face=facing, lift_l=0.0, lift_r=0.0)
        self.events: dict[str, float] = {}

    @property
    def t(self) -> float:
        return len(self.theta) / self.fps

    def mark(self, name: str) -> None:
        self.events[name] = self.t

    def go(self, seconds: float, **targets) -> Script:
        """Move each named quantity from its current value to the target over ``seconds``."""
        n = max(round(seconds * self.fps), 1)
        ramp = smoothstep(n + 1)[1:]
        for key in ("theta", "lean", "x", "face", "lift_l", "lift_r"):
            a = self.state[key]
            b = targets.get(key, a)
            getattr(self, key).extend(a + (b - a) * ramp)
            self.state[key] = b
        return self

    def hold(self, seconds: float) -> Script:
        return self.go(seconds)

    def sts(self, stand_s: float = 0.3, sit_s: float = 0.4, n: int = 1, prefix: str = "") -> Script:
        """``n`` sit-to-stand cycles marking seat_off/full_stand/seat_on."""
        for k in range(n):
            self.go(0.3, lean=35.0)
            self.mark(f"{prefix}seat_off_{k + 1}")
            self.go(0.6, theta=90.0, lean=0.0)
            self.mark(f"{prefix}full_stand_{k + 1}")
            self.hold(stand_s)
            self.go(0.7, theta=0.0, lean=20.0)
            self.mark(f"{prefix}seat_on_{k + 1}")
            self.go(0.2, lean=0.0)
            self.hold(sit_s)
        return self

    def sequence(self, view: str = "side", missing: tuple[int, int] | None = None) -> PoseSequence:
        return build(self, view, missing)


def _leg(ankle: np.ndarray, theta: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    knee = ankle + np.stack([np.zeros_like(theta), -SEG * np.ones_like(theta)], -1)
    th = np.radians(theta)
    hip = knee + SEG * np.stack([-np.cos(th) * f, -np.sin(th)], -1)
    return knee, hip


def build(s: Script, view: str = "side", missing=None) -> PoseSequence:
    """The PoseSequence of a script (``view``: 'side' or 'front'; ``missing``: (a, b)
    frames where nobody is found)."""
    n = len(s.theta)
    theta, lean = np.array(s.theta), np.radians(np.array(s.lean))
    x, face = np.array(s.x), np.array(s.face)
    f = np.sign(face) + (face == 0)
    pts = np.zeros((n, NUM_LANDMARKS, 2))
    hips = []
    for side, dx, lift in (("left", 8.0, s.lift_l), ("right", -8.0, s.lift_r)):
        ankle = np.stack([x + dx, FLOOR - np.array(lift)], -1)
        knee, hip = _leg(ankle, theta, f)
        hips.append(hip)
        pts[:, INDEX[f"{side}_ankle"]] = ankle
        pts[:, INDEX[f"{side}_knee"]] = knee
        pts[:, INDEX[f"{side}_heel"]] = ankle + np.stack([-0.05 * 400 * f, 0.03 * 400 + 0 * f], -1)
        pts[:, INDEX[f"{side}_foot_index"]] = ankle + np.stack(
            [0.15 * 400 * f, 0.03 * 400 + 0 * f], -1
        )
    hip = 0.5 * (hips[0] + hips[1])
    for side in ("left", "right"):
        pts[:, INDEX[f"{side}_hip"]] = hip
    shoulder = hip + 300 * np.stack([np.sin(lean) * f, -np.cos(lean)], -1)
    ears = shoulder + np.array([0.0, -90.0])
    nose = ears + np.stack([40.0 * face, 10.0 + 0 * face], -1)
    for side in ("left", "right"):
        pts[:, INDEX[f"{side}_shoulder"]] = shoulder
        for part in ("elbow", "wrist", "pinky", "index", "thumb"):
            pts[:, INDEX[f"{side}_{part}"]] = shoulder + np.array([0.0, 60.0])
        for part in ("eye_inner", "eye", "eye_outer", "ear"):
            pts[:, INDEX[f"{side}_{part}"]] = ears
    pts[:, INDEX["nose"]] = nose
    pts[:, INDEX["mouth_left"]] = pts[:, INDEX["mouth_right"]] = nose + np.array([0.0, 20.0])
    world = np.zeros((n, NUM_LANDMARKS, 3))
    world[..., :2] = (pts - hip[:, None]) / 450.0
    if view == "side":
        world[:, list(LEFT), 2], world[:, list(RIGHT), 2] = 0.1, -0.1
    else:
        world[:, list(LEFT), 0] += 0.1
        world[:, list(RIGHT), 0] -= 0.1
    vis = np.full((n, NUM_LANDMARKS), 0.95)
    xy = pts[:, None].copy()
    world = world[:, None]
    if missing is not None:
        a, b = missing
        xy[a : b + 1] = np.nan
        world[a : b + 1] = np.nan
    return PoseSequence(
        image_xy=xy,
        z=np.zeros((n, 1, NUM_LANDMARKS)),
        visibility=vis[:, None],
        presence=vis[:, None].copy(),
        world_m=world,
        time_s=np.arange(n) / s.fps,
        frame_index=np.arange(n),
        image_size=(W, H),
    )


def sts_script(reps: int = 5, still_s: float = 1.0, fps: float = 30.0) -> Script:
    s = Script(fps)
    s.hold(still_s)
    s.mark("start")
    s.sts(n=reps)
    s.hold(0.5)
    return s


def tug_script(fps: float = 30.0, walk_s: float = 2.0) -> Script:
    s = Script(fps, x0=500.0)
    s.hold(1.0)
    s.mark("start")
    s.go(0.3, lean=35.0)
    s.mark("seat_off")
    s.go(0.6, theta=90.0, lean=0.0)
    s.mark("standing")
    s.go(walk_s, x=500.0 + 1200.0)
    s.mark("turn_start")
    s.go(1.0, face=-1.0)
    s.mark("turn_end")
    s.go(walk_s, x=500.0)
    s.mark("sit_turn_start")
    s.go(0.8, face=1.0)
    s.go(0.7, theta=0.0, lean=20.0)
    s.mark("seated")
    s.go(0.2, lean=0.0)
    s.hold(1.0)
    return s


def sls_script(right_lift_s: float = 5.0, left_lift_s: float = 3.0, end_s: float = 1.0) -> Script:
    """Standing; right foot lifted (standing on the left) then the left foot lifted."""
    s = Script(30.0)
    s.go(0.01, theta=90.0)
    s.hold(1.0)
    s.mark("lift_left_stance")
    s.go(0.15, lift_r=60.0)
    s.hold(right_lift_s - 0.3)
    s.go(0.15, lift_r=0.0)
    s.mark("down_left_stance")
    s.hold(1.0)
    s.mark("lift_right_stance")
    s.go(0.15, lift_l=60.0)
    s.hold(left_lift_s - 0.3)
    if end_s > 0:
        s.go(0.15, lift_l=0.0)
        s.mark("down_right_stance")
        s.hold(end_s)
    return s


def camera_moves(
    seq: PoseSequence,
    from_s: float,
    seconds: float = 1.5,
    deg_per_s: float = 8.0,
    zoom_per_s: float = 0.08,
    pan_px_s: tuple[float, float] = (100.0, 30.0),
) -> PoseSequence:
    """``seq`` as a hand-held camera would give it if it started to turn (about the
    picture's centre), zoom and pan at ``from_s`` for ``seconds`` while the person
    keeps still: every landmark moves by one shift, turn and scale per frame."""
    import dataclasses

    dt = np.clip(np.asarray(seq.time_s, float) - from_s, 0.0, seconds)
    turn = np.radians(deg_per_s * dt)[:, None, None]
    scale = (1.0 + zoom_per_s * dt)[:, None, None]
    centre = np.asarray(seq.image_size, float) / 2
    p = seq.image_xy - centre
    x = (p[..., 0] * np.cos(turn) - p[..., 1] * np.sin(turn)) * scale
    y = (p[..., 0] * np.sin(turn) + p[..., 1] * np.cos(turn)) * scale
    pan = (np.asarray(pan_px_s, float) * dt[:, None])[:, None, None, :]
    return dataclasses.replace(seq, image_xy=np.stack([x, y], -1) + centre + pan)
