"""Left/right limb swap repair: temporally consistent leg and arm labels.

In side views MediaPipe's pose model often gives the far leg the near leg's
label for a few frames and then swaps back (a known BlazePose failure). Every
such stretch flips per-side angles, ranges of motion and symmetry. Because
PoseDash analyses whole recordings offline, it can choose, for every frame,
whether the labels of a limb pair were exchanged, using the whole sequence at
once.

Notes
-----
First step, whole recording. For each person slot and each limb pair (legs: knee, ankle, heel, foot
index; arms: elbow, wrist, pinky, index, thumb) every frame in which the
person was found has a hidden state: 0 (labels as the model gave them) or 1
(left and right exchanged). A two-state dynamic programme (Viterbi, min-sum,
over pairs of consecutive states so that it can use velocities) picks the
sequence of states minimising

    sum over frames of  prior * state + shape(state)
    + sum over frames of  motion(state_t-2, state_t-1, state_t)

motion
    How far each landmark is from where constant velocity puts it
    (``2 x[t-1] - x[t-2]``, each frame's positions taken under its state):
    the visibility-weighted mean over the limb's landmarks and both sides, in
    image space (divided by the person's size in the picture, the diagonal
    of their landmarks' bounding box) plus the same in world space, in the
    picture plane (world x and y, divided by the person's world size).
    Velocity, not just position, matters: when two legs cross mid-stance, a
    first-order ("nearest previous position") rule cannot tell a crossing
    from a swap; a constant-velocity rule can. World depth (z) is left out:
    it is the least certain direction, and MediaPipe keeps the near side's
    depth with the *label* even while it exchanges the limbs' positions
    (measured on the side-view walking clip), so it says nothing about a swap.
shape
    Segment length continuity: the image length of the upper segment (hip to
    knee, shoulder to elbow) under each state, against its median over the
    recording (relative difference, weighted by ``shape_weight``).
prior
    A small cost per relabelled frame (``prior``): of two labellings that
    move equally smoothly, the one that keeps the model's labels wins, so a
    recording without swaps is left untouched, and where a swapped stretch is
    detected its *shorter* side (the exception) is the one relabelled.

Second step, legs only: brief swaps in noisy frames. Where the legs are partly
hidden (around a crossing in a side view) their landmarks scatter so much that a
swap of a few frames changes the constant-velocity cost by less than the prior,
and the first step leaves it (on the side-view walking clip: swaps of 4, 1 and 3
alternating frames, which moved a contact and a toe off by 3 and 4 frames). So, on
the first step's labels, every frame with the person is labelled again so that
the knee, ankle, heel and foot index positions relative to the hip midpoint move
least from one such frame to the next (:func:`short_leg_swaps`, a first-order
Viterbi path, ``glitch_cost`` per relabelled frame): after a glitch a foot
returns to its own track, whatever the noise. Only brief runs are relabelled (up
to ``max_glitch_s``, counted from the model's labels). A swap that starts or ends
while the legs cross is found from its other end; where the legs overlap
exactly a frame may be relabelled on little evidence, which moves no landmark by
more than the overlap.

Only the limb's distal landmarks are exchanged (never hips and shoulders,
whose labels follow the trunk), together with their image coordinates, depth
``z``, visibility, presence and world coordinates. The result records, per
frame, person and limb pair, whether it was relabelled.

Limits: a swap that starts or ends while the two limbs overlap in the
picture (legs crossing mid-stance) is placed at the nearest frame where they
separate; a whole-body mislabel (the model taking a person's back for their
front) is not a limb swap and is not repaired; in a recording where the model
is wrong more often than right for a limb, the repair keeps the majority.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dashboard.detect.viterbi import chain_viterbi as _chain_viterbi, viterbi_second_order
from dashboard.skeleton import INDEX

#: Limb pairs, in the order of the last axis of ``PoseSequence.swapped``.
LIMBS: tuple[str, ...] = ("legs", "arms")
LIMB_PARTS: dict[str, tuple[str, ...]] = {
    "legs": ("knee", "ankle", "heel", "foot_index"),
    "arms": ("elbow", "wrist", "pinky", "index", "thumb"),
}
#: The trunk landmark each limb hangs from (for the segment length cue).
LIMB_ROOT: dict[str, str] = {"legs": "hip", "arms": "shoulder"}
#: The four landmarks of each leg that define a label jump (:func:`count_label_jumps`).
JUMP_PARTS: tuple[str, ...] = ("knee", "ankle", "heel", "foot_index")

_FIELDS = ("image_xy", "z", "visibility", "presence", "world_m")


def limb_indices(limb: str) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) landmark indices of a limb pair's distal landmarks."""
    parts = LIMB_PARTS[limb]
    return (
        np.array([INDEX[f"left_{p}"] for p in parts]),
        np.array([INDEX[f"right_{p}"] for p in parts]),
    )


