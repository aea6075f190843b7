"""AnglePreview.drawable (dashboard.kinematics.preview): whether a provisional chart
would draw a curve, so the video page looks again at its next poll when it would not
(issue 27.2: the walking clip's first chart, made on a few frames with someone in them,
had every series withheld and was kept for 3 s). Known answers on a stub angle set."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from dashboard.kinematics.preview import AnglePreview
from dashboard.kinematics.validity import CAUTION, VALID, WITHHELD, Verdict

DEFS = tuple(
    SimpleNamespace(key=key, side=side)
    for key in ("knee_flexion", "hip_flexion")
    for side in ("left", "right")
)


def _preview(values: dict, levels: dict, keys=("knee_flexion",)) -> AnglePreview:
    value_deg = np.full((5, 2, len(DEFS)), np.nan)  # (F, P, A); person slot 1 shown
    for (key, side), column in values.items():
        i = next(i for i, d in enumerate(DEFS) if (d.key, d.side) == (key, side))
        value_deg[:, 1, i] = column
    angles = SimpleNamespace(defs=DEFS, value_deg=value_deg)
    verdicts = {k: Verdict(level) for k, level in levels.items()}
    return AnglePreview(angles, 1, tuple(keys), verdicts, "side")


def test_withheld_series_draw_nothing():
    knee = {("knee_flexion", "left"): 30.0, ("knee_flexion", "right"): 31.0}
    withheld = {("knee_flexion", "left"): WITHHELD, ("knee_flexion", "right"): WITHHELD}
    assert not _preview(knee, withheld).drawable
    one_caution = {**withheld, ("knee_flexion", "right"): CAUTION}
    assert _preview(knee, one_caution).drawable
    assert _preview(knee, {}).drawable  # a series without a verdict is drawn as valid


def test_a_series_needs_a_value_of_the_person_and_angle_shown():
    valid = {("knee_flexion", "left"): VALID, ("hip_flexion", "left"): VALID}
    assert not _preview({}, valid).drawable  # no value at all: nothing to draw
    hip_only = {("hip_flexion", "left"): [np.nan, 80.0, np.nan, np.nan, np.nan]}
    assert not _preview(hip_only, valid).drawable  # hip not among the keys shown
    assert _preview(hip_only, valid, keys=("knee_flexion", "hip_flexion")).drawable
    stub = _preview(hip_only, valid, keys=("hip_flexion",))
    stub.angles.value_deg[:, 1] = np.nan
    stub.angles.value_deg[:, 0, 2] = 80.0  # someone else's value (slot 0)
    assert not stub.drawable
