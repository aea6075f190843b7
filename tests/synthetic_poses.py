"""Synthetic skeletons of known joint angles for the angle tests.

A skeleton is built in body coordinates (anterior, up, left) from chosen joint angles,
placed in MediaPipe's camera-aligned world frame facing the camera, away from it or to
either side, and projected orthographically to pixels of non-square frames.
"""

from __future__ import annotations

import numpy as np

from dashboard.kinematics.filters import FilterSettings
from dashboard.poses import PoseSequence
from dashboard.skeleton import INDEX, LANDMARK_NAMES

TOL = 0.01  # degrees
NO_FILTER = FilterSettings(method="none", max_gap_s=0)


# body axes -> world (x, y, z) for each way the person can face the camera
ORIENTATIONS = {
    # anterior,     up,          left
    "front": ((0, 0, -1), (0, -1, 0), (1, 0, 0)),
    "back": ((0, 0, 1), (0, -1, 0), (-1, 0, 0)),
    "right": ((1, 0, 0), (0, -1, 0), (0, 0, 1)),  # faces image right
    "left": ((-1, 0, 0), (0, -1, 0), (0, 0, -1)),  # faces image left
}


def sagittal_direction(phi):
    """Unit vector in the sagittal plane, phi deg from 'down' towards anterior."""
    r = np.radians(phi)
    return np.array([np.sin(r), -np.cos(r), 0.0])


def frontal_direction(theta, s):
    """Unit vector in the frontal plane, theta deg from 'down' towards side s (+1 left)."""
    r = np.radians(theta)
    return np.array([0.0, -np.cos(r), s * np.sin(r)])


def _head(pts, mid_sh, neck_dir, anterior):
    left = np.array([0.0, 0.0, 1.0])
    mid_ear = mid_sh + 0.2 * neck_dir
    pts["left_ear"], pts["right_ear"] = mid_ear + 0.07 * left, mid_ear - 0.07 * left
    pts["nose"] = mid_ear + 0.1 * anterior
    for n in ("left_eye_inner", "left_eye", "left_eye_outer", "mouth_left"):
        pts[n] = pts["nose"] + 0.03 * left
    for n in ("right_eye_inner", "right_eye", "right_eye_outer", "mouth_right"):
        pts[n] = pts["nose"] - 0.03 * left


def _hand(pts, side, wrist, direction):
    pts[f"{side}_wrist"] = wrist
    for n in ("pinky", "index", "thumb"):
        pts[f"{side}_{n}"] = wrist + 0.08 * direction


def sagittal_pose(trunk=10.0, neck=12.0, sides=None):
    """Body-coordinate landmarks of a pose moving in the sagittal plane only."""
    sides = sides or {
        "left": dict(hip=35.0, knee=60.0, ankle=15.0, shoulder=40.0, elbow=70.0),
        "right": dict(hip=-12.0, knee=5.0, ankle=-25.0, shoulder=-20.0, elbow=25.0),
    }
    pts = {}
    up_t = np.array([np.sin(np.radians(trunk)), np.cos(np.radians(trunk)), 0.0])
    mid_sh = 0.5 * up_t
    for side, s in (("left", 1.0), ("right", -1.0)):
        a = sides[side]
        m = np.array([0.0, 0.0, s])
        hip = 0.1 * m
        shoulder = mid_sh + 0.18 * m
        pts[f"{side}_hip"], pts[f"{side}_shoulder"] = hip, shoulder
        phi_t = -trunk + a["hip"]
        knee = hip + 0.45 * sagittal_direction(phi_t)
        phi_s = phi_t - a["knee"]
        ankle = knee + 0.42 * sagittal_direction(phi_s)
        phi_f = phi_s + 180.0 - 90.0 + a["ankle"]
        f, su = sagittal_direction(phi_f), -sagittal_direction(phi_s)
        heel = ankle - 0.05 * f - 0.03 * su
        pts[f"{side}_knee"], pts[f"{side}_ankle"] = knee, ankle
        pts[f"{side}_heel"], pts[f"{side}_foot_index"] = heel, heel + 0.22 * f
        phi_ua = -trunk + a["shoulder"]
        elbow = shoulder + 0.3 * sagittal_direction(phi_ua)
        phi_fa = phi_ua + a["elbow"]
        pts[f"{side}_elbow"] = elbow
        _hand(pts, side, elbow + 0.27 * sagittal_direction(phi_fa), sagittal_direction(phi_fa))
    phi_nk = 180.0 - trunk - neck
    _head(pts, mid_sh, sagittal_direction(phi_nk), sagittal_direction(phi_nk - 90.0))
    expected = {("trunk_inclination", ""): trunk, ("neck_flexion", ""): neck}
    for side in ("left", "right"):
        a = sides[side]
        expected.update(
            {
                ("hip_flexion", side): a["hip"],
                ("knee_flexion", side): a["knee"],
                ("ankle_dorsiflexion", side): a["ankle"],
                ("shoulder_flexion", side): a["shoulder"],
                ("elbow_flexion", side): abs(a["elbow"]),
            }
        )
    return pts, expected


