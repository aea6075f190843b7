"""Walking towards or away from the camera, from contacts corrected by hand:
:func:`frontal_edited`.

The clinician moves, deletes or adds a foot's contact (``initial_contact``: put
down) or lift (``foot_lift``) on the frame it belongs to; steps, cadence, step and
stride time are recomputed from the contacts by the same rules as from the
detected ones (:func:`~.frontal._parameters`: within a pass, step and stride
limits, outliers left out), without detecting anything again. The contacts given
are taken as they are: the alternation check that drops doubtful detected contacts
is the clinician's now. The result says "Events corrected by hand (N changed)" and
keeps the automatic contacts for reference. Pure: no UI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from dashboard.errors import InputError
from dashboard.kinematics.gait.frontal import FrontalContact, FrontalResult, _parameters
from dashboard.kinematics.gait.words import FRONTAL_WORDS
from dashboard.kinematics.hand_events import corrections, match_changes, outside_words

__all__ = ["FRONTAL_KINDS", "frontal_edited", "with_frontal_edits"]

#: A foot put down or lifted, as in ``frontal_walking.contacts``.
FRONTAL_KINDS = ("initial_contact", "foot_lift")


def _placed(h, t: np.ndarray, frame_index: np.ndarray, passes) -> FrontalContact:
    """``h`` (side, event, time_s, frame) on the analysed sample nearest its time, in the
    frontal pass holding it; InputError otherwise."""
    if h.side not in ("left", "right") or h.event not in FRONTAL_KINDS:
        raise InputError(f"{h.label}: not a left or right foot contact or lift.")
    half = 0.5 * float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    if not t[0] - half <= h.time_s <= t[-1] + half:
        raise InputError(f"{h.label}: outside the video ({t[0]:.2f}-{t[-1]:.2f} s).")
    idx = int(np.argmin(np.abs(t - h.time_s)))
    p = next((p for p in passes if p.start <= idx <= p.end), None)
    if p is None:  # the side-view editor's wording, in video frames
        spans = [(int(frame_index[q.start]), int(frame_index[q.end])) for q in passes]
        raise InputError(
            outside_words(
                f"Frame {int(frame_index[idx])}",
                spans,
                "the contact would not be used.",
                where="the walking towards or away from the camera",
            )
        )
    return FrontalContact(h.side, h.event, idx, int(frame_index[idx]), float(t[idx]), p.index)


def _matched(automatic: Sequence[FrontalContact], edited: Sequence[FrontalContact]):
    """Same foot, kind and frame: unchanged; a remaining pair of one foot and kind at
    most :data:`~.edited.MOVE_WINDOW_S` apart: one contact moved (nearest first)."""
    from dashboard.kinematics.gait.edited import MOVE_WINDOW_S

    return match_changes(
        automatic,
        edited,
        key=lambda c: (c.side, c.event, c.index),
        movable=lambda a, b: (
            (a.side, a.event) == (b.side, b.event) and abs(a.time_s - b.time_s) <= MOVE_WINDOW_S
        ),
    )


def frontal_edited(
    fr: FrontalResult, hand: Sequence, t: np.ndarray, frame_index: np.ndarray
) -> FrontalResult:
    """``fr`` recomputed from the contacts ``hand`` (``HandEvent``-like: ``side``,
    ``event``, ``time_s``, ``label``); ``fr`` itself when nothing changed. InputError
    (one sentence) for a contact that cannot be placed or two of one foot and kind on
    one frame."""
    t = np.asarray(t, float)
    placed: dict[tuple, FrontalContact] = {}
    for h in hand:
        c = _placed(h, t, frame_index, fr.passes)
        key = (c.side, c.event, c.index)
        if key in placed:
            raise InputError(f"{h.label}: a second one of that foot on frame {c.frame}.")
        placed[key] = c
    contacts = sorted(placed.values(), key=lambda c: (c.time_s, c.side))
    m = _matched(fr.contacts, contacts)
    changes = m.changes
    if changes.n == 0:
        return fr
    ics = [
        [c for c in contacts if c.event == "initial_contact" and c.pass_index == p.index]
        for p in fr.passes
    ]
    auto_keys = {(c.side, c.event, c.index) for c in fr.contacts}
    before = fr.parameters.get("cadence_steps_per_min", {}).get("mean", float("nan"))
    edits = dict(
        events_note=changes.words,
        automatic_cadence=(
            f"With the automatic contacts: cadence {before:.1f} steps/min, "
            f"{int(fr.parameters.get('steps', 0))} steps."
            if np.isfinite(before)
            else ""
        ),
        events_changed=changes.as_dict(),
        placed_by_hand=[
            c.as_dict() for c in contacts if (c.side, c.event, c.index) not in auto_keys
        ],
        **corrections(m, len(contacts), lambda c: f"{c.side} {FRONTAL_WORDS[c.event]}"),
        automatic_contacts=[c.as_dict() for c in fr.contacts],
    )
    return dataclasses.replace(
        fr, contacts=tuple(contacts), parameters=_parameters(ics), dropped=(), edits=edits
    )


def with_frontal_edits(result, hand: Sequence, seq):
    """The gait result ``result`` of ``seq`` with its frontal walking recomputed from the
    contacts ``hand`` (:func:`frontal_edited`); ``result`` itself when nothing changed."""
    if result.frontal is None:
        raise InputError("There is no walking towards or away from the camera to correct.")
    fr = frontal_edited(result.frontal, hand, seq.time_s, seq.frame_index)
    if fr is result.frontal:
        return result
    note = fr.edits["events_note"]
    warnings = tuple(w for w in result.warnings if w != note)
    return dataclasses.replace(result, frontal=fr, warnings=(note, *warnings))
