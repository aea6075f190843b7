"""Extrema of a foot's landmark along the walking direction, the leading foot's peaks
that the leg labels cut, and the left-right alternation of events: the peak finding
behind :mod:`.events`."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.signal import find_peaks

from dashboard.kinematics.gait.signals import true_runs

__all__ = [
    "EDGE_LAG_S",
    "MIN_ALTERNATION",
    "MIN_PROMINENCE",
    "SPLIT_GAP",
    "_alternating",
    "_extrema",
    "_lead_peaks",
]

#: Smallest excursion (body heights) of a foot relative to the pelvis that is a step.
MIN_PROMINENCE = 0.05
#: An extremum on the first or last frame a foot is seen counts as an event only if
#: the foot is at most this much walking time short of the pass's typical extremum
#: (the event happened at most this long before the foot came into view).
EDGE_LAG_S = 0.1
#: Two events of the same kind of the two feet closer than this share of the stride
#: period cannot both be real (a step takes about half a stride): the less
#: confident is a leg-label confusion and is dropped.
MIN_ALTERNATION = 0.25
#: A contact cut between the labels is found up to this share of a stride early.
SPLIT_GAP = 0.4


def _run_ends(finite: np.ndarray) -> list[tuple[int, int]]:
    """``(index, step)`` of the first (step +1) and last (step -1) sample of every run
    of finite samples."""
    runs = true_runs(finite)
    return [(s, 1) for s, _ in runs] + [(e, -1) for _, e in runs]


def _edge_peaks(signal: np.ndarray, peaks, min_distance: int, speed: float):
    """``(index, prominence)`` of extrema on the first or last sample of a run of
    known samples (the foot comes into view or leaves it): the sample is the
    highest of the next ``min_distance`` samples of its run, stands out by
    :data:`MIN_PROMINENCE`, no interior peak is within ``min_distance``, and it is
    at most :data:`EDGE_LAG_S` of walking (``speed`` body heights per second) below
    the median interior peak."""
    finite = np.isfinite(signal)
    if finite.sum() < 3 or not len(peaks):
        return []
    ref = float(np.median(signal[peaks]))
    out = []
    for i, step in _run_ends(finite):
        if any(abs(int(p) - i) < min_distance for p in peaks):
            continue
        seg = signal[i::step][:min_distance]
        seg = seg[: np.argmin(np.isfinite(seg))] if not np.isfinite(seg).all() else seg
        if len(seg) < 3 or seg[0] < seg.max():
            continue
        prom = float(seg[0] - seg.min())
        if prom >= MIN_PROMINENCE and seg[0] >= ref - EDGE_LAG_S * max(speed, 0.0):
            out.append((i, prom))
    return out


def _extrema(signal: np.ndarray, min_distance: int, speed: float):
    """``(index, prominence, at_edge)`` of the maxima of ``signal`` (NaN: unknown).
    A maximum next to an unknown sample is an edge maximum (:func:`_edge_peaks`)."""
    finite = np.isfinite(signal)
    if not finite.any():
        return []
    filled = np.where(finite, signal, np.nanmin(signal))
    found, props = find_peaks(filled, distance=min_distance, prominence=MIN_PROMINENCE)
    inner = np.concatenate(([False], finite[:-2] & finite[2:], [False]))
    out = [
        (int(i), float(prom), False)
        for i, prom in zip(found, props["prominences"], strict=True)
        if inner[i]
    ]
    peaks = [i for i, _, _ in out]
    out += [(i, p, True) for i, p in _edge_peaks(signal, peaks, min_distance, speed)]
    return out


def _lead_peaks(rels, name, sign, kind, min_distance, period_frames, speed):
    """Initial contacts cut between the two labels: ``{side index: [(sample found,
    sample of the leading foot's peak, prominence)]}``.

    The leading landmark (the larger of the two feet's) peaks at every contact
    whichever leg is labelled. When the labels swap while a foot swings, the landing
    is cut between the two labels: one label peaks a few frames early on the standing
    foot, the other holds the real peak too close to its own contacts to be one
    (measured on the mirrored walking clip: the contact at frame 135 found at 132).
    Such a peak of the leading foot, held by a side that has a contact less than
    ``min_distance`` from it (it cannot be that foot's), replaces the other side's
    contact found within :data:`SPLIT_GAP` of a stride of it (the other foot's real
    contact is half a stride away)."""
    if kind != "initial_contact":
        return {}
    both = sign * np.vstack([rels[name, 0], rels[name, 1]])
    with np.errstate(invalid="ignore"):
        lead = np.fmax(both[0], both[1])
    found = {k: [i for i, _, _ in _extrema(both[k], min_distance, speed)] for k in range(2)}
    gap = SPLIT_GAP * period_frames
    out: dict[int, list] = {0: [], 1: []}
    for i, prom, edge in _extrema(lead, max(1, round(0.3 * period_frames)), speed):
        if edge or not np.isfinite(both[:, i]).any():
            continue
        k = int(np.nanargmax(both[:, i]))
        mine = [abs(i - j) for j in found[k]]
        if not mine or min(mine) <= 1 or min(mine) >= min_distance:
            continue  # that foot's own contact, or none near: nothing cut
        other = [j for j in found[1 - k] if 1 < abs(i - j) < gap]
        if len(other) == 1:
            out[1 - k].append((other[0], int(i), float(prom)))
    return out


def _alternating(events: list, min_gap_s: float, extreme=None) -> list:
    """``events`` (one kind, one pass) without one of two events of the two feet
    closer than ``min_gap_s`` (one step cannot be that short: it is one event seen on
    both labels, as when a leg swap is relabelled while a foot swings).

    ``extreme[(side, index)]``: how far the event's landmark is along its extremum
    (body heights; larger is more extreme). When one of the two is clearly further
    (by :data:`MIN_PROMINENCE`), it is the event: the landing heel is the leading one
    (the other is the standing foot's landmark, labelled with the swinging foot's
    side for a few frames). Its side is then the one that keeps the left-right
    alternation with the neighbours (the labels are not to be trusted there).
    Otherwise the one that breaks the alternation is dropped, else the less
    confident (an edge event yields on a tie)."""
    keep = sorted(events, key=lambda e: e.time_s)
    extreme = extreme or {}
    k = 0
    while k + 1 < len(keep):
        a, b = keep[k], keep[k + 1]
        if a.side == b.side or b.time_s - a.time_s >= min_gap_s:
            k += 1
            continue
        around = [keep[j].side for j in (k - 1, k + 2) if 0 <= j < len(keep)]
        breaks = [sum(e.side == side for side in around) for e in (a, b)]
        va, vb = (extreme.get((e.side, e.index), np.nan) for e in (a, b))
        if abs(va - vb) >= MIN_PROMINENCE:
            better, worse = (a, b) if va > vb else (b, a)
            if breaks[keep.index(better) - k] > breaks[keep.index(worse) - k]:
                keep[keep.index(better)] = dataclasses.replace(better, side=worse.side)
        elif breaks[0] != breaks[1]:
            worse = a if breaks[0] > breaks[1] else b
        else:
            worse = min((a, b), key=lambda e: (e.confidence, not e.at_edge))
        keep.remove(worse)
        k = max(0, k - 1)
    return keep
