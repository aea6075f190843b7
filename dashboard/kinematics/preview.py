"""The angles to show first of a recording still being analysed (provisional).

While a video is analysed, :mod:`dashboard.detect.progressive` gives the frames found
so far. :func:`angle_preview` measures them as the Joint angles page would open on
the whole recording: the first person found, the space the page opens in (image for
a side or front view, world otherwise), the angles the page suggests
(:func:`~dashboard.kinematics.views.suggested_angles`) and each series' verdict from
the one range-of-motion table (:func:`~dashboard.kinematics.summary.rom_of`), so a
series the page would withhold is withheld here too. Every value is provisional: the
final analysis (the swap repair over the whole video) replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dashboard.kinematics.compute import AngleSet
from dashboard.kinematics.rom import verdicts_of
from dashboard.kinematics.summary import KinematicsSettings, compute_kinematics, rom_of
from dashboard.kinematics.validity import Verdict
from dashboard.kinematics.views import camera_yaw_deg, dominant_view, suggested_angles


@dataclass(frozen=True)
class AnglePreview:
    """What to chart: ``keys`` of person slot ``person`` in ``angles`` (one space),
    drawn with ``verdicts``; ``view`` the camera view found so far ('' unknown)."""

    angles: AngleSet
    person: int
    keys: tuple[str, ...]
    verdicts: dict[tuple[str, str], Verdict]
    view: str

    @property
    def drawable(self) -> bool:
        """True when a chart of it draws a curve: some series of ``keys`` is not
        withheld and has a value (the first frames with someone in them are often
        too few for any, e.g. 8 frames of the walking clip: every series withheld)."""
        for i, d in enumerate(self.angles.defs):
            if d.key not in self.keys:
                continue
            verdict = self.verdicts.get((d.key, d.side))
            if verdict is not None and verdict.withheld:
                continue
            if np.isfinite(self.angles.value_deg[:, self.person, i]).any():
                return True
        return False


def angle_preview(
    seq, settings: KinematicsSettings | None = None, count: int = 2
) -> AnglePreview | None:
    """The ``count`` angles to show first of ``seq`` (None while nobody is found)."""
    found = np.flatnonzero(seq.detected.any(axis=0))
    if len(found) == 0:
        return None
    person = int(found[0])
    with np.errstate(invalid="ignore"):
        yaw = camera_yaw_deg(seq.world_m)[:, person]
    view = dominant_view(yaw).view
    space = "image" if view in ("side", "front") else "world"
    settings = replace(settings or KinematicsSettings(), spaces=(space,))
    kin = compute_kinematics(seq, settings)
    angles = kin.space(space)
    keys = tuple(suggested_angles(angles, person, view, False, count=count))
    verdicts = verdicts_of(rom_of(kin), int(angles.person_ids[person]), space)
    return AnglePreview(angles, person, keys, verdicts, view)


def prepare() -> None:
    """Import ahead of time what the first preview needs: SciPy's signal package, which
    the angles' low-pass filter imports on first use (about a second of CPU on a quiet
    machine, measured 10 s on a busy one: the first angle curve waited for it)."""
    import scipy.signal  # noqa: F401
