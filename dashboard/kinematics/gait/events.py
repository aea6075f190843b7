"""Gait events per side: initial contact and toe off (Zeni et al. 2008), each
cross-checked by foot velocity and given a confidence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from dashboard.kinematics.gait.passes import WalkingPass, frame_rate
from dashboard.kinematics.gait.settings import SIDES
from dashboard.kinematics.gait.signals import Signals, despike, fill_gaps, smooth

__all__ = ["AGREEMENT_S", "MIN_PROMINENCE", "GaitEvent", "detect_events"]

#: Velocity and position events further apart than this do not agree at all.
AGREEMENT_S = 0.1
#: Smallest excursion (body heights) of a foot relative to the pelvis that is a step.
MIN_PROMINENCE = 0.05
#: Hampel filter threshold (body heights): a landmark jumping further than this from
#: its 0.17 s median for a frame or two is a tracking glitch.
SPIKE = 0.08


@dataclass(frozen=True)
class GaitEvent:
    """One event of one foot.

    index
        Array index in the sequence; ``frame`` the source frame index.
    confidence
        0..1: 0.4 x agreement with the velocity method + 0.4 x visibility of
        the landmark + 0.2 x how clear the position peak is (see
        :func:`detect_events`).
    velocity_offset_s
        Time of the velocity-method event minus this one (NaN: none found
        within 0.2 s).
    """

    side: str
    event: str
    index: int
    frame: int
    time_s: float
    confidence: float
    pass_index: int
    velocity_offset_s: float

    def as_dict(self) -> dict:
        return dict(
            side=self.side,
            event=self.event,
            frame=self.frame,
            time_s=self.time_s,
            confidence=round(self.confidence, 3),
            pass_index=self.pass_index,
            velocity_offset_s=self.velocity_offset_s,
        )


def _velocity_events(pos: np.ndarray, t: np.ndarray, thr: float, rising: bool) -> np.ndarray:
    """Indices where the forward foot speed crosses ``thr`` (up when ``rising``)."""
    ok = np.isfinite(pos)
    v = np.full(len(pos), np.nan)
    if ok.sum() > 2:
        v[ok] = np.gradient(pos[ok], t[ok])
    prev, cur = v[:-1], v[1:]
    with np.errstate(invalid="ignore"):
        hit = (prev < thr) & (cur >= thr) if rising else (prev >= thr) & (cur < thr)
    return np.flatnonzero(hit) + 1


def stride_period(x: np.ndarray, fps: float, lo: float = 0.5, hi: float = 3.0) -> float:
    """The dominant period (s) of ``x`` between ``lo`` and ``hi`` seconds, from its
    autocorrelation; ``lo`` when none stands out. The position of the leading
    heel relative to the pelvis repeats once per step, whatever the leg labels."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)] - np.nanmean(x) if np.isfinite(x).any() else x[:0]
    a, b = int(round(lo * fps)), int(round(hi * fps))
    if len(x) < a + 3 or not np.any(x):
        return lo
    n = len(x)
    spec = np.fft.rfft(x, 2 * n)
    ac = np.fft.irfft(spec * np.conj(spec))[:n]
    ac = ac / ac[0]
    seg = ac[a : min(b, n - 1) + 1]
    peaks, _ = find_peaks(seg)
    if not len(peaks) or seg[peaks].max() < 0.1:
        return lo
    # the first clear peak: a multiple of the period can correlate as well
    first = peaks[seg[peaks] >= max(0.4 * seg[peaks].max(), 0.1)][0]
    return (a + int(first)) / fps


def _confidence(agree_dt: float, vis: float, prominence: float) -> float:
    agreement = 0.0 if not np.isfinite(agree_dt) else max(0.0, 1 - abs(agree_dt) / AGREEMENT_S)
    vis = 0.0 if not np.isfinite(vis) else float(np.clip(vis, 0, 1))
    clear = float(np.clip(prominence / (4 * MIN_PROMINENCE), 0, 1))
    return 0.4 * agreement + 0.4 * vis + 0.2 * clear


