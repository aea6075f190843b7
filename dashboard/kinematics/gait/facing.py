"""Which way does the person face in a walking pass? Forward, backward or unclear.

The gait events (Zeni et al. 2008, :mod:`.events`) assume forward walking: the
heel is furthest ahead of the pelvis at initial contact and the toe furthest
behind at toe off. Walking backwards, the toes land first, at the most posterior
position, so the same extrema mean other events. A pass is therefore classified
from the body itself, independently of the direction of travel, before any
event is looked for: :func:`classify_walking` (the rule, a pure function) and
:func:`pass_walking` (its inputs from a pass's signals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.gait.signals import Signals, fill_gaps, smooth

__all__ = [
    "FOOT_MARGIN_BH",
    "HEAD_MARGIN_BH",
    "MIN_CUE_FRAMES",
    "STANCE_SPEED_SHARE",
    "WALKING_MODES",
    "Facing",
    "classify_walking",
    "pass_walking",
    "walking_notice",
]

WALKING_MODES = ("forward", "backward", "unclear")
#: Toe minus heel along the travel axis (body heights) must exceed this for the feet
#: to show a facing direction. In pure side view MediaPipe's heel-to-foot-index
#: length is about 0.11 body heights (0.105 to 0.117 measured on the shared walking
#: clip); a third of it still holds for a foot turned 70 deg out of the picture plane
#: (cos 70 deg = 0.34), while the few pixels of landmark noise stay far below it.
FOOT_MARGIN_BH = 0.04
#: Nose minus the ears' midpoint along the travel axis (body heights) must exceed this
#: for the face to show a facing direction: a third of the 0.046 body heights measured
#: in pure side view on the shared walking clip (the head turned up to about 70 deg
#: towards the camera still counts).
HEAD_MARGIN_BH = 0.015
#: Fewest frames with a finite cue for the cue to count (a third of a second at 30 fps).
MIN_CUE_FRAMES = 10
#: A foot is on the ground (stance) while it moves along the picture slower than this
#: share of the pass's walking speed (the velocity method of :mod:`.events`, which does
#: not depend on the facing direction).
STANCE_SPEED_SHARE = 0.5


@dataclass(frozen=True)
class Facing:
    """How the person faces in one pass, and the evidence.

    walking
        ``'forward'``, ``'backward'`` or ``'unclear'`` (see :func:`classify_walking`).
    facing
        +1: the person faces towards increasing image x (the right of the
        picture), -1 the left, 0 unknown.
    feet_bh, head_bh
        The two cues along the direction of travel, in body heights (positive:
        pointing the way the person moves; NaN: too few frames).
    feet_frames, head_frames
        Frames (foot-frames for the feet) each cue was measured on.
    reason
        Plain language: why this classification.
    """

    walking: str
    facing: int
    feet_bh: float
    head_bh: float
    feet_frames: int
    head_frames: int
    reason: str

    @property
    def analysed(self) -> bool:
        """Every pass is analysed (a backward one as backward walking, apart)."""
        return True

    def as_dict(self) -> dict:
        return dict(
            feet_body_heights=self.feet_bh,
            head_body_heights=self.head_bh,
            feet_frames=self.feet_frames,
            head_frames=self.head_frames,
            reason=self.reason,
        )


def _cue(values: np.ndarray, direction: int, margin: float):
    """(median along the travel direction, sign beyond ``margin`` or 0, frames)."""
    v = np.asarray(values, float).ravel()
    v = v[np.isfinite(v)]
    if len(v) < MIN_CUE_FRAMES:
        return float("nan"), 0, len(v)
    med = float(direction * np.median(v))
    return med, (1 if med >= margin else -1 if med <= -margin else 0), len(v)


def _side(sign: int) -> str:
    return {1: "right", -1: "left"}.get(int(sign), "an unknown side")


def classify_walking(foot_dx, head_dx, direction: int, stance=None) -> Facing:
    """Forward, backward or unclear walking in one pass, from the feet and the face.

    Parameters
    ----------
    foot_dx
        (F,) or (F, 2) toe (``foot_index``) minus heel along image x, per frame
        and foot, in body heights; NaN where unknown.
    head_dx
        (F,) nose minus the midpoint of the two ears along image x, in body
        heights; NaN where unknown.
    direction
        Direction of travel along image x: +1 (towards the right of the
        picture) or -1.
    stance
        Boolean mask shaped like ``foot_dx``: the foot is on the ground. None:
        every frame. When it leaves fewer than :data:`MIN_CUE_FRAMES` finite
        values, every frame is used.

    Returns
    -------
    Facing

    Notes
    -----
    Definition. The *feet cue* is the median, over the stance frames of both
    feet, of (toe - heel) x ``direction``: positive when the feet point the way
    the person moves. The *head cue* is the median over the frames of (nose -
    ears' midpoint) x ``direction``. A cue *points* forward (backward) when it
    is at least :data:`FOOT_MARGIN_BH` (:data:`HEAD_MARGIN_BH`) body heights
    (at most minus that), and counts only with :data:`MIN_CUE_FRAMES` finite
    values. The pass is **forward** when both cues point forward, **backward**
    when both point backward, and **unclear** when they disagree or either is
    weak or missing. The facing direction is ``direction`` (forward),
    ``-direction`` (backward) or 0. Image coordinates are used (the picture
    defines the travel); MediaPipe's world x follows the picture's x and gives
    the same signs on the shared walking clip (toe minus heel about -0.1 m in
    both passes: she faces left throughout), so it would add no evidence.

    Limits. It needs a side view: walking towards or away from the camera
    shortens both cues to nothing (unclear, never a wrong call). The feet in
    stance are used because a swinging foot may point down; a shuffling gait
    or a foot held strongly turned out may leave the feet cue weak. A head
    turned towards the camera for most of the pass weakens the head cue. The
    rule says which way the body faces, not how the person walks (sidestepping
    across the picture shows neither cue in a side view).
    """
    direction = 1 if direction > 0 else -1
    foot = np.asarray(foot_dx, float)
    if stance is not None:
        on = np.asarray(stance, bool) & np.isfinite(foot)
        if on.sum() >= MIN_CUE_FRAMES:
            foot = np.where(on, foot, np.nan)
    feet, sf, nf = _cue(foot, direction, FOOT_MARGIN_BH)
    head, sh, nh = _cue(head_dx, direction, HEAD_MARGIN_BH)
    word = {1: "the way the person moves", -1: "against the way the person moves"}
    if sf and sf == sh:
        mode = "forward" if sf > 0 else "backward"
        reason = f"the feet and the face both point {word[sf]}"
        return Facing(mode, sf * direction, feet, head, nf, nh, reason)
    names = {"the feet": sf, "the face": sh}
    if sf and sh:
        reason = f"the feet point {word[sf]} but the face {word[sh]}"
    elif not sf and not sh:
        reason = "neither the feet nor the face shows clearly which way the person faces"
    else:
        strong = next(n for n, s in names.items() if s)
        weak = next(n for n, s in names.items() if not s)
        reason = (
            f"{strong} point{'s' if strong == 'the face' else ''} {word[names[strong]]}"
            f" but {weak} {'do' if weak == 'the feet' else 'does'} not show clearly "
            "which way the person faces"
        )
    return Facing("unclear", 0, feet, head, nf, nh, reason)


def pass_walking(sig: Signals, p, time_s: np.ndarray) -> Facing:
    """:func:`classify_walking` for pass ``p`` (a :class:`~.passes.WalkingPass`) from
    the gait signals: positions in body heights of the pass, stance frames where a
    foot's mid-point (heel and toe) moves along the picture slower than
    :data:`STANCE_SPEED_SHARE` of the pass's walking speed (gaps up to 0.1 s
    filled, a 0.1 s moving average)."""
    sl = slice(p.start, p.end + 1)
    t = np.asarray(time_s, float)[sl]
    scale = float(p.stature_px)
    if not np.isfinite(scale) or scale <= 0 or len(t) < 3:
        return classify_walking(np.full(0, np.nan), np.full(0, np.nan), p.direction)
    fps = 1.0 / float(np.median(np.diff(t))) if np.all(np.diff(t) > 0) else 30.0
    foot = (sig.toe_x[sl] - sig.heel_x[sl]) / scale
    head = (sig.nose_x[sl] - sig.ears_x[sl]) / scale
    stance = np.zeros(foot.shape, bool)
    limit = STANCE_SPEED_SHARE * p.speed_body_heights_s
    for k in range(foot.shape[1]):
        mid = 0.5 * (sig.toe_x[sl, k] + sig.heel_x[sl, k]) / scale
        mid = smooth(fill_gaps(mid, max(1, int(round(0.1 * fps)))), int(round(0.1 * fps)))
        ok = np.isfinite(mid)
        if ok.sum() > 2:
            speed = np.full(len(mid), np.nan)
            speed[ok] = np.abs(np.gradient(mid[ok], t[ok]))
            with np.errstate(invalid="ignore"):
                stance[:, k] = speed < limit
    return classify_walking(foot, head, p.direction, stance)


def walking_notice(p) -> str:
    """The plain-language notice for a pass that is not plainly forward walking
    (empty for a forward pass or one not classified). ``p`` is a
    :class:`~.passes.WalkingPass` with its :class:`Facing`."""
    f = getattr(p, "facing", None)
    if f is None or f.walking == "forward":
        return ""
    moving = "right" if p.direction > 0 else "left"
    if f.walking == "backward":
        return (
            f"In pass {p.index + 1} the person walks backwards (facing "
            f"{_side(f.facing)} while moving {moving}). It is analysed as backward "
            "walking (a contact is the toes landing behind) and reported apart: its "
            "figures are not mixed with forward walking."
        )
    return (
        f"In pass {p.index + 1} (moving {moving}) it is unclear which way the person "
        f"faces: {f.reason}. Its events are found as for forward walking, so trust "
        "them less and check them against the video."
    )
