"""Stable person identities across video frames, from landmark positions alone.

MediaPipe's PoseLandmarker returns up to ``num_poses`` people per frame in no
particular order and gives them no identity. This module links detections in
consecutive frames into tracks so that a person keeps one slot (one id) for the
whole video. Pure numpy, deterministic.

Notes
-----
Algorithm (a greedy nearest-neighbour tracker, as used for pose tracking in
e.g. PoseTrack baselines):

0. Near-duplicate detections in one frame (MediaPipe's multi-pose mode
   sometimes returns the same person twice, a few pixels apart) are merged:
   of two poses closer than ``duplicate_distance`` (default 0.1 of the body
   size), only the one with the higher score (mean visibility) is kept.
1. Each track remembers the pose (33 x 2 pixels) of the last frame it was seen
   in and the size of that pose (the diagonal of its landmarks' bounding box).
2. In each frame, the cost between a track and a detection is the mean pixel
   distance between corresponding landmarks (over landmarks present in both),
   divided by the track's size. Size-normalising makes the threshold work for
   people near and far from the camera.
3. Pairs are taken greedily from the lowest cost up, each track and detection
   used once, and only while the cost is below ``max_distance`` (default 0.5:
   the landmarks moved on average less than half a body size). With the few
   people a clinic video holds, greedy matching gives the same answer as the
   Hungarian algorithm except in near-ties.
4. A detection left unmatched starts a new track (a new id). A track unseen for
   more than ``max_gap`` frames is retired, so a person who leaves and comes
   back much later gets a new id; within the gap (occlusion, a missed frame)
   they keep theirs.

Limits: identities can swap when two people cross closely, and a person who
leaves for longer than the gap returns with a new id. Ids are numbered in order
of first appearance.
"""

from __future__ import annotations

import numpy as np


def pose_distance(tracks_xy: np.ndarray, dets_xy: np.ndarray) -> np.ndarray:
    """Mean landmark distance in pixels between each track and each detection.

    Parameters
    ----------
    tracks_xy
        (T, K, 2) poses, NaN where a landmark is missing.
    dets_xy
        (D, K, 2) poses.

    Returns
    -------
    (T, D) mean Euclidean distance over landmarks present in both; ``inf``
    where they share no landmark.
    """
    diff = tracks_xy[:, None] - dets_xy[None]  # (T, D, K, 2)
    dist = np.sqrt((diff**2).sum(-1))  # NaN where either is missing
    valid = np.isfinite(dist)
    count = valid.sum(-1)
    total = np.where(valid, dist, 0.0).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.inf)


def pose_size(xy: np.ndarray) -> np.ndarray:
    """(N,) diagonal in pixels of each (K, 2) pose's bounding box (at least 1)."""
    finite = np.isfinite(xy).all(-1)
    lo = np.where(finite[..., None], xy, np.inf).min(-2)
    hi = np.where(finite[..., None], xy, -np.inf).max(-2)
    with np.errstate(invalid="ignore"):
        diag = np.sqrt(((hi - lo) ** 2).sum(-1))
    return np.where(np.isfinite(diag), np.maximum(diag, 1.0), 1.0)


def greedy_match(cost: np.ndarray, max_cost: float):
    """Pairs (row, col) taken greedily by increasing cost, each row and column once.

    Returns two int arrays ``rows, cols`` of the accepted pairs (cost < ``max_cost``).
    """
    rows, cols = [], []
    if cost.size:
        order = np.argsort(cost, axis=None, kind="stable")
        used_r = np.zeros(cost.shape[0], bool)
        used_c = np.zeros(cost.shape[1], bool)
        for flat in order:
            r, c = divmod(int(flat), cost.shape[1])
            if cost[r, c] >= max_cost:
                break
            if not used_r[r] and not used_c[c]:
                used_r[r] = used_c[c] = True
                rows.append(r)
                cols.append(c)
    return np.asarray(rows, int), np.asarray(cols, int)