def _prepared(sig: Signals, fps: float) -> dict:
    """Whole-sequence foot signals in pixels: gaps of 0.1 s filled, glitches removed
    (Hampel filter), a 0.05 s moving average. ``rel`` is relative to the pelvis,
    ``ground`` in the picture."""
    gap = max(1, int(round(0.1 * fps)))
    win = int(round(0.05 * fps))
    spike_win = max(3, int(round(0.17 * fps)))
    scale = float(np.nanmedian(sig.stature_px[sig.valid])) if sig.valid.any() else np.nan
    pelvis = fill_gaps(sig.pelvis_x, gap)
    out = {}
    for k in range(2):
        for name, pos in (("heel", sig.heel_x[:, k]), ("toe", sig.toe_x[:, k])):
            ground = fill_gaps(pos, gap)
            out["rel", name, k] = smooth(despike(ground - pelvis, spike_win, SPIKE * scale), win)
            out["ground", name, k] = smooth(ground, win)
    return out


def _pass_events(
    sig: Signals, prep: dict, p: WalkingPass, t: np.ndarray, frame_index: np.ndarray, fps: float
) -> list[GaitEvent]:
    sl = slice(p.start, p.end + 1)
    tt = t[sl]
    rels = {
        (name, k): p.direction * prep["rel", name, k][sl] / p.stature_px
        for name in ("heel", "toe")
        for k in range(2)
    }
    # the leading heel peaks at every contact whichever the labels: once per step
    lead = np.fmax(rels["heel", 0], rels["heel", 1])
    period = 2 * stride_period(lead, fps, 0.25, 1.5)
    min_distance = max(1, int(round(0.6 * period * fps)))
    thr = 0.5 * p.speed_body_heights_s
    out = []
    for kind, name, vis_all, sign in (
        ("initial_contact", "heel", sig.heel_vis, 1.0),
        ("toe_off", "toe", sig.toe_vis, -1.0),
    ):
        both = np.stack([sign * rels[name, 0], sign * rels[name, 1]])
        if not np.isfinite(both).any():
            continue
        found = []
        for k in range(2):
            if not np.isfinite(both[k]).any():
                continue
            signal = np.where(np.isfinite(both[k]), both[k], np.nanmin(both[k]))
            peaks, props = find_peaks(signal, distance=min_distance, prominence=MIN_PROMINENCE)
            found += [(k, i, prom) for i, prom in zip(peaks, props["prominences"])]
        vels = {
            k: _velocity_events(
                p.direction * prep["ground", name, k][sl] / p.stature_px,
                tt,
                thr,
                rising=kind == "toe_off",
            )
            for k in range(2)
        }
        for k, i, prom in found:
            vel = vels[k]
            dt = tt[vel] - tt[i] if len(vel) else np.array([np.inf])
            j = int(np.argmin(np.abs(dt)))
            offset = float(dt[j]) if abs(dt[j]) <= 2 * AGREEMENT_S else np.nan
            near = vis_all[sl, k][max(0, i - 2) : i + 3]
            vis = float(np.nanmean(near)) if np.isfinite(near).any() else np.nan
            idx = p.start + int(i)
            out.append(
                GaitEvent(
                    SIDES[k],
                    kind,
                    idx,
                    int(frame_index[idx]),
                    float(t[idx]),
                    _confidence(offset, vis, float(prom)),
                    p.index,
                    offset,
                )
            )
    return out


def detect_events(
    sig: Signals, passes: list[WalkingPass], time_s: np.ndarray, frame_index: np.ndarray
) -> list[GaitEvent]:
    """Initial contacts and toe offs of both feet in every pass, in time order.

    Notes
    -----
    Position method (Zeni, Richards & Higginson 2008): along the walking
    direction of the pass, the heel's position relative to the pelvis (hip
    midpoint) is largest at initial contact, and the toe's (foot index)
    smallest at toe off. Positions are in body heights, gaps up to 0.1 s are
    interpolated and a 0.05 s moving average applied (none at 30 fps).
    Extrema must stand out by :data:`MIN_PROMINENCE` body heights and be
    0.3 s apart; an extremum on the first or last frame of a pass is not an
    event.

    Velocity method (cross-check): a foot is on the ground while it moves
    forward (in the picture, not relative to the pelvis) slower than half the
    pass's walking speed; initial contact is the heel's speed falling below
    that, toe off the toe's speed rising above it. It tends to place initial
    contact a frame or two later than the position method.

    The event kept is the position method's; its confidence combines the
    agreement with the velocity method (1 when simultaneous, 0 at 0.1 s or
    more apart), the landmark's visibility over +-2 frames and the prominence
    of the extremum (1 from 0.2 body heights).
    """
    t = np.asarray(time_s, float)
    fps = frame_rate(t)
    if not passes:
        return []
    prep = _prepared(sig, fps)
    events = [e for p in passes for e in _pass_events(sig, prep, p, t, frame_index, fps)]
    return sorted(events, key=lambda e: (e.index, e.side, e.event))
