"""Gait cycles (strides) and steps from events, with quality gates, and the
joint-angle curves normalised to 0-100 % of each stride."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.gait.events import END_EVENT, GaitEvent
from dashboard.kinematics.gait.passes import WalkingPass
from dashboard.kinematics.gait.settings import SIDES, GaitSettings

__all__ = [
    "CURVE_ANGLES",
    "CYCLE_PCT",
    "WITHHELD_CURVES",
    "Cycle",
    "Step",
    "build_cycles",
    "build_steps",
    "normalised_curves",
]

#: Catalogue angles drawn over the gait cycle.
CURVE_ANGLES = ("hip_flexion", "knee_flexion", "ankle_dorsiflexion")
#: Curves withheld, with the reason a clinician reads (measured: docs/gait.md, *Why
#: the ankle curve is withheld*). On the shared walking clip the image-space ankle
#: peaks at +17 to +23 deg dorsiflexion at 55-58 % of the cycle, where walking has its
#: peak plantarflexion (-14 deg at 65 %, Fukuchi 2018): MediaPipe keeps the heel and
#: toe landmarks almost level while the heel rises at push-off. Correlation with the
#: normal mean 0.08-0.26 (hip and knee 0.83-0.94); world space no better (0.2-0.65,
#: 67-87 % of the cycle outside +-2 SD).
WITHHELD_CURVES = {
    "ankle_dorsiflexion": (
        "withheld: the pose model keeps the heel and toe landmarks almost level while the "
        "heel rises at push-off, so the ankle reads dorsiflexion where walking has its "
        "peak plantarflexion (measured against the normal curve, see docs/gait.md)"
    ),
}
#: 0, 1, ..., 100 % of the stride.
CYCLE_PCT = np.arange(101, dtype=float)
#: A curve is drawn for a stride only if the angle is known in this share of its frames.
MIN_CURVE_COVERAGE = 0.8


@dataclass(frozen=True)
class Cycle:
    """One stride of one side, from an initial contact to the next of the same foot.

    kept
        False when a quality gate dropped it; ``reason`` then says why.
    double_support_pct
        Initial plus terminal double support, NaN when the other foot's toe
        off and initial contact are not both found, once each, in order.
    stride_length_bh
        Heel displacement along the walking direction between the two
        contacts, in body heights (walking backwards: the toe's); it is the sum
        of the stride's two steps, ``step_lengths_bh`` (the other foot's step,
        then this foot's; NaN when that contact was not found).
    phase
        ``'steady'`` when both contacts are steady (:class:`~.events.GaitEvent`),
        else ``'acceleration'`` or ``'deceleration'``: such strides are not kept
        (``reason`` says why) but shown.
    walking
        ``'forward'`` or ``'backward'`` (its pass's walking).
    """

    side: str
    pass_index: int
    start: int
    toe_off: int
    end: int
    start_s: float
    toe_off_s: float
    end_s: float
    stance_pct: float
    double_support_pct: float
    stride_length_bh: float
    kept: bool
    reason: str
    phase: str = "steady"
    walking: str = "forward"
    step_lengths_bh: tuple[float, float] = (float("nan"), float("nan"))

    @property
    def stride_s(self) -> float:
        return self.end_s - self.start_s

    def as_dict(self) -> dict:
        return dict(
            side=self.side,
            pass_index=self.pass_index,
            start_s=self.start_s,
            toe_off_s=self.toe_off_s,
            end_s=self.end_s,
            stride_time_s=self.stride_s,
            stance_pct=self.stance_pct,
            double_support_pct=self.double_support_pct,
            stride_length_body_heights=self.stride_length_bh,
            step_lengths_body_heights=list(self.step_lengths_bh),
            kept=self.kept,
            reason=self.reason,
            phase=self.phase,
            walking=self.walking,
        )


@dataclass(frozen=True)
class Step:
    """From one foot's initial contact to the other foot's; ``side`` is the foot landing.
    ``phase`` and ``walking`` as for :class:`Cycle`."""

    side: str
    pass_index: int
    start_s: float
    end_s: float
    length_bh: float
    kept: bool
    reason: str
    phase: str = "steady"
    walking: str = "forward"

    @property
    def step_s(self) -> float:
        return self.end_s - self.start_s


def _between(events: Sequence[GaitEvent], side: str, kind: str, a: float, b: float):
    return [e for e in events if e.side == side and e.event == kind and a < e.time_s < b]


def _gate(ic: GaitEvent, nxt: GaitEvent, tos, settings: GaitSettings) -> str:
    stride = nxt.time_s - ic.time_s
    if not settings.min_stride_s <= stride <= settings.max_stride_s:
        return f"implausible stride time ({stride:.2f} s)"
    end = "toe-off" if ic.walking == "forward" else "foot-off"
    if not tos:
        return f"no {end} found in the stride"
    if len(tos) > 1:
        return f"more than one {end} in the stride (an event missed or extra)"
    stance = 100 * (tos[0].time_s - ic.time_s) / stride
    if not settings.min_stance_pct <= stance <= settings.max_stance_pct:
        return f"implausible stance ({stance:.0f} % of the stride)"
    low = min(ic.confidence, nxt.confidence, tos[0].confidence)
    if low < settings.min_event_confidence:
        return f"low-confidence event ({low:.2f})"
    return ""


def _phase(*contacts: GaitEvent) -> tuple[str, str]:
    """The phase of a stride or step from its contacts, and the reason it is not
    steady ('' when it is)."""
    for e in contacts:
        if not e.steady:
            return e.phase, f"{e.phase} contact at {e.time_s:.2f} s ({e.phase_reason})"
    return "steady", ""


def _double_support(ic, to, nxt, events, other) -> float:
    end = END_EVENT[ic.walking]
    ctos = _between(events, other, end, ic.time_s, nxt.time_s)
    cics = _between(events, other, "initial_contact", ic.time_s, nxt.time_s)
    if len(ctos) != 1 or len(cics) != 1 or to is None:
        return float("nan")
    cto, cic = ctos[0].time_s, cics[0].time_s
    if not ic.time_s < cto < cic < to.time_s < nxt.time_s:
        return float("nan")
    return 100 * ((cto - ic.time_s) + (to.time_s - cic)) / (nxt.time_s - ic.time_s)


def _times(events, n: int) -> np.ndarray:
    """Timestamps of ``n`` samples from the events' own (index, time) pairs, for
    callers that give no time axis: the median frame interval of the events."""
    pairs = sorted({(e.index, e.time_s) for e in events})
    if len(pairs) < 2:
        return np.arange(n) / 30.0
    i, tt = np.array(pairs).T
    dt = float(np.median(np.diff(tt) / np.maximum(np.diff(i), 1)))
    return tt[0] + (np.arange(n) - i[0]) * (dt if dt > 0 else 1 / 30.0)


def _contact_x(p: WalkingPass, heel_x: np.ndarray, toe_x) -> np.ndarray:
    """The landmark that lands first: the heel walking forwards, the toe backwards."""
    return heel_x if p.walking != "backward" or toe_x is None else toe_x


#: A foot's placement is the median position of its contact landmark over this long
#: after its initial contact (the foot stands still on the floor; the landmark at the
#: contact frame itself is blurred by the landing).
PLACEMENT_S = 0.2


def _placement(x: np.ndarray, e: GaitEvent, t: np.ndarray) -> float:
    """Where foot ``e.side`` was put down at contact ``e``, along the picture (px)."""
    k = SIDES.index(e.side)
    j = int(np.searchsorted(t, t[e.index] + PLACEMENT_S, "right"))
    seg = x[e.index : max(j, e.index + 1), k]
    seg = seg[np.isfinite(seg)]
    return float(np.median(seg)) if len(seg) else float("nan")


def _step_length(p, x, a: GaitEvent, b: GaitEvent, t) -> float:
    """From the trailing foot's placement at its contact ``a`` to the leading foot's
    at ``b``, in body heights along the walking direction."""
    return float(p.direction * (_placement(x, b, t) - _placement(x, a, t)) / p.stature_px)


def _candidates(evs, p, settings):
    """Every stride candidate of pass ``p``: (k, side, ic, next ic, ends, gate reason,
    phase, phase reason)."""
    end = END_EVENT["backward" if p.walking == "backward" else "forward"]
    cands = []
    for k, side in enumerate(SIDES):
        ics = [e for e in evs if e.side == side and e.event == "initial_contact"]
        for ic, nxt in itertools.pairwise(ics):
            tos = _between(evs, side, end, ic.time_s, nxt.time_s)
            phase, why = _phase(ic, nxt)
            gate = _gate(ic, nxt, tos, settings)
            cands.append((k, side, ic, nxt, tos, gate or why, phase))
    return cands


def build_cycles(
    events: Sequence[GaitEvent],
    passes: Sequence[WalkingPass],
    heel_x: np.ndarray,
    settings: GaitSettings,
    toe_x: np.ndarray | None = None,
    time_s: np.ndarray | None = None,
) -> list[Cycle]:
    """Every stride candidate of every pass and side, kept or dropped with a reason.

    Notes
    -----
    Gates, in order: stride time within ``[min_stride_s, max_stride_s]``;
    exactly one end of contact (toe off; walking backwards foot off) of the same
    foot inside; stance within ``[min_stance_pct, max_stance_pct]``; every event
    at least ``min_event_confidence``; both contacts steady (an acceleration or
    deceleration stride is shown but not kept); stride time within
    ``max_stride_deviation`` of the median steady stride of the pass (both
    sides), which drops a stride made of a missed or an extra contact. Lengths
    use the heel (walking backwards ``toe_x``, the toe, which lands first).
    """
    out: list[Cycle] = []
    t = _times(events, len(heel_x)) if time_s is None else np.asarray(time_s, float)
    for p in passes:
        evs = [e for e in events if e.pass_index == p.index]
        x = _contact_x(p, heel_x, toe_x)
        ics = sorted((e for e in evs if e.event == "initial_contact"), key=lambda e: e.time_s)
        cands = _candidates(evs, p, settings)
        ok = [nxt.time_s - ic.time_s for _, _, ic, nxt, _, r, _ in cands if not r]
        median = float(np.median(ok)) if ok else float("nan")
        for k, side, ic, nxt, tos, reason, phase in cands:
            stride = nxt.time_s - ic.time_s
            if not reason and abs(stride - median) > settings.max_stride_deviation * median:
                reason = (
                    f"stride time {stride:.2f} s far from the pass's median "
                    f"{median:.2f} s (an event missed or extra)"
                )
            to = tos[0] if len(tos) == 1 else None
            mid = [e for e in ics if ic.time_s < e.time_s < nxt.time_s]
            steps = (
                (_step_length(p, x, ic, mid[0], t), _step_length(p, x, mid[0], nxt, t))
                if len(mid) == 1 and mid[0].side != side
                else (float("nan"), float("nan"))
            )
            out.append(
                Cycle(
                    side,
                    p.index,
                    ic.index,
                    to.index if to else -1,
                    nxt.index,
                    ic.time_s,
                    to.time_s if to else float("nan"),
                    nxt.time_s,
                    100 * (to.time_s - ic.time_s) / stride if to else float("nan"),
                    _double_support(ic, to, nxt, evs, SIDES[1 - k]),
                    _step_length(p, x, ic, nxt, t),
                    not reason,
                    reason,
                    phase,
                    ic.walking,
                    steps,
                )
            )
    return sorted(out, key=lambda c: (c.start, c.side))


def build_steps(
    events: Sequence[GaitEvent],
    passes: Sequence[WalkingPass],
    heel_x: np.ndarray,
    settings: GaitSettings,
    toe_x: np.ndarray | None = None,
    time_s: np.ndarray | None = None,
) -> list[Step]:
    """Steps: consecutive initial contacts of alternate feet within a pass.

    Two contacts of the same foot in a row (the other foot's was missed) make
    no step. A step is dropped when shorter than ``min_stride_s / 2``, longer
    than ``max_stride_s / 2``, further than ``max_stride_deviation`` from the
    pass's median steady step, bounded by an event below
    ``min_event_confidence`` or by an acceleration or deceleration contact.
    Its length is the distance along the walking direction from the trailing
    heel's placement at its own contact to the leading heel's at its contact
    (walking backwards the toes'; a placement is the median position over the
    :data:`PLACEMENT_S` after the contact), so a stride's two steps add up to
    the stride.
    """
    out: list[Step] = []
    lo, hi = settings.min_stride_s / 2, settings.max_stride_s / 2
    t = _times(events, len(heel_x)) if time_s is None else np.asarray(time_s, float)
    for p in passes:
        x = _contact_x(p, heel_x, toe_x)
        ics = [e for e in events if e.pass_index == p.index and e.event == "initial_contact"]
        pairs = [(a, b) for a, b in itertools.pairwise(ics) if a.side != b.side]
        durations = [b.time_s - a.time_s for a, b in pairs]
        plausible = [
            d
            for (a, b), d in zip(pairs, durations, strict=False)
            if lo <= d <= hi and a.steady and b.steady
        ]
        median = float(np.median(plausible)) if plausible else float("nan")
        for (a, b), d in zip(pairs, durations, strict=False):
            phase, reason = _phase(a, b)
            if not lo <= d <= hi:
                reason = f"implausible step time ({d:.2f} s)"
            elif min(a.confidence, b.confidence) < settings.min_event_confidence:
                reason = "low-confidence event"
            elif not reason and abs(d - median) > settings.max_stride_deviation * median:
                reason = f"step time {d:.2f} s far from the pass's median {median:.2f} s"
            out.append(
                Step(
                    b.side,
                    p.index,
                    a.time_s,
                    b.time_s,
                    _step_length(p, x, a, b, t),
                    not reason,
                    reason,
                    phase,
                    b.walking,
                )
            )
    return out


def normalised_curves(
    cycles: Sequence[Cycle], angles: dict[tuple[str, str], np.ndarray], time_s: np.ndarray
) -> dict[tuple[str, str], list]:
    """Per (side, angle) a list of ``(stance_pct, curve)`` for the kept strides:
    the angle over 0-100 % of the stride (101 points, linear interpolation in
    time from the real timestamps).

    A stride whose angle is known in less than :data:`MIN_CURVE_COVERAGE` of
    its frames, or not at its first and last frame's neighbourhood, is left
    out of that angle's curves. A withheld angle (:data:`WITHHELD_CURVES`) has no
    curve at all.
    """
    t = np.asarray(time_s, float)
    out: dict[tuple[str, str], list] = {}
    for (side, key), series in angles.items():
        rows: list[tuple[float, np.ndarray]] = []
        if key in WITHHELD_CURVES:
            out[(side, key)] = rows
            continue
        for c in cycles:
            if not c.kept or c.side != side:
                continue
            tt, vv = t[c.start : c.end + 1], series[c.start : c.end + 1]
            good = np.isfinite(vv)
            if good.mean() < MIN_CURVE_COVERAGE or not (good[:2].any() and good[-2:].any()):
                continue
            pct = 100 * (tt[good] - c.start_s) / (c.end_s - c.start_s)
            rows.append((c.stance_pct, np.interp(CYCLE_PCT, pct, vv[good])))
        out[(side, key)] = rows
    return out
