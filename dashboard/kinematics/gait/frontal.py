"""Walking towards or away from the camera (the phone at the end of a corridor):
found, and given the temporal parameters a frontal view supports.

Seen from the front or the back, the walking direction is the camera's axis: the
person grows in the picture walking towards it and shrinks walking away, the
pelvis hardly crosses the picture, and lengths along the walk, walking speed and
sagittal joint angles cannot be measured. What can be: when each foot is put
down and lifted, from its **vertical motion in the picture** (a foot standing on
the floor keeps its place in the picture; a swinging foot moves up and down it),
checked by the alternation of the two feet. So: steps, cadence, step and stride
time. Stance, swing and double support are left out too: the vertical motion of a
foot only roughly marks heel strike and toe off (the heel lifts before the toe).
Definitions and limits: ``docs/gait.md`` (*Walking towards or away from the camera*).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from dashboard.kinematics.gait.parameters import stats, too_few_words
from dashboard.kinematics.gait.signals import fill_gaps, smooth, true_runs
from dashboard.skeleton import INDEX

__all__ = [
    "NEEDS_SIDE_VIEW",
    "FrontalContact",
    "FrontalPass",
    "FrontalResult",
    "frontal_walking",
]

#: Shoulder width in the picture, as a share of the body's size, above which the
#: person shows the camera their front or back (about 0.2 straight on, near 0 from
#: the side).
MIN_SHOULDER_SHARE = 0.11
#: The body's size must change at least this fast (share per second: walking at
#: 1 m/s 10 m from the camera is 0.1/s) for the person to walk towards or away.
MIN_GROWTH_PER_S = 0.04
#: ...while the pelvis crosses the picture slower than this (body sizes per second).
MAX_ACROSS_PER_S = 0.15
#: Shortest frontal pass (s): about three steps.
MIN_PASS_S = 1.5
#: A frontal pass has at least this many alternating contacts (three steps).
MIN_CONTACTS = 3
#: A foot is on the floor while it moves up or down the picture slower than this
#: share of its typical swing speed (90th percentile over the pass).
STANCE_SHARE = 0.2
#: Shortest stance (s): a foot's vertical motion pauses briefly in mid-swing (the lift
#: turning to the descent), stance lasts 0.4 s or more at any walking speed.
MIN_STANCE_S = 0.2
#: Shortest swing (s) between two stances of a foot (about 0.4 s in walking).
MIN_SWING_S = 0.15
#: Step and stride time limits (s), as for side views.
STEP_LIMITS = (0.25, 1.5)
STRIDE_LIMITS = (0.5, 3.0)
#: A step or stride further than this share from its pass's median is left out.
MAX_DEVIATION = 0.2

#: What a frontal view cannot give, and why: shown with the frontal parameters.
NEEDS_SIDE_VIEW = (
    ("step and stride length, walking speed", "distances along the camera's axis"),
    ("stance, swing and double support", "heel strike and toe off are not told apart"),
    ("hip, knee and ankle angle curves and key values", "sagittal angles"),
)

_SIDES = ("left", "right")


@dataclass(frozen=True)
class FrontalPass:
    """Array indices ``start..end`` (inclusive) of walking towards (``towards``) or
    away from the camera; ``growth_per_s``: the body's size change, share per second."""

    index: int
    start: int
    end: int
    start_s: float
    end_s: float
    start_frame: int
    end_frame: int
    towards: bool
    growth_per_s: float

    @property
    def direction(self) -> str:
        return "towards the camera" if self.towards else "away from the camera"

    def as_dict(self) -> dict:
        return dict(
            start_s=self.start_s,
            end_s=self.end_s,
            start_frame=self.start_frame,
            end_frame=self.end_frame,
            direction="towards" if self.towards else "away",
            size_change_per_s=self.growth_per_s,
        )


@dataclass(frozen=True)
class FrontalContact:
    """A foot put down (``initial_contact``) or lifted (``foot_lift``) in a frontal pass."""

    side: str
    event: str
    index: int
    frame: int
    time_s: float
    pass_index: int

    def as_dict(self) -> dict:
        return dict(
            side=self.side,
            event=self.event,
            frame=self.frame,
            time_s=self.time_s,
            pass_index=self.pass_index,
        )


