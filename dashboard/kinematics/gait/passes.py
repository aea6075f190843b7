"""Walking passes: stretches of steady walking across the picture, with direction,
the wider window in which their contacts are looked for, and their steady stretch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.gait.facing import Facing, walking_notice
from dashboard.kinematics.gait.signals import Signals, fill_gaps, smooth, true_runs

__all__ = ["STOP_SPEED_BH_S", "WalkingPass", "find_passes", "frame_rate", "pelvis_speed"]

#: Below this pelvis speed along the picture (body heights per second, 0.085 m/s for a
#: 1.70 m person) the person has stopped: a pass's event window ends there.
STOP_SPEED_BH_S = 0.05


@dataclass(frozen=True)
class WalkingPass:
    """One pass: array indices ``start..end`` (inclusive) of the sequence.

    direction
        +1 when walking towards increasing image x (``'left_to_right'`` on
        screen), -1 the other way.
    stature_px
        The person's estimated standing height in pixels in this pass (90th
        percentile of the per-frame estimate; see :mod:`.scale`).
    speed_body_heights_s
        Mean pelvis speed along the picture in body heights per second.
    facing
        Which way the person faces (:class:`~.facing.Facing`), set by
        :func:`~dashboard.kinematics.gait.analyze_gait`; None: not classified.
    window_start, window_end
        Array indices (inclusive) of the window in which contacts are looked for:
        the pass widened, while the person is found and still moving the same way
        (faster than :data:`STOP_SPEED_BH_S`), to the frames where they enter or
        leave the picture, start walking after standing, or stop before a turn.
        Defaults: ``start`` and ``end``.
    steady_start, steady_end
        Array indices of the steady stretch: the frames of the pass whose walking
        speed is at least ``steady_speed_share`` of the pass's median speed (see
        :func:`find_passes`). Contacts before it are acceleration contacts, after it
        deceleration contacts. Defaults: ``start`` and ``end``.
    median_speed_bh_s
        Median pelvis speed over the pass (body heights per second).
    """

    index: int
    start: int
    end: int
    direction: int
    start_s: float
    end_s: float
    start_frame: int
    end_frame: int
    stature_px: float
    speed_body_heights_s: float
    facing: Facing | None = None
    window_start: int = -1
    window_end: int = -1
    steady_start: int = -1
    steady_end: int = -1
    median_speed_bh_s: float = float("nan")
    #: Times (s) of ``window_start`` ... ``steady_end`` (NaN: not set).
    window_s: tuple[float, float] = (float("nan"), float("nan"))
    steady_s: tuple[float, float] = (float("nan"), float("nan"))

    def __post_init__(self) -> None:
        for name, default in (
            ("window_start", self.start),
            ("window_end", self.end),
            ("steady_start", self.start),
            ("steady_end", self.end),
        ):
            if getattr(self, name) < 0:
                object.__setattr__(self, name, int(default))

    @property
    def walking(self) -> str:
        """``'forward'``, ``'backward'`` or ``'unclear'`` (not classified: unclear)."""
        return self.facing.walking if self.facing is not None else "unclear"

    @property
    def analysed(self) -> bool:
        """Events and parameters come from this pass: every pass is analysed, a pass
        walked backwards as backward walking, reported apart (:attr:`mode`)."""
        return True

    @property
    def mode(self) -> str:
        """``'backward'`` for a pass walked backwards, else ``'forward'`` (a pass whose
        facing is unclear is analysed as forward walking, with lower trust)."""
        return "backward" if self.walking == "backward" else "forward"

    @property
    def notice(self) -> str:
        """Plain language for a pass that is not plainly forward walking ('' if it is)."""
        return walking_notice(self)

    @property
    def direction_name(self) -> str:
        return "left_to_right" if self.direction > 0 else "right_to_left"

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def as_dict(self) -> dict:
        f = self.facing
        return dict(
            start_s=self.start_s,
            end_s=self.end_s,
            direction=self.direction_name,
            start_frame=self.start_frame,
            end_frame=self.end_frame,
            duration_s=self.duration_s,
            stature_px=self.stature_px,
            speed_body_heights_s=self.speed_body_heights_s,
            walking=self.walking,
            facing={1: "right", -1: "left"}.get(f.facing if f else 0, "unknown"),
            analysed=self.analysed,
            analysed_as=f"{self.mode} walking",
            trust="lower" if self.walking == "unclear" else "normal",
            left_out_reason=None,
            notice=self.notice,
            walking_cues=f.as_dict() if f else None,
            contacts_window_s=list(self.window_s),
            steady_s=list(self.steady_s),
            median_speed_body_heights_s=self.median_speed_bh_s,
        )


def frame_rate(time_s: np.ndarray) -> float:
    """Median frames per second of strictly increasing timestamps (NaN otherwise)."""
    dt = np.diff(np.asarray(time_s, float))
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if len(dt) else float("nan")


def pelvis_speed(pelvis_x: np.ndarray, time_s: np.ndarray, scale_px: float) -> np.ndarray:
    """(F,) signed pelvis velocity along image x in body heights per second: gaps of up
    to 0.1 s filled, a 0.5 s moving average (about one step, so the within-step
    surge averages out); NaN where the pelvis is unknown."""
    t = np.asarray(time_s, float)
    fps = frame_rate(t)
    v = np.full(len(t), np.nan)
    if len(t) < 3 or not np.isfinite(fps) or not np.isfinite(scale_px) or scale_px <= 0:
        return v
    x = fill_gaps(np.asarray(pelvis_x, float), max(1, int(round(0.1 * fps))))
    xs = smooth(x, int(round(0.5 * fps)))
    ok = np.isfinite(xs)
    if ok.sum() > 2:
        v[ok] = np.gradient(xs[ok], t[ok])
    return v / scale_px


def _window(v_all: np.ndarray, s: int, e: int, direction: int, lo: int, hi: int) -> tuple:
    """The pass ``s..e`` widened within ``lo..hi`` while the person is found and still
    moves the same way faster than :data:`STOP_SPEED_BH_S`."""
    moving = np.isfinite(v_all) & (direction * np.nan_to_num(v_all) > STOP_SPEED_BH_S)
    a, b = s, e
    while a - 1 >= lo and moving[a - 1]:
        a -= 1
    while b + 1 <= hi and moving[b + 1]:
        b += 1
    return a, b


def _steady(v_all: np.ndarray, s: int, e: int, direction: int, share: float) -> tuple:
    """First and last frame of ``s..e`` walking at least ``share`` of the pass's
    median speed, and that median."""
    sp = direction * v_all[s : e + 1]
    med = float(np.nanmedian(sp)) if np.isfinite(sp).any() else float("nan")
    fast = np.flatnonzero(np.nan_to_num(sp, nan=-np.inf) >= share * med)
    if not len(fast) or not np.isfinite(med):
        return s, e, med
    return s + int(fast[0]), s + int(fast[-1]), med


def _cores(vn: np.ndarray, ok: np.ndarray, t: np.ndarray, min_pass_s: float, min_speed: float):
    """(start, end, direction) of the stretches faster than ``min_speed``, trimmed."""
    out = []
    for direction in (1, -1):
        moving = ok & (direction * np.nan_to_num(vn) > min_speed)
        for s, e in true_runs(moving):
            # the 0.5 s smoothing lets speed leak 0.25 s into standing or turning
            s, e = (
                int(np.searchsorted(t, t[s] + 0.25)),
                int(np.searchsorted(t, t[e] - 0.25, "right")) - 1,
            )
            if e > s and t[e] - t[s] >= min_pass_s:
                out.append((s, e, direction))
    return sorted(out)


def find_passes(
    sig: Signals,
    time_s: np.ndarray,
    frame_index: np.ndarray,
    min_pass_s: float = 1.0,
    min_speed: float = 0.15,
    steady_share: float = 0.75,
) -> list[WalkingPass]:
    """Walking passes of one person, each with its event window and steady stretch.

    Notes
    -----
    A frame belongs to a pass when the person is found with head, shoulders
    and both legs inside the picture (``sig.valid``) and the pelvis, smoothed
    over 0.5 s, moves along the picture faster than ``min_speed`` body heights
    per second. Consecutive such frames moving the same way make a pass;
    passes shorter than ``min_pass_s`` are dropped. Standing, turning (the
    pelvis slows down and reverses), walking towards or away from the camera
    (it hardly moves across the picture) and entering or leaving the picture
    are therefore excluded. Each pass is shortened by 0.25 s at both ends, the
    half-width of the smoothing, which would otherwise reach into the standing
    or turning next to it. Gaps of up to 0.1 s in the detection are bridged.

    Contacts are looked for in a wider *window*: the pass extended, frame by
    frame, while the person is found (even partly outside the picture) and the
    pelvis still moves the same way faster than :data:`STOP_SPEED_BH_S`; the
    windows of two passes never overlap (they are cut half-way between them).
    The *steady stretch* runs from the first to the last frame of the pass
    whose speed is at least ``steady_share`` of the pass's median speed.
    """
    t = np.asarray(time_s, float)
    fps = frame_rate(t)
    if len(t) < 3 or not np.isfinite(fps) or not sig.valid.any():
        return []
    scale = float(np.nanmedian(sig.stature_px[sig.valid]))
    if not np.isfinite(scale) or scale <= 0:
        return []
    vn = pelvis_speed(np.where(sig.valid, sig.pelvis_x, np.nan), t, scale)
    v_all = pelvis_speed(sig.pelvis_x, t, scale)  # the person partly outside the picture too
    cores = _cores(vn, np.isfinite(vn), t, min_pass_s, min_speed)
    out: list[WalkingPass] = []
    for k, (s, e, direction) in enumerate(cores):
        lo = (cores[k - 1][1] + s) // 2 + 1 if k else 0
        hi = (e + cores[k + 1][0]) // 2 if k + 1 < len(cores) else len(t) - 1
        ws, we = _window(v_all, s, e, direction, lo, hi)
        ss, se, med = _steady(vn, s, e, direction, steady_share)
        stature = float(np.nanpercentile(sig.stature_px[s : e + 1][sig.valid[s : e + 1]], 90))
        out.append(
            WalkingPass(
                k,
                int(s),
                int(e),
                direction,
                float(t[s]),
                float(t[e]),
                int(frame_index[s]),
                int(frame_index[e]),
                stature,
                float(np.nanmean(np.abs(vn[s : e + 1])) * scale / stature),
                window_start=int(ws),
                window_end=int(we),
                steady_start=int(ss),
                steady_end=int(se),
                median_speed_bh_s=med * scale / stature,
                window_s=(float(t[ws]), float(t[we])),
                steady_s=(float(t[ss]), float(t[se])),
            )
        )
    return out
