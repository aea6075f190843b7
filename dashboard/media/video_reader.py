"""Show single frames of a video held in memory, fast and exactly as they were analysed.

The review pages show frame ``i`` of an analysed video, then usually ``i + 1``,
``i - 1`` or a frame far away. A :class:`FrameReader` kept for the video serves
them without decoding it from the start each time: it seeks to the keyframe
before the wanted frame, keeps its decoder open so that the next frame
continues decoding, and keeps the last few pictures it converted (a step back).

Notes
-----
Exactness
    Frame ``i`` is the ``i``-th frame FFmpeg returns when the whole video is
    decoded from its start: the frame :func:`dashboard.media.video.iter_frames`
    numbered ``i`` and the pose model saw, so the skeleton drawn over it fits.
    A seek is used only where the frame numbers it gives can be proved equal
    to that count; otherwise the reader decodes from the start (and goes on
    from there for the next frames).
Frames located by timestamp
    Where the video's :class:`~dashboard.media.video_container.VideoIndex` is
    seekable (true, unique presentation times), frame ``i`` is the one whose
    timestamp is ``index.pts[i]``. After a seek, the frames an open group of
    pictures shows before its keyframe (decoded without their references) are
    skipped, and each frame after must carry the next timestamp of the index.
Frames located by counting
    AVI stores no presentation times, and repaired timestamps (repeated,
    backwards) cannot name a frame. Frames are then counted from a keyframe
    that starts a *closed* group of pictures, read from the packets: an H.264
    or HEVC IDR picture, a VP8, VP9 or AV1 keyframe, any picture of an
    intra-only codec (MJPEG ...). No frame before such a keyframe is shown
    after it, nor refers to a frame after it, so its frame number is the number
    of (shown) packets before it (:mod:`dashboard.media.video_keyframes`). Each
    packet is tagged with its position, and the first frame decoded after the
    seek must come from the keyframe's packet; anything else (a seek landing
    elsewhere, another codec, a file not starting on a closed keyframe, whose
    first frames a decoder drops) decodes from the start. This counting assumes
    one frame per packet, as in every intact file: decoding from the start
    checks it at each keyframe it passes, and the reader stops seeking if not.
Memory
    The video's bytes are read where they are (no copy); the reader holds one
    open decoder (a few reference pictures), the packets' positions (a few
    numbers per frame) and at most ``keep_bytes`` of recent pictures; never all
    frames. :meth:`FrameReader.close` frees the decoder.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from dashboard.errors import InputError
from dashboard.media.video_container import (
    UnsupportedRange,
    VideoIndex,
    decode_error,
    index_video,
    open_video,
)
from dashboard.media.video_keyframes import StartPoints, start_points
from dashboard.media.video_orient import apply_orientation, ops_for, swaps_axes

#: Pictures kept for steps back (bytes of RGB), and how many frames before a
#: wanted one are converted on the way when the reader had to seek back.
KEEP_BYTES = 64 * 2**20
BEHIND = 6
#: Most frames an open group of pictures shows before its keyframe (H.264 and
#: HEVC allow at most 16 reordered pictures).
MAX_LEAD_IN = 16


# -- RGB conversion (shared with dashboard.media.video) --------------------------------


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """(width, height) with the longer side at most ``max_side`` (never enlarged)."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, int(round(width * scale))), max(1, int(round(height * scale)))


def new_scaler():
    """An FFmpeg scaler (PyAV ``VideoReformatter``) for every frame of one decoding
    loop. ``frame.to_ndarray(format=...)`` sets up a new one for each frame, which
    costs more than decoding the frame; the pixels are the same either way."""
    from av.video.reformatter import VideoReformatter

    return VideoReformatter()


def to_rgb(frame, ops: tuple[str, ...], max_side: int | None, scaler=None) -> np.ndarray:
    """An upright (H, W, 3) uint8 RGB array of a decoded frame, its longer side at
    most ``max_side`` (``scaler``: from :func:`new_scaler`, reused across a loop's frames)."""
    width, height = frame.width, frame.height
    if swaps_axes(ops):
        disp_w, disp_h = scaled_size(height, width, max_side)
        out_w, out_h = disp_h, disp_w
    else:
        out_w, out_h = scaled_size(width, height, max_side)
    size = (
        {}
        if (out_w, out_h) == (width, height)
        else {"width": out_w, "height": out_h, "interpolation": "AREA"}
    )
    rgb = (scaler or new_scaler()).reformat(frame, format="rgb24", **size).to_ndarray()
    return apply_orientation(rgb, ops)


# -- a decoder positioned in the video --------------------------------------------------


