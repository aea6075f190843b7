"""Gait analysis of a side-view walking video: passes, events, parameters, cycle curves.

Entry points::

    result = analyze_gait(seq, GaitSettings(height_m=1.70))
    result.to_dict()            # the posedash.gait/1 JSON document
    result.cycles_table()       # side, angle, cycle_pct, mean_deg, sd_deg, n_cycles
    result.key_values_table()   # key joint-angle values, left/right and symmetry
    looks_like_walking(seq)     # should gait be suggested for this video?

Modules by concern: :mod:`.signals` (pelvis, feet, body height),
:mod:`.passes`, :mod:`.facing` (forward, backward or unclear walking per pass:
backward passes are left out), :mod:`.events`, :mod:`.cycles`, :mod:`.parameters`,
:mod:`.setup` (camera checks), :mod:`.result`, :mod:`.analysis` (the entry points and
the leg labels: the detection stage's swap repair, :mod:`dashboard.detect.swaps`), :mod:`.io`.
Definitions and limits: ``docs/gait.md``.

The names below are loaded from their module on first use: importing one module of
the package (the light :mod:`.settings`, say) never loads the others, nor SciPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.lazy import load_name

if TYPE_CHECKING:  # the names as the type checker sees them
    from dashboard.kinematics.gait.analysis import analyze_gait, looks_like_walking
    from dashboard.kinematics.gait.cycles import CURVE_ANGLES, Cycle, Step
    from dashboard.kinematics.gait.events import GaitEvent
    from dashboard.kinematics.gait.facing import Facing, classify_walking
    from dashboard.kinematics.gait.io import gait_cycles_csv, write_gait
    from dashboard.kinematics.gait.passes import WalkingPass
    from dashboard.kinematics.gait.result import CYCLES_CSV_COLUMNS, GaitResult
    from dashboard.kinematics.gait.settings import GAIT_SCHEMA, GaitSettings
    from dashboard.kinematics.gait.setup import SetupCheck

_WHERE = {
    "analysis": ("analyze_gait", "looks_like_walking"),
    "cycles": ("CURVE_ANGLES", "Cycle", "Step"),
    "events": ("GaitEvent",),
    "facing": ("Facing", "classify_walking"),
    "io": ("gait_cycles_csv", "write_gait"),
    "passes": ("WalkingPass",),
    "result": ("CYCLES_CSV_COLUMNS", "GaitResult"),
    "settings": ("GAIT_SCHEMA", "GaitSettings"),
    "setup": ("SetupCheck",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "CURVE_ANGLES",
    "CYCLES_CSV_COLUMNS",
    "GAIT_SCHEMA",
    "Cycle",
    "Facing",
    "GaitEvent",
    "GaitResult",
    "GaitSettings",
    "SetupCheck",
    "Step",
    "WalkingPass",
    "analyze_gait",
    "classify_walking",
    "gait_cycles_csv",
    "looks_like_walking",
    "write_gait",
]


def __getattr__(name: str):
    return load_name(__name__, _MODULE_OF, name, globals())


def __dir__():
    return sorted(set(globals()) | set(__all__))
