"""Steps are not exercise repetitions: the rule that withholds repetition counts of a walk.

Repetition counting (:mod:`dashboard.kinematics.reps`) finds every excursion of
an angle away from its rest level and back. In a recording of walking, every
such excursion is a step or a stride: the knee flexes about 60 deg in each
swing, the hip and ankle follow the gait cycle, and the arms swing with it.
Counting them as "repetitions" would report steps as if they were exercise
repetitions (on the walking clip: 8 knee-flexion "repetitions", one lasting
3.2 s across a turn). So when the recording looks like walking
(:func:`dashboard.kinematics.gait.looks_like_walking`: a walking pass with two
initial contacts of each foot), no repetitions are counted for that person,
and the reason is given instead; the gait analysis reports steps, cadence and
gait cycles.

Notes
-----
The rule covers **every** angle, not only the lower limb: walking drives the
hip, knee and ankle (sagittal), the pelvis and the trunk (frontal, at step
frequency) and, through the arm swing, shoulder flexion and elbow flexion, so
any count on a walk would be steps or strides. A person doing an exercise
while walking across the picture (walking lunges) is seen as walking too: their
repetitions are the steps, which the gait analysis counts. The check needs no
angles and is cheap; it is False for photos and recordings under 3 frames, so
exercise videos (squats, lateral raises, sit-to-stand done on the spot) keep
their counts.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

__all__ = [
    "SEE_GAIT_OUTPUTS",
    "SEE_GAIT_PAGE",
    "WALKING_NOT_REPETITIONS",
    "PeopleWalking",
    "walking_people",
    "withheld_reason",
]

#: Why a walk has no repetitions (summary.json, report, CLI, Joint angles page).
WALKING_NOT_REPETITIONS = "This looks like walking: steps are not exercise repetitions."
#: Where to look instead, in the app.
SEE_GAIT_PAGE = "See the Gait page for steps, cadence and gait cycles."
#: Where to look instead, in the command line's outputs and the report.
SEE_GAIT_OUTPUTS = (
    "See the gait analysis (the .gait.json and .gait_cycles.csv files, or the "
    "report's Gait section) for steps, cadence and gait cycles."
)


#: id(seq) -> its walking_people, while that sequence lives (one check per sequence).
_MEMO: dict[int, PeopleWalking] = {}


class PeopleWalking(Sequence):
    """Per person slot: does the recording look like that person walking? A read-only
    sequence of bools that checks each person when first asked (the check takes a while on
    a long recording: the Joint angles page asks for one person of ten)."""

    def __init__(self, seq) -> None:
        self._seq = seq
        self._n = int(seq.num_people)
        self._known: dict[int, bool] = {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._n)))
        i = range(self._n)[index]  # IndexError and negative indices as a tuple's
        if i not in self._known:
            self._known[i] = _walking(self._seq, i)
        return self._known[i]

    def __eq__(self, other) -> bool:
        return isinstance(other, (tuple, PeopleWalking)) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PeopleWalking({tuple(self)!r})"


def walking_people(seq) -> PeopleWalking:
    """Per person slot of ``seq``: does the recording look like that person walking?

    False for every slot of a photo or a recording under 3 frames, and where
    the check cannot be made. Each person is checked once per sequence object, when
    first asked (the command line, the report and the summary all ask); forgotten when
    the sequence is freed.
    """
    key = id(seq)
    if key not in _MEMO:
        value = PeopleWalking(seq)
        try:
            weakref.finalize(seq, _MEMO.pop, key, None)
        except TypeError:  # not weak-referenceable: no memo
            return value
        _MEMO[key] = value
    return _MEMO[key]


def _walking(seq, person: int) -> bool:
    from dashboard.kinematics.gait import looks_like_walking

    if seq.num_frames < 3:
        return False
    try:
        return bool(looks_like_walking(seq, person))
    except Exception:
        return False


def withheld_reason(
    walking: Sequence[bool], slot: int, where: str = SEE_GAIT_OUTPUTS
) -> str | None:
    """The reason repetitions of person slot ``slot`` are not counted, or None when they are.

    ``walking`` is :func:`walking_people` (``Kinematics.walking``); ``where``
    says where steps are reported (:data:`SEE_GAIT_PAGE` in the app).
    """
    if 0 <= slot < len(walking) and walking[slot]:
        return f"{WALKING_NOT_REPETITIONS} {where}"
    return None
