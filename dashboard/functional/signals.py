"""Body signals the tests are read from, for one person, in leg lengths.

Everything is taken from image coordinates and scaled by the person's leg length in
pixels (hip to knee plus knee to ankle, the median over the recording: a length
that does not change between sitting and standing), so the thresholds hold at any
distance from the camera and any resolution. Movements of a hand-held camera move
every landmark alike; the signals use differences between landmarks where they can.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from dashboard.skeleton import INDEX

__all__ = [
    "Signals",
    "choose_person",
    "extract",
    "first_crossing",
    "frame_rate",
    "smooth",
]

_HIPS = (INDEX["left_hip"], INDEX["right_hip"])
_KNEES = (INDEX["left_knee"], INDEX["right_knee"])
_ANKLES = (INDEX["left_ankle"], INDEX["right_ankle"])
_SHOULDERS = (INDEX["left_shoulder"], INDEX["right_shoulder"])
_EARS = (INDEX["left_ear"], INDEX["right_ear"])
_NOSE = INDEX["nose"]
_MOVERS = (*_SHOULDERS, *_HIPS, *_KNEES, _NOSE)
#: A landmark below this visibility is treated as not seen.
MIN_VISIBILITY = 0.3
#: A pelvis further than this many leg lengths from the running median over
#: ``JUMP_WINDOW_S`` seconds is someone else's (a passer-by picked up for a moment).
JUMP_LEGS = 1.0
JUMP_WINDOW_S = 1.5


@dataclass(frozen=True)
class Signals:
    """Per-frame signals of one person (NaN where not found).

    rise
        Vertical distance from the ankles up to the hips, in leg lengths: about 0.5
        seated, about 0.95 standing.
    pelvis_x
        Hip midpoint's image x, in leg lengths (walking direction and speed).
    facing
        +1 when the nose is to the right of the ears (facing right on screen), -1
        left, smoothed (between: turning or facing the camera).
    posture
        (F, K, 2) positions of the upper body, hips and knees relative to the mid-ankle
        point, in leg lengths (first movement).
    ankles
        (F, 2, 2) left/right ankle (x, y) in leg lengths (single-leg stance).
    visibility
        (F,) mean visibility of the hips, knees and ankles.
    inside
        (F,) the head and both ankles inside the picture.
    """

    time_s: np.ndarray
    frame_index: np.ndarray
    leg_px: float
    rise: np.ndarray
    pelvis_x: np.ndarray
    facing: np.ndarray
    posture: np.ndarray
    ankles: np.ndarray
    visibility: np.ndarray
    inside: np.ndarray
    found: np.ndarray
    image_size: tuple[int, int]
    #: (F,) a pose was detected (before the frames out of the picture or of another
    #: person are left out: ``found``).
    detected: np.ndarray | None = None

    @property
    def fps(self) -> float:
        return frame_rate(self.time_s)


def frame_rate(time_s: np.ndarray) -> float:
    """Frames per second from the median frame interval (NaN under 2 frames)."""
    t = np.asarray(time_s, float)
    if t.size < 2:
        return float("nan")
    dt = np.diff(t)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return float(1.0 / np.median(dt)) if dt.size else float("nan")


def smooth(x: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average over ``window`` frames ignoring NaN (NaN stays NaN)."""
    x = np.asarray(x, float)
    window = min(int(window), x.size)
    if window <= 1 or x.size == 0:
        return x.copy()
    ok = np.isfinite(x)
    k = np.ones(int(window))
    num = np.convolve(np.where(ok, x, 0.0), k, mode="same")
    den = np.convolve(ok.astype(float), k, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[~ok] = np.nan
    return out


def first_crossing(x: np.ndarray, level: float, start: int, rising: bool) -> int | None:
    """First index >= ``start`` where ``x`` is at or beyond ``level``."""
    seg = np.asarray(x[start:], float)
    with np.errstate(invalid="ignore"):
        hit = seg >= level if rising else seg <= level
    idx = np.flatnonzero(hit)
    return int(start + idx[0]) if idx.size else None


def choose_person(seq, person: int | None) -> int:
    """The slot asked for, else the one found in most frames."""
    if person is not None:
        return int(person)
    counts = seq.detected.sum(axis=0) if seq.num_people else np.zeros(0)
    return int(np.argmax(counts)) if counts.size else 0


def _mean_pair(xy: np.ndarray, vis: np.ndarray, pair) -> np.ndarray:
    """Mean of two landmarks, either one where the other is not seen."""
    p = xy[:, list(pair)]
    v = vis[:, list(pair)] >= MIN_VISIBILITY
    p = np.where(v[..., None], p, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(p, axis=1)


def _leg_lengths(xy: np.ndarray) -> np.ndarray:
    """(F,) the longer leg's hip-knee-ankle length in pixels per frame."""
    lengths = []
    for h, k, a in zip(_HIPS, _KNEES, _ANKLES, strict=True):
        thigh = np.linalg.norm(xy[:, h] - xy[:, k], axis=-1)
        shank = np.linalg.norm(xy[:, k] - xy[:, a], axis=-1)
        lengths.append(thigh + shank)
    return np.fmax(lengths[0], lengths[1])


def _leg_px(leg_each: np.ndarray) -> float:
    """Median over frames of :func:`_leg_lengths`."""
    ok = leg_each[np.isfinite(leg_each)]
    return float(np.median(ok)) if ok.size else float("nan")


def _running_median(x: np.ndarray, n: int) -> np.ndarray:
    """Centred running median over ``n`` (odd) samples ignoring NaN."""
    half = n // 2
    padded = np.concatenate([np.full(half, np.nan), x, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(windows, axis=1)


def _out_of_picture(xy: np.ndarray, presence: np.ndarray, size) -> np.ndarray:
    """Frames whose hips or both feet are outside the picture (the model then guesses
    where they are): the person is not seen there (a turn out of view)."""
    w, h = size
    margin = 0.02 * max(w, h)

    def outside(i: int) -> np.ndarray:
        x, y = xy[:, i, 0], xy[:, i, 1]
        with np.errstate(invalid="ignore"):
            off = (x < -margin) | (x > w + margin) | (y < -margin) | (y > h + margin)
        return off | (np.nan_to_num(presence[:, i], nan=1.0) < 0.3)

    hips = outside(_HIPS[0]) & outside(_HIPS[1])
    feet = outside(_ANKLES[0]) & outside(_ANKLES[1])
    return (hips | feet) & np.isfinite(xy[:, _HIPS[0], 0])


def _identity_jumps(
    pelvis: np.ndarray, leg_each: np.ndarray, leg: float, time_s: np.ndarray
) -> np.ndarray:
    """Frames whose body is not the person's (another person picked up for a moment, a
    passer-by): a leg length far from the person's, or a pelvis far from where the
    person is over the surrounding :data:`JUMP_WINDOW_S`. True where to ignore."""
    with np.errstate(invalid="ignore"):
        odd_size = np.abs(leg_each / leg - 1.0) > 0.45
    fps = frame_rate(time_s)
    n = max(int(JUMP_WINDOW_S * fps) | 1, 3) if np.isfinite(fps) else 3
    far = np.zeros(len(pelvis), bool)
    for axis in (0, 1):
        med = _running_median(np.where(odd_size, np.nan, pelvis[:, axis]), n)
        with np.errstate(invalid="ignore"):
            far |= np.abs(pelvis[:, axis] - med) > JUMP_LEGS * leg
    return (odd_size | far) & np.isfinite(pelvis[:, 0])


def extract(seq, person: int) -> Signals:
    """The :class:`Signals` of ``person`` in ``seq``."""
    xy = np.asarray(seq.image_xy[:, person], float)
    vis = np.nan_to_num(np.asarray(seq.visibility[:, person], float), nan=0.0)
    found = np.isfinite(xy[:, INDEX["left_hip"], 0])
    detected = found.copy()
    leg_each = _leg_lengths(xy)
    leg = _leg_px(leg_each)
    if not np.isfinite(leg) or leg <= 1:
        leg = float("nan")
    hips = _mean_pair(xy, vis, _HIPS)
    ankles_mid = _mean_pair(xy, vis, _ANKLES)
    t = np.asarray(seq.time_s, float)
    if np.isfinite(leg):
        bad = _identity_jumps(hips * 1.0, leg_each, leg, t)
    else:
        bad = np.zeros(len(xy), bool)
    bad |= _out_of_picture(xy, np.asarray(seq.presence[:, person], float), seq.image_size)
    hips[bad] = np.nan
    ankles_mid[bad] = np.nan
    found = found & ~bad
    rise = (ankles_mid[:, 1] - hips[:, 1]) / leg
    nose = xy[:, _NOSE]
    ears = _mean_pair(xy, vis, _EARS)
    with np.errstate(invalid="ignore"):
        facing = np.clip((nose[:, 0] - ears[:, 0]) / (0.08 * leg), -1.0, 1.0)
    facing[bad] = np.nan
    posture = (xy[:, list(_MOVERS)] - ankles_mid[:, None, :]) / leg
    posture[bad] = np.nan
    ankles = xy[:, list(_ANKLES)] / leg
    ankles[bad] = np.nan
    w, h = seq.image_size
    idx = [_NOSE, *_ANKLES]
    pts = xy[:, idx]
    with np.errstate(invalid="ignore"):
        inside = np.all(
            (pts[..., 0] >= 0) & (pts[..., 0] <= w) & (pts[..., 1] >= 0) & (pts[..., 1] <= h),
            axis=1,
        ) & (np.asarray(seq.presence[:, person][:, idx], float) >= 0.5).all(axis=1)
    lower = list(_HIPS + _KNEES + _ANKLES)
    return Signals(
        time_s=np.asarray(seq.time_s, float),
        frame_index=np.asarray(seq.frame_index, int),
        leg_px=leg,
        rise=rise,
        pelvis_x=hips[:, 0] / leg,
        facing=smooth(facing, 5),
        posture=posture,
        ankles=ankles,
        visibility=np.where(found, vis[:, lower].mean(axis=1), 0.0),
        inside=inside & found,
        found=found,
        image_size=tuple(seq.image_size),
        detected=detected,
    )