class _Cursor:
    """An open decoder that returns frames forward from a start point.

    ``row`` is the start point's row in ``points`` (0: the start of the video,
    frames counted; else a seek, see module Notes). ``next`` is the number of
    the next frame it returns. Raises UnsupportedRange when the frame numbers a
    seek gives cannot be proved (the caller then starts from the video's start).
    """

    def __init__(
        self, data: bytes, name: str, index: VideoIndex | None, points: StartPoints, row: int
    ) -> None:
        import av

        self.name, self.index, self.points = name, index, points
        self.seeked = row > 0
        self.next = int(points.ordinal[row])
        self._packet = int(points.packet[row])
        self._container, self._stream, _ = open_video(data, name)
        self._stream.thread_type = "AUTO"
        if points.counted:  # packets are tagged with their position (see _packets)
            self._stream.codec_context.copy_opaque = True
            self._checks = dict(
                zip(points.packet[1:].tolist(), points.ordinal[1:].tolist(), strict=False)
            )
        self.contradicted = False
        self.ops: tuple[str, ...] | None = None
        self._started = False
        self._lead_in = 0
        self.decoded = 0
        try:
            if self.seeked:
                self._container.seek(
                    int(points.seek_ts[row]), backward=True, any_frame=False, stream=self._stream
                )
        except av.FFmpegError:
            self.close()
            raise UnsupportedRange("the seek failed") from None
        self._frames = self._decode()

    def close(self) -> None:
        self._container.close()

    def _packets(self):
        """The stream's packets from the seek on; tagged with their position when counting."""
        tag = None
        for packet in self._container.demux(self._stream):
            if self.points.counted and packet.size:
                if tag is None:
                    tag = self._landed(packet) if self.seeked else 0
                packet.opaque = tag
                tag += 1
            yield packet

    def _landed(self, packet) -> int:
        """Which packet the seek landed on: it must be a start point's keyframe
        (FFmpeg may choose one before the one asked for); the frame numbers go from it."""
        where = self.points.by_position.get(-1 if packet.pos is None else int(packet.pos))
        found = where is not None
        rows = np.flatnonzero(self.points.packet == where) if found else np.empty(0, np.intp)
        if where is None or len(rows) != 1 or rows[0] == 0:
            raise UnsupportedRange(f"the seek landed on packet {where}, not a keyframe known")
        self._packet, self.next = int(where), int(self.points.ordinal[rows[0]])
        return self._packet

    def _decode(self):
        import av

        done = 0
        for packet in self._packets():
            try:
                frames = packet.decode()
            except (av.FFmpegError, MemoryError):
                if self.seeked:
                    raise UnsupportedRange("decoding failed after the seek") from None
                raise decode_error(self.name, done) from None
            for frame in frames:
                if self.ops is None:
                    self.ops = ops_for(frame, self._stream)
                done += 1
                self.decoded = done
                yield frame

    def _number(self, frame, first: bool) -> int | None:
        """The frame's number, or None for a lead-in frame to skip (after a seek)."""
        if not self.seeked:
            if self.points.counted and self._checks.get(frame.opaque, self.next) != self.next:
                self.contradicted = True  # a start point's frame number is wrong
            return self.next
        if self.points.counted:
            if first and frame.opaque != self._packet:
                raise UnsupportedRange("the first frame after the seek is not the keyframe")
            return self.next
        assert self.index is not None  # frames not counted: a video with its index
        pts = self.index.pts
        j = int(np.searchsorted(pts, frame.pts)) if frame.pts is not None else len(pts)
        if j >= len(pts) or pts[j] != frame.pts:
            raise UnsupportedRange(f"decoded PTS {frame.pts} is not a packet PTS")
        if first and not frame.key_frame:
            self._lead_in += 1  # shown before the keyframe (open group of pictures)
            if self._lead_in > MAX_LEAD_IN:
                raise UnsupportedRange("no keyframe decoded after the seek")
            return None
        if first:
            return j  # the keyframe FFmpeg found: any at or before the wanted frame
        if j != self.next:
            raise UnsupportedRange(f"frame {self.next} expected, {j} decoded")
        return j

    def advance(self, stop: int, keep=None):
        """Decode up to frame ``stop`` and return it (a PyAV frame); ``keep(number,
        frame)`` is called for each frame passed on the way. IndexError past the end."""
        while True:
            try:
                frame = next(self._frames)
            except StopIteration:
                if self.seeked:
                    raise UnsupportedRange("the video ended after the seek") from None
                raise IndexError(f"{self.name} has no frame {stop}") from None
            number = self._number(frame, first=not self._started)
            if number is None:
                continue
            if number > stop:
                raise UnsupportedRange(f"the seek went past frame {stop}")
            self._started = True
            self.next = number + 1
            if number == stop:
                return frame
            if keep is not None:
                keep(number, frame)


# -- the reader -------------------------------------------------------------------


