"""Walking passes: stretches of steady walking across the picture, with direction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.gait.facing import Facing, walking_notice
from dashboard.kinematics.gait.signals import Signals, fill_gaps, smooth

__all__ = ["WalkingPass", "find_passes", "frame_rate"]


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

    @property
    def walking(self) -> str:
        """``'forward'``, ``'backward'`` or ``'unclear'`` (not classified: unclear)."""
        return self.facing.walking if self.facing is not None else "unclear"

    @property
    def analysed(self) -> bool:
        """Events, parameters and curves come from this pass (not walked backwards)."""
        return self.walking != "backward"

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
            trust=("normal" if self.walking == "forward" else "lower") if self.analysed else None,
            left_out_reason=None
            if self.analysed
            else ("walks backwards: the gait events assume forward walking"),
            notice=self.notice,
            walking_cues=f.as_dict() if f else None,
        )


def frame_rate(time_s: np.ndarray) -> float:
    """Median frames per second of strictly increasing timestamps (NaN otherwise)."""
    dt = np.diff(np.asarray(time_s, float))
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if len(dt) else float("nan")


def _runs(mask: np.ndarray):
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1))


def find_passes(
    sig: Signals,
    time_s: np.ndarray,
    frame_index: np.ndarray,
    min_pass_s: float = 1.0,
    min_speed: float = 0.15,
) -> list[WalkingPass]:
    """Steady walking passes of one person.

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
    """
    t = np.asarray(time_s, float)
    fps = frame_rate(t)
    if len(t) < 3 or not np.isfinite(fps):
        return []
    x = np.where(sig.valid, sig.pelvis_x, np.nan)
    x = fill_gaps(x, max(1, int(round(0.1 * fps))))
    xs = smooth(x, int(round(0.5 * fps)))
    ok = np.isfinite(xs)
    if ok.sum() < 3:
        return []
    v = np.full(len(t), np.nan)
    v[ok] = np.gradient(xs[ok], t[ok]) if ok.sum() > 1 else np.nan
    scale = float(np.nanmedian(sig.stature_px[sig.valid])) if sig.valid.any() else np.nan
    if not np.isfinite(scale) or scale <= 0:
        return []
    vn = v / scale
    out: list[WalkingPass] = []
    for direction in (1, -1):
        moving = ok & (direction * np.nan_to_num(vn) > min_speed)
        for s, e in _runs(moving):
            # the 0.5 s smoothing lets speed leak 0.25 s into standing or turning
            s, e = (
                int(np.searchsorted(t, t[s] + 0.25)),
                int(np.searchsorted(t, t[e] - 0.25, "right")) - 1,
            )
            if e <= s or t[e] - t[s] < min_pass_s:
                continue
            stature = float(np.nanpercentile(sig.stature_px[s : e + 1][sig.valid[s : e + 1]], 90))
            out.append(
                WalkingPass(
                    0,
                    int(s),
                    int(e),
                    direction,
                    float(t[s]),
                    float(t[e]),
                    int(frame_index[s]),
                    int(frame_index[e]),
                    stature,
                    float(np.nanmean(np.abs(v[s : e + 1])) / stature),
                )
            )
    out.sort(key=lambda p: p.start)
    return [
        WalkingPass(i, *[getattr(p, f) for f in list(p.__dataclass_fields__)[1:]])
        for i, p in enumerate(out)
    ]
