"""Key frames: the picture with the skeleton at the moments that matter (each
repetition's start and peak, the gait events of the strides analysed, else each
chosen angle's maximum and minimum), faces blurred by default.

Pure: the source's bytes and the analysis in, JPEG pictures out. Frames are
decoded when needed and never kept. Face blurring uses
:func:`dashboard.outputs.export_video.face_ellipses` and
:func:`~dashboard.outputs.export_video.blur_regions`: only the faces of people the
model found are blurred (see that module's Notes).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.report.tables import display_name, fmt_deg

#: Longer side of a key frame in pixels: sharp in print at the size shown, small in the PDF.
MAX_SIDE = 720
#: Video frames are decoded at most this large, then cropped around the person.
DECODE_SIDE = 1280
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Moment:
    """One frame to show, and why.

    row
        Position of the frame in the PoseSequence.
    frame
        The frame's index in the source video (0 for a photo).
    time_s
        Its time in the recording.
    reasons
        What happens there, e.g. ``'Shoulder abduction (left) max 162.3°'``.
    """

    row: int
    frame: int
    time_s: float
    reasons: tuple[str, ...]

    @property
    def caption(self) -> str:
        return f"{self.time_s:.2f} s (frame {self.frame}): " + "; ".join(self.reasons)


def key_moments(rows: Sequence[dict], aset, limit: int = 9) -> list[Moment]:
    """The maximum and minimum of each ROM row (``tables.rom_rows``), one
    :class:`Moment` per distinct frame, in time order, at most ``limit`` (the
    first rows' moments are kept first)."""
    by_row: dict[int, list[str]] = {}
    for r in rows:
        if not r["n_valid"]:
            continue
        for end in ("max", "min"):
            frame = r[f"frame_of_{end}"]
            hits = np.flatnonzero(aset.frame_index == frame)
            if frame is None or frame < 0 or not len(hits):
                continue
            row = int(hits[0])
            if row not in by_row and len(by_row) >= limit:
                continue
            by_row.setdefault(row, []).append(
                f"{display_name(r['angle'], r['side'])} {end} {fmt_deg(r[f'{end}_deg'])}°"
            )
    return [
        Moment(row, int(aset.frame_index[row]), float(aset.time_s[row]), tuple(reasons))
        for row, reasons in sorted(by_row.items())
    ]


def _row_at(aset, frame) -> int | None:
    if frame is None or int(frame) < 0:
        return None
    hits = np.flatnonzero(aset.frame_index == int(frame))
    return int(hits[0]) if len(hits) else None


def _moments(found: dict[int, list[str]], aset, limit: int) -> list[Moment]:
    rows = sorted(found)[:limit]
    return [
        Moment(r, int(aset.frame_index[r]), float(aset.time_s[r]), tuple(found[r])) for r in rows
    ]


def repetition_moments(series: Sequence[dict], aset, limit: int = 8) -> list[Moment]:
    """Each complete repetition's start (rest) and peak, of the first repetition
    series given (``summary.json`` ``repetitions`` entries): distinct moments of
    the movement itself, in time order, at most ``limit`` (the first repetitions
    first)."""
    found: dict[int, list[str]] = {}
    for s in series[:1]:
        name = display_name(s["angle"], s["side"])
        for rep in s["repetitions"]:
            if not rep.get("complete"):
                continue
            for frame, words in (
                (rep.get("start_frame"), f"repetition {rep['number']} start"),
                (
                    rep.get("peak_frame"),
                    f"repetition {rep['number']} peak, {name} {fmt_deg(rep['peak_deg'])}°",
                ),
            ):
                row = _row_at(aset, frame)
                if row is not None and (row in found or len(found) < limit):
                    found.setdefault(row, []).append(words)
    return _moments(found, aset, limit)


_EVENT_WORDS = {"initial_contact": "initial contact", "toe_off": "toe off"}


def gait_moments(gait: dict, aset, limit: int = 8) -> list[Moment]:
    """Gait events of the strides the gait analysis kept (so never of a pass it
    left out): each kept stride's initial contact and toe off, alternating feet,
    in time order, at most ``limit``."""
    analysed = {
        i for i, p in enumerate(gait.get("passes") or []) if p.get("analysed", True) is not False
    }
    found: dict[int, list[str]] = {}
    for c in gait.get("cycles") or []:
        if not c.get("kept") or c.get("pass_index") not in analysed:
            continue
        for key, event in (("start_s", "initial_contact"), ("toe_off_s", "toe_off")):
            t = c.get(key)
            if t is None:
                continue
            match = [
                e
                for e in gait.get("events") or []
                if e.get("side") == c["side"]
                and e.get("event") == event
                and abs(float(e["time_s"]) - float(t)) < 1e-6
            ]
            row = _row_at(aset, match[0]["frame"]) if match else None
            if row is not None and (row in found or len(found) < limit):
                found.setdefault(row, []).append(f"{c['side']} {_EVENT_WORDS[event]}")
    return _moments(found, aset, limit)


def _jpeg(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def annotate(rgb: np.ndarray, seq, row: int, blur_faces: bool = True) -> np.ndarray:
    """The picture of frame ``row`` with its faces blurred (optionally) and the
    skeleton drawn (``rgb`` may be smaller than the analysed frames)."""
    from dashboard.figures.render import draw_pose
    from dashboard.outputs.export_video import blur_regions, face_ellipses

    height, width = rgb.shape[:2]
    if blur_faces:
        rgb = blur_regions(rgb, face_ellipses(seq, row, width, height))
    return draw_pose(rgb, seq, row)


def crop_to_people(
    rgb: np.ndarray, seq, row: int, margin: float = 0.12, min_fraction: float = 0.35
) -> np.ndarray:
    """The part of ``rgb`` around the people found in frame ``row`` (their landmarks'
    box, enlarged by ``margin`` of its height on every side, at least
    ``min_fraction`` of the picture on each axis); the whole picture when nobody
    was found."""
    height, width = rgb.shape[:2]
    xy = seq.image_xy[row].reshape(-1, 2) * (width / seq.image_size[0], height / seq.image_size[1])
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        return rgb
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = margin * max(y1 - y0, x1 - x0, 1.0)
    x0, x1 = _span(x0 - pad, x1 + pad, width, min_fraction)
    y0, y1 = _span(y0 - pad, y1 + pad, height, min_fraction)
    return np.ascontiguousarray(rgb[y0:y1, x0:x1])


def _span(lo: float, hi: float, size: int, min_fraction: float) -> tuple[int, int]:
    need = max(hi - lo, min_fraction * size)
    mid = 0.5 * (lo + hi)
    lo, hi = mid - need / 2, mid + need / 2
    shift = max(0.0, -lo) - max(0.0, hi - size)
    lo, hi = max(0.0, lo + shift), min(float(size), hi + shift)
    return int(np.floor(lo)), int(np.ceil(hi))


def render(
    source: bytes,
    analysis,
    moments: Sequence[Moment],
    blur_faces: bool = True,
    max_side: int = MAX_SIDE,
) -> tuple[list[tuple[bytes, tuple[int, int], str]], str | None]:
    """JPEG pictures of ``moments`` from the photo's or video's bytes (video frames
    cropped around the people found, see :func:`crop_to_people`).

    Returns ``(items, problem)``: items are (JPEG bytes, (width, height) px,
    caption); ``problem`` is a sentence for the reader when some or all frames
    could not be decoded, else None.
    """
    from dashboard.errors import PoseDashError
    from dashboard.figures.render import fit_within

    seq = analysis.poses
    items, failed = [], 0
    if analysis.kind == "photo":
        from dashboard.media.images import decode_image

        try:
            rgb = fit_within(decode_image(source, analysis.source_name).rgb, max_side)
        except PoseDashError:
            return [], "The photo could not be read again, so it is not shown."
        if abs(rgb.shape[1] / rgb.shape[0] - seq.image_size[0] / seq.image_size[1]) > 0.02:
            return [], "The photo does not match the analysis (another size), so it is not shown."
        picture = annotate(rgb, seq, 0, blur_faces)
        return [(_jpeg(picture), (picture.shape[1], picture.shape[0]), "The photo")], None
    from dashboard.media import video

    try:
        frames = video.read_frames(
            source,
            [m.frame for m in moments],
            DECODE_SIDE,
            name=analysis.source_name,
            index=analysis.video_index,
        )
    except PoseDashError:
        return [], "The video could not be read again, so no key frame is shown."
    for m in moments:
        decoded = frames.get(m.frame)
        if decoded is None:
            failed += 1
            continue
        picture = fit_within(
            crop_to_people(annotate(decoded, seq, m.row, blur_faces), seq, m.row), max_side
        )
        items.append((_jpeg(picture), (picture.shape[1], picture.shape[0]), m.caption))
    problem = (
        f"{failed} of {len(moments)} key frames could not be decoded from the video."
        if failed
        else None
    )
    return items, problem
