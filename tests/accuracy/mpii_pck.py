"""PCK of a pose model on the shared human-labelled MPII photos (helper for the
accuracy test and benchmarks/models.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

#: MPII joint index -> MediaPipe landmark name (the 12 limb joints both define).
MPII_TO_MEDIAPIPE = {
    0: "right_ankle",
    1: "right_knee",
    2: "right_hip",
    3: "left_hip",
    4: "left_knee",
    5: "left_ankle",
    10: "right_wrist",
    11: "right_elbow",
    12: "right_shoulder",
    13: "left_shoulder",
    14: "left_elbow",
    15: "left_wrist",
}


def mpii_pck(media_dir: Path, model, alpha: float = 0.05):
    """(PCK, correct, total): share of labelled joints within ``alpha`` x the person's
    height (MPII ``scale`` x 200 px) of the model's landmark. Each photo is
    analysed with up to 4 poses; the pose whose hips are nearest the labelled
    person's centre is scored (a joint missing from the result counts as wrong)."""
    from dashboard.detect.engine import analyze_image
    from dashboard.media.images import decode_image
    from dashboard.settings import AnalysisSettings
    from dashboard.skeleton import INDEX

    folder = media_dir / "labelled" / "mpii"
    people = json.loads((folder / "test_mpii.json").read_text())
    correct = total = 0
    for person in people:
        rgb = decode_image((folder / person["image"]).read_bytes(), person["image"]).rgb
        seq = analyze_image(rgb, model, AnalysisSettings(num_poses=4))
        joints = np.asarray(person["joints"], float)
        seen = np.asarray(person["joints_vis"], bool)
        best = None
        if seq.num_people:
            hips = seq.image_xy[0][:, [INDEX["left_hip"], INDEX["right_hip"]]].mean(1)
            dist = np.linalg.norm(hips - np.asarray(person["center"]), axis=-1)
            best = seq.image_xy[0, int(np.nanargmin(dist))]
        limit = alpha * float(person["scale"]) * 200.0
        for j, name in MPII_TO_MEDIAPIPE.items():
            if not seen[j]:
                continue
            total += 1
            if best is not None:
                err = np.linalg.norm(best[INDEX[name]] - joints[j])
                correct += bool(np.isfinite(err) and err <= limit)
    return correct / max(total, 1), correct, total
