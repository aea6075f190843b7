"""The Live camera page in Debian's Chromium with its fake camera fed from a shared
clip (frontal lateral raises, 640 x 480, made into a .y4m in the test's folder)."""

from __future__ import annotations

import contextlib
import re
import time

import numpy as np
import pytest

from dashboard.skeleton import colour_of
from tests.live_clip import (
    CLIP,
    COMPONENT,
    camera_frames,
    launch_camera_browser,
    start_camera,
    wait_text,
    write_y4m,
)

pytestmark = pytest.mark.e2e
# Keeps every camera stream the page opens, so a test can "unplug" the camera.
KEEP_STREAMS = """
(() => {
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia) return;
  const original = md.getUserMedia.bind(md);
  window.__posedashStreams = [];
  md.getUserMedia = async (c) => { const s = await original(c);
                                   window.__posedashStreams.push(s); return s; };
})();
"""


@pytest.fixture(scope="module")
def clip_frames(media_dir):
    return camera_frames(media_dir / CLIP, 150)  # 5 s, looped by Chromium


@pytest.fixture(scope="module")
def camera_browser(browser, clip_frames, tmp_path_factory):
    """A second Chromium (same executable and base flags) whose camera is the clip."""
    y4m = write_y4m(clip_frames, tmp_path_factory.mktemp("camera") / "raise.y4m")
    b = launch_camera_browser(browser, y4m)
    yield b
    b.close()


@pytest.fixture
def artifacts(request):
    """Pages to screenshot into test-artifacts/ when the test fails."""
    pages = []
    yield pages
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        from tests.e2e.conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        for i, pg in enumerate(pages):
            with contextlib.suppress(Exception):
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)


def _open_live(b, app_url):
    context = b.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(KEEP_STREAMS)
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.on(
        "console",
        lambda m: (
            print("console:", m.text[:160])
            if "connection" in m.text.lower() or "error" in m.text.lower()
            else None
        ),
    )
    page.goto(f"{app_url}/Live_camera")
    page.get_by_text("Live camera").first.wait_for()
    return context, page


def _skeleton_pixels(rgb: np.ndarray) -> int:
    """Pixels close to the overlay's left (orange) or right (blue) colour."""
    rgb = rgb[..., :3].astype(int)
    return int(
        sum((np.abs(rgb - colour_of(side)).max(axis=-1) < 40).sum() for side in ("left", "right"))
    )


def _video_picture(page) -> np.ndarray:
    """The picture the output video element shows now (as a PNG through a canvas)."""
    import base64

    import cv2

    frame = page.frame_locator(COMPONENT).first
    url = frame.locator("video").first.evaluate("""v => {
        const c = document.createElement('canvas');
        c.width = v.videoWidth; c.height = v.videoHeight;
        c.getContext('2d').drawImage(v, 0, 0); return c.toDataURL('image/png'); }""")
    png = np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8)
    return cv2.cvtColor(cv2.imdecode(png, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_skeleton_frames_angle_fps_and_a_recording_for_review(
    camera_browser, app_url, clip_frames, artifacts
):
    raw = max(_skeleton_pixels(f) for f, _ in clip_frames[::5])
    context, page = _open_live(camera_browser, app_url)
    artifacts.append(page)
    start_camera(page)
    fps = wait_text(page, "live-fps", r"\d+(\.\d)? fps")
    angle = wait_text(page, "live-angle", r"\d+°")
    video = page.frame_locator(COMPONENT).first.locator("video").first
    state = video.evaluate(
        "v => [v.readyState, v.paused, v.videoWidth, v.videoHeight, v.currentTime]"
    )
    time.sleep(1.5)
    later = video.evaluate("v => v.currentTime")
    assert state[0] >= 2 and not state[1] and state[2:4] == [640, 480]
    assert later > state[4]  # the output video plays
    # the frames coming back carry the skeleton: far more pixels in its colours
    # than any frame of the camera's own clip
    shown = max(_skeleton_pixels(_video_picture(page)) for _ in range(3))
    rates = []
    for _ in range(5):
        rates.append(
            page.get_by_test_id("live-fps").first.evaluate("e => e.parentElement.textContent")
        )
        time.sleep(1)
    print(
        f"\nlive page: first {fps}, angle {angle}, skeleton-coloured pixels {shown} "
        f"(camera clip at most {raw}); then, each second:\n  " + "\n  ".join(rates)
    )
    assert shown > raw + 500

    page.get_by_text("⏺ Record", exact=True).click()
    wait_text(page, "stMarkdownContainer", r"Recording:\s*\d{2,} frames")
    time.sleep(2)
    page.get_by_text("⏺ Record", exact=True).click()
    page.get_by_text("It is now the analysis under review").wait_for()
    recorded = page.get_by_text(re.compile(r"Recorded Live recording")).first.text_content()
    n_frames = int(re.search(r"(\d+) frames", recorded).group(1))
    print(f"recording: {recorded}")
    assert n_frames >= 10
    page.get_by_role("link", name="Joint angles").first.click()
    page.get_by_text("Live recording").first.wait_for()
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    assert page.get_by_text("Traceback").count() == 0
    context.close()


def test_an_unplugged_camera_gets_a_message_and_the_app_keeps_serving(
    camera_browser, app_url, artifacts
):
    context, page = _open_live(camera_browser, app_url)
    artifacts.append(page)
    start_camera(page)
    wait_text(page, "live-fps", r"\d+(\.\d)? fps")
    unplugged = False
    for f in page.frames:
        if f.evaluate("() => (window.__posedashStreams || []).length") > 0:
            f.evaluate(
                "() => window.__posedashStreams.forEach(s => s.getTracks().forEach(t => t.stop()))"
            )
            unplugged = True
    assert unplugged
    page.get_by_text("No picture has come from the camera").wait_for(timeout=60_000)
    page.goto(app_url)  # the app keeps serving
    page.get_by_text("Pose analysis for physiotherapists").wait_for()
    context.close()


def test_no_camera_says_what_to_do(browser, app_url, artifacts):
    """The shared browser has no camera at all."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    artifacts.append(page)
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/Live_camera")
    page.get_by_text("Live camera").first.wait_for()
    start_camera(page)
    # the component's own message names the browser's error ...
    page.frame_locator(COMPONENT).first.get_by_text("NotFoundError").wait_for()
    # ... the page's help says it in plain words, without error names
    assert page.get_by_text("No camera was found").count() == 1
    own_text = page.locator("[data-testid=stMain]").inner_text()
    assert not re.search(r"\w+Error\b", own_text), own_text
    assert page.get_by_text("Traceback").count() == 0
    context.close()


def test_a_second_tab_streams_too_and_the_app_keeps_serving(camera_browser, app_url, artifacts):
    """Two tabs, two sessions, one (fake) camera: each gets its own processing, and
    the app serves on after both close. (A real camera held exclusively by one tab
    gives the other a NotReadableError, which the page explains; Chromium's fake
    camera is shared, so that message cannot be produced here.)"""
    tabs = []
    for _ in range(2):  # the second starts while the first streams
        context, page = _open_live(camera_browser, app_url)
        artifacts.append(page)
        start_camera(page)
        wait_text(page, "live-fps", r"\d+(\.\d)? fps")
        wait_text(page, "live-angle", r"\d+°")
        tabs.append((context, page))
    for context, _ in tabs:
        context.close()
    context, page = _open_live(camera_browser, app_url)
    artifacts.append(page)
    assert wait_text(page, "live-fps", "fps") == "– fps"  # a fresh page, served
    context.close()
