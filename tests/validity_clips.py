"""The measurements behind ``docs/validity.md``: labelled frames of the shared clips
and the figures each verdict of :mod:`dashboard.kinematics.validity_rules` rests on.

Labels were set by looking at the frames (contact sheets of every frame of the
squat clip, every 8th of the sit-to-stand), never from the angles. The figures are
printed by ``benchmarks/validity_figures.py`` and checked by
``tests/accuracy/test_validity_clips.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dashboard.skeleton import INDEX

SQUAT = "tfjs_pose_squats_front"  # 5 fps, 65 frames, three-quarter front view (~34°)
RAISE = "sports2d_demo5_lateral_raise_front"  # front view, standing, 4 + 4 raises
STS = "frailtyvision_5xsts_side_portrait"  # side view, five sit-to-stands, left side near
WALK = "sports2d_demo4_gait_side"
SPRINT = "sports2d_demo3_sprint_side"

#: By eye. Squat: standing upright (knee 0-5°, ankle about 0°); bottom of the squat
#: (thighs about horizontal, shins 25-30° forward of vertical, heels down: knee
#: about 115-125°, hip about 115-125°, ankle dorsiflexed 25-30°).
SQUAT_STANDING = (*range(0, 3), *range(19, 26), *range(42, 51))
SQUAT_BOTTOM = (*range(8, 12), *range(32, 37), *range(57, 63))
#: Sit-to-stand: standing upright (legs straight: knee 0-5°) and seated (knee 90-100°).
STS_STANDING = (*range(32, 38), *range(88, 92), *range(144, 151), *range(194, 201))
STS_STANDING += tuple(range(250, 257))
STS_SEATED = (*range(0, 17), *range(60, 71), *range(108, 121), *range(164, 177))
STS_SEATED += (*range(216, 233), *range(272, 281))


def analyse(media_dir: Path, name: str, model_info):
    """The clip's landmarks with the built-in model (as the app and CLI get them)."""
    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.settings import AnalysisSettings

    with native_logs_silenced():
        return engine.analyze_video(
            (Path(media_dir) / "videos" / f"{name}.mp4").read_bytes(),
            model_info,
            AnalysisSettings(),
            name=f"{name}.mp4",
            workers=1,
        )


def kinematics(seq):
    from dashboard.kinematics.summary import compute_kinematics

    return compute_kinematics(seq)


def raw(kin, space: str, key: str, side: str) -> np.ndarray:
    return kin.space(space).series(key, side, 0, filtered=False)


def _med(x, frames=None) -> float:
    x = np.asarray(x, float)
    if frames is not None:
        x = x[list(frames)]
    return float(np.nanmedian(x)) if np.isfinite(x).any() else float("nan")


def _tilts(seq, side: str, space: str):
    """(F,) shank tilt from vertical and foot slope below horizontal (toes down), deg."""
    pts = np.asarray(seq.world_m if space == "world" else seq.image_xy, float)[:, 0]
    if pts.shape[-1] == 2:
        pts = np.concatenate([pts, np.zeros((*pts.shape[:-1], 1))], -1)

    def vec(a, b):
        return pts[:, INDEX[f"{side}_{b}"]] - pts[:, INDEX[f"{side}_{a}"]]

    shank, foot = vec("ankle", "knee"), vec("heel", "foot_index")
    tilt = np.degrees(np.arctan2(np.hypot(shank[:, 0], shank[:, 2]), -shank[:, 1]))
    slope = np.degrees(np.arctan2(foot[:, 1], np.hypot(foot[:, 0], foot[:, 2])))
    return tilt, slope


def squat_figures(seq, kin) -> dict[str, float]:
    """World knee, hip and ankle at the labelled squat frames; how the 3-D foot turns."""
    out = {}
    for key in ("knee_flexion", "hip_flexion", "ankle_dorsiflexion"):
        both = np.stack([raw(kin, "world", key, s) for s in ("left", "right")], -1)
        out[f"world_{key}_bottom"] = _med(both, SQUAT_BOTTOM)
        out[f"world_{key}_standing"] = _med(both, SQUAT_STANDING)
    ankle = np.stack([raw(kin, "world", "ankle_dorsiflexion", s) for s in ("left", "right")], -1)
    out["world_ankle_bottom_max"] = float(np.nanmax(ankle[list(SQUAT_BOTTOM)]))
    out["world_ankle_bottom_min"] = float(np.nanmin(ankle[list(SQUAT_BOTTOM)]))
    knee = np.stack([raw(kin, "world", "knee_flexion", s) for s in ("left", "right")], -1)
    out["world_knee_range"] = float(np.nanmedian(np.nanmax(knee, 0) - np.nanmin(knee, 0)))
    turns = []
    for side in ("left", "right"):
        tilt, slope = _tilts(seq, side, "world")
        turns.append(
            (
                _med(tilt, SQUAT_BOTTOM) - _med(tilt, SQUAT_STANDING),
                _med(slope, SQUAT_BOTTOM) - _med(slope, SQUAT_STANDING),
            )
        )
    out["world_shank_turn"] = float(np.mean([t[0] for t in turns]))
    out["world_foot_turn"] = float(np.mean([t[1] for t in turns]))
    return out