@dataclass(frozen=True)
class SwapSettings:
    """Weights of the swap repair (see the module Notes).

    prior
        Cost of relabelling one frame, in units of the mean normalised landmark
        displacement; large enough to outweigh noise where the two limbs overlap
        (relabelling them there changes nothing), small enough to repair
        stretches of tens of frames. 0.1: at 0.02 the side-view walking clip had
        40 leg frames relabelled, among them legs crossing in stance taken for
        swaps, which cost its gait analysis a pass's contacts (cadence 82 instead
        of 116 steps/min); at 0.1, 19 to 20 frames, with the same label jumps
        removed (2 -> 0) and the gait events alternating left/right. The price:
        a swapped stretch of a few frames at the very start of a recording is
        left as the model gave it, and brief swaps in noisy frames are left to
        the second step (legs; 30 frames relabelled in all on that clip).
    world_weight
        Weight of world-space continuity against image-space continuity.
    shape_weight
        Weight of the upper segment's relative length change. Small: a person
        walking towards the camera or turning changes every segment's apparent
        length, which must not outweigh motion (at 0.25 it relabelled a
        20-frame stretch of an arm that moved smoothly, in the outdoor clip).
    min_weight
        Floor on a landmark's visibility weight, so hidden landmarks still count a little.
    glitch_cost
        Second step (legs): cost of relabelling one frame, in eye-to-floor
        heights per landmark (0.002: about 1 px per landmark for a person 500
        px tall), so that labels change only where that saves real movement.
        0 turns the second step off.
    max_glitch_s
        Second step: the longest brief swap, in seconds.
    """

    prior: float = 0.1
    world_weight: float = 1.0
    shape_weight: float = 0.05
    min_weight: float = 0.05
    glitch_cost: float = 0.002
    max_glitch_s: float = 0.5


def _size(points: np.ndarray) -> np.ndarray:
    """(F,) diagonal of each frame's bounding box over finite points (NaN if none)."""
    finite = np.isfinite(points).all(-1)
    lo = np.where(finite[..., None], points, np.inf).min(-2)
    hi = np.where(finite[..., None], points, -np.inf).max(-2)
    with np.errstate(invalid="ignore"):
        diag = np.sqrt(((hi - lo) ** 2).sum(-1))
    return np.where(np.isfinite(diag) & (diag > 0), diag, np.nan)


def _hypotheses(
    arrays: dict[str, np.ndarray],
    person: int,
    limb: str,
    frames: np.ndarray,
    settings: SwapSettings,
):
    """The limb's normalised positions under each state and the landmark weights.

    Returns ``pts`` (list of (F_d, 2, K, D) arrays, one per space and weighted
    by its weight: axis 1 is [left, right] as labelled) and ``w`` (F_d, K).
    """
    left, right = limb_indices(limb)
    xy = arrays["image_xy"][frames, person]
    world = arrays["world_m"][frames, person][..., :2]
    vis = np.clip(
        np.nan_to_num(arrays["visibility"][frames, person], nan=0.0), settings.min_weight, 1.0
    )
    out = []
    for coords, weight in ((xy, 1.0), (world, settings.world_weight)):
        if weight == 0:
            continue
        scale = _size(coords)
        typical = np.nanmedian(scale) if np.isfinite(scale).any() else 1.0
        scale = np.where(np.isfinite(scale), scale, typical)
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        norm = np.nan_to_num(coords / scale[:, None, None], nan=0.0) * weight
        out.append(np.stack([norm[:, left], norm[:, right]], axis=1))
    w = 0.5 * (vis[:, left] + vis[:, right])
    return out, w


