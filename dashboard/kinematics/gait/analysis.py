"""One call from a PoseSequence to a gait result: :func:`analyze_gait`."""

from __future__ import annotations

import dataclasses

import numpy as np

from dashboard.errors import InputError
from dashboard.kinematics import CATALOGUE, camera_yaw_deg, compute_angles
from dashboard.kinematics.gait.cycles import (
    CURVE_ANGLES,
    build_cycles,
    build_steps,
    normalised_curves,
)
from dashboard.kinematics.gait.events import detect_events
from dashboard.kinematics.gait.facing import pass_walking
from dashboard.kinematics.gait.frontal import frontal_walking
from dashboard.kinematics.gait.labels import leg_labels
from dashboard.kinematics.gait.parameters import key_values, overall_parameters, side_parameters
from dashboard.kinematics.gait.passes import find_passes, frame_rate
from dashboard.kinematics.gait.result import GaitResult
from dashboard.kinematics.gait.scale import floor_marks, metres_per_body_height
from dashboard.kinematics.gait.settings import SIDES, GaitSettings
from dashboard.kinematics.gait.setup import MIN_FPS, setup_checks
from dashboard.kinematics.gait.signals import extract_signals

__all__ = ["analyze_gait", "looks_like_walking"]


def _angles(one, space: str) -> dict[tuple[str, str], np.ndarray]:
    """Hip, knee and ankle flexion of the one person of ``one`` from the angle
    catalogue (filtered values)."""
    defs = tuple(d for d in CATALOGUE if d.key in CURVE_ANGLES)
    s = compute_angles(one, space, defs=defs)
    return {
        (side, key): np.asarray(s.series(key, side, 0)) for side in SIDES for key in CURVE_ANGLES
    }


def _check_input(seq, person: int) -> None:
    if seq.num_frames < 3:
        raise InputError(
            f"Gait analysis needs a video: this analysis has {seq.num_frames} frame(s)."
        )
    if not 0 <= person < seq.num_people:
        raise InputError(f"There is no person {person + 1} in this analysis.")


def _classified(sig, passes, t) -> list:
    """The passes with which way the person faces in each (:mod:`.facing`)."""
    return [dataclasses.replace(p, facing=pass_walking(sig, p, t)) for p in passes]


def _frontal(one, passes, t, fps):
    """Walking towards or away from the camera outside the side-view passes' windows."""
    skip = np.zeros(len(t), bool)
    for p in passes:
        skip[p.window_start : p.window_end + 1] = True
    return frontal_walking(one, t, fps, skip)


def _warnings(fps, passes, cycles, swap_note, settings, frontal=None) -> tuple[str, ...]:
    out = [p.notice for p in passes if p.notice]
    if frontal is not None:
        out.append(frontal.notice)
    if np.isfinite(fps) and fps < MIN_FPS:
        out.append(
            f"The video has {fps:.0f} frames per second: event times are only known "
            f"to within {1000 / fps:.0f} ms, so timing errors grow. Record at 30 fps "
            "or more."
        )
    if not passes:
        out.append(
            "No steady walking across the picture was found: film from the side "
            "while the person walks at least 4 steps across the picture."
            + (
                " Walking towards or away from the camera gives only the temporal parameters below."
                if frontal is not None
                else ""
            )
        )
    dropped = [c for c in cycles if not c.kept and c.phase == "steady"]
    edge = [c for c in cycles if c.phase != "steady"]
    if dropped:
        out.append(
            f"{len(dropped)} of {len(cycles)} strides were left out by the quality "
            "checks (see the reasons per stride)."
        )
    if edge:
        out.append(
            f"{len(edge)} of {len(cycles)} strides are acceleration or deceleration "
            "strides (the person speeding up, slowing down, or partly out of the "
            "picture): shown on the timeline, left out of the averages."
        )
    if swap_note:
        out.append(swap_note)
    if not settings.metric:
        out.append("No height entered: lengths and speed are in body heights.")
    elif settings.floor_marks and settings.height_m:
        out.append("Lengths in metres from the floor marks (the height entered is not used).")
    return tuple(out)


def _metres(settings, passes, image_size):
    """Metres per body height: from the floor marks (per pass; InputError when a mark
    is off this video's picture), else the height entered, else None."""
    if settings.floor_marks is None:
        return settings.height_m
    ax, ay, bx, by, d = settings.floor_marks
    return metres_per_body_height(passes, floor_marks((ax, ay), (bx, by), d, image_size))


def _mode_parameters(cycles, steps, mode: str, metres) -> dict:
    """Per side and for both sides, the parameters of ``mode`` walking alone."""
    cs = [c for c in cycles if c.walking == mode]
    ss = [s for s in steps if s.walking == mode]
    out = {side: side_parameters(cs, ss, side, metres) for side in SIDES}
    out["both"] = side_parameters(cs, ss, None, metres)
    return out


