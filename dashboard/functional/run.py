"""One call from a PoseSequence to a scored functional test: :func:`run_test`."""

from __future__ import annotations

import dataclasses

import numpy as np

from dashboard.functional.checks import refuse_if_failed, setup_checks
from dashboard.functional.model import (
    TITLES,
    Event,
    TestOptions,
    TestRefused,
    TestResult,
    check_options,
)
from dashboard.functional.signals import Signals, choose_person, extract
from dashboard.functional.start import clock_start

__all__ = ["headline", "run_test"]


def _scorer(test: str, gait=None, notes=()):
    if test in ("sts5", "chair30"):
        from dashboard.functional import sts

        return sts.score_sts5 if test == "sts5" else sts.score_chair30
    if test == "tug":
        from dashboard.functional.tug import score_tug

        return score_tug
    if test in ("walk10", "backward3"):
        from dashboard.functional import walks

        fn = walks.score_walk10 if test == "walk10" else walks.score_backward3
        return lambda sig, opts, start: fn(sig, opts, start, gait=gait)
    from dashboard.functional.sls import score_sls

    return lambda sig, opts, start: score_sls(sig, opts, start, notes)


def _first_event(sig: Signals, test: str, gait=None) -> tuple[int, int]:
    """(index of the test's first event, index from which the first movement is looked
    for before it)."""
    last = len(sig.time_s) - 1
    if test in ("sts5", "chair30", "tug"):
        from dashboard.functional.stands import find_stands

        stands, _, _ = find_stands(sig)
        first = stands[0].seat_off if stands else None
        return (last if first is None else first), 0
    if test == "sls":
        from dashboard.functional.sls import first_lift

        return first_lift(sig), 0
    from dashboard.functional.walks import first_walking

    return first_walking(gait, test)


def _fmt(v, unit: str, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f} {unit}"


def headline(test: str, result: dict) -> str:
    """One line for page 1 of the report and the page's title."""
    title = TITLES[test]
    if test == "sts5":
        end = "fifth sit" if result.get("total_ends_at") == "fifth_sit" else "fifth stand"
        return (
            f"{title}: {_fmt(result.get('total_s'), 's')} to the {end} "
            f"({result.get('stands', 0)} stands)"
        )
    if test == "chair30":
        n = result.get("stands")
        return f"{title}: " + (
            f"{n} stands" if n is not None else f"no score ({result.get('stands_seen')} seen)"
        )
    if test == "tug":
        return f"{title}: {_fmt(result.get('total_s'), 's')}"
    if test == "walk10":
        return f"{title}: {_fmt(result.get('speed_m_s'), 'm/s', 2)}"
    if test == "backward3":
        return f"{title}: {_fmt(result.get('time_s'), 's')}"
    return (
        f"{title}: left {_fmt(result.get('left_s'), 's')}, right {_fmt(result.get('right_s'), 's')}"
    )


def run_test(seq, opts: TestOptions, source: dict | None = None, notes=()) -> TestResult:
    """Score ``opts.test`` on ``seq``; :class:`TestRefused` with a plain reason when the
    recording cannot give it. ``notes``: the analysis's notes on how the video was read
    (``Analysis.notes``; the single-leg stance's sides depend on a phone's mirror mark)."""
    opts = check_options(opts)
    if seq.num_frames < 3:
        raise TestRefused("A functional test needs a video: this is a photo.")
    span = float(seq.time_s[-1] - seq.time_s[0])
    if not span >= 1.0:
        raise TestRefused(f"The video lasts {max(span, 0):.1f} s: too short for a test.")
    if seq.num_people == 0 or not seq.detected.any():
        raise TestRefused("No one was found in the video.")
    person = choose_person(seq, opts.person)
    if not 0 <= person < seq.num_people:
        raise TestRefused(f"There is no person {person + 1} in this analysis.")
    sig = extract(seq, person)
    if not np.isfinite(sig.leg_px):
        raise TestRefused("The legs are not seen: film the whole body, feet included.")
    checks = setup_checks(seq, person, sig, opts.test)
    refuse_if_failed(checks)
    gait = None
    if opts.test in ("walk10", "backward3"):
        from dashboard.functional.walks import gait_of

        gait = gait_of(seq, person)
    first, after = _first_event(sig, opts.test, gait)
    start, start_doc, start_warn = clock_start(sig, first, opts.start_s, after)
    scored = _scorer(opts.test, gait, tuple(notes))(sig, opts, start)
    events: list[Event] = [start, *scored["events"]]
    events.sort(key=lambda e: (e.index, e.event != "start"))
    # the single-leg stance is timed from each lift-off, the 10-m walk from the timed
    # zone's entry: their clock's start does not enter the result
    clocked = opts.test not in ("sls", "walk10")
    warnings = ([start_warn] if start_warn and clocked else []) + list(scored["warnings"])
    warnings += [c.detail for c in checks if c.status == "caution"]
    from dashboard.functional.norms import place

    result = scored["result"]
    opts_doc = {k: v for k, v in dataclasses.asdict(opts).items() if v is not None}
    return TestResult(
        test=opts.test,
        result=result,
        events=tuple(events),
        start=start_doc,
        setup=checks,
        warnings=tuple(warnings),
        withheld=scored["withheld"],
        phases=tuple(scored.get("phases", ())),
        norms=place(opts.test, result, opts.age, opts.sex),
        headline=headline(opts.test, result),
        options=opts_doc,
        person=int(seq.person_ids[person]),
        source=dict(source or {}),
        trace=_trace(sig, opts.test),
    )


def _trace(sig: Signals, test: str) -> dict:
    """The signal each test's events are read from, for the page's timeline."""
    if test == "sls":
        from dashboard.functional.sls import height_difference

        value, label = height_difference(sig), "left minus right ankle height (leg lengths)"
    elif test in ("walk10", "backward3"):
        value, label = sig.pelvis_x, "hips along the picture (leg lengths)"
    else:
        value, label = sig.rise, "hips above the ankles (leg lengths)"
    return {"time_s": sig.time_s, "value": value, "label": label}