def _state(pts: np.ndarray, state: int) -> np.ndarray:
    """(F, 2, K, D) positions as [true left, true right] under ``state``."""
    return pts if state == 0 else pts[:, ::-1]


def _mean_dist(diff: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean over landmarks (and both sides) of |diff|, diff (N, 2, K, D)."""
    d = np.sqrt((diff**2).sum(-1)).mean(1)  # (N, K)
    return (d * w).sum(-1) / w.sum(-1)


def _motion_costs(spaces, w: np.ndarray):
    """First-order costs (F_d - 1, 2, 2) for steps 0 -> 1 and second-order costs
    (F_d - 2, 2, 2, 2) of state triples (a, b, c) at steps t - 2, t - 1, t."""
    n = len(w)
    first = np.zeros((max(n - 1, 0), 2, 2))
    second = np.zeros((max(n - 2, 0), 2, 2, 2))
    for pts in spaces:
        hyp = [_state(pts, s) for s in (0, 1)]
        for a in (0, 1):
            for b in (0, 1):
                if n > 1:
                    ww = 0.5 * (w[:-1] + w[1:])
                    first[:, a, b] += _mean_dist(hyp[b][1:] - hyp[a][:-1], ww)
                if n > 2:
                    ww = (w[:-2] + w[1:-1] + w[2:]) / 3.0
                    for c in (0, 1):
                        pred = 2 * hyp[b][1:-1] - hyp[a][:-2]
                        second[:, a, b, c] += _mean_dist(hyp[c][2:] - pred, ww)
    return first, second


def _shape_costs(
    arrays, person: int, limb: str, frames: np.ndarray, settings: SwapSettings
) -> np.ndarray:
    """(F_d, 2) relative change of the upper segment's image length under each state."""
    unary = np.zeros((len(frames), 2))
    if not settings.shape_weight:
        return unary
    left, right = limb_indices(limb)
    xy = arrays["image_xy"][frames, person]
    root_l, root_r = INDEX[f"left_{LIMB_ROOT[limb]}"], INDEX[f"right_{LIMB_ROOT[limb]}"]

    def seg(r, j):
        return np.sqrt(((xy[:, r] - xy[:, j]) ** 2).sum(-1))

    med_l, med_r = np.nanmedian(seg(root_l, left[0])), np.nanmedian(seg(root_r, right[0]))
    if not (np.isfinite(med_l) and np.isfinite(med_r) and min(med_l, med_r) > 0):
        return unary
    for state, (jl, jr) in enumerate(((left[0], right[0]), (right[0], left[0]))):
        dev = np.abs(seg(root_l, jl) - med_l) / med_l + np.abs(seg(root_r, jr) - med_r) / med_r
        unary[:, state] = settings.shape_weight * np.nan_to_num(dev, nan=0.0)
    return unary


def _frame_rate(time_s) -> float:
    """Frames per second from the median frame interval (30 when unknown)."""
    dt = np.diff(np.asarray(time_s, float)) if time_s is not None else np.zeros(0)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return 1.0 / float(np.median(dt)) if dt.size else 30.0


def short_leg_swaps(
    xy: np.ndarray,
    time_s=None,
    settings: SwapSettings = SwapSettings(),
    before: np.ndarray | None = None,
) -> np.ndarray:
    """(F,) bool: frames of one person whose leg labels look briefly exchanged.

    Parameters
    ----------
    xy
        (F, 33, 2) image coordinates of one person (NaN where not found).
    time_s
        (F,) frame times, for ``settings.max_glitch_s`` (30 fps when None).
    settings
        ``glitch_cost`` and ``max_glitch_s`` (see :class:`SwapSettings`).
    before
        (F,) bool, frames of ``xy`` already relabelled (by the whole-recording
        step); a run longer than ``max_glitch_s`` is still kept when, together
        with them, no frame is left relabelled for longer than that.

    Notes
    -----
    The second step of the repair (module Notes): knee, ankle, heel and foot
    index relative to the hip midpoint; the labelling of all frames with the
    person that minimises the summed movement between consecutive ones plus
    ``glitch_cost`` x the median eye-to-floor height x 8 landmarks per frame
    called swapped. Runs longer than ``max_glitch_s`` are left as they are.
    """
    xy = np.asarray(xy, float)
    left, right = (np.array([INDEX[f"{s}_{p}"] for p in JUMP_PARTS]) for s in ("left", "right"))
    pelvis = 0.5 * (xy[:, INDEX["left_hip"]] + xy[:, INDEX["right_hip"]])
    lrel, rrel = xy[:, left] - pelvis[:, None], xy[:, right] - pelvis[:, None]
    ok = np.isfinite(lrel).all(axis=(1, 2)) & np.isfinite(rrel).all(axis=(1, 2))
    out = np.zeros(len(xy), bool)
    rows = np.flatnonzero(ok)
    feet = xy[:, np.r_[left[1:], right[1:]], 1]
    eyes = 0.5 * (xy[:, INDEX["left_eye"], 1] + xy[:, INDEX["right_eye"], 1])
    with np.errstate(invalid="ignore"):
        height = (
            np.nanmedian(np.where(np.isfinite(feet).all(-1), feet.max(-1), np.nan) - eyes)
            if np.isfinite(eyes).any()
            else np.nan
        )
    if len(rows) < 2 or not np.isfinite(height) or height <= 0 or settings.glitch_cost <= 0:
        return out
    lc, rc = lrel[rows], rrel[rows]

    def dist(a, b):
        return np.linalg.norm(a - b, axis=-1).sum(axis=-1)

    keep = dist(lc[1:], lc[:-1]) + dist(rc[1:], rc[:-1])
    cross = dist(lc[1:], rc[:-1]) + dist(rc[1:], lc[:-1])
    state = _chain_viterbi(keep, cross, settings.glitch_cost * height * 2 * len(JUMP_PARTS))
    max_run = _max_run(settings, time_s)
    earlier = np.zeros(len(rows), bool) if before is None else np.asarray(before, bool)[rows]
    for s, e in _runs(state):
        net = earlier.copy()
        net[s:e] ^= True
        if e - s <= max_run or all(b - a <= max_run for a, b in _runs(net) if a <= e and b >= s):
            out[rows[s:e]] = True
    return out


def _runs(mask: np.ndarray):
    """(start, stop) of each run of True in a 1-D bool array."""
    edges = np.diff(np.concatenate(([0], np.asarray(mask, np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=False))


def _max_run(settings: SwapSettings, time_s) -> int:
    """``settings.max_glitch_s`` in frames (at least 1)."""
    return max(1, int(round(settings.max_glitch_s * _frame_rate(time_s))))


def _limb_swaps(
    arrays: dict[str, np.ndarray], person: int, limb: str, settings: SwapSettings
) -> np.ndarray:
    """(F,) bool: the whole-recording labelling of one limb pair of one person
    (the second-order Viterbi of the module Notes)."""
    xy = np.asarray(arrays["image_xy"], float)
    out = np.zeros(len(xy), bool)
    frames = np.flatnonzero(np.isfinite(xy[:, person]).all(-1).any(-1))
    left, right = limb_indices(limb)
    ok = np.isfinite(xy[frames, person][:, np.r_[left, right]]).all((-1, -2))
    usable = frames[ok]
    if usable.size < 2:
        return out
    spaces, w = _hypotheses(arrays, person, limb, usable, settings)
    first, second = _motion_costs(spaces, w)
    unary = _shape_costs(arrays, person, limb, usable, settings)
    unary[:, 1] += settings.prior
    out[usable] = viterbi_second_order(first, second, unary)
    return out


def find_swaps(
    arrays: dict[str, np.ndarray],
    settings: SwapSettings = SwapSettings(),
    time_s=None,
    limbs: tuple[str, ...] = LIMBS,
) -> np.ndarray:
    """(F, P, len(LIMBS)) bool: where each limb pair's labels should be exchanged.

    ``arrays`` holds the PoseSequence landmark fields ((F, P, 33, ...), NaN
    where nobody was found); ``time_s`` the frame times (for the legs' second
    step, :func:`short_leg_swaps`); ``limbs`` the limb pairs to repair (the
    others are never flagged). Frames without the person are never flagged.
    """
    xy = np.asarray(arrays["image_xy"], float)
    n_frames, n_people = xy.shape[:2]
    out = np.zeros((n_frames, n_people, len(LIMBS)), bool)
    for person in range(n_people):
        for k, limb in enumerate(LIMBS):
            if limb in limbs:
                out[:, person, k] = _limb_swaps(arrays, person, limb, settings)
    legs = LIMBS.index("legs")
    if "legs" in limbs and settings.glitch_cost > 0:
        whole = apply_swaps({"image_xy": xy}, out)["image_xy"]
        for person in range(n_people):
            out[:, person, legs] ^= short_leg_swaps(
                whole[:, person], time_s, settings, before=out[:, person, legs]
            )
    return out


def apply_swaps(arrays: dict[str, np.ndarray], swapped: np.ndarray) -> dict[str, np.ndarray]:
    """Copies of the landmark ``arrays`` with each flagged limb pair's left and right
    landmarks exchanged (every field: image, depth, visibility, presence, world)."""
    out = {k: np.array(v, float, copy=True) for k, v in arrays.items()}
    for k, limb in enumerate(LIMBS):
        f_idx, p_idx = np.nonzero(swapped[..., k])
        if not f_idx.size:
            continue
        left, right = limb_indices(limb)
        for name in _FIELDS:
            if name not in out:
                continue
            a = out[name]
            l_vals = a[f_idx[:, None], p_idx[:, None], left[None]].copy()
            a[f_idx[:, None], p_idx[:, None], left[None]] = a[
                f_idx[:, None], p_idx[:, None], right[None]
            ]
            a[f_idx[:, None], p_idx[:, None], right[None]] = l_vals
    return out


def repair_swaps(
    arrays: dict[str, np.ndarray],
    settings: SwapSettings = SwapSettings(),
    time_s=None,
    limbs: tuple[str, ...] = LIMBS,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Make left/right labels of legs and arms temporally consistent.

    Returns the repaired arrays and the (F, P, 2) ``swapped`` flags (legs, arms).
    ``time_s``: the frame times (30 fps assumed when None); ``limbs``: the limb
    pairs to repair. Pure: the input arrays are not modified.
    """
    swapped = find_swaps(arrays, settings, time_s, limbs)
    return apply_swaps(arrays, swapped), swapped


def repair_sequence(seq, settings: SwapSettings = SwapSettings(), limbs: tuple[str, ...] = LIMBS):
    """:func:`repair_swaps` on a PoseSequence; the result's ``swapped`` field records
    the frames relabelled (added to any earlier flags, exclusive-or)."""
    arrays = {k: getattr(seq, k) for k in _FIELDS}
    fixed, swapped = repair_swaps(arrays, settings, seq.time_s, limbs)
    previous = getattr(seq, "swapped", None)
    if previous is not None:
        swapped = swapped ^ np.asarray(previous, bool)
    return replace(seq, **fixed, swapped=swapped)


def count_label_jumps(
    image_xy: np.ndarray, person: int = 0, ratio: float = 0.5, limb: str = "legs"
) -> int:
    """Label jumps of one person's legs between consecutive detected frames.

    A jump is a frame pair in which each of the knee, ankle, heel and foot
    index (elbow, wrist, pinky, index, thumb for ``limb='arms'``) of *both*
    sides is closer to the other side's previous position than ``ratio`` times
    the distance to its own previous position (0.5: "much closer"). Frame
    pairs where either frame lacks the person are skipped.
    """
    left, right = (
        limb_indices(limb)
        if limb != "legs"
        else (
            np.array([INDEX[f"left_{p}"] for p in JUMP_PARTS]),
            np.array([INDEX[f"right_{p}"] for p in JUMP_PARTS]),
        )
    )
    xy = np.asarray(image_xy, float)[:, person]
    a, b = xy[:-1], xy[1:]
    ok = np.isfinite(a[:, np.r_[left, right]]).all((-1, -2)) & np.isfinite(
        b[:, np.r_[left, right]]
    ).all((-1, -2))

    def dist(p, q):
        return np.sqrt(((p - q) ** 2).sum(-1))

    with np.errstate(invalid="ignore"):
        jump_l = (dist(b[:, left], a[:, right]) < ratio * dist(b[:, left], a[:, left])).all(-1)
        jump_r = (dist(b[:, right], a[:, left]) < ratio * dist(b[:, right], a[:, right])).all(-1)
    return int((ok & jump_l & jump_r).sum())