def sts_figures(seq, kin) -> dict[str, float]:
    """Side view: world against picture (near leg), the far leg against the near one,
    the 3-D foot slope against the picture's."""
    out = {}
    near, far = "left", "right"
    for key in ("knee_flexion", "hip_flexion", "ankle_dorsiflexion"):
        img, wld = raw(kin, "image", key, near), raw(kin, "world", key, near)
        out[f"{key}_world_minus_image"] = _med(wld - img)
        out[f"{key}_image_range"] = float(np.nanmax(img) - np.nanmin(img))
        out[f"{key}_world_range"] = float(np.nanmax(wld) - np.nanmin(wld))
    out["image_knee_standing"] = _med(raw(kin, "image", "knee_flexion", near), STS_STANDING)
    out["world_knee_standing"] = _med(raw(kin, "world", "knee_flexion", near), STS_STANDING)
    out["image_knee_seated"] = _med(raw(kin, "image", "knee_flexion", near), STS_SEATED)
    n_img, f_img = raw(kin, "image", "knee_flexion", near), raw(kin, "image", "knee_flexion", far)
    both = np.isfinite(n_img) & np.isfinite(f_img)
    out["far_minus_near_knee_p95"] = float(np.percentile(np.abs(f_img - n_img)[both], 95))
    out["far_knee_range_excess"] = float(
        (np.nanmax(f_img) - np.nanmin(f_img)) - (np.nanmax(n_img) - np.nanmin(n_img))
    )
    for space in ("image", "world"):
        _, slope = _tilts(seq, near, space)
        out[f"{space}_foot_slope"] = _med(slope)
    return out


def raise_figures(seq, kin) -> dict[str, float]:
    """Front view, standing: world against picture; 3-D values of a standing man."""
    out = {}
    for key in ("shoulder_abduction", "elbow_flexion", "knee_valgus"):
        for side in ("left", "right"):
            d = raw(kin, "world", key, side) - raw(kin, "image", key, side)
            out[f"{key}_{side}_world_minus_image"] = _med(d)
    for key in ("trunk_lateral_inclination", "pelvic_obliquity", "shoulder_tilt"):
        out[f"{key}_world_minus_image"] = _med(
            raw(kin, "world", key, "") - raw(kin, "image", key, "")
        )
    for key, side in (("knee_flexion", "left"), ("knee_flexion", "right")):
        w = raw(kin, "world", key, side)
        out[f"world_{key}_{side}_p5"], out[f"world_{key}_{side}_p95"] = np.nanpercentile(w, [5, 95])
    for key in ("trunk_inclination", "neck_flexion"):
        w = raw(kin, "world", key, "")
        out[f"world_{key}_p5"], out[f"world_{key}_p95"] = np.nanpercentile(w, [5, 95])
    w = raw(kin, "world", "shoulder_flexion", "left")
    out["world_shoulder_flexion_p95"] = float(np.nanpercentile(w, 95))
    from dashboard.kinematics.summary import rom_of

    rom = rom_of(kin)
    for space in ("image", "world"):
        row = rom[
            (rom.angle == "shoulder_abduction") & (rom.side == "left") & (rom.space == space)
        ].iloc[0]
        out[f"{space}_abduction_symmetry_pct"] = row.symmetry_index_pct
    return {k: float(v) for k, v in out.items()}


def side_ankle_figures(kin) -> dict[str, float]:
    """World minus picture ankle (both legs) in a side-view clip."""
    d = [
        raw(kin, "world", "ankle_dorsiflexion", s) - raw(kin, "image", "ankle_dorsiflexion", s)
        for s in ("left", "right")
    ]
    return {"ankle_world_minus_image": _med(np.concatenate(d))}
