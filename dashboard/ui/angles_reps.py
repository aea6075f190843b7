"""Joint angles page: repetitions of one angle, counted with the core's detector and its
automatic thresholds (:func:`dashboard.kinematics.reps.auto_levels`), or thresholds set
by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.figures import charts as figures
from dashboard.kinematics.catalogue import ORDERED_KEYS, angle_def, sides
from dashboard.kinematics.compute import AngleSet
from dashboard.kinematics.reps import (
    Repetition,
    RepetitionSettings,
    auto_levels,
    detect_repetitions,
)
from dashboard.ui import widgets
from dashboard.ui.angles_keys import (
    METHOD_LABELS,
    POLARITY_LABELS,
    REP_INTERVAL,
    REP_KEY,
    REP_MANUAL,
    REP_METHOD,
    REP_MIN_RANGE,
    REP_POLARITY,
    REP_SIDE,
    K,
    option,
)


def repetitions(aset: AngleSet, slot: int, keys, angle_settings, verdicts=None):
    """Controls, count and table; returns (marks for the chart, full KinematicsSettings).
    ``verdicts``: ``(angle, side) -> Verdict`` of the core's table: none counted on a
    withheld series (the reason is said instead)."""
    st.markdown(
        "For exercises done several times (squats, lateral raises, sit-to-stand), PoseDash "
        "counts repetitions on one angle: knee flexion for squats, shoulder abduction for "
        "lateral raises, knee flexion with *peak down* for sit-to-stand."
    )
    key, side, polarity = _series_controls(aset, slot, keys)
    cols = st.columns([3, 2, 3])
    method = cols[0].radio(
        "Method",
        ["hysteresis", "prominence"],
        format_func=METHOD_LABELS.get,
        key=REP_METHOD,
        horizontal=True,
        help="Two thresholds: a repetition starts when the angle passes the start "
        "threshold and ends when it comes back past the end threshold; the gap "
        "between them ignores small wobbles. Peak prominence: each peak that stands "
        "out far enough from its surroundings is a repetition.",
    )
    manual = cols[1].toggle(
        "Set thresholds myself",
        key=REP_MANUAL,
        help="Off: thresholds are chosen from this recording's range of movement (shown below).",
    )
    x = aset.series(key, side, slot)
    auto = auto_levels(x, polarity)
    enter, leave, prominence = auto.enter_deg, auto.exit_deg, auto.prominence_deg
    if manual and not np.isfinite(enter):  # no values to suggest thresholds from
        enter, leave, prominence = 0.0, 0.0, 1.0
    interval, min_range = 0.0, 15.0
    if manual:
        with cols[2]:
            enter, leave, prominence, interval, min_range = _manual_thresholds(
                method, key, side, auto.polarity, enter, leave, prominence
            )
    rep_settings = RepetitionSettings(
        method=method,
        polarity=polarity,
        enter_deg=float(enter) if manual and method == "hysteresis" else None,
        exit_deg=float(leave) if manual and method == "hysteresis" else None,
        prominence_deg=float(prominence) if manual and method == "prominence" else None,
        min_interval_s=float(interval),
        min_range_deg=float(min_range),
    )
    full = replace(angle_settings, repetitions=rep_settings, repetition_angles=(key,))
    label = angle_def(key, None).label + (f" ({side})" if side else "")
    if _withheld(label, (verdicts or {}).get((key, side))):
        return None, full
    try:
        reps = detect_repetitions(x, aset.time_s, **rep_settings.as_dict())
    except ValueError:
        st.warning(
            "The start threshold must lie beyond the end threshold, in the direction "
            "of the peak (for *peak up*: start above end). Adjust them, or switch "
            "*Set thresholds myself* off.",
            icon="⚠️",
        )
        return None, full
    if not manual and np.isfinite(enter):
        what = (
            f"start beyond {enter:.0f}°, end back past {leave:.0f}°"
            if method == "hysteresis"
            else f"peaks standing out by at least {prominence:.0f}°"
        )
        st.caption(
            f"Automatic thresholds for {label}: {what} (from its range of movement, "
            f"{auto.range_deg:.0f}° between the 5th and 95th percentile)."
        )
    thresholds: tuple[tuple[float, str], ...] = ()
    if method == "hysteresis" and np.isfinite(enter):
        thresholds = ((float(enter), "start"), (float(leave), "end"))
    marks = figures.RepetitionMarks(
        key, side, tuple(reps), auto.polarity if polarity == "auto" else polarity, thresholds
    )
    _rep_summary(reps, label, auto.range_deg, min_range)
    return marks, full


def _withheld(label: str, verdict) -> bool:
    """Say why no repetition is counted on a withheld series (True), or the reason
    for caution beside the count (False)."""
    if verdict is not None and verdict.level == "withheld":
        st.warning(
            f"{label} is withheld in this recording, so no repetitions are counted on "
            f"it: {verdict.text} Choose another angle, or the other space.",
            icon="⚠️",
        )
        return True
    if verdict is not None and verdict.level == "caution":
        st.caption(f"⚠ {label}: caution. {verdict.text}")
    return False


def _series_controls(aset: AngleSet, slot: int, keys):
    """(angle key, side, polarity) of the series to count on."""
    first_key = next(iter(keys)) if keys else "knee_flexion"
    cols = st.columns([3, 2, 3])
    key = cols[0].selectbox(
        "Count on",
        list(ORDERED_KEYS),
        format_func=option,
        index=list(ORDERED_KEYS).index(first_key),
        key=REP_KEY,
        help="The angle whose repetitions are counted. First choice: "
        "the first angle shown in the chart.",
    )
    key_sides = sides(key)
    side = ""
    if key_sides != ("",):
        default_side = max(key_sides, key=lambda s: aset.movement(key, s, slot))
        side = cols[1].radio(
            "Side",
            key_sides,
            index=key_sides.index(default_side),
            key=REP_SIDE,
            horizontal=True,
            format_func=str.capitalize,
            help="The person's own left or right.",
        )
    polarity = cols[2].radio(
        "Direction",
        ["max", "min", "auto"],
        format_func=POLARITY_LABELS.get,
        key=REP_POLARITY,
        help="Peak up: the angle rises from a resting level and comes back (squat knee "
        "flexion, lateral-raise shoulder abduction). Peak down: the resting level is "
        "the high end and each repetition dips (sit-to-stand: the knee straightens to "
        "stand, then bends again to sit). Guess: peak up when the angle spends most "
        "of the time in the lower half of its range.",
    )
    return key, side, polarity


def _manual_thresholds(method, key, side, resolved, enter, leave, prominence):
    """(enter, exit, prominence, min interval, min range) set by hand."""
    interval = 0.0
    if method == "hysteresis":
        enter = st.number_input(
            "Start when the angle passes (°)",
            value=round(enter, 1),
            step=1.0,
            key=f"{K}rep_enter_{key}_{side}_{resolved}",
            help="A repetition begins when the angle goes beyond this.",
        )
        leave = st.number_input(
            "End when it comes back past (°)",
            value=round(leave, 1),
            step=1.0,
            key=f"{K}rep_exit_{key}_{side}_{resolved}",
            help="…and ends when it comes back past this. It must be nearer the "
            "resting level than the start threshold.",
        )
    else:
        prominence = st.number_input(
            "Peaks standing out by at least (°)",
            value=round(prominence, 1),
            min_value=0.5,
            step=1.0,
            key=f"{K}rep_prom_{key}_{side}",
            help="How far a peak must rise above the lower of the dips around it.",
        )
        interval = st.number_input(
            "At least this long apart (s)",
            value=0.0,
            min_value=0.0,
            step=0.1,
            key=REP_INTERVAL,
            help="Ignore a second peak closer than this.",
        )
    min_range = st.number_input(
        "Ignore movements smaller than (°)",
        value=15.0,
        min_value=0.0,
        step=1.0,
        key=REP_MIN_RANGE,
        help="An angle whose range (5th to 95th percentile) is below this is "
        "resting or wobbling: no repetitions are counted.",
    )
    return enter, leave, prominence, interval, min_range


def _rep_summary(reps: list[Repetition], label: str, amp: float, min_range: float) -> None:
    complete = [r for r in reps if r.complete]
    if not reps:
        if amp < min_range:
            st.info(
                f"No repetitions: {label} moves through only {amp:.0f}° (5th to 95th "
                f"percentile), less than {min_range:.0f}°. Choose the angle that moves "
                "in this exercise.",
                icon="🔁",
            )
        else:
            st.info(
                f"No repetitions found on {label}. Check the direction (peak up or "
                "down), or set the thresholds yourself.",
                icon="🔁",
            )
        return
    cols = st.columns(4)
    cols[0].metric(
        "Repetitions",
        len(complete),
        help="Complete repetitions only: one cut by the start or end of the "
        "recording is listed but not counted.",
    )
    if complete:
        cols[1].metric("Mean range of motion", f"{np.mean([r.rom_deg for r in complete]):.0f}°")
        cols[2].metric("Mean duration", f"{np.mean([r.duration_s for r in complete]):.1f} s")
        cols[3].metric(
            "Mean tempo (to / from peak)",
            f"{np.mean([r.to_peak_s for r in complete]):.1f} / "
            f"{np.mean([r.from_peak_s for r in complete]):.1f} s",
        )
    cut = len(reps) - len(complete)
    if cut:
        st.caption(
            f"{cut} more cut by the start or end of the recording (marked with ? on "
            "the chart; not counted)."
        )
    _rep_table(reps)


def _rep_table(reps: list[Repetition]) -> None:
    """One row per repetition, counted or cut by the recording's start or end."""
    table = pd.DataFrame(
        [
            {
                "Repetition": r.number,
                "Counted": r.complete,
                "Start (s)": r.start_time_s,
                "Peak (s)": r.peak_time_s,
                "End (s)": r.end_time_s,
                "Peak angle (°)": r.peak_deg,
                "Range of motion (°)": r.rom_deg,
                "Duration (s)": r.duration_s,
                "Time to peak (s)": r.to_peak_s,
                "Time from peak (s)": r.from_peak_s,
            }
            for r in reps
        ]
    )
    num = st.column_config.NumberColumn
    widgets.show_table(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Counted": st.column_config.CheckboxColumn(
                help="Not counted: cut by the start or end of the recording."
            ),
            "Start (s)": num(
                format="%.2f",
                help="When the angle left its resting level (10% of the way to the peak).",
            ),
            "Peak (s)": num(format="%.2f"),
            "End (s)": num(format="%.2f"),
            "Peak angle (°)": num(format="%.1f"),
            "Range of motion (°)": num(
                format="%.1f", help="Peak minus the lower of the resting levels either side."
            ),
            "Duration (s)": num(format="%.2f", help="From start to end."),
            "Time to peak (s)": num(
                format="%.2f",
                help="Tempo of the first half: from the "
                "start to the peak (e.g. the raise, or "
                "the descent into a squat).",
            ),
            "Time from peak (s)": num(
                format="%.2f", help="Tempo of the second half: from the peak back to rest."
            ),
        },
    )
