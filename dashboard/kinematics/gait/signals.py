"""Per-frame signals gait analysis is built on: pelvis, feet, body size.

All positions are image pixels (x right, y down) of one person slot. The
walking direction is along image x, so the analysis needs a side view. Leg
labels are taken as given: left/right leg swaps are repaired once, by the
detection stage (:mod:`dashboard.detect.swaps`), before gait sees them
(:func:`dashboard.kinematics.gait.labels.leg_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.filters import valid_runs
from dashboard.skeleton import INDEX

__all__ = [
    "EYE_HEIGHT_RATIO",
    "LEG_PARTS",
    "Signals",
    "despike",
    "extract_signals",
    "fill_gaps",
    "smooth",
]

#: Landmarks of one leg (with its hip) that gait analysis uses.
LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
#: Eye height as a share of standing height (adult anthropometry, Drillis & Contini
#: 1966: 0.936 H; individual ratios vary by about +-1.5 %).
EYE_HEIGHT_RATIO = 0.936
_BODY = (
    "left_eye",
    "right_eye",
    "left_shoulder",
    "right_shoulder",
    *tuple(f"{s}_{p}" for s in ("left", "right") for p in LEG_PARTS),
)


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
    nose_x, ears_x
        (F,) x of the nose and of the midpoint of the two ears (which way the
        face points: :mod:`.facing`).
    heel_inside, toe_inside
        (F, 2) the foot is in view: its heel and its toe are both found inside
        the picture (a foot out of view has no events). Default: wherever the
        landmark is found.
    """

    pelvis_x: np.ndarray
    heel_x: np.ndarray
    toe_x: np.ndarray
    heel_vis: np.ndarray
    toe_vis: np.ndarray
    stature_px: np.ndarray
    in_frame: np.ndarray
    valid: np.ndarray
    nose_x: np.ndarray
    ears_x: np.ndarray
    heel_inside: np.ndarray | None = None
    toe_inside: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name, x in (("heel_inside", self.heel_x), ("toe_inside", self.toe_x)):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.isfinite(x))


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
    for s, e in valid_runs(bad):
        if s > 0 and e < len(x) and e - s <= max_gap:
            x[s:e] = filled[s:e]
    return x


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` indices (both included) of each run of True in a 1-D mask."""
    return [(s, e - 1) for s, e in valid_runs(mask)]


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


def _stature(xy: np.ndarray) -> np.ndarray:
    eyes_y = np.nanmean(xy[:, _idx(["left_eye", "right_eye"]), 1], axis=1)
    feet = _idx(["left_heel", "right_heel", "left_foot_index", "right_foot_index"])
    floor_y = np.max(xy[:, feet, 1], axis=1)
    return (floor_y - eyes_y) / EYE_HEIGHT_RATIO


def extract_signals(seq, person: int = 0) -> Signals:
    """The gait signals of ``person`` in ``seq`` (see :class:`Signals`), from the
    landmarks as labelled (repair leg swaps first: :func:`~.labels.leg_labels`)."""
    xy = np.asarray(seq.image_xy[:, person], float)
    vis = np.asarray(seq.visibility[:, person], float)
    width, height = seq.image_size
    with np.errstate(invalid="ignore"), _quiet():
        stature = _stature(xy)
        body = xy[:, _idx(_BODY)]
        in_frame = (
            (body[..., 0] >= 0)
            & (body[..., 0] <= width)
            & (body[..., 1] >= 0)
            & (body[..., 1] <= height)
        ).all(axis=1)
    valid = np.isfinite(xy[:, _idx(_BODY)]).all(axis=(1, 2)) & in_frame

    def side_idx(part):
        return _idx([f"left_{part}", f"right_{part}"])

    def inside(part):
        p = xy[:, side_idx(part)]
        with np.errstate(invalid="ignore"):
            return (
                (p[..., 0] >= 0) & (p[..., 0] <= width) & (p[..., 1] >= 0) & (p[..., 1] <= height)
            )

    foot_seen = inside("heel") & inside("foot_index")
    return Signals(
        pelvis_x=0.5 * (xy[:, INDEX["left_hip"], 0] + xy[:, INDEX["right_hip"], 0]),
        heel_x=xy[:, side_idx("heel"), 0],
        toe_x=xy[:, side_idx("foot_index"), 0],
        heel_vis=vis[:, side_idx("heel")],
        toe_vis=vis[:, side_idx("foot_index")],
        stature_px=stature,
        in_frame=in_frame,
        valid=valid,
        nose_x=xy[:, INDEX["nose"], 0],
        ears_x=0.5 * (xy[:, INDEX["left_ear"], 0] + xy[:, INDEX["right_ear"], 0]),
        heel_inside=foot_seen,
        toe_inside=foot_seen,
    )


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
