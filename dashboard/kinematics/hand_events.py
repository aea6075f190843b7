"""Events given by hand (gait side view, frontal view, functional tests): each put on an
analysed frame (:func:`nearest_sample`), and what the correction changed in the list of
automatic events (:func:`match_changes`).

What changed follows one rule: an edited event with the same key as an automatic one
(its kind, foot and frame) is that event, unchanged; of what is left, a pair of an
automatic and an edited event that may be one event moved (``movable``: same kind and
foot, near enough) is one event moved, nearest pairs first; the remaining edited events
are added by hand, the remaining automatic ones deleted by hand. An event given that
cannot be used (gait: outside every walking pass) is no correction by itself; but a
remaining automatic event that may be one event moved to it (:func:`moved_outside`,
nearest pairs first) was moved there by the clinician, not deleted: "moved outside the
walking passes: not used" (``moved_out``). :class:`EventChanges`
counts them ("Events corrected by hand (N changed: ...)"); :func:`corrections` lists each
change (what the automatic analysis said, what the clinician made of it) for the page,
the report and the JSON outputs. Pure: no UI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from dashboard.errors import InputError

__all__ = [
    "CHANGE_WORDS",
    "EventChanges",
    "Matched",
    "correction_words",
    "corrections",
    "frame_spans",
    "match_changes",
    "moved_outside",
    "nearest_sample",
    "outside_words",
]


@dataclasses.dataclass(frozen=True)
class EventChanges:
    """What the hand events changed relative to the automatic ones."""

    moved: int = 0
    added: int = 0
    deleted: int = 0
    #: Automatic events moved where they cannot be used (outside every walking pass).
    moved_out: int = 0

    @property
    def n(self) -> int:
        return self.moved + self.added + self.deleted + self.moved_out

    @property
    def words(self) -> str:
        """ "Events corrected by hand (N changed: ...)"."""
        parts = [
            f"{v} {k}"
            for k, v in (
                ("moved", self.moved),
                ("added", self.added),
                ("deleted", self.deleted),
                ("moved outside the walking passes (not used)", self.moved_out),
            )
            if v
        ]
        detail = f": {', '.join(parts)}" if parts else ""
        return (
            f"Events corrected by hand ({self.n} changed{detail}); the automatic events "
            "are kept for reference."
        )

    def as_dict(self) -> dict:
        """``n, moved, added, deleted``, and ``moved_out`` when there is any."""
        out = dict(n=self.n, moved=self.moved, added=self.added, deleted=self.deleted)
        return dict(out, moved_out=self.moved_out) if self.moved_out else out


@dataclasses.dataclass(frozen=True)
class Matched:
    """The automatic events against the edited ones: ``moved`` (automatic, edited) pairs
    in time order of the automatic event, ``added`` (edited) and ``deleted`` (automatic)
    events, each in their list's order; ``moved_out`` (automatic, given) pairs: an
    automatic event moved where the event given is not used (:func:`moved_outside`)."""

    moved: tuple[tuple[Any, Any], ...] = ()
    added: tuple[Any, ...] = ()
    deleted: tuple[Any, ...] = ()
    moved_out: tuple[tuple[Any, Any], ...] = ()

    @property
    def changes(self) -> EventChanges:
        return EventChanges(
            len(self.moved), len(self.added), len(self.deleted), len(self.moved_out)
        )


def match_changes(
    automatic: Sequence,
    edited: Sequence,
    key: Callable[[Any], Hashable],
    movable: Callable[[Any, Any], bool],
) -> Matched:
    """Match ``edited`` to ``automatic`` (see the module's notes): ``key(e)`` is an event's
    identity (same key: unchanged, one to one); ``movable(a, e)`` says whether the
    automatic event ``a`` and the edited event ``e`` left over may be one event moved."""
    left_auto = list(automatic)
    left_edit = []
    for e in edited:
        same = next((i for i, a in enumerate(left_auto) if key(a) == key(e)), None)
        if same is None:
            left_edit.append(e)
        else:
            del left_auto[same]
    moved, deleted, added = _pairs(left_auto, left_edit, movable)
    return Matched(moved, added, deleted)


def _pairs(automatic: Sequence, given: Sequence, movable: Callable[[Any, Any], bool]):
    """The (automatic, given) pairs that ``movable`` allows, nearest in time first, one
    to one, in the automatic events' order; the automatic and the given events left."""
    pairs = sorted(
        (abs(float(a.time_s) - float(e.time_s)), i, j)
        for i, a in enumerate(automatic)
        for j, e in enumerate(given)
        if movable(a, e)
    )
    used_a: dict[int, int] = {}
    used_e: set[int] = set()
    for _, i, j in pairs:
        if i not in used_a and j not in used_e:
            used_a[i] = j
            used_e.add(j)
    moved = tuple((automatic[i], given[j]) for i, j in sorted(used_a.items()))
    left_a = tuple(a for i, a in enumerate(automatic) if i not in used_a)
    left_e = tuple(e for j, e in enumerate(given) if j not in used_e)
    return moved, left_a, left_e


def moved_outside(
    matched: Matched, unused: Sequence, movable: Callable[[Any, Any], bool]
) -> Matched:
    """``matched`` with each automatic event it lists as deleted that ``movable`` pairs
    with an event given but not used (``unused``: on its analysed frame, outside every
    walking pass) listed as moved there instead (``moved_out``: the clinician moved it
    where it cannot be used; nearest pairs first). The unused events left over were
    added, not used: no correction (a warning names them)."""
    out, deleted, _ = _pairs(matched.deleted, unused, movable)
    return dataclasses.replace(matched, deleted=deleted, moved_out=out)


def frame_spans(spans: Sequence[tuple[int, int]]) -> str:
    """Ranges of video frames in words: "37-168, 175-343" ("none" for none)."""
    return ", ".join(f"{int(a)}-{int(b)}" for a, b in spans) or "none"


def outside_words(
    subject: str,
    spans: Sequence[tuple[int, int]],
    then: str,
    where: str = "the walking passes",
    many: bool = False,
) -> str:
    """The one wording of events outside every pass, for the editor's refusal and the
    events file's warning alike: "Frame 20 is outside the walking passes (frames
    37-168, 175-343): the event would not be used." (``subject``, then ``then``)."""
    verb = "are" if many else "is"
    return f"{subject} {verb} outside {where} (frames {frame_spans(spans)}): {then}"


def nearest_sample(e, t: np.ndarray, frame_index: np.ndarray, error: type = InputError) -> int:
    """The analysed sample nearest the time of the event ``e`` (``time_s``, ``frame`` or
    None, ``label``); ``error`` (one sentence) when it is outside the video or when its
    frame number disagrees with its time (more than a sample's step of frames away)."""
    ok = np.flatnonzero(np.isfinite(t))
    if not len(ok):
        raise error("The video has no timestamps: events cannot be placed on it.")
    tt = t[ok]
    half = 0.5 * float(np.median(np.diff(tt))) if len(tt) > 1 else 0.0
    if e.time_s < tt[0] - half:
        raise error(f"{e.label}: before the start of the video ({tt[0]:.2f} s).")
    if e.time_s > tt[-1] + half:
        raise error(f"{e.label}: after the end of the video ({tt[-1]:.2f} s).")
    idx = int(ok[np.argmin(np.abs(tt - e.time_s))])
    if e.frame is not None:
        step = int(np.median(np.diff(frame_index))) if len(frame_index) > 1 else 1
        if abs(int(frame_index[idx]) - e.frame) > max(step, 1):
            raise error(
                f"{e.label}: frame {e.frame} is not at that time (frame "
                f"{int(frame_index[idx])} is): correct one of them or leave frame empty."
            )
    return idx


def _row(change: str, a, e, words: Callable[[Any], str]) -> dict:
    ev = a if a is not None else e  # named as the automatic analysis named it
    return {
        "side": getattr(ev, "side", None),
        "event": str(ev.event),
        "words": words(ev),
        "change": change,
        "automatic_time_s": None if a is None else float(a.time_s),
        "automatic_frame": None if a is None else int(a.frame),
        "time_s": None if e is None else float(e.time_s),
        "frame": None if e is None else int(e.frame),
    }


def corrections(matched: Matched, n_edited: int, words: Callable[[Any], str]) -> dict:
    """Each correction by hand, for the page, the report and the JSON outputs alike:
    ``events_corrected``, one record per change in time order (``side`` or None,
    ``event``, ``words`` (``words(e)`` of the automatic event if any: "right initial
    contact"), ``change`` (moved, added, deleted, or moved_out: moved where it is not
    used), ``automatic_time_s`` / ``automatic_frame`` (None when added), ``time_s`` /
    ``frame`` as corrected (None when deleted)), and ``events_corrected_note``: "3 of 24
    events corrected by hand", of every event of either list counted once (``n_edited``
    events now, and those deleted or moved out)."""
    rows = [_row("moved", a, e, words) for a, e in matched.moved]
    rows += [_row("added", None, e, words) for e in matched.added]
    rows += [_row("deleted", a, None, words) for a in matched.deleted]
    rows += [_row("moved_out", a, e, words) for a, e in matched.moved_out]
    rows.sort(key=lambda r: r["time_s"] if r["time_s"] is not None else r["automatic_time_s"])
    total = n_edited + len(matched.deleted) + len(matched.moved_out)
    return {
        "events_corrected": rows,
        "events_corrected_note": f"{len(rows)} of {total} events corrected by hand" if rows else "",
    }


def _at(time_s, frame) -> str:
    return f"{float(time_s):.2f} s (frame {int(frame)})"


#: A correction's kind in words.
CHANGE_WORDS = {
    "moved": "moved",
    "added": "added by hand",
    "deleted": "deleted by hand",
    "moved_out": "moved outside the walking passes: not used",
}


def correction_words(row: dict) -> tuple[str, str, str, str]:
    """One correction (a record of :func:`corrections`) in words: the event, the change
    ("moved", "added by hand", "deleted by hand", "moved outside the walking passes: not
    used"), where the automatic analysis put it
    and where it is now ("2.43 s (frame 73)", "–" for none). Times to 0.01 s with the
    frame: a one-frame move shows."""
    auto, now = (
        _at(row[t], row[f]) if row.get(t) is not None and row.get(f) is not None else "–"
        for t, f in (("automatic_time_s", "automatic_frame"), ("time_s", "frame"))
    )
    what = str(row.get("words") or row.get("event", ""))
    return what, CHANGE_WORDS.get(str(row.get("change")), str(row.get("change", ""))), auto, now
