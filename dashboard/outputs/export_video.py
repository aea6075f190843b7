"""Annotated video export: the skeleton drawn over the video, as browser-playable MP4.

Pure: the video's bytes and a :class:`PoseSequence` in, MP4 bytes out. The video
is decoded again (frames are never all kept) and encoded with PyAV into memory;
nothing is written to disk.

Notes
-----
Format
    H.264 (libx264), yuv420p, in a fragmented MP4 (``movflags
    frag_keyframe+empty_moov+default_base_moof``: ``+faststart`` needs a seekable
    file, a fragmented MP4 does not and still plays in every browser). H.264 with
    yuv420p needs even dimensions: an odd last row or column is cropped.
Frames and timing
    Only analysed frames are written (every frame, or every ``stride``-th), each
    at its own presentation time, so the export lasts as long as the original
    and stays in sync with it; with a stride it plays at a lower frame rate.
Face blurring
    Uses the face landmarks (0-10: nose, eyes, ears, mouth) of every *detected*
    person: an ellipse around them, enlarged to cover the whole head, is
    replaced by a strong Gaussian blur. A face in a frame where that person was
    not detected, or of a bystander beyond ``num_poses``, is not blurred: check
    the export before sharing it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import suppress
from fractions import Fraction

import numpy as np

from dashboard.errors import Cancelled
from dashboard.media import video
from dashboard.poses import PoseSequence

MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
FACE_LANDMARKS = slice(0, 11)
DrawFn = Callable[[np.ndarray, PoseSequence, int], np.ndarray]


def _default_draw(rgb: np.ndarray, seq: PoseSequence, frame: int) -> np.ndarray:
    from dashboard.figures.render import draw_pose

    return draw_pose(rgb, seq, frame)


def face_ellipses(
    seq: PoseSequence, frame: int, width: int, height: int, margin: float = 0.6
) -> np.ndarray:
    """Ellipses covering each detected person's head in ``frame``.

    Parameters
    ----------
    seq, frame
        Landmarks and the row (position) of the frame in ``seq``.
    width, height
        Size of the picture the ellipses are for (landmarks are scaled from
        ``seq.image_size``).
    margin
        How much larger than the face landmarks' spread the ellipse is.

    Returns
    -------
    (N, 4) float array of ``cx, cy, half_width, half_height`` in pixels.

    Notes
    -----
    The face landmarks span eyes, ears and mouth, not the forehead, hair or
    chin; the ellipse is centred on them, made at least 40 % of the shoulder
    width across, 1.3 times taller than wide, and enlarged by ``margin``.
    """
    scale = np.array([width / seq.image_size[0], height / seq.image_size[1]])
    out = []
    for p in range(seq.num_people):
        face = seq.image_xy[frame, p, FACE_LANDMARKS] * scale
        face = face[np.isfinite(face).all(-1)]
        if not len(face):
            continue
        centre = face.mean(0)
        spread = np.linalg.norm(face - centre, axis=1).max()
        shoulders = seq.image_xy[frame, p, 11:13] * scale
        shoulder_w = (
            np.linalg.norm(shoulders[0] - shoulders[1]) if np.isfinite(shoulders).all() else 0.0
        )
        half_w = max(spread, 0.2 * shoulder_w, 0.01 * max(width, height)) * (1 + margin)
        out.append((centre[0], centre[1] - 0.15 * half_w, half_w, 1.3 * half_w))
    return np.asarray(out, float).reshape(-1, 4)


def blur_regions(rgb: np.ndarray, ellipses: np.ndarray) -> np.ndarray:
    """A copy of ``rgb`` with each ellipse (cx, cy, half_w, half_h) strongly blurred.

    The blur's sigma is a third of the ellipse's half width, and the region is
    first reduced to 8 x 8-pixel blocks, so no facial detail survives.
    """
    import cv2

    out = np.ascontiguousarray(rgb).copy()
    height, width = out.shape[:2]
    for cx, cy, hw, hh in ellipses:
        x0, x1 = int(max(0, np.floor(cx - hw))), int(min(width, np.ceil(cx + hw)))
        y0, y1 = int(max(0, np.floor(cy - hh))), int(min(height, np.ceil(cy + hh)))
        if x1 <= x0 or y1 <= y0:
            continue
        roi = out[y0:y1, x0:x1]
        small = cv2.resize(
            roi, (max(1, (x1 - x0) // 8), max(1, (y1 - y0) // 8)), interpolation=cv2.INTER_AREA
        )
        coarse = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
        blurred = cv2.GaussianBlur(coarse, (0, 0), sigmaX=max(2.0, hw / 3.0))
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.ellipse(
            mask,
            (int(round(cx - x0)), int(round(cy - y0))),
            (max(1, int(round(hw))), max(1, int(round(hh)))),
            0,
            0,
            360,
            (255,),
            -1,
        )
        roi[mask > 0] = blurred[mask > 0]
    return out


def annotated_mp4(
    data: bytes,
    seq: PoseSequence,
    *,
    blur_faces: bool = False,
    draw: DrawFn | None = None,
    name: str = "video",
    crf: int = 23,
    preset: str = "veryfast",
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> bytes:
    """Encode the analysed frames of ``data`` with ``seq`` drawn on them, as H.264 MP4.

    Parameters
    ----------
    data
        The original video's bytes (the one ``seq`` was analysed from).
    seq
        The analysis; its ``frame_index`` picks the frames written.
    blur_faces
        Blur every detected person's face (see module Notes).
    draw
        ``draw(rgb, seq, row) -> rgb``; default :func:`dashboard.figures.render.draw_pose`.
    crf, preset
        libx264 quality (lower is better; 23 is its default) and speed.
    progress, should_cancel
        As for :func:`dashboard.detect.engine.analyze_video`.

    Returns
    -------
    The MP4 file's bytes.

    Raises
    ------
    ValueError
        ``seq`` does not belong to this video (another frame size).
    InputError
        The video cannot be decoded.
    Cancelled
        ``should_cancel()`` returned True.
    """
    draw = draw or _default_draw
    rows = {int(f): r for r, f in enumerate(seq.frame_index)}
    wanted_stride = 1
    if len(seq.frame_index) > 1:
        steps = np.diff(seq.frame_index)
        wanted_stride = int(steps.min()) if steps.min() > 0 else 1
    width, height = seq.image_size
    encoder = _Encoder(width, height, _nominal_rate(seq), crf, preset)
    done = 0
    try:
        for index, time_s, rgb in video.iter_frames(data, stride=wanted_stride, name=name):
            row = rows.get(index)
            if row is None:
                continue
            if should_cancel is not None and should_cancel():
                raise Cancelled(f"The export of {name} was cancelled.")
            if (rgb.shape[1], rgb.shape[0]) != (width, height):
                raise ValueError(
                    f"the analysis is of {width} x {height} frames but {name} "
                    f"has {rgb.shape[1]} x {rgb.shape[0]}: not the same video"
                )
            if blur_faces:
                rgb = blur_regions(rgb, face_ellipses(seq, row, width, height))
            encoder.add(draw(rgb, seq, row), time_s)
            done += 1
            if progress is not None:
                progress(done, len(rows))
        if encoder.stream is None:
            raise ValueError(f"none of the analysed frames was found in {name}")
        return encoder.finish()
    except BaseException:
        encoder.abort()
        raise


class _Encoder:
    """H.264 in a fragmented MP4, in memory; frames at their own times (ms PTS)."""

    def __init__(self, width: int, height: int, rate: Fraction, crf: int, preset: str):
        import av

        self.out_w, self.out_h = width - width % 2, height - height % 2
        if self.out_w < 2 or self.out_h < 2:
            raise ValueError(f"frames of {width} x {height} pixels are too small to encode")
        self.rate, self.crf, self.preset = rate, crf, preset
        self.buf = io.BytesIO()
        self.output = av.open(self.buf, mode="w", format="mp4", options={"movflags": MOVFLAGS})
        self.stream: av.video.stream.VideoStream | None = None
        self.last_ms = -1

    def _open_stream(self):
        stream = self.output.add_stream("libx264", rate=self.rate)
        stream.width, stream.height, stream.pix_fmt = self.out_w, self.out_h, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        # No B-frames: with them the fragmented MP4 (no edit list) would start late.
        stream.options = {"crf": str(int(self.crf)), "preset": self.preset, "bf": "0"}
        self.stream = stream
        return stream

    def add(self, rgb: np.ndarray, time_s: float) -> None:
        import av

        stream = self.stream if self.stream is not None else self._open_stream()
        picture = np.ascontiguousarray(rgb[: self.out_h, : self.out_w])
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        stamp = max(int(round(time_s * 1000.0)), self.last_ms + 1)
        self.last_ms = stamp
        frame.pts, frame.time_base = stamp, Fraction(1, 1000)
        for packet in stream.encode(frame.reformat(format="yuv420p")):
            self.output.mux(packet)

    def finish(self) -> bytes:
        if self.stream is None:
            raise ValueError("no frame was given to encode")
        for packet in self.stream.encode():
            self.output.mux(packet)
        self.output.close()
        return self.buf.getvalue()

    def abort(self) -> None:
        with suppress(Exception):  # do not hide the real error behind a muxer complaint
            self.output.close()


def _nominal_rate(seq: PoseSequence) -> Fraction:
    """Average frame rate of the analysed frames (a hint for players; PTS rule)."""
    if seq.num_frames > 1 and seq.time_s[-1] > seq.time_s[0]:
        fps = (seq.num_frames - 1) / (seq.time_s[-1] - seq.time_s[0])
        return Fraction(fps).limit_denominator(1001)
    return Fraction(30)
