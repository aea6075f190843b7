"""Report sections about the recording: header, key frames, notes, "how to read the
numbers", and the short report when nobody was found."""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from dashboard.kinematics import VIEW_TOLERANCE_DEG
from dashboard.kinematics.people import people_found, person_sentence
from dashboard.kinematics.views import VIEW_WORDS
from dashboard.report import keyframes
from dashboard.report.context import MAX_NOTES, ReportContext
from dashboard.report.document import Document, plain
from dashboard.report.summary import DISCLAIMER
from dashboard.report.tables import SPACE_WORDS


def _recording(ctx: ReportContext) -> str:
    a, seq = ctx.analysis, ctx.analysis.poses
    w, h = seq.image_size
    if a.kind == "photo":
        return f"photo, {w} × {h} pixels"
    span = float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames else 0.0
    rate = f", {a.fps:.2f} frames/s" if a.fps else ""
    n = int(a.stride)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    every = "every frame analysed" if n <= 1 else f"every {n}{suffix} frame analysed"
    return f"video, {w} × {h} pixels{rate}; {seq.num_frames} frames over {span:.1f} s, {every}"


def _people(ctx: ReportContext) -> str:
    seq = ctx.analysis.poses
    found = people_found(seq)
    if not found or ctx.slot is None:
        return "nobody"
    if found == 1:
        if ctx.is_photo:
            return "1 person"
        frames = int(seq.detected[:, ctx.slot].sum())
        return f"1 person, found in {frames} of {seq.num_frames} frames"
    return (
        f"{found} people. {person_sentence(seq, ctx.slot)} Every section"
        + ("" if ctx.is_photo else ", gait included,")
        + " describes this person."
    )


def _model(model: dict) -> str:
    model = model or {}
    name = PurePath(str(model.get("path") or "").replace("\\", "/")).name
    parts = [model.get("description") or "unknown model"]
    if name:
        parts.append(f"file {name}")
    if model.get("sha256"):
        parts.append(f"SHA-256 {str(model['sha256'])[:12]}…")
    if model.get("origin"):
        parts.append(str(model["origin"]))
    return "; ".join(parts)


def _angle_settings(ctx: ReportContext) -> str:
    s = ctx.options.kinematics
    f = s.filter
    smoothing = (
        "no smoothing"
        if f.method == "none"
        else f"zero-phase Butterworth low-pass at {f.cutoff_hz:g} Hz"
        if f.method == "butterworth"
        else "One-Euro smoothing"
    )
    fps = f.lowpass_skipped(ctx.analysis.poses.time_s) if not ctx.is_photo else None
    if fps:  # as the Joint angles page warns: the values stay as measured
        smoothing += (
            f" chosen, but NOT applied: about {fps:.1f} analysed frames per second "
            f"cannot be smoothed at {f.cutoff_hz:g} Hz (the cut-off must be below "
            f"half the frame rate, {0.5 * fps:.1f} Hz), so the values are as "
            "measured"
        )
    return (
        f"{smoothing}; gaps up to {f.max_gap_s:g} s bridged; values with a confidence "
        f"below {s.min_confidence:.2f} left out; image-space angles only within "
        f"{s.view_tolerance_deg:g}° of their camera view"
    )


def relabelled(seq, slot: int | None) -> str:
    """What the left/right swap repair of the detection stage did to person slot
    ``slot`` of ``seq``, in the words of the Gait page ('' when it relabelled no
    frame, or nobody is reported on).

    Notes
    -----
    Counts come from ``PoseSequence.swapped`` (legs ``[..., 0]``, arms
    ``[..., 1]``; :mod:`dashboard.detect.swaps`): frames whose labels now differ
    from the model's. Every number in the report uses the repaired labels.
    """
    if slot is None or not seq.num_frames:
        return ""
    swapped = np.asarray(seq.swapped, bool)[:, slot]
    parts = [
        f"the {limb} in {n} frame(s)"
        for limb, n in (("legs", int(swapped[:, 0].sum())), ("arms", int(swapped[:, 1].sum())))
        if n
    ]
    if not parts:
        return ""
    return (
        "PoseDash's left/right swap repair, run with the pose detection (after "
        f"tracking), relabelled {' and '.join(parts)} of the person reported on, where "
        "the model looked to have exchanged them. Angles, range of motion, repetitions "
        "and gait here use the repaired labels, as every page does."
    )


