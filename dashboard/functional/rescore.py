"""A functional test's result recomputed from its events (corrected by hand): the
same rules as the automatic scoring (:mod:`.sts`, :mod:`.tug`, :mod:`.walks`,
:mod:`.sls`), fed with the events instead of the events found in the signals.

Each function takes the placed events (:class:`~.model.Event` named by their kind,
``seat_off``, ``contact`` ...) and returns the scorer's ``{'result', 'withheld',
'events', 'warnings'[, 'phases']}`` plus ``unused`` (events that belong to nothing:
a seat-on without a stand before it, a touch-down without a lift-off). Pure: no UI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from dashboard.functional.model import Event, TestOptions
from dashboard.functional.signals import Signals
from dashboard.functional.stands import Stand

__all__ = ["rescore"]


def _of(events: list[Event], kind: str) -> list[Event]:
    return sorted((e for e in events if e.event == kind), key=lambda e: e.index)


def stands_from_events(events: list[Event]) -> tuple[list[Stand], list[Event]]:
    """Stands from seat-off / full stand / seat-on events: each full stand with the
    last seat-off since the previous full stand and the first seat-on before the next;
    a seat-off left over is a rise that did not reach standing."""
    fulls, offs, ons = (_of(events, k) for k in ("full_stand", "seat_off", "seat_on"))
    conf = {e.index: e.confidence for e in fulls}
    stands: list[Stand] = []
    used: set[int] = set()
    for n, f in enumerate(fulls):
        prev = fulls[n - 1].index if n else -1
        nxt = fulls[n + 1].index if n + 1 < len(fulls) else np.inf
        off = [o for o in offs if prev < o.index <= f.index]
        on = [o for o in ons if f.index <= o.index < nxt]
        used.update(id(e) for e in off[-1:] + on[:1])
        s_off = off[-1].index if off else None
        stands.append(Stand(s_off, f.index, on[0].index if on else None, 1.0, conf[f.index]))
    for o in offs:
        if id(o) not in used and not any(s.seat_off == o.index for s in stands):
            stands.append(Stand(o.index, None, None, 0.5, o.confidence))
            used.add(id(o))
    stands.sort(key=lambda s: s.seat_off if s.seat_off is not None else (s.full_stand or 0))
    unused = [e for e in ons if id(e) not in used]
    return stands, unused


def _sts(sig: Signals, opts: TestOptions, start: Event, events: list[Event], **_) -> dict:
    from dashboard.functional.stands import find_stands
    from dashboard.functional.sts import chair30_from_stands, sts5_from_stands

    stands, unused = stands_from_events(events)
    if opts.test == "sts5":
        scored = sts5_from_stands(sig, opts, start, stands)
    else:
        _found, lo, hi = find_stands(sig)
        scored = chair30_from_stands(sig, opts, start, stands, lo, hi)
    return scored | {"unused": unused}


_TUG_LABELS = {
    "seat_off": "seat-off",
    "standing": "standing",
    "turn_start": "turn start",
    "turn_end": "turn end",
    "sit_turn_start": "turn to sit",
    "seated": "seated",
}


def _tug(sig: Signals, opts: TestOptions, start: Event, events: list[Event], **_) -> dict:
    from dashboard.functional.tug import NO_TURN, gap_near, phases_of

    by = {e.event: e for e in events if e.event in _TUG_LABELS}
    times = {"start": start.time_s} | {k: e.time_s for k, e in by.items()}
    result: dict = {"total_s": None}
    withheld: dict = {}
    seated = by.get("seated")
    rose = by.get("standing") or by.get("seat_off") or start
    turned = "turn_start" in by or "turn_end" in by
    if seated is None:
        withheld["total_s"] = "The person is not seen sitting down again (no 'seated' event)."
    elif not turned and gap_near(sig, rose.index, seated.index) is None:
        withheld["total_s"] = NO_TURN
    elif seated.time_s <= start.time_s:
        withheld["total_s"] = "The 'seated' event is not after the start."
    else:
        result["total_s"] = seated.time_s - start.time_s
    phases = phases_of(times)
    for p in phases:
        if p["duration_s"] is not None and p["duration_s"] < 0:
            p.update(duration_s=None, seen=False)
            withheld[f"{p['phase']}_s"] = "its events are out of order"
        result[f"{p['phase']}_s"] = p["duration_s"]
        if p["duration_s"] is None:
            withheld.setdefault(f"{p['phase']}_s", "not seen")
    out = [dataclasses.replace(e, label=_TUG_LABELS[k]) for k, e in by.items()]
    return {
        "result": result,
        "withheld": withheld,
        "events": sorted(out, key=lambda e: e.index),
        "warnings": [],
        "phases": phases,
        "unused": [],
    }


def _walk10(sig: Signals, opts: TestOptions, start: Event, events: list[Event], gait=None) -> dict:
    from dashboard.functional.walks import walk10_result

    entry, exit_ = (_of(events, k)[:1] for k in ("zone_entry", "zone_exit"))
    out = [dataclasses.replace(e, label="timed zone " + e.event[5:]) for e in entry + exit_]
    if not (entry and exit_):
        why = "The timed zone needs its entry and its exit."
        result = {"speed_m_s": None, "time_s": None, "distance_m": opts.distance_m, "steps": None}
        withheld = dict.fromkeys(("speed_m_s", "time_s", "steps"), why)
    else:
        result, withheld = walk10_result(gait, opts, entry[0].time_s, exit_[0].time_s)
    return {"result": result, "withheld": withheld, "events": out, "warnings": [], "unused": []}


def _backward3(sig, opts: TestOptions, start: Event, events: list[Event], **_) -> dict:
    from dashboard.functional.walks import backward3_result

    end = _of(events, "end")[:1]
    out = [dataclasses.replace(e, label="end of the backward walk") for e in end]
    contacts = _of(events, "contact")
    for k, e in enumerate(contacts, start=1):
        out.append(dataclasses.replace(e, event=f"contact_{k}", label=f"contact {k}"))
    if not end:
        why = "The end of the backward walk is missing."
        result = {"time_s": None, "distance_m": float(opts.distance_m or 3.0), "speed_m_s": None}
        withheld = {"time_s": why, "speed_m_s": why}
        result["steps"] = len(contacts)
    else:
        steps = sum(start.time_s <= c.time_s <= end[0].time_s for c in contacts)
        result, withheld = backward3_result(opts, end[0].time_s - start.time_s, steps)
    return {"result": result, "withheld": withheld, "events": out, "warnings": [], "unused": []}


def _side(sig: Signals, lift: Event, down: Event, mirrored: bool = False) -> str:
    """The stance side of a trial (the patient's): from its automatic label, else from
    which ankle is higher during it (:func:`~.sls.height_difference`: positive standing on
    the model's left, the patient's right in a video said to be a mirror image)."""
    for e in (lift, down):
        if not e.by_hand and "stance)" in e.label:
            return "left" if "(left stance)" in e.label else "right"
    from dashboard.functional.sls import height_difference

    dy = height_difference(sig)[lift.index : down.index + 1]
    model_left = bool(np.nanmean(dy) >= 0)
    return "left" if model_left != bool(mirrored) else "right"


def trials_from_events(
    sig: Signals, events: list[Event], mirrored: bool = False
) -> tuple[list[dict], list[Event]]:
    """Single-leg stance trials from lift-off / touch-down events: each lift-off with the
    first touch-down after it and before the next lift-off."""
    lifts, downs = _of(events, "lift_off"), _of(events, "touch_down")
    last = len(sig.time_s) - 1
    found: list[dict] = []
    used: set[int] = set()
    for n, lift in enumerate(lifts):
        nxt = lifts[n + 1].index if n + 1 < len(lifts) else np.inf
        down = next((d for d in downs if lift.index < d.index < nxt), None)
        if down is None:
            continue
        used.update((id(lift), id(down)))
        reason = down.label.rsplit(" (", 1)[0] if not down.by_hand else "touch-down"
        censored = reason == "the video ends" or (down.by_hand and down.index >= last)
        side = _side(sig, lift, down, mirrored)
        found.append(
            dict(stance=side, lift=lift.index, down=down.index, censored=censored, reason=reason)
        )
    unused = [e for e in lifts + downs if id(e) not in used]
    return found, unused


def _sls(sig: Signals, opts: TestOptions, start: Event, events: list[Event], **_) -> dict:
    from dashboard.functional.sls import score_trials, sides_basis

    found, unused = trials_from_events(sig, events, bool(opts.mirrored))
    sides = sides_basis(opts.mirrored)[1:]  # score_edited keeps the automatic run's basis
    scored = score_trials(sig, [tr for tr in found if tr["lift"] >= start.index - 1], sides)
    return scored | {"unused": unused}


_RESCORE: dict[str, Callable[..., dict]] = {
    "sts5": _sts,
    "chair30": _sts,
    "tug": _tug,
    "walk10": _walk10,
    "backward3": _backward3,
    "sls": _sls,
}


def rescore(sig: Signals, opts: TestOptions, start: Event, events: list[Event], gait=None) -> dict:
    """The scorer's dict of ``opts.test`` from ``events`` (named by kind) and ``start``."""
    return _RESCORE[opts.test](sig, opts, start, events, gait=gait)
