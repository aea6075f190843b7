"""Measurements made by hand on a frame (goniometer, distances, pinned notes): the
geometry (:mod:`.geometry`) and the records (:mod:`.records`). Pure, UI-free: pages,
session files, the patient library and the report all read these.

Drawing them on a frame: :func:`dashboard.figures.annotate.draw_measurements`.
"""

from dashboard.manual.geometry import (
    Scale,
    angle_at,
    check_points,
    distance_px,
    scale_from_height,
    scale_from_reference,
    segments_angle,
)
from dashboard.manual.records import (
    SOURCE,
    FrameRef,
    ManualMeasurement,
    frame_ref,
    make_angle,
    make_distance,
    make_note,
    measurements_from_json,
    measurements_table,
    words,
)

__all__ = [
    "SOURCE",
    "FrameRef",
    "ManualMeasurement",
    "Scale",
    "angle_at",
    "check_points",
    "distance_px",
    "frame_ref",
    "make_angle",
    "make_distance",
    "make_note",
    "measurements_from_json",
    "measurements_table",
    "scale_from_height",
    "scale_from_reference",
    "segments_angle",
    "words",
]