def _detection(settings) -> str:
    s = settings
    text = (
        f"up to {s.num_poses} {'person' if s.num_poses == 1 else 'people'}; detection, "
        f"presence and tracking confidence {s.min_detection_confidence:.2f}, "
        f"{s.min_presence_confidence:.2f}, {s.min_tracking_confidence:.2f}"
    )
    if not getattr(s, "swap_repair", True):
        text += "; left/right limb swap repair off (the labels are the model's)"
    return text


def technical(doc: Document, ctx: ReportContext) -> None:
    """The technical appendix: the file, how it was read and analysed, the model
    and every setting (what page 1 of the report used to be)."""
    a = ctx.analysis
    doc.heading("Technical appendix", keep_mm=60)
    rows = [
        ("Recording", plain(a.source_name)),
        (
            "File fingerprint",
            f"SHA-256 {a.source_sha256[:16]}…" if a.source_sha256 else "not known",
        ),
        ("What was analysed", _recording(ctx)),
        ("People found", _people(ctx)),
    ]
    if a.notes:  # which video stream, repaired timestamps, a photo analysed reduced
        rows.append(("How the file was read", " ".join(plain(n, 400) for n in a.notes)))
    swaps = relabelled(a.poses, ctx.slot)
    if swaps:  # only when the repair relabelled frames of this person
        rows.append(("Left/right labels", swaps))
    if ctx.found:
        view = VIEW_WORDS.get(ctx.view, ctx.view)
        detail = (
            ""
            if not ctx.view
            else (
                f" (the person's hips or shoulders turned about {ctx.yaw_deg:.0f}° from the "
                "picture"
                + ("" if ctx.is_photo else f"; {ctx.view_share:.0%} of the frames in this view")
                + ")"
            )
        )
        rows += [
            ("Camera view found", view + detail),
            ("Angles measured in", SPACE_WORDS[ctx.space]),
        ]
    rows += [
        ("Pose model", _model(a.model)),
        ("Detection settings", _detection(a.settings)),
        ("Angle settings", _angle_settings(ctx)),
    ]
    doc.key_values(rows)


def references_list(doc: Document, ref_ids) -> None:
    """Every reference source the report used: citation, DOI or address, licence
    and how its figures were checked."""
    from dashboard.references import ReferenceError, load

    items = []
    for ref_id in dict.fromkeys(ref_ids):
        try:
            ref = load(ref_id)
        except ReferenceError:
            continue
        src = ref["source"]
        where = (
            f" doi:{src['doi']}" if src.get("doi") else f" {src['url']}" if src.get("url") else ""
        )
        items.append(
            f"{ref['title']}: {src['citation']}{where}. Licence: "
            f"{src.get('licence', 'not stated')}. How the figures were checked: "
            f"{src.get('checked', 'not stated')}"
        )
    if not items:
        return
    doc.heading("Sources of the reference values", keep_mm=40)
    doc.bullets(items, size=7.2)


def nobody(doc: Document, ctx: ReportContext) -> None:
    """The short report: nobody was found."""
    what = "photo" if ctx.is_photo else "video"
    doc.heading("No person found")
    doc.note(
        f"The pose model found nobody in this {what}, so this report has no angles, "
        "range of motion or repetitions. Common reasons: the picture is dark or "
        "blurred, the person is small in the frame, or much of the body is cut off or "
        "hidden. Film again with the whole body in view and good light, or lower the "
        "detection confidence and analyse again."
    )


def _key_moments(ctx: ReportContext, gait: dict | None):
    """(moments, what they are): the gait events of the strides analysed for a walk,
    each repetition's start and peak for an exercise, else each chosen angle's
    maximum and minimum (distinct frames only)."""
    if gait is not None:
        found = keyframes.gait_moments(gait, ctx.aset)
        if found:
            return found, (
                "Gait events of the strides analysed (initial contact and toe off of each "
                "foot; never from a pass the gait analysis left out)."
            )
    from dashboard.report import tables as t

    series = t.repetition_series(ctx.summary["repetitions"], ctx.space, ctx.person_id, ctx.keys)
    if gait is None and series:
        found = keyframes.repetition_moments(series, ctx.aset)
        if found:
            return found, "Each repetition's start (rest) and peak."
    rows = [r for r in ctx.rom if r["angle"] in ctx.keys]
    return keyframes.key_moments(rows, ctx.aset, limit=8), (
        "The frames holding each chosen angle's largest and smallest value."
    )


