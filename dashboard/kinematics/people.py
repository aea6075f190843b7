"""Which person a recording is about, when the model found several.

One rule for every output that describes a single person: the PDF report (every
section), ``<stem>.gait.json`` of the command line, and the report's header that
names the person.
"""

from __future__ import annotations

import numpy as np

__all__ = ["main_person", "people_found", "person_sentence"]


def main_person(seq) -> int | None:
    """The person slot found in the most frames.

    Parameters
    ----------
    seq
        A :class:`~dashboard.poses.PoseSequence`.

    Returns
    -------
    int or None
        The slot index (not the person id); None when nobody was found.

    Notes
    -----
    Ties go to the lower slot (the person tracked first). A slot holds one
    tracked identity, so "found in most frames" is the person most visible in
    the recording, usually the patient; another person who walks through the
    picture is found in fewer frames.
    """
    counts = np.asarray(seq.detected, bool).sum(axis=0)
    if not len(counts) or counts.max() == 0:
        return None
    return int(np.argmax(counts))


def people_found(seq) -> int:
    """How many person slots were found in at least one frame."""
    return int(np.asarray(seq.detected, bool).any(axis=0).sum())


def person_sentence(seq, slot: int) -> str:
    """Which person of several a single-person output describes, in the user's words.

    E.g. ``'Person 2 of 3, found in 95 % of frames; the others are not
    reported.'``; ``''`` when only one person was found. It says whether this is
    the person found in most frames (:func:`main_person`) or another one, chosen.

    Notes
    -----
    People are numbered as in ``summary.json`` plus one (``person_ids + 1``),
    as on every page. The share is of the analysed frames.
    """
    found = people_found(seq)
    if found <= 1 or slot is None:
        return ""
    frames = int(np.asarray(seq.detected, bool)[:, slot].sum())
    share = 100.0 * frames / max(seq.num_frames, 1)
    number = int(seq.person_ids[slot]) + 1
    why = (
        " (chosen for this report)"
        if slot != main_person(seq)
        else ""
        if seq.num_frames <= 1
        else " (the one found in most frames)"
    )
    where = "" if seq.num_frames <= 1 else f", found in {share:.0f} % of frames"
    return f"Person {number} of {found}{why}{where}; the others are not reported."