def analyze_gait(seq, settings=GaitSettings(), person: int = 0, *, edit_events=None) -> GaitResult:
    """Walking passes, gait events, strides, parameters and cycle curves of one person.

    Parameters
    ----------
    seq
        A :class:`~dashboard.poses.PoseSequence` of a video, ideally filmed from
        the side (see ``docs/gait.md``).
    settings
        :class:`GaitSettings`; ``height_m`` gives lengths in metres.
    person, edit_events
        Person slot to analyse; events corrected by hand (see :mod:`.edited`).

    Raises
    ------
    InputError
        A photo (fewer than 3 frames) or a person slot that does not exist.

    Notes
    -----
    Steps: :func:`~.labels.leg_labels` (the one leg-swap repair, which changes
    nothing on landmarks the detection stage repaired), :func:`~.signals.extract_signals`,
    :func:`~.passes.find_passes` (passes, their event windows and steady
    stretches), :func:`~.facing.pass_walking` (forward, backward or unclear
    walking: backward passes are analysed as backward walking and reported
    apart, unclear ones as forward walking with lower trust),
    :func:`~.events.detect_events`, :func:`~.cycles.build_cycles` and
    :func:`~.cycles.build_steps` (quality gates; acceleration and deceleration
    strides are not kept), :mod:`~.parameters`, then the catalogue's hip, knee
    and ankle flexion (``settings.angle_space``) normalised over each kept
    forward stride. Every definition and limit is in ``docs/gait.md``.
    """
    _check_input(seq, person)
    labels = leg_labels(seq, person, settings.repair_leg_swaps)
    one = labels.one
    t = np.asarray(one.time_s, float)
    fps = frame_rate(t)
    sig = extract_signals(one)
    found = find_passes(
        sig,
        t,
        one.frame_index,
        settings.min_pass_s,
        settings.min_speed_body_heights_s,
        settings.steady_speed_share,
    )
    passes = _classified(sig, found, t)
    events = detect_events(sig, passes, t, one.frame_index)
    events = edit_events(events, passes, sig, t, one.frame_index) if edit_events else events
    cycles = build_cycles(events, passes, sig.heel_x, settings, sig.toe_x, t)
    steps = build_steps(events, passes, sig.heel_x, settings, sig.toe_x, t)
    frontal = _frontal(one, passes, t, fps)
    metres = _metres(settings, passes, seq.image_size)
    per_side = _mode_parameters(cycles, steps, "forward", metres)
    forward = [c for c in cycles if c.walking == "forward"]
    curves = normalised_curves(
        forward, _angles(one, settings.angle_space) if any(c.kept for c in forward) else {}, t
    )
    return GaitResult(
        settings=settings,
        fps=fps,
        passes=tuple(passes),
        events=tuple(events),
        cycles=tuple(cycles),
        steps=tuple(steps),
        per_side=per_side,
        overall=overall_parameters(per_side, forward),
        curves=curves,
        key_values=key_values(forward, curves),
        checks=_checks(sig, passes, cycles, one, fps),
        warnings=_warnings(fps, passes, cycles, labels.note(), settings, frontal),
        swapped_frames=labels.total,
        swapped_by={"tracking": labels.by_tracking, "gait": labels.by_gait},
        angle_space=settings.angle_space,
        person=int(seq.person_ids[person]),
        backward=_mode_parameters(cycles, steps, "backward", metres),
        frontal=frontal,
    )


def _checks(sig, passes, cycles, one, fps: float) -> tuple:
    """The set-up checks (:func:`~.setup.setup_checks`) of the analysed person ``one``:
    strides kept per pass (the better side), the camera's yaw per frame."""
    kept_per_pass = [
        max(
            [
                sum(1 for c in cycles if c.kept and c.pass_index == p.index and c.side == s)
                for s in SIDES
            ]
        )
        for p in passes
    ]
    with np.errstate(invalid="ignore"):
        yaw = camera_yaw_deg(one.world_m)[:, 0]
    return tuple(setup_checks(sig, passes, kept_per_pass, fps, yaw))


def looks_like_walking(seq, person: int = 0) -> bool:
    """True when ``seq`` holds walking across the picture (at least one walking
    pass with two initial contacts of each foot) or towards or away from the
    camera (a frontal pass with four alternating contacts). Cheap (no angles);
    False for photos and for anything that cannot be analysed."""
    if seq.num_frames < 3 or not 0 <= person < seq.num_people:
        return False
    one = leg_labels(seq, person).one
    t = np.asarray(one.time_s, float)
    sig = extract_signals(one)
    passes = find_passes(sig, t, one.frame_index)
    if not passes:
        fr = _frontal(one, passes, t, frame_rate(t))
        return fr is not None and fr.parameters.get("steps", 0) >= 4
    events = detect_events(sig, passes, t, one.frame_index)
    for p in passes:
        ics = [e.side for e in events if e.pass_index == p.index and e.event == "initial_contact"]
        if all(ics.count(s) >= 2 for s in SIDES):
            return True
    return False