def keyframes_section(
    doc: Document, ctx: ReportContext, source: bytes | None, gait: dict | None = None
) -> None:
    """Pictures with the skeleton at distinct moments of the movement."""
    doc.heading("Key frames", keep_mm=70)
    if source is None:
        doc.note(
            "The pictures are not available: this analysis was reopened from a session "
            "file, which keeps the landmarks but never the photo or video. Open the "
            "original recording and analyse it again to include key frames."
        )
        return
    if ctx.is_photo:
        moments, what = [keyframes.Moment(0, 0, 0.0, ())], "The photo with the skeleton."
    else:
        moments, what = _key_moments(ctx, gait)
    if not moments:
        doc.note(
            "None of the chosen angles has a value in any frame, so there is no moment to show."
        )
        return
    items, problem = keyframes.render(source, ctx.analysis, moments, ctx.options.blur_faces)
    blur = (
        "Faces of the people found are blurred; check before sharing (a face the model "
        "did not find is not blurred)."
        if ctx.options.blur_faces
        else "Faces are NOT blurred in these pictures."
    )
    doc.caption(
        what + " The person's left side is drawn in orange, the right in blue; faded, "
        "hollow points are landmarks the model could not see well. " + blur
    )
    if problem:
        doc.note(problem)
    if items:
        if ctx.is_photo:
            doc.image_grid(items, columns=1, max_height_mm=120)
        else:
            doc.image_grid(items, columns=4, max_height_mm=58)


def notes(doc: Document, text: str) -> None:
    text = plain(text, MAX_NOTES).strip()
    if not text:
        return
    doc.heading("Clinical notes")
    doc.paragraph(text, size=9)


def reading(doc: Document, ctx: ReportContext) -> None:
    """How to read the numbers: conventions, confidence, the camera-view limits."""
    doc.heading("How to read the numbers", keep_mm=60)
    s = ctx.options.kinematics
    doc.bullets(
        [
            "Angles follow the neutral-zero convention used with a goniometer: 0° is the "
            "anatomical position (standing upright, arms by the side). Each angle's sign is "
            "given with its chart. Left and right are the patient's own sides.",
            "Landmarks are the model's estimate of each joint's visual centre, not the "
            "anatomical joint centre a goniometer is aligned with.",
            f"Confidence (0 to 1) is the lowest visibility of the landmarks an angle uses. "
            f"Values below {s.min_confidence:.2f} are left out as gaps, never invented; short "
            f"gaps (up to {s.filter.max_gap_s:g} s) are bridged and counted as used.",
            "Image space measures the angle as seen in the picture: right only when the "
            "movement is square to the camera (a side view for knee, hip and shoulder flexion; "
            "a front view for abduction and knee valgus). An angle that needs a side or front "
            f"view is left out in frames turned more than {VIEW_TOLERANCE_DEG:.0f}° from it "
            "('not in the view'). A tilted camera tilts trunk, pelvis and shoulder angles.",
            "World space is MediaPipe's 3D estimate from one camera: it does not depend on the "
            "view, but depth is its least certain direction (errors of 10-25° are possible for "
            "movements towards the camera). Compare within a session and with sessions filmed "
            "the same way, rather than against textbook norms.",
            "* marks an extreme in a frame where a body segment looked foreshortened or out of "
            "the angle's plane: a measurement with a larger error. 'Out of plane' frames were "
            "left out because a segment pointed more than 60° out of the angle's plane.",
            "Symmetry index = 100 × (L − R) / ½(L + R) of the left and right ranges: 0 is "
            "symmetric, positive means the left side moved through a larger range, ±200 that "
            "one side did not move.",
            "A few degrees of difference between sessions are within what the model itself "
            "varies; film both sessions from the same place.",
            DISCLAIMER,
        ]
    )
