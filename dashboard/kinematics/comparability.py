"""Can two sessions be compared? Reasons, in plain words, why a difference may not
come from the patient.

A before/after comparison means something only when both sessions show the
same movement, filmed alike. :func:`session_reasons` says what makes the whole
pair doubtful (photo against video, walking against something else, a
different main movement, a different camera view); :func:`angle_reasons` what
makes one angle's row doubtful (its camera view, the frames it was measured
in); :func:`comparability` both for one angle. Each works on
:class:`SessionTraits`, which :func:`session_traits` reads from an angle set
(pure) and :func:`traits_of` from an analysis (it also asks the gait module
whether the recording is walking).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from dashboard.kinematics.catalogue import CATALOGUE, ORDERED_KEYS, angle_def, sides
from dashboard.kinematics.views import MOVES_DEG, VIEW_WORDS, dominant_view

__all__ = [
    "FRAME_RATIO",
    "MAIN_MOVE_SHARE",
    "MIN_FRAMES",
    "Comparability",
    "SessionTraits",
    "angle_reasons",
    "comparability",
    "main_movement",
    "record_reasons",
    "row_flags",
    "session_reasons",
    "session_traits",
    "traits_of",
]

#: Fewer usable frames than this (videos) and a range of motion is a guess.
MIN_FRAMES = 10
#: Usable time (frames x frame interval) of an angle in the smaller session below
#: this share of the larger; frame counts when a session's frame rate is unknown.
FRAME_RATIO = 0.25
#: Frame rates below this (fps) and at most half the other session's: the quickest
#: parts of a movement, and so its extremes, can fall between frames.
LOW_FPS = 15.0
#: A session's main movement "is not in" the other when it moves less than this
#: share of its size there.
MAIN_MOVE_SHARE = 0.5

#: Short flags for the table rows, by cause.
FLAG_KIND, FLAG_WALK, FLAG_MOVE = "photo vs video", "walking vs not", "different movement"
FLAG_VIEW, FLAG_FRAMES = "different camera view", "far less measured"


@dataclass(frozen=True)
class SessionTraits:
    """What a session is, as far as comparing it goes.

    kind
        ``'photo'`` or ``'video'``.
    view
        Dominant camera view of the person (``'front'``, ``'side'``,
        ``'oblique'``, ``''`` unknown), :func:`~dashboard.kinematics.views.dominant_view`.
    walking
        True when the recording is walking
        (:func:`dashboard.kinematics.gait.analysis.looks_like_walking`).
    movement_deg
        Angle key (both sides merged, the larger) -> robust range in degrees
        (5th to 95th percentile, ``AngleSet.movement``), world space when known.
    n_valid
        Angle name (``'knee_flexion_left'``) -> frames with a value, in the
        space compared.
    frame_s
        Median interval between analysed frames in seconds (NaN: unknown, a photo).
    """

    kind: str
    view: str = ""
    walking: bool = False
    movement_deg: Mapping[str, float] = field(default_factory=dict)
    n_valid: Mapping[str, int] = field(default_factory=dict)
    frame_s: float = float("nan")


class Comparability(NamedTuple):
    """The verdict for one angle: comparable when there is no reason against."""

    comparable: bool
    reasons: tuple[str, ...]


def session_traits(
    angle_set, person: int, kind: str, yaw_deg=None, walking: bool = False, movement_set=None
) -> SessionTraits:
    """:class:`SessionTraits` of one person slot of an ``AngleSet`` (pure).

    ``yaw_deg`` is the person's (F,) camera yaw (``Kinematics.camera_yaw_deg[:, person]``);
    ``movement_set`` the angle set whose movement sizes are compared (the
    world-space set, by default ``angle_set``).
    """
    moving = movement_set if movement_set is not None else angle_set
    movement = {}
    for key in ORDERED_KEYS:
        sizes = [
            moving.movement(key, s, person)
            for s in sides(key)
            if any(d.key == key and d.side == s for d in moving.defs)
        ]
        if sizes:
            movement[key] = float(np.nanmax(sizes)) if np.isfinite(sizes).any() else 0.0
    values = np.asarray(angle_set.value_deg)[:, person, :]
    n_valid = {d.name: int(np.isfinite(values[:, i]).sum()) for i, d in enumerate(angle_set.defs)}
    view = dominant_view(yaw_deg).view if yaw_deg is not None else ""
    steps = np.diff(np.asarray(getattr(angle_set, "time_s", ()), dtype=float))
    steps = steps[np.isfinite(steps) & (steps > 0)]
    frame_s = float(np.median(steps)) if steps.size else float("nan")
    return SessionTraits(kind, view, bool(walking), movement, n_valid, frame_s)


def traits_of(analysis, kinematics, space: str, slot: int) -> SessionTraits:
    """:func:`session_traits` of an analysis' person slot, with its walking verdict
    (``Kinematics.walking``, found once when the kinematics were computed)."""
    verdicts = tuple(getattr(kinematics, "walking", ()) or ())
    walking = analysis.kind == "video" and 0 <= slot < len(verdicts) and bool(verdicts[slot])
    spaces = [s.space for s in kinematics.sets]
    world = kinematics.space("world") if "world" in spaces else None
    return session_traits(
        kinematics.space(space),
        slot,
        analysis.kind,
        kinematics.camera_yaw_deg[:, slot],
        walking,
        world,
    )


def main_movement(traits: SessionTraits) -> str | None:
    """The angle key that moves most (robust range), or None when nothing moves
    :data:`~dashboard.kinematics.views.MOVES_DEG` or more (a still pose, a photo)."""
    moving = {k: v for k, v in traits.movement_deg.items() if np.isfinite(v) and v >= MOVES_DEG}
    return max(moving, key=lambda k: moving[k]) if moving else None


def _label(key: str) -> str:
    return angle_def(key, None).label.lower()


def session_reasons(before: SessionTraits, after: SessionTraits) -> tuple[str, ...]:
    """Reasons, in plain words, why the two sessions as a whole may not compare.

    Notes
    -----
    - Kind: a photo against a video (one pose against a whole movement).
    - Walking: one is walking and the other not (walking moves the legs through
      a gait cycle; an exercise does not).
    - Main movement (videos): the angle that moves most in each session
      (:func:`main_movement`) moves less than :data:`MAIN_MOVE_SHARE` of that
      in the other session, both ways round: each session's main movement is
      nearly absent from the other. One way round is not enough: a patient
      whose knee bends 20 deg before surgery and 90 deg after is the
      improvement the comparison is for.
    - Camera view: the dominant views differ (angles needing one view are then
      flagged by :func:`angle_reasons`).
    """
    out: list[str] = []
    if before.kind != after.kind:
        return (_kind_reason(before.kind, after.kind),)
    if before.walking != after.walking:
        which = "earlier" if before.walking else "later"
        out.append(
            f"The {which} session is walking and the other is not: they show different movements."
        )
    if before.kind == "video":
        mb, ma = main_movement(before), main_movement(after)
        if mb and ma and mb != ma and _absent(mb, before, after) and _absent(ma, after, before):
            out.append(
                f"Different joints move most: {_label(mb)} in the earlier session, "
                f"{_label(ma)} in the later one. They look like different exercises."
            )
    if before.view and after.view and before.view != after.view:
        out.append(
            f"The camera view differs: {VIEW_WORDS[before.view]} earlier, "
            f"{VIEW_WORDS[after.view]} later. Angles that need one view are marked."
        )
    rates = (1 / before.frame_s, 1 / after.frame_s)
    if (
        before.kind == "video"
        and all(np.isfinite(rates))
        and min(rates) < LOW_FPS
        and min(rates) <= 0.5 * max(rates)
    ):
        out.append(
            f"Analysed at {rates[0]:.0f} frames per second earlier and {rates[1]:.0f} "
            "later: at the lower rate the quickest parts of a movement, and so its "
            "extremes, can fall between frames."
        )
    return tuple(out)


def _kind_reason(before: str, after: str) -> str:
    return (
        f"One session is a {before} and the other a {after}: a single pose cannot be "
        "compared with a whole movement."
    )


def record_reasons(before: Mapping, after: Mapping) -> tuple[str, ...]:
    """Reasons against comparing two saved sessions, from their records alone
    (``kind``, ``body_region``, ``source_sha256`` of a library ``SessionInfo``
    as a dict), before they are opened.

    Notes
    -----
    A photo against a video (the sentence of :func:`session_reasons`);
    different body regions typed by the clinician (compared ignoring case and
    surrounding spaces; an empty region says nothing); the same recording
    saved twice. What was filmed is checked only once both are opened
    (:func:`session_reasons`).
    """
    out: list[str] = []
    kb, ka = before.get("kind") or "video", after.get("kind") or "video"
    if kb != ka:
        out.append(_kind_reason(kb, ka))
    rb, ra = (str(x.get("body_region") or "").strip() for x in (before, after))
    if rb and ra and rb.casefold() != ra.casefold():
        out.append(
            f"The sessions were saved for different body regions ({rb} earlier, {ra} later)."
        )
    sb = before.get("source_sha256")
    if sb and sb == after.get("source_sha256"):
        out.append("Both sessions come from the same recording.")
    return tuple(out)


def _absent(key: str, own: SessionTraits, other: SessionTraits) -> bool:
    there = other.movement_deg.get(key, 0.0)
    return not np.isfinite(there) or there < MAIN_MOVE_SHARE * own.movement_deg[key]


def angle_reasons(before: SessionTraits, after: SessionTraits, name: str) -> tuple[str, ...]:
    """Reasons, in plain words, why one angle (``'knee_flexion_left'``) may not compare.

    Notes
    -----
    - Camera view: the two dominant views differ and the angle is measured from
      one view (catalogue ``view`` 'side' or 'front'; 'any' angles are not flagged).
    - Frames (both videos): measured in one session only; fewer than
      :data:`MIN_FRAMES` usable frames in one; or the shorter usable time
      (frames x frame interval) below :data:`FRAME_RATIO` of the longer: less of
      the movement was seen, so its range tends to be smaller. Time, not frame
      counts, so that a 5 fps and a 30 fps recording of the same exercise are
      not flagged for their frame rates (:func:`session_reasons` says that
      once); frame counts only when a frame rate is unknown.
    """
    d = _def(name)
    label = d.display if d is not None else name.replace("_", " ")
    out: list[str] = []
    if (
        d is not None
        and d.view in ("side", "front")
        and before.view
        and after.view
        and before.view != after.view
    ):
        out.append(
            f"{label} needs a {VIEW_WORDS[d.view]}; the sessions were filmed from "
            f"different views ({VIEW_WORDS[before.view]} earlier, "
            f"{VIEW_WORDS[after.view]} later)."
        )
    if before.kind == after.kind == "video":
        nb, na = int(before.n_valid.get(name, 0)), int(after.n_valid.get(name, 0))
        small, large = min(nb, na), max(nb, na)
        if large and not small:
            out.append(
                f"{label} was measured only in the {'later' if nb == 0 else 'earlier'} session."
            )
        elif large and small < MIN_FRAMES:
            out.append(
                f"{label} was measured in {nb} frames earlier and {na} later: the range "
                "from fewer frames can miss the extremes."
            )
        elif large and np.isfinite(before.frame_s) and np.isfinite(after.frame_s):
            sb, sa = nb * before.frame_s, na * after.frame_s
            if min(sb, sa) < FRAME_RATIO * max(sb, sa):
                out.append(
                    f"{label} was measured over {sb:.1f} s earlier and {sa:.1f} s "
                    "later: the shorter one can miss the extremes."
                )
        elif large and small < FRAME_RATIO * large:
            out.append(
                f"{label} was measured in {nb} frames earlier and {na} later: the range "
                "from fewer frames can miss the extremes."
            )
    return tuple(out)


def _def(name: str):
    return next((d for d in CATALOGUE if d.name == name), None)


def comparability(before: SessionTraits, after: SessionTraits, name: str) -> Comparability:
    """Whether angle ``name`` compares between the two sessions, and why not.

    The reasons are :func:`session_reasons` (the camera-view sentence only when
    it concerns this angle) then :func:`angle_reasons`; comparable when there
    are none. See their Notes for the rules and limits.
    """
    general = tuple(
        r for r in session_reasons(before, after) if not r.startswith("The camera view differs")
    )
    reasons = general + angle_reasons(before, after, name)
    return Comparability(not reasons, reasons)


def row_flags(before: SessionTraits, after: SessionTraits, names) -> dict[str, str]:
    """Angle name -> a short flag for a table row ('' when nothing is against it):
    the causes of :func:`comparability`, e.g. ``'different movement; different camera view'``."""
    general = session_reasons(before, after)
    common = []
    if before.kind != after.kind:
        common.append(FLAG_KIND)
    if before.walking != after.walking:
        common.append(FLAG_WALK)
    if any(r.startswith("Different joints") for r in general):
        common.append(FLAG_MOVE)
    out = {}
    for name in names:
        own = angle_reasons(before, after, name)
        flags = (
            common
            + [FLAG_VIEW for r in own if "needs a" in r]
            + ([FLAG_FRAMES] if any("measured" in r for r in own) else [])
        )
        out[name] = "; ".join(flags)
    return out
