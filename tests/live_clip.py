"""Frames of a shared clip as a 640 x 480 camera would give them, and a .y4m
file of them for Chromium's fake camera (made in the test's tmp folder)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

CLIP = "videos/sports2d_demo5_lateral_raise_front.mp4"
SIZE = (640, 480)
#: Chromium flags: grant the camera without asking, and use a fake camera device.
FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
#: The streamlit-webrtc component's iframe on the Live camera page.
COMPONENT = "iframe[title*=webrtc]"


def launch_camera_browser(browser, y4m: Path):
    """A second Chromium, launched by the Playwright of the shared ``browser``
    fixture with the same executable and base flags, whose camera plays ``y4m``."""
    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS

    return browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS + FAKE_CAMERA + [f"--use-file-for-fake-video-capture={y4m}"],
    )


def start_camera(page) -> None:
    page.frame_locator(COMPONENT).first.get_by_role("button", name="Start camera").click()


def wait_text(page, test_id: str, pattern: str, timeout: float = 120_000) -> str:
    """Wait until an element with ``data-testid=test_id`` matches ``pattern``; its text."""
    page.wait_for_function(
        "([id, re]) => [...document.querySelectorAll(`[data-testid=${id}]`)]"
        ".some(e => new RegExp(re).test(e.textContent))",
        arg=[test_id, pattern],
        timeout=timeout,
    )
    return page.get_by_test_id(test_id).first.text_content()


def camera_frames(
    path: Path, count: int, size: tuple[int, int] = SIZE, start: int = 0
) -> list[tuple[np.ndarray, float]]:
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


def _crop_scale(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    want = size[0] / size[1]
    if w / h > want:
        cw = int(round(h * want))
        rgb = rgb[:, (w - cw) // 2 : (w - cw) // 2 + cw]
    else:
        ch = int(round(w / want))
        rgb = rgb[(h - ch) // 2 : (h - ch) // 2 + ch]
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def write_y4m(frames: list[tuple[np.ndarray, float]], dest: Path, fps: int = 30) -> Path:
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