@dataclass(frozen=True)
class FrontalResult:
    """Frontal passes, contacts, and ``parameters``: ``{name: {'mean','sd','n'}}`` of
    ``step_time_s``, ``stride_time_s`` and ``cadence_steps_per_min`` (both feet),
    ``steps`` (contacts counted) and per side ``left``/``right`` step and stride time."""

    passes: tuple[FrontalPass, ...]
    contacts: tuple[FrontalContact, ...]
    parameters: dict = field(default_factory=dict)
    dropped: tuple[str, ...] = ()
    #: Contacts corrected by hand (:mod:`.frontal_edited`): ``events_note``,
    #: ``events_changed``, ``placed_by_hand``, ``automatic_contacts``; empty: automatic.
    edits: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        p = self.parameters
        return dict(
            passes=[q.as_dict() for q in self.passes],
            contacts=[c.as_dict() for c in self.contacts],
            steps=int(p.get("steps", 0)),
            parameters={k: v for k, v in p.items() if k != "steps"},
            spread=too_few_words(int(p.get("stride_time_s", {}).get("n", 0))) or None,
            needs_side_view=[dict(parameters=a, why=b) for a, b in NEEDS_SIDE_VIEW],
            method="feet's vertical motion in the picture, checked by the alternation",
            dropped=list(self.dropped),
            events_source="edited" if self.edits else "automatic",
            **self.edits,
        )

    @property
    def notice(self) -> str:
        dirs = sorted({p.direction for p in self.passes})
        return (
            f"The person walks {' and '.join(dirs)} in "
            f"{len(self.passes)} pass{'es' if len(self.passes) > 1 else ''}: from the front or "
            "the back only steps, cadence, step and stride time are measured (from the feet's "
            "vertical motion). Lengths, speed, stance, swing and the angle curves need a side "
            "view."
        )


def _xy(one) -> np.ndarray:
    return np.asarray(one.image_xy[:, 0], float)


def _size(xy: np.ndarray) -> np.ndarray:
    """Body size in pixels per frame: shoulders' midpoint to the lower ankle, vertically."""
    with np.errstate(invalid="ignore"):
        sh = 0.5 * (xy[:, INDEX["left_shoulder"], 1] + xy[:, INDEX["right_shoulder"], 1])
        ank = np.fmax(xy[:, INDEX["left_ankle"], 1], xy[:, INDEX["right_ankle"], 1])
        return ank - sh


def _frontal_frames(xy, t, fps, skip) -> tuple[np.ndarray, np.ndarray]:
    """(frames walking towards or away, growth per second) per frame. Growth: of the
    trunk's width in the picture (shoulders plus hips), which changes with the
    distance from the camera, not with squatting or bending."""
    size = fill_gaps(_size(xy), max(1, round(0.2 * fps)))
    win = max(3, round(1.0 * fps))
    with np.errstate(invalid="ignore", divide="ignore"):
        shoulders = np.abs(xy[:, INDEX["left_shoulder"], 0] - xy[:, INDEX["right_shoulder"], 0])
        hips = np.abs(xy[:, INDEX["left_hip"], 0] - xy[:, INDEX["right_hip"], 0])
        # the width of the trunk: unchanged by squatting or bending, unlike the height
        width = fill_gaps(shoulders + hips, max(1, round(0.2 * fps)))
        log_size = smooth(np.log(np.where(width > 0, width, np.nan)), win)
        growth = np.gradient(log_size, t)
        pelvis = 0.5 * (xy[:, INDEX["left_hip"], 0] + xy[:, INDEX["right_hip"], 0])
        across = np.abs(np.gradient(smooth(fill_gaps(pelvis, 3), win), t)) / size
        ok = (
            (np.abs(growth) >= MIN_GROWTH_PER_S)
            & (smooth(shoulders / size, win) >= MIN_SHOULDER_SHARE)
            & (across < MAX_ACROSS_PER_S)
            & ~skip
        )
    return ok & np.isfinite(growth), growth


def _find_passes(one, t, fps, skip) -> list[FrontalPass]:
    xy = _xy(one)
    ok, growth = _frontal_frames(xy, t, fps, skip)
    out: list[FrontalPass] = []
    for sign in (1, -1):
        for a, b in true_runs(ok & (np.sign(growth) == sign)):
            if t[b] - t[a] < MIN_PASS_S:
                continue
            out.append(
                FrontalPass(
                    0,
                    int(a),
                    int(b),
                    float(t[a]),
                    float(t[b]),
                    int(one.frame_index[a]),
                    int(one.frame_index[b]),
                    sign > 0,
                    float(np.nanmedian(growth[a : b + 1])),
                )
            )
    out.sort(key=lambda p: p.start)
    return [
        FrontalPass(i, *(getattr(p, f) for f in list(p.__dataclass_fields__)[1:]))
        for i, p in enumerate(out)
    ]


def _foot_events(xy, size, t, fps, a, b) -> list[tuple[int, str]]:
    """(index, 'initial_contact'|'foot_lift') of one foot over ``a..b`` from its
    speed in the picture (body sizes per second; mostly vertical in a frontal view):
    still runs of at least :data:`MIN_STANCE_S` between moving runs of at least
    :data:`MIN_SWING_S`."""
    win = max(3, round(0.17 * fps))
    seg = [smooth(fill_gaps(xy[a : b + 1, k], max(1, round(0.1 * fps))), win) for k in (0, 1)]
    with np.errstate(invalid="ignore"):
        v = [np.gradient(c, t[a : b + 1]) for c in seg]
        speed = np.hypot(*v) / size[a : b + 1]
    if not np.isfinite(speed).sum() > 5:
        return []
    thr = STANCE_SHARE * np.nanpercentile(speed, 90)
    still = np.nan_to_num(speed, nan=np.inf) < thr
    runs = [(s, e) for s, e in true_runs(still) if e - s + 1 >= max(2, round(MIN_STANCE_S * fps))]
    out = []
    for k, (s, e) in enumerate(runs):
        prev_end = runs[k - 1][1] if k else -1
        next_start = runs[k + 1][0] if k + 1 < len(runs) else len(still)
        if s - prev_end - 1 >= round(MIN_SWING_S * fps) and prev_end >= 0:
            out.append((a + int(s), "initial_contact"))  # swung before: put down
        if next_start - e - 1 >= round(MIN_SWING_S * fps) and next_start < len(still):
            out.append((a + int(e), "foot_lift"))  # swung after: lifted
    return out


