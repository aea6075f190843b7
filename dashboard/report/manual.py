"""The report's "Measured by hand" section: every measurement the clinician made by
hand (goniometer angles, distances, pinned notes), in a table with its frame and time,
and each frame they were made on with the measurements drawn on it.

For the report's layout (``dashboard/report/builder.py``)::

    from dashboard.report.manual import manual_section

    manual_section(doc, analysis, measurements, source, blur_faces=options.blur_faces)

``measurements`` are :class:`dashboard.manual.ManualMeasurement` (the Report page
reads them from this session, the command line from the session file); nothing is
printed when there are none. ``source`` is the photo's or video's bytes, or None
(a reopened session): then the table is printed and a note says why the pictures
are missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.manual.records import SOURCE, ManualMeasurement, measurements_table
from dashboard.report.document import Document

__all__ = ["MAX_PICTURES", "manual_pictures", "manual_section"]

#: Frames pictured at most (the table lists every measurement).
MAX_PICTURES = 6


def manual_pictures(
    source: bytes,
    analysis,
    measurements: Sequence[ManualMeasurement],
    blur_faces: bool = True,
    limit: int = MAX_PICTURES,
) -> tuple[list[tuple[bytes, tuple[int, int], str]], str | None]:
    """JPEG pictures of the frames measured by hand (at most ``limit``, in time order),
    each with its measurements drawn (faces blurred unless ``blur_faces`` is False).
    Returns ``(items, problem)`` as :func:`dashboard.report.keyframes.render`."""
    from dashboard.errors import PoseDashError
    from dashboard.figures.annotate import draw_measurements
    from dashboard.figures.render import fit_within
    from dashboard.outputs.export_video import blur_regions, face_ellipses
    from dashboard.report.keyframes import DECODE_SIDE, MAX_SIDE, _jpeg

    seq = analysis.poses
    rows = sorted({m.where.row for m in measurements})[:limit]
    frame_of = {r: int(seq.frame_index[r]) for r in rows}
    try:
        if analysis.kind == "photo":
            from dashboard.media.images import decode_image

            frames = {0: fit_within(decode_image(source, analysis.source_name).rgb, DECODE_SIDE)}
        else:
            from dashboard.media import video

            frames = video.read_frames(
                source,
                sorted(frame_of.values()),
                DECODE_SIDE,
                name=analysis.source_name,
                index=analysis.video_index,
            )
    except PoseDashError:
        return [], "The recording could not be read again, so the measured frames are not shown."
    items, failed = [], 0
    for r in rows:
        rgb = frames.get(frame_of[r])
        if rgb is None:
            failed += 1
            continue
        if blur_faces:
            rgb = blur_regions(rgb, face_ellipses(seq, r, rgb.shape[1], rgb.shape[0]))
        here = [m for m in measurements if m.where.row == r]
        picture = fit_within(draw_measurements(rgb, here, seq.image_size), MAX_SIDE)
        when = (
            "The photo"
            if analysis.kind == "photo"
            else (f"{float(seq.time_s[r]):.2f} s (frame {frame_of[r]})")
        )
        items.append((_jpeg(picture), (picture.shape[1], picture.shape[0]), f"{when}: {SOURCE}"))
    problem = f"{failed} measured frame(s) could not be decoded from the video." if failed else None
    return items, problem


def manual_section(
    doc: Document,
    analysis,
    measurements: Sequence[ManualMeasurement],
    source: bytes | None,
    blur_faces: bool = True,
) -> None:
    """Print the measurements made by hand (nothing when there are none)."""
    if not measurements:
        return
    doc.heading("Measured by hand")
    doc.caption(
        "Measured by the clinician on the picture (points placed by hand), not by the "
        "automatic analysis. Angles are read in the picture's plane: a true joint angle "
        "when the joint moves square to the camera. Distances use the scale stated, "
        "with its uncertainty."
    )
    table = measurements_table(measurements)
    is_photo = analysis.kind == "photo"
    rows = []
    for r in table.itertuples(index=False, name=None):
        frame, time_s, what, name, value, how, note, _ = r
        cells = [f"{what}: {name}" if name else what, note if what == "note" else value, how]
        rows.append([*cells, SOURCE] if is_photo else [f"{frame}", f"{time_s:.2f}", *cells, SOURCE])
    head = ["What", "Value / note", "How", "Source"]
    if is_photo:
        doc.table(head, rows, widths=(20, 30, 34, 16))
    else:
        doc.table(["Frame", "Time (s)", *head], rows, widths=(8, 8, 18, 26, 26, 14))
    if source is None:
        doc.note(
            "The measured frames are not pictured: this analysis was reopened from a "
            "session file, which keeps the landmarks and the points measured but never "
            "the photo or video. Re-link the recording on the Sessions page to print them."
        )
        return
    items, problem = manual_pictures(source, analysis, measurements, blur_faces)
    if problem:
        doc.note(problem)
    if items:
        doc.image_grid(items, columns=1 if is_photo else 2, max_height_mm=110 if is_photo else 70)
