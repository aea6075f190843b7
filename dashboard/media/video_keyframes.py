"""Where decoding a video may start: its keyframes, and the frame number of each.

Read from the packets of the main stream, without decoding, for
:class:`dashboard.media.video_reader.FrameReader` (see its module Notes: frames
located by timestamp, or counted from keyframes that start a closed group of
pictures).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from dashboard.media.video_container import VideoIndex, open_video


@dataclass(frozen=True)
class StartPoints:
    """Where decoding may start, read from the packets of the main stream (no decoding).

    ordinal
        (K,) sorted frame numbers of the keyframes decoding may start from
        (always 0 first: the start of the video, without a seek).
    seek_ts
        (K,) the timestamp to seek to for each (stream time base; unused for 0).
    packet
        (K,) the keyframe packet's position in decoding order (-1 for the start).
    by_position
        Byte position in the file of each keyframe packet above -> its position
        in decoding order, to tell where a seek landed (when counted).
    counted
        True when frames are located by counting (see module Notes), False when
        by timestamp.
    """

    ordinal: np.ndarray
    seek_ts: np.ndarray
    packet: np.ndarray
    by_position: dict[int, int]
    counted: bool

    def before(self, frame: int) -> int:
        """Row of the last start point at or before ``frame``."""
        return int(np.searchsorted(self.ordinal, frame, side="right")) - 1


def _nal_types(payload: bytes, length_size: int) -> Iterator[int]:
    """First byte of each NAL unit of an H.264/HEVC packet (Annex B or length-prefixed)."""
    if length_size == 0:  # Annex B: start codes
        at = payload.find(b"\x00\x00\x01")
        while 0 <= at < len(payload) - 3:
            yield payload[at + 3]
            at = payload.find(b"\x00\x00\x01", at + 3)
        return
    at = 0
    while at + length_size < len(payload):
        size = int.from_bytes(payload[at : at + length_size], "big")
        yield payload[at + length_size]
        at += length_size + size


def _length_size(codec: str, extradata: bytes | None) -> int:
    """NAL length field size of an MP4-style H.264/HEVC stream; 0 for Annex B."""
    if not extradata or extradata[0] != 1:
        return 0
    if codec == "h264" and len(extradata) > 4:
        return (extradata[4] & 3) + 1
    if codec == "hevc" and len(extradata) > 21:
        return (extradata[21] & 3) + 1
    return 0


def closed_keyframe(
    codec: str, payload: bytes, extradata: bytes | None = None, intra_only: bool = False
) -> bool:
    """True when a keyframe packet starts a closed group of pictures (see module Notes).

    H.264: holds an IDR slice (NAL type 5); HEVC: an IDR picture (NAL type 19
    or 20; a CRA may be followed by pictures shown before it). VP8, VP9, AV1
    keyframes and intra-only codecs: always. Other codecs: never (unknown).
    """
    if codec in ("h264", "hevc"):
        size = _length_size(codec, extradata)
        for head in _nal_types(payload, size):
            if codec == "h264" and head & 0x1F == 5:
                return True
            if codec == "hevc" and (head >> 1) & 0x3F in (19, 20):
                return True
        return False
    return codec in ("vp8", "vp9", "av1") or intra_only


def start_points(data: bytes, name: str, index: VideoIndex) -> StartPoints:
    """The :class:`StartPoints` of a video (one pass over its packets, no decoding)."""
    import av

    counted = not index.seekable
    container, stream, _ = open_video(data, name)
    rows, seen, repeated, shown, first_closed = [(0, 0, -1)], {}, False, 0, True
    try:
        ctx = stream.codec_context
        codec, extradata = ctx.name, ctx.extradata
        intra = bool(getattr(ctx.codec, "intra_only", False))
        k = -1
        try:
            for packet in container.demux(stream):
                if not packet.size:
                    continue
                k += 1
                pos = -1 if packet.pos is None else int(packet.pos)
                repeated = repeated or pos < 0 or pos in seen
                seen[pos] = k
                if k == 0 and counted:  # frames the decoder drops before a first keyframe
                    first_closed = packet.is_keyframe and closed_keyframe(
                        codec, bytes(packet), extradata, intra
                    )
                if packet.is_keyframe and not packet.is_discard and shown > 0:
                    row = _start_row(packet, shown, index, counted, codec, extradata, intra, k)
                    if row is not None:
                        rows.append(row)
                shown += 0 if packet.is_discard else 1
        except (av.FFmpegError, MemoryError):
            pass  # a damaged tail: start points before it still hold
    finally:
        container.close()
    if counted and (repeated or not first_closed):
        rows = rows[:1]  # frame numbers or landing places cannot be proved: no seeking
    rows = sorted(set(rows))
    keyframes = {r[2] for r in rows}
    return StartPoints(
        ordinal=np.array([r[0] for r in rows], np.int64),
        seek_ts=np.array([r[1] for r in rows], np.int64),
        packet=np.array([r[2] for r in rows], np.int64),
        by_position={p: k for p, k in seen.items() if k in keyframes} if counted else {},
        counted=counted,
    )


def _start_row(packet, shown, index, counted, codec, extradata, intra, k):
    """(frame number, seek timestamp, packet position) of a keyframe, or None."""
    if counted:
        stamps = [int(v) for v in (packet.pts, packet.dts) if v is not None]
        if not stamps or not closed_keyframe(codec, bytes(packet), extradata, intra):
            return None
        return shown, max(stamps), k  # a seek may land before: it is told where (_Cursor)
    if packet.pts is None:
        return None
    j = int(np.searchsorted(index.pts, packet.pts))
    if j >= len(index.pts) or index.pts[j] != packet.pts or j == 0:
        return None
    return j, int(packet.pts), k
