"""Kinematics: clinical angles from landmarks, filters, range of motion, repetitions,
comparisons. Pure, NaN-aware functions; ``summary`` is the one-call entry point.

Modules, from the landmarks up:

- ``geometry``: vector helpers, body directions, plane projections;
- ``measures``: one function per angle;
- ``catalogue``: the angle definitions (``AngleDef``, ``CATALOGUE``, ``angle_def``);
- ``views``: camera yaw, view classification, dominant view, suggested angles;
- ``compute``: ``compute_angles`` and ``AngleSet``;
- ``filters``, ``rom``, ``reps``, ``compare``: time series, range of motion,
  repetitions, before/after comparison;
- ``comparability``: whether two sessions may be compared, and why not;
- ``settings``: ``KinematicsSettings``, what changes the angles (light to import);
- ``summary``: ``compute_kinematics`` and the ``.angles.csv`` / ``.summary.json`` exports.

The public names below can be imported from the package itself
(``from dashboard.kinematics import compute_angles``); each is loaded from its
module on first use, so importing one module never loads the others.
"""

from __future__ import annotations

from dashboard.lazy import load_name

_WHERE = {
    "catalogue": (
        "AngleDef",
        "CATALOGUE",
        "ANGLE_KEYS",
        "SPACES",
        "VIEWS",
        "REGIONS",
        "ORDERED_KEYS",
        "BODY_AXIS_LANDMARKS",
        "MIN_IN_PLANE_FRACTION",
        "angle_def",
        "sides",
    ),
    "geometry": ("image_facing", "image_left_direction", "body_axes"),
    "views": (
        "VIEW_TOLERANCE_DEG",
        "CameraView",
        "camera_yaw_deg",
        "view_matches",
        "classify_view",
        "dominant_view",
        "suggested_angles",
    ),
    "compute": ("AngleSet", "compute_angles", "iter_series", "MAX_STEP_DEG"),
    "filters": ("FilterSettings", "frame_rate_hz", "lowpass_possible"),
    "reps": (
        "Repetition",
        "RepetitionSettings",
        "detect_repetitions",
        "auto_levels",
        "robust_range",
    ),
    "rom": ("rom_table",),
    "comparability": ("SessionTraits", "Comparability", "session_traits"),
    "settings": ("KinematicsSettings",),
    "summary": ("Kinematics", "compute_kinematics"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    return load_name(__name__, _MODULE_OF, name, globals())


def __dir__():
    return sorted(set(globals()) | set(__all__))
