"""Clinician words for gait results: the one source of the labels the app and the
report show. Pure.

The machine names (``initial_contact``, ``right_to_left``, ``time_s``,
``stance_pct`` ...) stay the contract of gait.json and the CSV files; pages and
the report show these words instead, with the unit in the header.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "CURVE_TITLES",
    "CYCLE_WORDS",
    "DIRECTION_WORDS",
    "EVENT_HEADERS",
    "EVENT_WORDS",
    "FRONTAL_WORDS",
    "PASS_HEADERS",
    "PHASE_WORDS",
    "events_display",
    "passes_display",
]

#: The unit of a gait-cycle percentage (stance, swing, the curves' x axis).
CYCLE_WORDS = "% of gait cycle"

#: Titles of the gait-cycle curves (sign conventions of docs/angles.md).
CURVE_TITLES = {
    "hip_flexion": "Hip flexion (+) / extension (−)",
    "knee_flexion": "Knee flexion",
    "ankle_dorsiflexion": "Ankle dorsiflexion (+) / plantarflexion (−)",
}

EVENT_WORDS = {
    "initial_contact": "initial contact",
    "toe_off": "toe off",
    "foot_off": "foot off (heel leaves last)",
}
#: Phases of a contact: only steady contacts enter the averages.
#: A foot's contacts walking towards or away from the camera (``frontal_walking``).
FRONTAL_WORDS = {"initial_contact": "foot put down", "foot_lift": "foot lifted"}

PHASE_WORDS = {
    "steady": "steady",
    "acceleration": "acceleration (not averaged)",
    "deceleration": "deceleration (not averaged)",
}
DIRECTION_WORDS = {"left_to_right": "left to right", "right_to_left": "right to left"}

#: Headers of the events table as shown (machine name -> words with unit).
EVENT_HEADERS = {
    "side": "Side",
    "event": "Event",
    "time_s": "Time (s)",
    "frame": "Video frame",
    "placed_by_hand": "Placed by hand",
    "confidence": "Confidence",
    "pass_index": "Pass",
    "velocity_offset_s": "Cross-check (s)",
    "phase": "Phase",
    "walking": "Walking",
}
#: Help of the events table's less obvious headers.
EVENT_HELP = {
    "Confidence": "0 to 1: how far the event can be trusted (agreement with a second "
    "method, visibility of the foot, how clear the peak is).",
    "Cross-check (s)": "The same event found by a second method (the foot's speed), "
    "minus this time. –: the second method found none within 0.2 s.",
    "Video frame": "Frame number in the video file (the slider counts analysed frames).",
}

#: Headers of the per-pass table as shown.
PASS_HEADERS = {
    "pass": "Pass",
    "direction": "Direction",
    "walking": "Walking",
    "start_s": "Start (s)",
    "end_s": "End (s)",
    "strides": "Strides",
    "steps": "Steps",
    "cadence_steps_per_min": "Cadence (steps/min)",
    "stride_time_s": "Stride time (s)",
    "step_time_s": "Step time (s)",
    "stance_pct": f"Stance ({CYCLE_WORDS})",
}


def events_display(table: pd.DataFrame) -> pd.DataFrame:
    """``GaitResult.events_table()`` in words: events and passes as people say them
    (passes from 1), headers with units. Numbers stay numbers (round them for
    display only)."""
    out = table.assign(
        event=table["event"].map(lambda e: EVENT_WORDS.get(e, e)),
        pass_index=table["pass_index"] + 1,
    )
    if "phase" in out.columns:
        out = out.assign(phase=out["phase"].map(lambda p: PHASE_WORDS.get(p, p)))
    if "placed_by_hand" in out.columns:
        out = out.assign(placed_by_hand=out["placed_by_hand"].map(lambda h: "yes" if h else ""))
    order = [c for c in EVENT_HEADERS if c in out.columns]
    return out[order].rename(columns=EVENT_HEADERS)


def passes_display(table: pd.DataFrame) -> pd.DataFrame:
    """``GaitResult.pass_parameters()`` in words (directions as "left to right")."""
    if table.empty:
        return table.rename(columns=PASS_HEADERS)
    out = table.assign(direction=table["direction"].map(lambda d: DIRECTION_WORDS.get(d, d)))
    return out.rename(columns=PASS_HEADERS)
