"""Gait events against force plates: PoseDash's event detection on a virtual side camera.

What is measured
----------------
For each overground walking trial of Fukuchi, Fukuchi & Duarte (2018; PeerJ 6:e4640,
CC BY 4.0) kept in ``benchmarks/data/fukuchi2018`` (markers every 5th row of the
150 Hz recording = 30 fps, force-plate events at 300 Hz; see the README there), the
lower-limb markers are projected to a virtual phone camera standing beside the
walkway (1920 x 1080, 30 fps, focal length 1500 px, 4 m from the line of walking,
lens 1 m above the floor, on the walker's right), a PoseDash ``PoseSequence`` is
built with the 33 landmarks PoseDash's gait analysis reads (hips = greater
trochanters, knees, ankles, heels, foot index = midpoint of the 1st and 5th
metatarsal heads; trunk and head placed above the hips from body proportions),
PoseDash's own gait analysis (:func:`dashboard.kinematics.gait.analyze_gait`) finds
the events, and each force-plate event (initial contact: vertical force rising
through 20 N; toe off: falling through 20 N; only events the markers confirm as a
real contact or lift of that foot) is paired with the detected event of the same
foot and kind nearest in time (within 0.2 s). Reported per trial, per speed and
overall: how many plate events were found, the share within 1 and 2 frames
(33 and 67 ms at 30 fps; an event not found counts as outside), the bias (mean of
detected minus plate time) and its SD.

This validates PoseDash's event rule on ideal landmarks (markers, no pose-model
noise, no occlusion), not the pose model: see docs/validation.md.

Run: ``python benchmarks/gait_forceplate.py`` from the project root
(``--json FILE`` also writes every pairing).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.kinematics.gait import GaitSettings, analyze_gait  # noqa: E402
from dashboard.poses import PoseSequence  # noqa: E402
from dashboard.skeleton import INDEX, LEFT, NUM_LANDMARKS, RIGHT  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "fukuchi2018"
PARTS = ("gtr", "knee", "ankle", "heel", "mt1", "mt5")
#: Greater-trochanter height as a share of standing height (anthropometry, about 0.53).
GTR_RATIO = 0.53
#: A plate event and a detected one further apart than this are not the same event.
MATCH_S = 0.2
SPEEDS = ("S", "C", "F")
#: Force-plate sampling rate of the data set (Hz).
PLATE_HZ = 300.0
#: A plate event is scored only when it lies at least this far inside a walking pass
#: PoseDash analysed: the passes leave out 0.25 s at both ends of the recording and an
#: extremum needs frames on both sides, so events at the ends of the (short) marker
#: excerpts cannot be found by construction. They are counted as "not scored".
EDGE_S = 0.1


@dataclass(frozen=True)
class Camera:
    """A static pinhole camera beside the walkway, looking across it (lab -Z)."""

    width: int = 1920
    height: int = 1080
    fps: float = 30.0
    focal_px: float = 1500.0
    distance_mm: float = 4000.0
    lens_height_mm: float = 1000.0


@dataclass(frozen=True)
class Trial:
    """One trial: marker positions (mm, lab X forward, Y up) and its plate events."""

    name: str
    subject: int
    speed: str
    time_s: np.ndarray  # (F,)
    markers: dict  # (side, part) -> (F, 2) mm
    z_mm: dict  # side -> lab Z of that side's markers (mm; right is +Z)
    events: tuple  # of dicts: side, event, time_s, plate, note (valid ones only)


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def load_trials(data_dir: Path = DATA) -> list[Trial]:
    """Every trial of ``data_dir`` (trials.csv, events.csv, markers/<trial>.csv)."""
    events: dict[str, list[dict]] = {}
    for row in _read_csv(data_dir / "events.csv"):
        if row["valid"].strip() == "1":
            events.setdefault(row["trial"], []).append(
                dict(
                    side=row["side"],
                    event=row["event"],
                    # exact plate time from the 300 Hz frame number (frame 1 = marker time 0)
                    time_s=(int(row["frame_300hz"]) - 1) / PLATE_HZ,
                    plate=row["plate"],
                    note=row["note"],
                )
            )
    trials = []
    for meta in _read_csv(data_dir / "trials.csv"):
        rows = _read_csv(data_dir / "markers" / f"{meta['trial']}.csv")
        t = np.array([float(r["t_s"]) for r in rows])
        markers = {}
        for side, s in (("right", "r"), ("left", "l")):
            for part in PARTS:
                markers[side, part] = np.array(
                    [[float(r[f"{s}_{part}_x"]), float(r[f"{s}_{part}_y"])] for r in rows]
                )
        trials.append(
            Trial(
                name=meta["trial"],
                subject=int(meta["subject"]),
                speed=meta["speed"],
                time_s=t,
                markers=markers,
                z_mm={"right": float(meta["z_right_mm"]), "left": float(meta["z_left_mm"])},
                events=tuple(sorted(events.get(meta["trial"], []), key=lambda e: e["time_s"])),
            )
        )
    return trials


def _body(trial: Trial) -> tuple[np.ndarray, np.ndarray, float]:
    """(F, 33, 2) lab X/Y (mm) of every landmark, (33,) lab Z, and the stature (mm).

    Legs from the markers; the trunk upright above the hip midpoint and the head
    facing the walking direction, from standard body proportions (eye height
    0.936, shoulders 0.818, elbows 0.63, wrists 0.485 of stature)."""
    m = trial.markers
    f = len(trial.time_s)
    pts = np.full((f, NUM_LANDMARKS, 2), np.nan)
    z = np.zeros(NUM_LANDMARKS)
    pelvis = 0.5 * (m["right", "gtr"] + m["left", "gtr"])
    stature = float(np.median(pelvis[:, 1])) / GTR_RATIO
    for side in ("right", "left"):
        for part, name in (("gtr", "hip"), ("knee", "knee"), ("ankle", "ankle"), ("heel", "heel")):
            pts[:, INDEX[f"{side}_{name}"]] = m[side, part]
        pts[:, INDEX[f"{side}_foot_index"]] = 0.5 * (m[side, "mt1"] + m[side, "mt5"])

    def above(share: float, forward: float = 0.0) -> np.ndarray:
        return pelvis + np.array([forward * stature, (share - GTR_RATIO) * stature])

    for side in ("right", "left"):
        pts[:, INDEX[f"{side}_shoulder"]] = above(0.818)
        pts[:, INDEX[f"{side}_elbow"]] = above(0.63)
        for part in ("wrist", "pinky", "index", "thumb"):
            pts[:, INDEX[f"{side}_{part}"]] = above(0.485, 0.01)
        for part in ("eye_inner", "eye", "eye_outer"):
            pts[:, INDEX[f"{side}_{part}"]] = above(0.936, 0.05)
        pts[:, INDEX[f"{side}_ear"]] = above(0.925, 0.0)
        pts[:, INDEX[f"mouth_{side}"]] = above(0.9, 0.055)
    pts[:, INDEX["nose"]] = above(0.92, 0.065)
    z[list(RIGHT)] = trial.z_mm["right"]
    z[list(LEFT)] = trial.z_mm["left"]
    z[INDEX["nose"]] = 0.5 * (trial.z_mm["right"] + trial.z_mm["left"])
    return pts, z, stature


def synthetic_sequence(trial: Trial, cam: Camera = Camera()) -> tuple[PoseSequence, float]:
    """The trial as a virtual side camera films it: a one-person PoseSequence at the
    markers' 30 fps, and the walker's stature estimate in metres."""
    lab, z, stature = _body(trial)
    mid_z = 0.5 * (trial.z_mm["right"] + trial.z_mm["left"])
    depth = cam.distance_mm - (z - mid_z)  # the camera stands on the walker's right (+Z)
    pelvis_x = 0.5 * (lab[:, INDEX["left_hip"], 0] + lab[:, INDEX["right_hip"], 0])
    x_c = 0.5 * (np.nanmin(pelvis_x) + np.nanmax(pelvis_x))
    u = cam.width / 2 + cam.focal_px * (lab[..., 0] - x_c) / depth
    v = cam.height / 2 - cam.focal_px * (lab[..., 1] - cam.lens_height_mm) / depth
    image = np.stack([u, v], -1)[:, None]
    centre = 0.5 * (lab[:, INDEX["left_hip"]] + lab[:, INDEX["right_hip"]])
    world = np.zeros((*lab.shape[:2], 3))
    world[..., 0] = (lab[..., 0] - centre[:, None, 0]) / 1000
    world[..., 1] = -(lab[..., 1] - centre[:, None, 1]) / 1000
    world[..., 2] = -(z - mid_z) / 1000
    f = len(trial.time_s)
    vis = np.full((f, 1, NUM_LANDMARKS), 0.95)
    vis[:, :, list(LEFT)] = 0.85  # the far side, as a side view sees it
    seq = PoseSequence(
        image_xy=image,
        z=(world[..., 2] * cam.focal_px / cam.width)[:, None],
        visibility=vis,
        presence=np.full((f, 1, NUM_LANDMARKS), 0.99),
        world_m=world[:, None],
        time_s=np.round(np.asarray(trial.time_s) * cam.fps) / cam.fps,
        frame_index=np.round(np.asarray(trial.time_s) * cam.fps).astype(np.int64),
        image_size=(cam.width, cam.height),
    )
    return seq, stature / 1000


def detect(trial: Trial, cam: Camera = Camera()):
    """PoseDash's gait result for the trial's virtual video (the walker's height
    entered, as a clinician would)."""
    seq, stature_m = synthetic_sequence(trial, cam)
    return analyze_gait(seq, GaitSettings(height_m=round(stature_m, 2)))


def pair_events(reference: tuple, detected, fps: float) -> list[dict]:
    """Each plate event with the nearest detected event of the same foot and kind
    (within :data:`MATCH_S`): ``error_frames`` = (detected - plate) x fps, NaN if none."""
    out = []
    for ref in reference:
        same = [e.time_s for e in detected if e.side == ref["side"] and e.event == ref["event"]]
        dt = np.array(same) - ref["time_s"]
        j = int(np.argmin(np.abs(dt))) if len(dt) else -1
        ok = j >= 0 and abs(dt[j]) <= MATCH_S
        err_s = float(dt[j]) if ok else float("nan")
        out.append(
            dict(
                side=ref["side"],
                event=ref["event"],
                plate_s=ref["time_s"],
                detected_s=float(same[j]) if ok else None,
                error_ms=1000 * err_s,
                error_frames=err_s * fps,
            )
        )
    return out


def summarise(pairs: list[dict]) -> dict:
    """n plate events, n found, share within 1 and 2 frames (misses count as outside),
    bias and SD (ms) of the found ones."""
    err = np.array([p["error_frames"] for p in pairs], float)
    ms = np.array([p["error_ms"] for p in pairs], float)
    found = np.isfinite(err)
    n = len(pairs)
    # a hair of tolerance: times are rounded to the millisecond in the data files

    def within(k: int) -> float:
        return float(np.sum(np.abs(err[found]) <= k + 1e-6) / n) if n else float("nan")

    return dict(
        n=n,
        found=int(found.sum()),
        within_1=within(1),
        within_2=within(2),
        bias_ms=float(np.mean(ms[found])) if found.any() else float("nan"),
        sd_ms=float(np.std(ms[found], ddof=1)) if found.sum() > 1 else float("nan"),
    )


def run(trials: list[Trial], cam: Camera = Camera()) -> list[dict]:
    """Every trial's pairings: dicts with trial, subject, speed and the pair fields."""
    rows = []
    for trial in trials:
        result = detect(trial, cam)
        windows = [(p.start_s + EDGE_S, p.end_s - EDGE_S) for p in result.passes]
        for p in pair_events(trial.events, result.events, cam.fps):
            scored = any(a <= p["plate_s"] <= b for a, b in windows)
            rows.append(
                dict(trial=trial.name, subject=trial.subject, speed=trial.speed, scored=scored, **p)
            )
    return rows