def duplicates(dets_xy: np.ndarray, scores: np.ndarray, duplicate_distance: float) -> np.ndarray:
    """(D,) True for detections that repeat a higher-scoring one in the same frame."""
    n = len(dets_xy)
    if n < 2:
        return np.zeros(n, bool)
    cost = pose_distance(dets_xy, dets_xy) / pose_size(dets_xy)[:, None]
    near = (cost < duplicate_distance) | (duplicate_distance > cost.T)
    kept: list[int] = []
    for i in np.argsort(-np.asarray(scores, float), kind="stable"):
        if not any(near[i, k] for k in kept):
            kept.append(i)
    drop = np.ones(n, bool)
    drop[kept] = False
    return drop


def assign_tracks(
    image_xy: np.ndarray,
    max_distance: float = 0.5,
    max_gap: int = 15,
    scores: np.ndarray | None = None,
    duplicate_distance: float = 0.1,
) -> np.ndarray:
    """Give every detection a track id.

    Parameters
    ----------
    image_xy
        (F, P, K, 2) landmarks per frame and (unordered) person slot; a slot that
        is all NaN holds no detection.
    max_distance
        Largest size-normalised mean landmark distance for a detection to
        continue a track (see module Notes).
    max_gap
        Frames a track may go unseen and still be continued.
    scores
        (F, P) confidence of each detection (e.g. mean visibility), used to keep
        the better of two duplicates; default: the earlier slot wins.
    duplicate_distance
        Size-normalised distance under which two detections in one frame are
        the same person (0 disables merging).

    Returns
    -------
    (F, P) int array: the track id of each detection, -1 for empty slots and
    for dropped duplicates. Ids
    run 0, 1, 2, ... in order of first appearance.
    """
    image_xy = np.asarray(image_xy, float)
    n_frames, n_slots = image_xy.shape[:2]
    ids = np.full((n_frames, n_slots), -1, dtype=np.int64)
    present = np.isfinite(image_xy).all(-1).any(-1)  # (F, P)
    last_xy = np.empty((0, *image_xy.shape[2:]))
    last_seen = np.empty(0, dtype=np.int64)
    for f in range(n_frames):
        slots = np.flatnonzero(present[f])
        if slots.size == 0:
            continue
        if duplicate_distance > 0 and slots.size > 1:
            score = (
                -slots.astype(float)
                if scores is None
                else np.nan_to_num(np.asarray(scores, float)[f, slots], nan=-np.inf)
            )
            slots = slots[~duplicates(image_xy[f, slots], score, duplicate_distance)]
        dets = image_xy[f, slots]
        alive = np.flatnonzero(f - last_seen <= max_gap)
        cost = (
            (pose_distance(last_xy[alive], dets) / pose_size(last_xy[alive])[:, None])
            if alive.size
            else np.empty((0, len(slots)))
        )
        rows, cols = greedy_match(cost, max_distance)
        matched = alive[rows]
        ids[f, slots[cols]] = matched
        last_xy[matched] = dets[cols]
        last_seen[matched] = f
        new = np.setdiff1d(np.arange(len(slots)), cols)
        if new.size:
            start = len(last_seen)
            ids[f, slots[new]] = np.arange(start, start + new.size)
            last_xy = np.concatenate([last_xy, dets[new]])
            last_seen = np.concatenate([last_seen, np.full(new.size, f)])
    return ids


def reorder_by_track(arrays: dict, ids: np.ndarray, min_slots: int = 1) -> dict:
    """Move each detection into the slot of its track.

    Parameters
    ----------
    arrays
        Mapping of name to (F, P, ...) arrays (NaN where empty).
    ids
        (F, P) track ids from :func:`assign_tracks`.
    min_slots
        At least this many slots in the result (all NaN if unused).

    Returns
    -------
    Mapping of name to (F, T, ...) arrays, where slot ``t`` holds track ``t``
    in every frame (NaN where that person was not seen).
    """
    n_tracks = max(int(ids.max(initial=-1)) + 1, min_slots)
    f_idx, p_idx = np.nonzero(ids >= 0)
    out = {}
    for key, a in arrays.items():
        new = np.full((a.shape[0], n_tracks, *a.shape[2:]), np.nan, dtype=float)
        new[f_idx, ids[f_idx, p_idx]] = a[f_idx, p_idx]
        out[key] = new
    return out
