"""How far each value can be trusted: a verdict ``valid``, ``caution`` or ``withheld``
with its reasons in plain words, next to (not instead of) the visibility.

Visibility (the "confidence" of an angle, the lowest visibility of its landmarks)
says whether the model saw the landmarks; it does not say whether the angle is
right. A well-lit knee seen from the front gives a confident, wrong sagittal
angle. The verdict says that:

``valid``
    The value can be read as it is (within the measured error of
    ``docs/validity.md``).
``caution``
    A number worth seeing with its reason beside it (a 3-D estimate with a
    measured bias, the far leg in a side view, few frames). Never what a chart
    opens on.
``withheld``
    No number is shown anywhere (a dash and the reason): the value is known to
    be wrong or cannot be measured here.

Where the verdict comes from
----------------------------
1. The table (:mod:`dashboard.kinematics.validity_rules`): angle, space and the
   person's dominant camera view, decided from measurements on real clips.
2. The recording (:func:`series_verdict`): a value measured in no frame or, in a
   video, in fewer than :data:`MIN_FRAMES` frames is withheld; one measured in
   less than :data:`MIN_COVERAGE` of the frames with the person, the far limb in
   a side view, an extreme seen foreshortened, or many implausible values left
   out make it ``caution``.
3. Symmetry (:func:`symmetry_verdict`): withheld in a side view (the far side is
   hidden), when either side was measured in fewer than half the frames
   analysed, when both sides were measured together in fewer than half of them,
   or when either side's range is withheld.

The worst level wins; the reasons of every level that applies are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from dashboard.kinematics.validity_rules import (
    CAUTION,
    LEVELS,
    VALID,
    WITHHELD,
    rule_for,
)
from dashboard.skeleton import INDEX

__all__ = [
    "CAUTION",
    "FAR_SIDE_WORDS",
    "LEVELS",
    "LEVEL_MARKS",
    "MAX_IMPLAUSIBLE_SHARE",
    "MIN_COVERAGE",
    "MIN_FRAMES",
    "SYMMETRY_MIN_SHARE",
    "VALID",
    "WITHHELD",
    "WORLD_SYMMETRY_WORDS",
    "Verdict",
    "describe",
    "dominant_near_side",
    "frame_levels",
    "near_side",
    "series_verdict",
    "symmetry_verdict",
    "worst",
]

#: A video's value measured in fewer frames than this is withheld (a range of
#: motion from a handful of frames is a guess; the comparison uses the same figure).
MIN_FRAMES = 10
#: Measured in less than this share of the frames with the person: caution.
MIN_COVERAGE = 0.5
#: More implausible values left out than this share of the measured ones: caution.
MAX_IMPLAUSIBLE_SHARE = 0.1
#: Symmetry needs each side, and both sides together, in at least this share of
#: the frames analysed.
SYMMETRY_MIN_SHARE = 0.5
#: The far side in a side view: what was measured (docs/validity.md).
FAR_SIDE_WORDS = (
    "the far {limb} in a side view, partly hidden behind the body (in a sit-to-stand "
    "the far knee differed from the near one by up to 16° and its range was 18° larger)"
)

#: Symmetry from 3-D ranges: what was measured (docs/validity.md).
WORLD_SYMMETRY_WORDS = (
    "from 3D ranges: in a lateral raise filmed from the front, both arms moving alike, "
    "the 3D symmetry index was +14 % where the picture's was +1 %"
)

_RANK = {level: i for i, level in enumerate(LEVELS)}
#: How each level is marked in tables and hover texts.
LEVEL_MARKS = {VALID: "✓ valid", CAUTION: "⚠ caution", WITHHELD: "– withheld"}


def describe(level: str, reasons=(), bias: str = "") -> str:
    """A verdict in one line for a table cell or a hover text: the level's mark, the
    reasons, and the measured bias (e.g. ``'⚠ caution: 3D estimate ...'``)."""
    text = "; ".join(str(r) for r in (reasons or ()) if r)
    if bias and bias not in text:
        text = f"{text}; known error: {bias}" if text else f"known error: {bias}"
    mark = LEVEL_MARKS.get(level, level or "")
    return f"{mark}: {text}" if text else mark


@dataclass(frozen=True)
class Verdict:
    """How far a value can be trusted: ``level`` and the ``reasons`` in plain words;
    ``bias`` the measured error of its absolute value ('' when none is known)."""

    level: str = VALID
    reasons: tuple[str, ...] = ()
    bias: str = ""

    def __post_init__(self) -> None:
        if self.level not in _RANK:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")

    @property
    def withheld(self) -> bool:
        return self.level == WITHHELD

    @property
    def valid(self) -> bool:
        return self.level == VALID

    @property
    def text(self) -> str:
        """The reasons as one sentence ('' when there are none)."""
        if not self.reasons:
            return ""
        text = "; ".join(self.reasons)
        return text[0].upper() + text[1:] + "."

    def add(self, level: str, reason: str) -> Verdict:
        """This verdict with one more reason; the level becomes the worse of the two."""
        reasons = self.reasons + ((reason,) if reason and reason not in self.reasons else ())
        return Verdict(worst((self.level, level)), reasons, self.bias)

    def as_dict(self) -> dict:
        return {"validity": self.level, "validity_reasons": list(self.reasons), "bias": self.bias}


def worst(levels: Iterable[str]) -> str:
    """The worst of ``levels`` (``valid`` for none)."""
    return max(levels, key=_RANK.__getitem__, default=VALID)


def near_side(world_m: np.ndarray) -> np.ndarray:
    """(F, P) the person's side nearer the camera, ``'left'``/``'right'``, '' unknown.

    World landmarks are camera-aligned with ``z`` the depth (smaller is nearer
    the camera), so the hip and shoulder nearer the camera tell the side. Only
    meaningful in a side view, where the other side is hidden behind the body.
    """
    w = np.asarray(world_m, float)
    dz = (w[..., INDEX["left_hip"], 2] - w[..., INDEX["right_hip"], 2]) + (
        w[..., INDEX["left_shoulder"], 2] - w[..., INDEX["right_shoulder"], 2]
    )
    with np.errstate(invalid="ignore"):
        return np.where(dz < 0, "left", np.where(dz > 0, "right", "")).astype(object)


def dominant_near_side(world_m: np.ndarray, person: int) -> str:
    """The side nearer the camera in most frames of slot ``person`` ('' when unknown)."""
    sides = near_side(world_m)[:, person]
    left, right = int(np.sum(sides == "left")), int(np.sum(sides == "right"))
    if left == right:
        return ""
    return "left" if left > right else "right"


def _limb(key: str) -> str:
    return "arm" if key.startswith(("shoulder_", "elbow_")) else "leg"


#: The reason of a value measured but left out everywhere (implausible, or not meaningful
#: in the posture, e.g. the knee FPPA with the knee bent beyond 60 deg).
LEFT_OUT_WORDS = "measured, but left out: implausible or not meaningful in this posture"


def series_verdict(
    key: str,
    side: str,
    space: str,
    view: str,
    *,
    n_valid: int,
    n_person_frames: int,
    is_photo: bool = False,
    near: str = "",
    extreme_foreshortened: bool = False,
    n_implausible: int = 0,
    n_measured: int | None = None,
) -> Verdict:
    """The verdict of one angle series (a range of motion, or a photo's value).

    Parameters
    ----------
    key, side, space
        The angle (``'knee_flexion'``, ``'left'``, ``'world'``).
    view
        The person's dominant camera view (``'side'``, ``'front'``, ``'oblique'``, '').
    n_valid
        Frames with a value used (implausible ones left out).
    n_person_frames
        Frames in which the person was found.
    is_photo
        One frame: no frame-count rules.
    near
        The side nearer the camera ('' unknown): in a side view the other side's
        values are ``caution``.
    extreme_foreshortened
        The frame of the minimum or maximum was seen foreshortened.
    n_implausible, n_measured
        Values left out as implausible, of ``n_measured`` measured ones.
    """
    rule = rule_for(key, space, view)
    v = Verdict(VALID, (), rule.bias).add(rule.level, rule.reason)
    if n_valid <= 0 and n_implausible:  # measured, but every value was left out
        return v.add(WITHHELD, LEFT_OUT_WORDS)
    if n_valid <= 0:
        return v.add(WITHHELD, "not measured in any frame")
    if not is_photo and n_valid < MIN_FRAMES:
        return v.add(WITHHELD, f"measured in only {n_valid} frames: too few for a range")
    if not is_photo and n_person_frames and n_valid < MIN_COVERAGE * n_person_frames:
        v = v.add(
            CAUTION,
            f"measured in only {n_valid} of the {n_person_frames} frames with the person",
        )
    if view == "side" and side and near and side != near:
        v = v.add(CAUTION, FAR_SIDE_WORDS.format(limb=_limb(key)))
    if extreme_foreshortened:
        v = v.add(CAUTION, "the frame of its minimum or maximum was seen foreshortened")
    measured = n_valid + n_implausible if n_measured is None else n_measured
    if n_implausible and n_implausible > MAX_IMPLAUSIBLE_SHARE * max(measured, 1):
        v = v.add(
            CAUTION,
            f"{n_implausible} values outside the plausible range were left out: the "
            "tracking was unsteady",
        )
    return v


def symmetry_verdict(
    left: Verdict,
    right: Verdict,
    view: str,
    *,
    n_left: int,
    n_right: int,
    n_both: int,
    n_frames: int,
    is_photo: bool = False,
    space: str = "",
) -> Verdict:
    """The verdict of a left/right symmetry index.

    ``n_left``, ``n_right``: frames with a value on each side; ``n_both``: frames
    with a value on both; ``n_frames``: frames analysed. Withheld in a side view,
    when either side was measured in fewer than :data:`SYMMETRY_MIN_SHARE` of the
    frames analysed (or both together in fewer), or when either side's value is
    withheld; ``caution`` when either side is, in an oblique view, or from 3-D
    (``space='world'``) ranges (:data:`WORLD_SYMMETRY_WORDS`).
    """
    v = Verdict()
    if view == "side":
        v = v.add(WITHHELD, "a side view shows one side of the body; the far side is hidden")
    for name, verdict in (("left", left), ("right", right)):
        if verdict.withheld:
            v = v.add(WITHHELD, f"the {name} side's value is withheld")
        elif verdict.level == CAUTION:
            v = v.add(CAUTION, f"the {name} side's value needs caution")
    if not is_photo:
        need = SYMMETRY_MIN_SHARE * n_frames
        for name, n in (("left", n_left), ("right", n_right)):
            if n < need:
                v = v.add(
                    WITHHELD, f"the {name} side was measured in only {n} of {n_frames} frames"
                )
        if n_both < need and n_left >= need and n_right >= need:
            v = v.add(
                WITHHELD, f"both sides were measured together in only {n_both} of {n_frames} frames"
            )
    if view in ("oblique", ""):
        v = v.add(CAUTION, "filmed at an angle: the two sides are not seen alike")
    if space == "world":
        v = v.add(CAUTION, WORLD_SYMMETRY_WORDS)
    return v


def frame_levels(series_level: str, value_deg, foreshortened, left_out) -> np.ndarray:
    """(F,) verdict level of each frame of a series whose verdict is ``series_level``.

    ``withheld`` where there is no value, where the value is left out of the range
    (implausible, or not meaningful in the posture), or the whole series is
    withheld; ``caution`` where the frame is seen foreshortened; else the series'
    level.
    """
    x = np.asarray(value_deg, float)
    out = np.full(x.shape, series_level, dtype=object)
    if series_level != WITHHELD:
        out[np.asarray(foreshortened, bool)] = CAUTION
    out[~np.isfinite(x) | np.asarray(left_out, bool)] = WITHHELD
    return out