def table(rows: list[dict]) -> list[dict]:
    """Summary rows: per trial (by speed, then subject), then per speed and event kind, then
    overall."""
    groups: list[tuple[str, str, str, list]] = []
    first = {r["trial"]: r for r in reversed(rows)}
    order = sorted(first, key=lambda n: (SPEEDS.index(first[n]["speed"]), first[n]["subject"], n))
    for name in order:
        sel = [r for r in rows if r["trial"] == name]
        groups.append((name, sel[0]["speed"], "both", sel))
    for speed in SPEEDS:
        for kind in ("initial_contact", "toe_off", "both"):
            sel = [
                r for r in rows if r["speed"] == speed and (kind == "both" or r["event"] == kind)
            ]
            if sel:
                groups.append((f"all {speed}", speed, kind, sel))
    for kind in ("initial_contact", "toe_off", "both"):
        sel = [r for r in rows if kind == "both" or r["event"] == kind]
        if sel:
            groups.append(("all", "all", kind, sel))
    return [
        dict(
            group=g,
            speed=s,
            event=k,
            subjects=len({r["subject"] for r in sel}),
            not_scored=sum(not r["scored"] for r in sel),
            **summarise([r for r in sel if r["scored"]]),
        )
        for g, s, k, sel in groups
    ]


def markdown(summary: list[dict]) -> str:
    head = (
        "| trials | speed | event | subjects | plate events scored (not scored) | found "
        "| within 1 frame | within 2 frames | bias (ms) | SD (ms) |"
        "\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for s in summary:
        lines.append(
            f"| {s['group']} | {s['speed']} | {s['event']} | {s['subjects']} "
            f"| {s['n']} ({s['not_scored']}) "
            f"| {s['found']} | {100 * s['within_1']:.0f} % | {100 * s['within_2']:.0f} % "
            f"| {s['bias_ms']:+.0f} | {s['sd_ms']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", type=Path, help="also write every pairing and the summary")
    args = ap.parse_args()
    trials = load_trials(args.data)
    rows = run(trials)
    summary = table(rows)
    print(f"{len(trials)} trials, {len(rows)} force-plate events\n")
    print(markdown(summary))
    if args.json:
        args.json.write_text(json.dumps(dict(pairs=rows, summary=summary), indent=1))


if __name__ == "__main__":
    main()