def _contacts(one, p: FrontalPass, t, fps) -> list[FrontalContact]:
    xy = _xy(one)
    size = fill_gaps(_size(xy), 3)
    found = []
    for side in _SIDES:
        for i, kind in _foot_events(xy[:, INDEX[f"{side}_ankle"]], size, t, fps, p.start, p.end):
            found.append(
                FrontalContact(side, kind, i, int(one.frame_index[i]), float(t[i]), p.index)
            )
    return sorted(found, key=lambda c: (c.time_s, c.side))


def _alternating(ics: list[FrontalContact]) -> tuple[list[FrontalContact], list[str]]:
    """Contacts that alternate left and right, at least a third of the pass's median
    step apart: of two too close, or two of the same foot in a row, the second is
    dropped (noise, or the other foot's contact between them was missed); a reason
    for each one dropped."""
    gaps = [b.time_s - a.time_s for a, b in pairwise(ics)]
    gaps = [g for g in gaps if STEP_LIMITS[0] <= g <= STEP_LIMITS[1]]
    near = np.median(gaps) / 3 if gaps else STEP_LIMITS[0]
    kept: list[FrontalContact] = []
    why: list[str] = []
    for c in ics:
        if kept and kept[-1].side == c.side:
            why.append(f"{c.side} contact at {c.time_s:.2f} s: two of the same foot in a row")
            continue
        if kept and c.time_s - kept[-1].time_s < near:
            why.append(f"{c.side} contact at {c.time_s:.2f} s: too close to the one before")
            continue
        kept.append(c)
    return kept, why


def _gated(values: list[float], limits: tuple[float, float]) -> list[float]:
    ok = [v for v in values if limits[0] <= v <= limits[1]]
    if not ok:
        return []
    med = float(np.median(ok))
    return [v for v in ok if abs(v - med) <= MAX_DEVIATION * med]


def _parameters(ics_by_pass: list[list[FrontalContact]]) -> dict:
    steps: dict[str, list[float]] = {s: [] for s in _SIDES}
    strides: dict[str, list[float]] = {s: [] for s in _SIDES}
    for ics in ics_by_pass:
        for a, b in pairwise(ics):
            steps[b.side].append(b.time_s - a.time_s)
        for a, b in zip(ics[:-2], ics[2:], strict=False):
            strides[a.side].append(b.time_s - a.time_s)
    all_steps = _gated(steps["left"] + steps["right"], STEP_LIMITS)
    all_strides = _gated(strides["left"] + strides["right"], STRIDE_LIMITS)
    out = {
        "steps": sum(len(i) for i in ics_by_pass),
        "step_time_s": stats(all_steps),
        "stride_time_s": stats(all_strides),
        "cadence_steps_per_min": stats(60.0 / s for s in all_steps),
    }
    for side in _SIDES:
        out[side] = {
            "step_time_s": stats(v for v in steps[side] if v in all_steps),
            "stride_time_s": stats(v for v in strides[side] if v in all_strides),
        }
    return out


def frontal_walking(
    one, t: np.ndarray, fps: float, skip: np.ndarray | None = None
) -> FrontalResult | None:
    """The walking towards or away from the camera of the one-person sequence ``one``
    (its frames ``skip`` excluded: those of side-view passes), or None when there is
    none. Pure."""
    t = np.asarray(t, float)
    if len(t) < 3 or not np.isfinite(fps):
        return None
    skip = np.zeros(len(t), bool) if skip is None else np.asarray(skip, bool)
    passes = _find_passes(one, t, fps, skip)
    if not passes:
        return None
    contacts: list[FrontalContact] = []
    kept: list[list[FrontalContact]] = []
    dropped: list[str] = []
    walked: list[FrontalPass] = []
    for p in passes:
        found = _contacts(one, p, t, fps)
        ics, why = _alternating([c for c in found if c.event == "initial_contact"])
        if len(ics) < MIN_CONTACTS:  # no stepping: leaning, squatting, swaying
            continue
        p = FrontalPass(len(walked), *(getattr(p, f) for f in list(p.__dataclass_fields__)[1:]))
        walked.append(p)
        kept.append(ics)
        dropped += why
        contacts += [
            FrontalContact(c.side, c.event, c.index, c.frame, c.time_s, p.index)
            for c in found
            if c.event != "initial_contact" or c in ics
        ]
    if not walked:
        return None
    return FrontalResult(tuple(walked), tuple(contacts), _parameters(kept), tuple(dropped))
