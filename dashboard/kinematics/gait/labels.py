"""The leg labels gait analysis works on: the one left/right swap repair, applied once.

PoseDash has one leg-swap repair, :func:`dashboard.detect.swaps.repair_sequence`.
The detection stage runs it after tracking (the swap repair setting, on by
default) and records the frames it relabelled in ``PoseSequence.swapped``. Gait
analysis never repairs the legs by a rule of its own: it applies that same repair
to the landmarks it is given. On landmarks the repair has already made
consistent this changes nothing (measured on every shared side-view clip: the
repair relabels no frame of its own output), so the labels every page shows are
kept; on landmarks made with the repair off, or saved by an older version of it,
the frames it relabels here are counted separately, so that the clinician is told
how many frames were relabelled, and by which stage.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from dashboard.poses import PoseSequence

__all__ = ["LegLabels", "leg_labels"]


@dataclass(frozen=True)
class LegLabels:
    """One person's landmarks with repaired leg labels, and who relabelled them.

    one
        A one-person :class:`~dashboard.poses.PoseSequence` (slot 0).
    by_tracking
        Frames whose leg labels the detection stage had relabelled.
    by_gait
        Frames gait analysis relabelled by applying the same repair (0 when the
        landmarks were already repaired).
    """

    one: PoseSequence
    by_tracking: int
    by_gait: int

    @property
    def total(self) -> int:
        """Frames whose leg labels now differ from the model's."""
        from dashboard.detect.swaps import LIMBS

        return int(np.asarray(self.one.swapped)[:, 0, LIMBS.index("legs")].sum())

    @property
    def stage(self) -> str:
        """``'tracking'``, ``'gait'``, ``'tracking+gait'`` or ``'none'``."""
        stages = [s for s, n in (("tracking", self.by_tracking), ("gait", self.by_gait)) if n]
        return "+".join(stages) or "none"

    def note(self) -> str:
        """What the clinician is told ('' when no frame was relabelled)."""
        t, g = self.by_tracking, self.by_gait
        if t and not g:
            return (
                f"PoseDash's left/right swap repair, run with the pose detection (after "
                f"tracking), relabelled the legs in {t} frame(s) where the model looked "
                "to have exchanged them. Events, parameters and angles here use the "
                "repaired labels, as every page does."
            )
        if g and not t:
            return (
                "These landmarks were made with the left/right swap repair off (or come "
                "from a session saved without it), so gait analysis applied the same "
                f"repair to the legs: {g} frame(s) relabelled where the model looked to "
                "have exchanged them, before finding the events. The other pages show "
                "the legs as the model labelled them."
            )
        if t and g:
            return (
                f"PoseDash's left/right swap repair, run with the pose detection, had "
                f"relabelled the legs in {t} frame(s); applied again by gait analysis "
                f"(these landmarks were repaired by an earlier version of it), it "
                f"changed {g} more frame(s) before finding the events. The other pages "
                "show the earlier labels."
            )
        return ""


#: id(seq) -> the person slots whose legs the repair left as they were, while that sequence
#: lives: the walking check (summary.json, the gait outputs' choice) and the gait analysis
#: then run the repair once. Only this fact is kept (no landmarks: a long recording's copy of
#: one person is tens of MB); a repair that relabels frames is made again when asked.
_UNCHANGED: dict[int, set[int]] = {}


def leg_labels(seq, person: int = 0, repair: bool = True) -> LegLabels:
    """The landmarks of ``person`` alone with their leg labels repaired once.

    Parameters
    ----------
    seq
        A :class:`~dashboard.poses.PoseSequence`.
    person
        Person slot.
    repair
        Apply the repair (False: the labels as given, the detection stage's
        repair included).

    Notes
    -----
    See the module docstring. Only the legs are repaired here (the arms do not
    enter gait analysis). The repair runs once per sequence object and person when
    it changes nothing (the usual case: the detection stage repaired them); a
    PoseSequence is frozen.
    """
    from dashboard.detect.swaps import LIMBS, repair_sequence

    one = seq.select(people=[person])
    legs = LIMBS.index("legs")
    before = np.asarray(one.swapped)[:, 0, legs].copy()
    if not repair or int(person) in _UNCHANGED.get(id(seq), ()):
        return LegLabels(one, int(before.sum()), 0)
    fixed = repair_sequence(one, limbs=("legs",))
    changed = int((np.asarray(fixed.swapped)[:, 0, legs] ^ before).sum())
    if not changed:
        _remember_unchanged(seq, int(person))
    return LegLabels(fixed if changed else one, int(before.sum()), changed)


def _remember_unchanged(seq, person: int) -> None:
    key = id(seq)
    if key not in _UNCHANGED:
        try:
            weakref.finalize(seq, _UNCHANGED.pop, key, None)
        except TypeError:  # not weak-referenceable: nothing kept
            return
        _UNCHANGED[key] = set()
    _UNCHANGED[key].add(person)
