"""Per-frame signals gait analysis is built on: pelvis, feet, body size, leg swaps.

All positions are image pixels (x right, y down) of one person slot. The
walking direction is along image x, so the analysis needs a side view.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.skeleton import INDEX

__all__ = ["LEG_PARTS", "EYE_HEIGHT_RATIO", "Signals", "extract_signals", "leg_swaps",
           "swap_legs", "fill_gaps", "smooth", "despike"]

#: Landmarks of one leg, swapped together when the tracker swaps the legs.
LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
#: Eye height as a share of standing height (adult anthropometry, Drillis & Contini
#: 1966: 0.936 H; individual ratios vary by about +-1.5 %).
EYE_HEIGHT_RATIO = 0.936
_BODY = ("left_eye", "right_eye", "left_shoulder", "right_shoulder") + tuple(
    f"{s}_{p}" for s in ("left", "right") for p in LEG_PARTS)


def _idx(names):
    return [INDEX[n] for n in names]


@dataclass(frozen=True)
class Signals:
    """(F,) or (F, 2) arrays for one person; side axis 0 = left, 1 = right.

    pelvis_x
        x of the hip midpoint.
    heel_x, toe_x
        (F, 2) x of the heels and foot-index (toe) landmarks.
    heel_vis, toe_vis
        (F, 2) their visibility.
    stature_px
        (F,) estimated standing height in pixels: from the lower foot to the
        eyes, divided by :data:`EYE_HEIGHT_RATIO`.
    in_frame
        (F,) the eyes, shoulders and both legs are inside the picture.
    valid
        (F,) the person was found, with every landmark above inside the frame.
    swapped
        (F,) frames whose leg labels were exchanged back (see :func:`leg_swaps`).
    """

    pelvis_x: np.ndarray
    heel_x: np.ndarray
    toe_x: np.ndarray
    heel_vis: np.ndarray
    toe_vis: np.ndarray
    stature_px: np.ndarray
    in_frame: np.ndarray
    valid: np.ndarray
    swapped: np.ndarray


def fill_gaps(x: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate interior NaN runs of at most ``max_gap`` samples."""
    x = np.asarray(x, float).copy()
    bad = np.isnan(x)
    if not bad.any() or bad.all() or max_gap <= 0:
        return x
    idx = np.arange(len(x))
    good = ~bad
    filled = np.interp(idx, idx[good], x[good])
    # length of each NaN run, to fill only the short interior ones
    edges = np.diff(np.concatenate(([0], bad.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    for s, e in zip(starts, ends):
        if s > 0 and e < len(x) and e - s <= max_gap:
            x[s:e] = filled[s:e]
    return x


def smooth(x: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average over an odd ``window`` (NaN propagates; edges shrink)."""
    window = int(window) | 1
    if window <= 1 or len(x) < window:
        return np.asarray(x, float)
    half = window // 2
    padded = np.concatenate((np.full(half, np.nan), x, np.full(half, np.nan)))
    stack = np.lib.stride_tricks.sliding_window_view(padded, window)
    with np.errstate(invalid="ignore"), _quiet():
        out = np.nanmean(stack, axis=1)
    out[np.isnan(x)] = np.nan
    return out


def despike(x: np.ndarray, window: int, threshold: float) -> np.ndarray:
    """Hampel filter: samples further than ``threshold`` from the median of the
    centred ``window`` (odd) are replaced by that median. Removes the one- or
    two-frame jumps of a landmark onto the other leg; keeps sharp extrema, which
    differ from their neighbourhood's median by one frame's movement only."""
    window = int(window) | 1
    if window < 3 or len(x) < window:
        return np.asarray(x, float)
    half = window // 2
    padded = np.concatenate((np.full(half, np.nan), x, np.full(half, np.nan)))
    stack = np.lib.stride_tricks.sliding_window_view(padded, window)
    holes = np.isnan(stack).any(axis=1)
    med = np.empty(len(x))
    med[~holes] = np.median(stack[~holes], axis=1)
    with np.errstate(invalid="ignore"), _quiet():
        med[holes] = np.nanmedian(stack[holes], axis=1) if holes.any() else 0
        out = np.where(np.abs(x - med) > threshold, med, x)
    return out


def _viterbi(keep: np.ndarray, cross: np.ndarray, penalty: float) -> np.ndarray:
    """Cheapest labelling (False = as labelled, True = swapped) of a chain of frames:
    moving between consecutive frames costs ``keep[t]`` when both are labelled
    alike and ``cross[t]`` otherwise; every swapped frame costs ``penalty``."""
    n = len(keep) + 1
    back = np.zeros((n, 2), bool)  # back[t, s]: state at t - 1 on the best path to s
    c0, c1 = 0.0, penalty
    keep_l, cross_l = keep.tolist(), cross.tolist()
    for t in range(1, n):
        k, x = keep_l[t - 1], cross_l[t - 1]
        a0, b0 = c0 + k, c1 + x          # into "as labelled" from each state
        a1, b1 = c0 + x, c1 + k          # into "swapped"
        back[t, 0], back[t, 1] = b0 < a0, b1 < a1
        c0, c1 = min(a0, b0), min(a1, b1) + penalty
    state = np.zeros(n, bool)
    state[-1] = c1 < c0
    for t in range(n - 1, 0, -1):
        state[t - 1] = back[t, int(state[t])]
    return state


def leg_swaps(xy: np.ndarray, max_run: int, scale: float) -> np.ndarray:
    """Frames whose left and right leg landmarks look exchanged. Returns (F,) bool.

    Parameters
    ----------
    xy
        (F, 33, 2) image coordinates of one person.
    max_run
        Runs of "swapped" frames longer than this are left as they are.
    scale
        Body size in pixels (stature); sets the cost of calling a frame swapped.

    Notes
    -----
    Knee, ankle, heel and toe positions relative to the pelvis should move
    little from one seen frame to the next. Each frame is labelled "as given"
    or "swapped" so that the summed movement of the landmarks between
    consecutive frames is smallest (a two-state Viterbi path), with a cost of
    0.002 body heights per landmark for every frame called swapped, so that
    labels are only changed where that saves real movement. While the legs
    cross, both labellings are alike, so a swap starting or ending there is
    still found from its other end. Runs of swapped frames longer than
    ``max_run`` are left as they are (more likely a long-standing labelling
    than a glitch).
    """
    parts = ("knee", "ankle", "heel", "foot_index")
    left, right = xy[:, _idx([f"left_{p}" for p in parts])], xy[:, _idx(
        [f"right_{p}" for p in parts])]
    pelvis = 0.5 * (xy[:, INDEX["left_hip"]] + xy[:, INDEX["right_hip"]])
    left, right = left - pelvis[:, None], right - pelvis[:, None]
    ok = np.isfinite(left).all(axis=(1, 2)) & np.isfinite(right).all(axis=(1, 2))
    swapped = np.zeros(len(xy), bool)
    rows = np.flatnonzero(ok)
    if len(rows) < 2 or not np.isfinite(scale) or scale <= 0:
        return swapped
    lc, rc = left[rows], right[rows]
    dist = lambda a, b: np.linalg.norm(a - b, axis=-1).sum(axis=-1)  # noqa: E731
    keep = dist(lc[1:], lc[:-1]) + dist(rc[1:], rc[:-1])
    cross = dist(lc[1:], rc[:-1]) + dist(rc[1:], lc[:-1])
    state = _viterbi(keep, cross, 0.002 * scale * 2 * len(parts))
    edges = np.diff(np.concatenate(([0], state.astype(np.int8), [0])))
    for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if e - s <= max_run:
            swapped[rows[s]:rows[e - 1] + 1] = True
    return swapped & ok


def swap_legs(seq, person: int, swapped: np.ndarray):
    """A one-person sequence of ``person`` with its left and right leg landmarks
    exchanged in the ``swapped`` frames (every array: pixels, depth, visibility,
    world). One copy of the person's arrays, whatever the number of people."""
    from dashboard.poses import PoseSequence

    li = _idx([f"left_{p}" for p in LEG_PARTS])
    ri = _idx([f"right_{p}" for p in LEG_PARTS])
    rows = np.flatnonzero(swapped)
    arrays = {}
    for name in ("image_xy", "z", "visibility", "presence", "world_m"):
        a = np.array(getattr(seq, name)[:, person:person + 1])
        if len(rows):
            lv, rv = a[rows, 0][:, li], a[rows, 0][:, ri]
            a[rows[:, None], 0, ri], a[rows[:, None], 0, li] = lv, rv
        arrays[name] = a
    return PoseSequence(**arrays, time_s=np.array(seq.time_s),
                        frame_index=np.array(seq.frame_index), image_size=seq.image_size,
                        person_ids=np.array(seq.person_ids[person:person + 1]))


def _stature(xy: np.ndarray) -> np.ndarray:
    eyes_y = np.nanmean(xy[:, _idx(["left_eye", "right_eye"]), 1], axis=1)
    feet = _idx(["left_heel", "right_heel", "left_foot_index", "right_foot_index"])
    floor_y = np.max(xy[:, feet, 1], axis=1)
    return (floor_y - eyes_y) / EYE_HEIGHT_RATIO


def extract_signals(seq, person: int = 0, repair: bool = True,
                    max_swap_s: float = 0.5) -> Signals:
    """The gait signals of ``person`` in ``seq`` (see :class:`Signals`)."""
    xy = np.asarray(seq.image_xy[:, person], float)
    vis = np.asarray(seq.visibility[:, person], float)
    width, height = seq.image_size
    with np.errstate(invalid="ignore"), _quiet():
        stature = _stature(xy)
        body = xy[:, _idx(_BODY)]
        in_frame = ((body[..., 0] >= 0) & (body[..., 0] <= width) & (body[..., 1] >= 0)
                    & (body[..., 1] <= height)).all(axis=1)
    valid = np.isfinite(xy[:, _idx(_BODY)]).all(axis=(1, 2)) & in_frame
    scale = float(np.nanmedian(stature[valid])) if valid.any() else float("nan")
    swapped = np.zeros(len(xy), bool)
    if repair:
        dt = np.diff(seq.time_s)
        fps = 1.0 / float(np.median(dt)) if len(dt) and np.median(dt) > 0 else 30.0
        swapped = leg_swaps(xy, max(1, int(round(max_swap_s * fps))), scale)
        if swapped.any():
            li, ri = _idx([f"left_{p}" for p in LEG_PARTS]), _idx(
                [f"right_{p}" for p in LEG_PARTS])
            xy, vis = xy.copy(), vis.copy()
            xy[np.ix_(swapped, li + ri)] = xy[np.ix_(swapped, ri + li)]
            vis[np.ix_(swapped, li + ri)] = vis[np.ix_(swapped, ri + li)]
    side_idx = lambda part: _idx([f"left_{part}", f"right_{part}"])  # noqa: E731
    return Signals(
        pelvis_x=0.5 * (xy[:, INDEX["left_hip"], 0] + xy[:, INDEX["right_hip"], 0]),
        heel_x=xy[:, side_idx("heel"), 0], toe_x=xy[:, side_idx("foot_index"), 0],
        heel_vis=vis[:, side_idx("heel")], toe_vis=vis[:, side_idx("foot_index")],
        stature_px=stature, in_frame=in_frame, valid=valid, swapped=swapped)


class _quiet:
    """Silence numpy's 'mean of empty slice' warnings (all-NaN frames are expected)."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)
        return self

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
