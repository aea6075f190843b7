"""Gait events per side: initial contact and the end of contact (Zeni et al. 2008),
each cross-checked by foot velocity and given a confidence, for forward and backward
walking; contacts at the edges of a pass are found too and marked.

The detector runs on plain arrays (:func:`side_view_events`: heel, toe and pelvis
positions along a side view's horizontal axis and their timestamps), which is what
:func:`detect_events` feeds it for each walking pass of a video, and what a benchmark
on marker data can feed it directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from dashboard.kinematics.gait.extrema import (
    EDGE_LAG_S,
    MIN_ALTERNATION,
    MIN_PROMINENCE,
    _alternating,
    _extrema,
    _lead_peaks,
)
from dashboard.kinematics.gait.passes import WalkingPass, frame_rate
from dashboard.kinematics.gait.settings import SIDES
from dashboard.kinematics.gait.signals import Signals, despike, fill_gaps, smooth

__all__ = [
    "AGREEMENT_S",
    "EDGE_LAG_S",
    "END_EVENT",
    "MIN_PROMINENCE",
    "GaitEvent",
    "detect_events",
    "side_view_events",
]

#: Velocity and position events further apart than this do not agree at all.
AGREEMENT_S = 0.1
#: Hampel filter threshold (body heights): a landmark jumping further than this from
#: its 0.17 s median for a frame or two is a tracking glitch.
SPIKE = 0.08
#: The event that ends a foot's contact: the toe leaves the ground last walking
#: forwards; walking backwards (the reverse movement) the heel does ("foot off").
END_EVENT = {"forward": "toe_off", "backward": "foot_off"}
#: Which landmark marks each event, and the sign of its extremum along the travel
#: relative to the pelvis (+1: furthest in the direction of travel).
_MARKERS = {
    "forward": (("initial_contact", "heel", 1.0), ("toe_off", "toe", -1.0)),
    "backward": (("initial_contact", "toe", 1.0), ("foot_off", "heel", -1.0)),
}


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
    phase
        ``'steady'``, ``'acceleration'`` (before the pass's steady stretch: the
        person enters the picture or starts walking) or ``'deceleration'`` (after
        it: they slow down to stop or turn, or leave the picture); only steady
        contacts enter the steady-state parameters. ``phase_reason`` says why.
    walking
        ``'forward'`` or ``'backward'`` (the pass's walking; backward initial
        contact is the toe landing behind, and contact ends with ``'foot_off'``,
        the heel leaving the ground).
    at_edge
        Found on the first or last frame the foot is seen: the event may have
        happened up to :data:`EDGE_LAG_S` earlier (later).
    """

    side: str
    event: str
    index: int
    frame: int
    time_s: float
    confidence: float
    pass_index: int
    velocity_offset_s: float
    phase: str = "steady"
    phase_reason: str = ""
    walking: str = "forward"
    at_edge: bool = False

    @property
    def steady(self) -> bool:
        return self.phase == "steady"

    def as_dict(self) -> dict:
        return dict(
            side=self.side,
            event=self.event,
            frame=self.frame,
            time_s=self.time_s,
            confidence=round(self.confidence, 3),
            pass_index=self.pass_index,
            velocity_offset_s=self.velocity_offset_s,
            phase=self.phase,
            phase_reason=self.phase_reason,
            walking=self.walking,
            at_edge=self.at_edge,
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


def _on_ground(ground: np.ndarray, t: np.ndarray, thr: float) -> np.ndarray:
    """(n,) the foot moves along the travel slower than ``thr`` (NaN: False)."""
    ok = np.isfinite(ground)
    v = np.full(len(ground), np.inf)
    if ok.sum() > 2:
        v[ok] = np.gradient(ground[ok], t[ok])
    return v < thr


def _confidence(agree_dt: float, vis: float, prominence: float) -> float:
    agreement = 0.0 if not np.isfinite(agree_dt) else max(0.0, 1 - abs(agree_dt) / AGREEMENT_S)
    vis = 0.0 if not np.isfinite(vis) else float(np.clip(vis, 0, 1))
    clear = float(np.clip(prominence / (4 * MIN_PROMINENCE), 0, 1))
    return 0.4 * agreement + 0.4 * vis + 0.2 * clear


def _prepared(heel_x, toe_x, pelvis_x, scale: float, fps: float, inside=None) -> dict:
    """Whole-sequence foot signals: gaps of 0.1 s filled, glitches removed (Hampel
    filter), a 0.05 s moving average. ``rel`` is relative to the pelvis, ``ground``
    along the picture. ``inside[name]`` (F, 2): where the landmark is inside the
    picture; outside it, both are NaN (a foot out of view has no events)."""
    gap = max(1, int(round(0.1 * fps)))
    win = int(round(0.05 * fps))
    spike_win = max(3, int(round(0.17 * fps)))
    pelvis = fill_gaps(np.asarray(pelvis_x, float), gap)
    out = {}
    for name, arr in (("heel", heel_x), ("toe", toe_x)):
        arr = np.asarray(arr, float)
        for k in range(2):
            ground = fill_gaps(arr[:, k], gap)
            rel = smooth(despike(ground - pelvis, spike_win, SPIKE * scale), win)
            ground = smooth(ground, win)
            if inside is not None:
                seen = np.asarray(inside[name][:, k], bool)
                rel, ground = np.where(seen, rel, np.nan), np.where(seen, ground, np.nan)
            out["rel", name, k], out["ground", name, k] = rel, ground
    return out


@dataclass(frozen=True)
class _Window:
    """One stretch of samples to find events in, with what they need."""

    sl: slice
    #: the steady stretch (its cadence sets how far apart two contacts must be)
    steady: slice
    direction: int
    stature: float
    speed: float
    walking: str
    pass_index: int


def _window_events(prep, vis, w: _Window, t, frame_index, fps, phase_of) -> list[GaitEvent]:
    tt = t[w.sl]
    rels = {
        (name, k): w.direction * prep["rel", name, k][w.sl] / w.stature
        for name in ("heel", "toe")
        for k in range(2)
    }
    # the leading foot peaks at every contact whichever the labels: once per step
    lead_name = "heel" if w.walking == "forward" else "toe"
    lead = np.fmax(rels[lead_name, 0], rels[lead_name, 1])
    steady = slice(w.steady.start - w.sl.start, w.steady.stop - w.sl.start)
    period = 2 * stride_period(lead[steady], fps, 0.25, 1.5)
    min_distance = max(1, int(round(0.6 * period * fps)))
    thr = 0.5 * w.speed
    out = []
    for kind, name, sign in _MARKERS[w.walking]:
        found_kind, extreme = [], {}
        extra = _lead_peaks(rels, name, sign, kind, min_distance, period * fps, w.speed)
        for k in range(2):
            found = _extrema(sign * rels[name, k], min_distance, w.speed)
            moved = {j: (i, prom, False) for j, i, prom in extra.get(k, [])}
            found = [moved.get(f[0], f) for f in found]
            ground = w.direction * prep["ground", name, k][w.sl] / w.stature
            vel = _velocity_events(ground, tt, thr, rising=kind != "initial_contact")
            on_ground = _on_ground(ground, tt, thr)
            for i, prom, edge in found:
                if edge and on_ground[i] != (kind == "initial_contact"):
                    continue  # the foot is not yet (no longer) in the state the event starts
                dt = tt[vel] - tt[i] if len(vel) else np.array([np.inf])
                j = int(np.argmin(np.abs(dt)))
                offset = float(dt[j]) if abs(dt[j]) <= 2 * AGREEMENT_S else np.nan
                near = vis[name][w.sl, k][max(0, i - 2) : i + 3]
                seen = float(np.nanmean(near)) if np.isfinite(near).any() else np.nan
                idx = w.sl.start + int(i)
                extreme[SIDES[k], idx] = float(sign * rels[name, k][i])
                phase, reason = phase_of(idx, edge)
                found_kind.append(
                    GaitEvent(
                        SIDES[k],
                        kind,
                        idx,
                        int(frame_index[idx]),
                        float(t[idx]),
                        _confidence(offset, seen, prom),
                        w.pass_index,
                        offset,
                        phase,
                        reason,
                        w.walking,
                        edge,
                    )
                )
        out += _alternating(found_kind, MIN_ALTERNATION * period, extreme)
    return out


def _phase_rule(p: WalkingPass, sig: Signals):
    """``phase_of(index, at_edge) -> (phase, reason)`` for contacts of pass ``p``."""

    def phase_of(i: int, edge: bool) -> tuple[str, str]:
        before = i < p.steady_start
        if p.steady_start <= i <= p.steady_end and not edge:
            return "steady", ""
        phase = "acceleration" if before else "deceleration"
        if edge:
            if before:
                return (
                    phase,
                    "found on the first frame the foot is seen: it may be up to 0.1 s earlier",
                )
            return phase, "found on the last frame the foot is seen: it may be up to 0.1 s later"
        if not bool(sig.valid[i]):
            return phase, "the person is only partly in the picture"
        if before:
            return phase, "before the steady walking: the person is speeding up"
        return phase, "after the steady walking: the person is slowing down"

    return phase_of


def detect_events(
    sig: Signals, passes: list[WalkingPass], time_s: np.ndarray, frame_index: np.ndarray
) -> list[GaitEvent]:
    """Initial contacts and ends of contact of both feet in every pass, in time order.

    Notes
    -----
    Position method (Zeni, Richards & Higginson 2008): along the walking
    direction of the pass, the heel's position relative to the pelvis (hip
    midpoint) is largest at initial contact, and the toe's (foot index)
    smallest at toe off. Walking backwards the movement is reversed: the toe
    lands first, furthest in the direction of travel (initial contact), and the
    heel leaves the ground last, furthest against it (``foot_off``). Positions
    are in body heights, gaps up to 0.1 s are interpolated and a 0.05 s moving
    average applied. Extrema must stand out by :data:`MIN_PROMINENCE` body
    heights and be 0.6 stride periods apart. They are looked for in the pass's
    window (:attr:`~.passes.WalkingPass.window_start`), where the foot is
    inside the picture; an extremum on the first or last frame a foot is seen
    counts under the conditions of :func:`_edge_peaks`. The stride period (from
    the autocorrelation of the leading foot over the steady stretch) sets how
    close two extrema may be. Contacts outside the
    pass's steady stretch are acceleration or deceleration contacts.

    Velocity method (cross-check): a foot is on the ground while it moves
    forward (in the picture, not relative to the pelvis) slower than half the
    pass's walking speed; initial contact is the speed falling below that,
    the end of contact rising above it.

    The event kept is the position method's; its confidence combines the
    agreement with the velocity method (1 when simultaneous, 0 at 0.1 s or
    more apart), the landmark's visibility over +-2 frames and the prominence
    of the extremum (1 from 0.2 body heights).
    """
    t = np.asarray(time_s, float)
    fps = frame_rate(t)
    if not passes:
        return []
    scale = float(np.nanmedian(sig.stature_px[sig.valid])) if sig.valid.any() else np.nan
    inside = {"heel": sig.heel_inside, "toe": sig.toe_inside}
    prep = _prepared(sig.heel_x, sig.toe_x, sig.pelvis_x, scale, fps, inside)
    vis = {"heel": sig.heel_vis, "toe": sig.toe_vis}
    events = []
    for p in passes:
        w = _Window(
            slice(p.window_start, p.window_end + 1),
            slice(p.steady_start, p.steady_end + 1),
            p.direction,
            p.stature_px,
            p.speed_body_heights_s,
            "backward" if p.walking == "backward" else "forward",
            p.index,
        )
        events += _window_events(prep, vis, w, t, frame_index, fps, _phase_rule(p, sig))
    return sorted(events, key=lambda e: (e.index, e.side, e.event))


def side_view_events(
    heel_x,
    toe_x,
    pelvis_x,
    time_s,
    body_height: float,
    *,
    walking: str = "forward",
    heel_visibility=None,
    toe_visibility=None,
) -> list[GaitEvent]:
    """The gait events of one stretch of walking given as plain arrays.

    Parameters
    ----------
    heel_x, toe_x
        (F, 2) horizontal positions of the left (column 0) and right (1) heel and
        toe (MediaPipe's ``foot_index``; a marker at the 2nd metatarsal head does),
        as seen by a side camera, in any length unit; NaN where unknown.
    pelvis_x
        (F,) horizontal position of the pelvis (the hips' midpoint).
    time_s
        (F,) timestamps in seconds, increasing (the frame rate is their median).
    body_height
        The person's standing height in the unit of the positions (thresholds
        are in body heights).
    walking
        ``'forward'`` or ``'backward'``.
    heel_visibility, toe_visibility
        (F, 2) 0..1, enter the confidence (default 1).

    Returns
    -------
    list of GaitEvent
        In time order; ``index`` and ``frame`` are sample indices, ``pass_index``
        0. The direction of travel is the sign of the pelvis displacement. Every
        event is ``steady`` except those on the first or last sample
        (``at_edge``), which are ``acceleration`` / ``deceleration``.

    Notes
    -----
    Exactly the detector :func:`detect_events` runs for each walking pass of a
    video (same smoothing, thresholds, edge rule and cross-check).
    """
    if walking not in END_EVENT:
        raise ValueError(f"walking must be 'forward' or 'backward', got {walking!r}")
    heel_x, toe_x = np.asarray(heel_x, float), np.asarray(toe_x, float)
    pelvis_x, t = np.asarray(pelvis_x, float), np.asarray(time_s, float)
    n = len(t)
    if heel_x.shape != (n, 2) or toe_x.shape != (n, 2) or pelvis_x.shape != (n,):
        raise ValueError("heel_x and toe_x must be (F, 2), pelvis_x and time_s (F,)")
    fps = frame_rate(t)
    ok = np.flatnonzero(np.isfinite(pelvis_x))
    if n < 3 or not np.isfinite(fps) or len(ok) < 3 or not body_height > 0:
        return []
    shift = pelvis_x[ok[-1]] - pelvis_x[ok[0]]
    duration = t[ok[-1]] - t[ok[0]]
    direction = 1 if shift >= 0 else -1
    speed = abs(shift) / body_height / duration if duration > 0 else 0.0
    ones = np.ones((n, 2))
    vis = {
        "heel": ones if heel_visibility is None else np.asarray(heel_visibility, float),
        "toe": ones if toe_visibility is None else np.asarray(toe_visibility, float),
    }
    prep = _prepared(heel_x, toe_x, pelvis_x, body_height, fps)
    w = _Window(slice(0, n), slice(0, n), direction, float(body_height), speed, walking, 0)

    def phase_of(i: int, edge: bool) -> tuple[str, str]:
        if not edge:
            return "steady", ""
        return ("acceleration" if i < n // 2 else "deceleration"), "on the first or last sample"

    events = _window_events(prep, vis, w, t, np.arange(n), fps, phase_of)
    return sorted(events, key=lambda e: (e.index, e.side, e.event))