def frontal_pose(lean=6.0, obliquity=4.0, tilt=-3.0, sides=None):
    """Body-coordinate landmarks of a pose moving in the frontal plane only."""
    sides = sides or {
        "left": dict(abduction=95.0, elbow=30.0, hip=8.0, valgus=12.0),
        "right": dict(abduction=20.0, elbow=10.0, hip=-3.0, valgus=-7.0),
    }
    pts = {}
    ro, rt, rl = np.radians([obliquity, tilt, lean])
    hip_line = np.array([0.0, np.sin(ro), np.cos(ro)])
    sh_line = np.array([0.0, np.sin(rt), np.cos(rt)])
    up_t = np.array([0.0, np.cos(rl), np.sin(rl)])
    mid_sh = 0.5 * up_t
    for side, s in (("left", 1.0), ("right", -1.0)):
        a = sides[side]
        hip, shoulder = s * 0.1 * hip_line, mid_sh + s * 0.18 * sh_line
        pts[f"{side}_hip"], pts[f"{side}_shoulder"] = hip, shoulder
        th_ua = -s * lean + a["abduction"]
        elbow = shoulder + 0.3 * frontal_direction(th_ua, s)
        th_fa = th_ua + a["elbow"]
        pts[f"{side}_elbow"] = elbow
        _hand(pts, side, elbow + 0.27 * frontal_direction(th_fa, s), frontal_direction(th_fa, s))
        knee = hip + 0.45 * frontal_direction(a["hip"], s)
        ankle = knee + 0.42 * frontal_direction(a["hip"] + a["valgus"], s)
        heel = ankle + np.array([-0.05, -0.03, 0.0])
        pts[f"{side}_knee"], pts[f"{side}_ankle"] = knee, ankle
        pts[f"{side}_heel"], pts[f"{side}_foot_index"] = heel, heel + np.array([0.2, 0, 0])
    _head(pts, mid_sh, up_t, np.array([1.0, 0.0, 0.0]))
    expected = {
        ("trunk_lateral_inclination", ""): lean,
        ("pelvic_obliquity", ""): obliquity,
        ("shoulder_tilt", ""): tilt,
    }
    for side in ("left", "right"):
        a = sides[side]
        expected.update(
            {
                ("shoulder_abduction", side): a["abduction"],
                ("elbow_flexion", side): abs(a["elbow"]),
                ("knee_valgus", side): a["valgus"],
            }
        )
    return pts, expected


def to_sequence(pts, facing, image_size=(1280, 720), scale=500.0, frames=1, visibility=1.0):
    """PoseSequence of ``frames`` identical frames of one person."""
    ant, up, left = (np.array(v, float) for v in ORIENTATIONS[facing])
    body = np.array([pts[n] for n in LANDMARK_NAMES])  # (33, 3) anterior, up, left
    world = body[:, :1] * ant + body[:, 1:2] * up + body[:, 2:3] * left
    world = world - 0.5 * (world[INDEX["left_hip"]] + world[INDEX["right_hip"]])
    w, h = image_size
    xy = np.array([0.5 * w, 0.45 * h]) + scale * world[:, :2]
    vis = np.broadcast_to(np.asarray(visibility, float), (33,))

    def tile(a):
        return np.repeat(a[None, None], frames, axis=0)

    return PoseSequence(
        image_xy=tile(xy),
        z=tile(world[:, 2]),
        visibility=tile(vis),
        presence=tile(np.ones(33)),
        world_m=tile(world),
        time_s=np.arange(frames) / 30.0,
        frame_index=np.arange(frames),
        image_size=image_size,
    )


# --------------------------------------------------------------------------
# out of the plane: undefined (NaN), never wrapped
# --------------------------------------------------------------------------
def frames_sequence(pts_list, facing="front", image_size=(1280, 720)):
    """One PoseSequence whose frame i is the skeleton ``pts_list[i]``."""
    seqs = [to_sequence(p, facing, image_size) for p in pts_list]

    def cat(name):
        return np.concatenate([getattr(s, name) for s in seqs])

    n = len(seqs)
    return PoseSequence(
        image_xy=cat("image_xy"),
        z=cat("z"),
        visibility=cat("visibility"),
        presence=cat("presence"),
        world_m=cat("world_m"),
        time_s=np.arange(n) / 30.0,
        frame_index=np.arange(n),
        image_size=image_size,
    )


ANTERIOR = np.array([1.0, 0.0, 0.0])  # body coordinates (anterior, up, left)


def arm_out_of_plane(beta, abduction=30.0, side="left", jitter=None):
    """Frontal pose whose upper arm (abducted ``abduction`` deg in the frontal plane)
    is turned ``beta`` deg forwards out of the frontal plane, the forearm with it."""
    pts, _ = frontal_pose(0.0, 0.0, 0.0)
    s = 1.0 if side == "left" else -1.0
    r = np.radians(beta)
    d = np.cos(r) * frontal_direction(abduction, s) + np.sin(r) * ANTERIOR
    pts[f"{side}_elbow"] = pts[f"{side}_shoulder"] + 0.3 * d
    if jitter is not None:
        pts[f"{side}_elbow"] = pts[f"{side}_elbow"] + jitter
    _hand(pts, side, pts[f"{side}_elbow"] + 0.27 * d, d)
    return pts


def thigh_out_of_plane(beta, hip=5.0, valgus=10.0, side="left"):
    """Frontal pose whose straight-ish leg (valgus ``valgus``) swings ``beta`` deg
    forwards out of the frontal plane, as the thigh does going down into a squat."""
    pts, _ = frontal_pose(0.0, 0.0, 0.0)
    s = 1.0 if side == "left" else -1.0
    r = np.radians(beta)
    thigh = np.cos(r) * frontal_direction(hip, s) + np.sin(r) * ANTERIOR
    shank = np.cos(r) * frontal_direction(hip + valgus, s) + np.sin(r) * ANTERIOR
    knee = pts[f"{side}_hip"] + 0.45 * thigh
    ankle = knee + 0.42 * shank
    heel = ankle + np.array([-0.05, -0.03, 0.0])
    pts[f"{side}_knee"], pts[f"{side}_ankle"] = knee, ankle
    pts[f"{side}_heel"], pts[f"{side}_foot_index"] = heel, heel + np.array([0.2, 0, 0])
    return pts


BETAS = np.arange(0, 90)  # degrees out of the frontal plane, one per frame
