"""Frames of a shared clip as a 640 x 480 camera would give them, and a .y4m
file of them for Chromium's fake camera (made in the test's tmp folder)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import av
import numpy as np

CLIP = "videos/sports2d_demo5_lateral_raise_front.mp4"
SIZE = (640, 480)


def camera_frames(path: Path, count: int, size: Tuple[int, int] = SIZE,
                  start: int = 0) -> List[Tuple[np.ndarray, float]]:
    """``count`` frames from ``start`` as (RGB uint8 of ``size``, time in s): the
    centre of the picture cropped to the camera's aspect ratio, then scaled."""
    out = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for i, frame in enumerate(container.decode(stream)):
            if i < start:
                continue
            if len(out) == count:
                break
            rgb = frame.to_ndarray(format="rgb24")
            out.append((_crop_scale(rgb, size), float(frame.time or 0.0)))
    return out


def _crop_scale(rgb: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    want = size[0] / size[1]
    if w / h > want:
        cw = int(round(h * want))
        rgb = rgb[:, (w - cw) // 2:(w - cw) // 2 + cw]
    else:
        ch = int(round(w / want))
        rgb = rgb[(h - ch) // 2:(h - ch) // 2 + ch]
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def write_y4m(frames: List[Tuple[np.ndarray, float]], dest: Path, fps: int = 30) -> Path:
    """A raw YUV4MPEG2 (4:2:0) file of ``frames``, written with PyAV."""
    h, w = frames[0][0].shape[:2]
    with av.open(str(dest), "w", format="yuv4mpegpipe") as out:
        stream = out.add_stream("rawvideo", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        for rgb, _ in frames:
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return dest
