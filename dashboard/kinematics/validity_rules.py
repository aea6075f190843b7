"""The validity table: for each angle, space and camera view, whether a value is
``valid``, ``caution`` or ``withheld``, and why, in plain words.

Every row was decided from measurements on the shared real clips whose movement
is known (squats, lateral raise, sit-to-stand, walking, sprint, Timed Up and Go,
photos), by comparing the 3-D (world) value with the picture (image) value where
the picture is valid, and both with what the frames show by eye.
``docs/validity.md`` gives the figures behind each row; ``benchmarks/validity_figures.py``
prints them again and ``tests/accuracy/test_validity_clips.py`` keeps them true.

The table is data only; :mod:`dashboard.kinematics.validity` applies it, with the
checks that depend on the recording (frames measured, the far side in a side
view, foreshortened extremes, implausible values).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CAUTION", "LEVELS", "RULES", "VALID", "VIEWS_JUDGED", "WITHHELD", "Rule", "rule_for"]

VALID, CAUTION, WITHHELD = "valid", "caution", "withheld"
#: From best to worst.
LEVELS = (VALID, CAUTION, WITHHELD)
#: The camera views the table distinguishes (an unknown view is judged as oblique).
VIEWS_JUDGED = ("side", "front", "oblique")


class Rule(NamedTuple):
    """One cell of the table: a level, the reason in plain words ('' when valid and
    nothing needs saying) and the known error of the absolute value ('' when none
    was measured)."""

    level: str
    reason: str = ""
    bias: str = ""


# -- image space --------------------------------------------------------------------
_SIDE_ONLY = {
    "side": Rule(VALID),
    "front": Rule(
        WITHHELD,
        "needs a side view: filmed from the front or back, the picture does not show this movement",
    ),
    "oblique": Rule(
        WITHHELD,
        "needs a side view: filmed at an angle (three-quarter view), the picture mixes "
        "this movement with the one across it",
    ),
}
_FRONT_ONLY = {
    "front": Rule(VALID),
    "side": Rule(
        WITHHELD,
        "needs a front or back view: filmed from the side, the picture does not show this movement",
    ),
    "oblique": Rule(
        WITHHELD,
        "needs a front or back view: filmed at an angle (three-quarter view), the "
        "picture mixes this movement with the one across it",
    ),
}
_KNEE_IMAGE_BIAS = (
    "standing upright read 10-22° (median 17°) in a side view where the leg looks "
    "straight: the model's knee point sits at the front of the knee"
)
_ELBOW_IMAGE = Rule(
    CAUTION,
    "the picture shows the elbow's true bend only when the forearm moves parallel to "
    "it, which PoseDash cannot check",
)

# -- world space (MediaPipe's 3-D estimate from one camera) ---------------------------
_KNEE_WORLD_BIAS = (
    "3D: reads 14-29° of flexion standing upright; at the bottom of a squat filmed "
    "from the front, about 93° where the frame shows 115-125°"
)
_KNEE_WORLD = {
    "side": Rule(
        CAUTION,
        "3D estimate: reads 14-29° of flexion standing upright; its range was within "
        "4° of the picture's in a side view",
        _KNEE_WORLD_BIAS,
    ),
    "front": Rule(
        CAUTION,
        "3D estimate: at the bottom of a squat filmed from the front it read about "
        "25° less than the frame shows (range about 30° short), and 14-29° standing",
        _KNEE_WORLD_BIAS,
    ),
}
_KNEE_WORLD["oblique"] = _KNEE_WORLD["front"]
_HIP_WORLD_BIAS = (
    "3D: at the bottom of a squat filmed from the front, about 100° where the frame shows 115-125°"
)
_HIP_WORLD = {
    "side": Rule(
        CAUTION,
        "3D estimate: within about 5° of the picture in a side view, but its range "
        "was 12° shorter in a sit-to-stand",
        _HIP_WORLD_BIAS,
    ),
    "front": Rule(
        CAUTION,
        "3D estimate: at the bottom of a squat filmed from the front it read about "
        "20° less than the frame shows",
        _HIP_WORLD_BIAS,
    ),
}
_HIP_WORLD["oblique"] = _HIP_WORLD["front"]
_ANKLE_WORLD = Rule(
    WITHHELD,
    "the 3D model tilts the foot toes-down 15-35° more than the picture shows and "
    "turns it with the shin, so the 3D ankle reads plantarflexion where the ankle "
    "bends the other way (the bottom of a squat read -17 to -5° where the frame "
    "shows 25-30° of dorsiflexion); use the picture in a side view",
)
_ELBOW_WORLD = Rule(
    CAUTION,
    "3D estimate: with the arms straight (lateral raise) it read 17-19° more flexion "
    "than the picture",
    "3D: about +17-19° with the arm straight",
)
_SHOULDER_FLEXION_WORLD = Rule(
    CAUTION,
    "3D estimate: the forward part of a sideways arm raise is read as flexion (up to "
    "100° in a lateral raise filmed from the front)",
)
_NOT_CHECKED = (
    "3D estimate not checked against the picture in this view: depth is the model's "
    "least certain direction"
)
_FRONTAL_WORLD = {
    "front": Rule(VALID),
    "side": Rule(CAUTION, _NOT_CHECKED),
    "oblique": Rule(CAUTION, _NOT_CHECKED),
}
_ABDUCTION_WORLD = {
    "front": Rule(VALID),
    "side": Rule(CAUTION, _NOT_CHECKED),
    "oblique": Rule(CAUTION, _NOT_CHECKED),
}
_FPPA_WORLD = Rule(
    WITHHELD,
    "the knee frontal-plane projection angle is a picture (2D) measure; the 3D "
    "estimate disagreed with the picture by about 12° in a person standing still, "
    "as much as the whole 0-20° clinical range; film from the front and use the picture",
)
_UPRIGHT = Rule(
    CAUTION,
    "3D estimate against world vertical (right only with a level camera): a man "
    "standing upright read 2-16°",
    "3D: 2-16° standing upright",
)
_NECK_WORLD = Rule(
    CAUTION,
    "3D estimate: a man standing upright read 4-15°",
    "3D: 4-15° standing upright",
)


def _all(rule: Rule) -> dict[str, Rule]:
    return dict.fromkeys(VIEWS_JUDGED, rule)


def _with_bias(rules: dict[str, Rule], bias: str) -> dict[str, Rule]:
    return {v: r._replace(bias=bias) if r.level == VALID else r for v, r in rules.items()}


#: (angle key, space) -> camera view -> :class:`Rule`.
RULES: dict[tuple[str, str], dict[str, Rule]] = {
    ("hip_flexion", "image"): _SIDE_ONLY,
    ("knee_flexion", "image"): _with_bias(_SIDE_ONLY, _KNEE_IMAGE_BIAS),
    ("ankle_dorsiflexion", "image"): _SIDE_ONLY,
    ("shoulder_flexion", "image"): _SIDE_ONLY,
    ("trunk_inclination", "image"): _SIDE_ONLY,
    ("neck_flexion", "image"): _SIDE_ONLY,
    ("shoulder_abduction", "image"): _FRONT_ONLY,
    ("knee_valgus", "image"): _FRONT_ONLY,
    ("trunk_lateral_inclination", "image"): _FRONT_ONLY,
    ("pelvic_obliquity", "image"): _FRONT_ONLY,
    ("shoulder_tilt", "image"): _FRONT_ONLY,
    ("elbow_flexion", "image"): _all(_ELBOW_IMAGE),
    ("hip_flexion", "world"): _HIP_WORLD,
    ("knee_flexion", "world"): _KNEE_WORLD,
    ("ankle_dorsiflexion", "world"): _all(_ANKLE_WORLD),
    ("elbow_flexion", "world"): _all(_ELBOW_WORLD),
    ("shoulder_flexion", "world"): _all(_SHOULDER_FLEXION_WORLD),
    ("shoulder_abduction", "world"): _ABDUCTION_WORLD,
    ("knee_valgus", "world"): _all(_FPPA_WORLD),
    ("trunk_inclination", "world"): _all(_UPRIGHT),
    ("trunk_lateral_inclination", "world"): _FRONTAL_WORLD,
    ("pelvic_obliquity", "world"): _FRONTAL_WORLD,
    ("shoulder_tilt", "world"): _FRONTAL_WORLD,
    ("neck_flexion", "world"): _all(_NECK_WORLD),
}


def rule_for(key: str, space: str, view: str) -> Rule:
    """The table's rule for angle ``key`` in ``space`` filmed from ``view``
    ('side', 'front', 'oblique'; an unknown view '' is judged as oblique). An angle
    missing from the table is ``caution``: nothing was measured for it."""
    rules = RULES.get((key, space))
    if rules is None:
        return Rule(CAUTION, "not checked against a reference")
    return rules.get(view if view in VIEWS_JUDGED else "oblique", rules["oblique"])