class FrameReader:
    """Frames of one video, by number, for a reviewer stepping through it.

    Parameters
    ----------
    data
        The whole video file, in memory (not copied).
    name
        The file's name, for messages.
    index
        The video's :class:`VideoIndex` (``Analysis.video_index``); read from
        the packets when not given.
    keep_bytes
        Most bytes of recent RGB pictures kept for steps back (0: none).

    Notes
    -----
    Thread-safe (one read at a time). Use as a context manager, or call
    :meth:`close`, to free the decoder at once. See the module Notes for how
    frames are located and why the frame returned is the one analysed.
    """

    def __init__(
        self,
        data: bytes,
        name: str = "video",
        index: VideoIndex | None = None,
        keep_bytes: int = KEEP_BYTES,
    ) -> None:
        self._data, self.name, self.keep_bytes = data, name, keep_bytes
        self.index = index if index is not None else index_video(data, name)
        self._points: StartPoints | None = None
        self._cursor: _Cursor | None = None
        self._row = 0
        self._bad: set[int] = set()
        self._kept: OrderedDict[tuple[int, int | None], np.ndarray] = OrderedDict()
        self._last = -1
        self._lock = threading.Lock()
        self._decoded_before = 0
        self._scaler = new_scaler()  # one FFmpeg scaler for every frame this reader converts

    def __enter__(self) -> FrameReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the decoder and forget the pictures kept."""
        with self._lock:
            self._drop_cursor()
            self._kept.clear()

    @property
    def frames_decoded(self) -> int:
        """How many frames this reader has decoded so far (what reading costs)."""
        current = self._cursor.decoded if self._cursor is not None else 0
        return self._decoded_before + current

    @property
    def num_frames(self) -> int | None:
        return self.index.num_frames if self.index is not None else None

    def read(self, frame_index: int, max_side: int | None = None) -> np.ndarray:
        """Frame ``frame_index`` (as :func:`dashboard.media.video.iter_frames` numbers
        it) as an upright (H, W, 3) uint8 RGB array, read-only, scaled so that its
        longer side is at most ``max_side``.

        Raises
        ------
        IndexError
            ``frame_index`` is outside the video.
        InputError
            The video cannot be read.
        """
        frame_index = int(frame_index)
        n = self.num_frames
        if frame_index < 0 or (n is not None and frame_index >= n):
            raise IndexError(f"{self.name} has {n} frames; there is no frame {frame_index}")
        with self._lock:
            key = (frame_index, max_side)
            rgb = self._kept.get(key)
            if rgb is None:
                rgb = self._decode(frame_index, max_side)
                self._keep(key, rgb)
            else:
                self._kept.move_to_end(key)
            self._last = frame_index
            return rgb

    def _start_points(self) -> StartPoints:
        if self._points is None:
            if self.index is None:
                self._points = StartPoints(
                    np.zeros(1, np.int64), np.zeros(1, np.int64), np.full(1, -1, np.int64), {}, True
                )
            else:
                self._points = start_points(self._data, self.name, self.index)
        return self._points

    def _decode(self, i: int, max_side: int | None) -> np.ndarray:
        points = self._start_points()
        while True:
            row = points.before(i)
            while row > 0 and row in self._bad:
                row -= 1
            cursor = self._cursor
            fresh = not (cursor is not None and points.ordinal[row] <= cursor.next <= i)
            try:
                if fresh:
                    self._drop_cursor()
                    cursor = _Cursor(self._data, self.name, self.index, points, row)
                    self._cursor, self._row = cursor, row
                keep = self._keeper(i, max_side) if fresh and i < self._last else None
                assert cursor is not None  # made above when not kept from before
                frame = cursor.advance(i, keep)
                if cursor.contradicted:  # decoding from the start disproved the counting
                    self._bad.update(range(1, len(points.ordinal)))
                    self._kept.clear()
                return to_rgb(frame, cursor.ops or (), max_side, self._scaler)
            except UnsupportedRange:
                bad = self._row if not fresh else row
                self._drop_cursor()
                if bad == 0:
                    raise InputError(
                        f"{self.name} could not be decoded to frame {i}.",
                        "Copy the video again and analyse it again.",
                    ) from None
                self._bad.add(bad)

    def _drop_cursor(self) -> None:
        if self._cursor is not None:
            self._decoded_before += self._cursor.decoded
            self._cursor.close()
            self._cursor = None

    def _keeper(self, i: int, max_side: int | None):
        """Keep the pictures just before ``i`` on the way (for the next steps back)."""

        def keep(number: int, frame) -> None:
            cursor = self._cursor  # the one decoding: it calls this
            if number >= i - BEHIND and self.keep_bytes and cursor is not None:
                self._keep(
                    (number, max_side), to_rgb(frame, cursor.ops or (), max_side, self._scaler)
                )

        return keep

    def _keep(self, key, rgb: np.ndarray) -> None:
        if not self.keep_bytes or rgb.nbytes > self.keep_bytes:
            return
        rgb.setflags(write=False)
        self._kept[key] = rgb
        total = sum(a.nbytes for a in self._kept.values())
        while total > self.keep_bytes:
            _, old = self._kept.popitem(last=False)
            total -= old.nbytes
