"""Newest frame wins on a busy computer, with synthetic timings and known answers:
the analysed rate against the camera's and what the page says about it, the frames
dropped, the landmarker's timestamps (capture times), and the camera relay that keeps
only the newest frame (real aiortc MediaRelay and streamlit-webrtc wrapping)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import fractions

import av
import numpy as np
import pytest

from dashboard.live.processor import LiveOptions, LiveProcessor, frame_stamp_ms
from dashboard.live.stats import LiveStats, shown_text
from dashboard.skeleton import NUM_LANDMARKS


def _camera_and_processing(stats: LiveStats, seconds: float, every: int, fps: float = 30.0):
    """A camera at ``fps``; every ``every``-th frame analysed, 5 ms after it came."""
    for i in range(int(seconds * fps)):
        t = i / fps
        stats.camera(t)
        if i % every == 0:
            stats.add(t + 0.005, 0.005)
    return (int(seconds * fps) - 1) / fps + 0.005


def test_a_busy_computer_shows_a_third_of_the_frames_and_says_so():
    stats = LiveStats(window_s=2.0)
    now = _camera_and_processing(stats, 6.0, every=3)
    s = stats.summary(now)
    assert s.camera_fps == pytest.approx(30.0)
    assert s.fps == pytest.approx(10.0)
    assert s.busy
    assert s.shown_text == "showing 10 of 30 camera frames a second: the computer is busy"
    assert (s.processed, s.dropped) == (60, 120)  # every camera frame not analysed


def test_keeping_up_shows_every_frame_without_a_warning():
    stats = LiveStats(window_s=2.0)
    now = _camera_and_processing(stats, 4.0, every=1)
    s = stats.summary(now)
    assert s.fps == pytest.approx(30.0) and not s.busy
    assert s.shown_text == "showing 30 of 30 camera frames a second"
    assert s.dropped == 0


def test_the_shown_text_at_the_edges():
    assert shown_text(24.0, 30.0) == "showing 24 of 30 camera frames a second"  # 80 %: fine
    assert shown_text(23.9, 30.0).endswith("the computer is busy")
    assert shown_text(30.4, 29.6) == "showing 30 of 30 camera frames a second"  # never more
    assert shown_text(9.0, 15.0) == ("showing 9 of 15 camera frames a second: the computer is busy")
    assert shown_text(float("nan"), 30.0) == shown_text(10.0, float("nan")) == ""
    assert shown_text(10.0, 0.0) == ""


def test_without_camera_counts_the_rate_stands_alone():
    stats = LiveStats(window_s=2.0)
    for i in range(50):
        stats.add(i * 0.05, 0.01, dropped=1)
    s = stats.summary(49 * 0.05)
    assert np.isnan(s.camera_fps) and s.shown_text == "" and not s.busy
    assert s.fps == pytest.approx(20.0) and s.dropped == 50


def test_a_stalled_camera_has_no_rate():
    stats = LiveStats(window_s=2.0)
    now = _camera_and_processing(stats, 3.0, every=2)
    s = stats.summary(now + 5.0)
    assert np.isnan(s.camera_fps) and np.isnan(s.fps) and s.shown_text == ""


def test_the_landmarker_is_timed_by_capture_times():
    assert frame_stamp_ms(1.2344, 50.0, -1) == 1234  # the capture time, not the arrival
    assert frame_stamp_ms(None, 50.0, -1) == 50_000  # no capture time: the arrival
    assert frame_stamp_ms(float("nan"), 50.0, -1) == 50_000
    assert frame_stamp_ms(1.0, 50.0, 1000) == 1001  # never twice the same time
    # frames 0.1 s apart at capture stay 100 ms apart, however late they are analysed
    stamps, last = [], -1
    for capture, arrival in ((0.0, 7.0), (0.1, 7.4), (0.2, 7.45)):
        last = frame_stamp_ms(capture, arrival, last)
        stamps.append(last)
    assert stamps == [0, 100, 200]


class _Fake:
    def __init__(self):
        self.seen = []

    def __call__(self, rgb, ms):
        self.seen.append(ms)
        xy = np.linspace(10, 40, NUM_LANDMARKS * 2).reshape(1, NUM_LANDMARKS, 2)
        one = np.full((1, NUM_LANDMARKS), 0.9)
        world = np.zeros((1, NUM_LANDMARKS, 3))
        return {"image_xy": xy, "z": 0 * one, "visibility": one, "presence": one, "world_m": world}


def _processor(loaded: bool = True):
    ticks = iter(np.arange(0, 1000, 0.01))
    fake = _Fake()
    proc = LiveProcessor(
        options=LiveOptions(), landmarker_factory=lambda: fake, clock=lambda: float(next(ticks))
    )
    if loaded:
        proc.prepare(background=False)
    return proc, fake


def test_the_processor_counts_camera_frames_once_its_model_is_ready():
    proc, fake = _processor(loaded=False)
    proc.note_camera_frame()  # while the model loads: not counted
    proc.prepare(background=False)
    for _ in range(9):
        proc.note_camera_frame()
    rgb = np.zeros((48, 64, 3), np.uint8)
    for t in (0.0, 0.1, 0.2):
        proc.process(rgb, t)
    rate = proc.snapshot().rate
    assert (rate.processed, rate.dropped) == (3, 6)
    assert fake.seen == [0, 100, 200]  # readouts and tracking on the capture times


# -- the camera relay: newest frame wins, every frame counted -------------------
class _Camera:
    """A camera track giving ``count`` frames 10 ms apart, then nothing."""

    kind = "video"

    def __init__(self, count: int):
        from aiortc import MediaStreamTrack

        class Track(MediaStreamTrack):
            kind = "video"

            def __init__(self):
                super().__init__()
                self.sent = 0

            async def recv(self):
                await asyncio.sleep(0.01 if self.sent < count else 3600)
                frame = av.VideoFrame.from_ndarray(
                    np.full((48, 64, 3), self.sent, np.uint8), format="rgb24"
                )
                frame.pts, frame.time_base = self.sent * 3000, fractions.Fraction(1, 90000)
                self.sent += 1
                return frame

        self.track = Track()


def test_the_relay_keeps_only_the_newest_camera_frame_and_counts_them_all():
    from aiortc.contrib.media import MediaRelay
    from streamlit_webrtc import webrtc

    from dashboard.ui import live_rtc

    live_rtc.newest_frame_only()
    live_rtc.newest_frame_only()  # idempotent
    proc, _ = _processor()

    async def run():
        camera = _Camera(10).track
        bridge = live_rtc.FrameBridge(proc)
        out = webrtc._wrap_with_processor(camera, bridge, async_processing=True, relay=MediaRelay())
        await asyncio.wait_for(out.track.recv(), 5)  # starts the relay: an early frame
        await asyncio.sleep(0.5)  # a late consumer: the camera gives the rest meanwhile
        newest = await asyncio.wait_for(out.track.recv(), 5)
        return out.track, newest

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        relayed, newest = pool.submit(asyncio.run, run()).result()
    assert relayed._buffered is False
    assert newest.to_ndarray(format="rgb24")[0, 0, 0] == 9  # not the second frame: the newest
    assert proc.snapshot().rate.dropped == 10  # ten camera frames counted, none analysed


def test_the_bridge_returns_the_picture_ready_for_the_encoder():
    from dashboard.ui import live_rtc

    proc, fake = _processor()
    bridge = live_rtc.FrameBridge(proc)
    frames = []
    for i in range(3):
        f = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i, np.uint8), format="rgb24")
        f.pts, f.time_base = i * 3000, fractions.Fraction(1, 90000)
        frames.append(f.reformat(format="yuv420p"))
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a thread of its own: an event
        out = pool.submit(asyncio.run, bridge.recv_queued(frames)).result()  # loop may run here
    assert len(out) == 1 and out[0].format.name == "yuv420p"
    assert (out[0].width, out[0].height) == (64, 48)
    assert fake.seen == [67]  # only the newest (at 2/30 s), by its capture time
    assert proc.snapshot().rate.dropped == 2


def test_the_sender_gets_each_analysed_picture_once():
    """The camera gives a frame every 10 ms, the model takes 50 ms: once the first
    picture is analysed, the sender gets analysed pictures only, each once (never the
    last one again while the next is analysed)."""
    import time as _time

    from aiortc.contrib.media import MediaRelay
    from streamlit_webrtc import webrtc

    from dashboard.ui import live_rtc

    live_rtc.newest_frame_only()
    slow = _Fake()

    def detect(rgb, ms):
        _time.sleep(0.05)
        return slow(rgb, ms)

    proc = LiveProcessor(options=LiveOptions(), landmarker_factory=lambda: detect)
    proc.prepare(background=False)

    async def run():
        camera = _Camera(100_000).track
        out = webrtc._wrap_with_processor(
            camera, live_rtc.FrameBridge(proc), async_processing=True, relay=MediaRelay()
        )
        got = []
        while sum(f.format.name == "yuv420p" for f in got) < 5:
            got.append(await asyncio.wait_for(out.recv(), 30))
        out.stop()
        return got

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, run()).result()
    formats = [f.format.name for f in got]
    drawn = formats.index("yuv420p")  # the camera's own frames until the first is analysed
    assert formats[drawn:] == ["yuv420p"] * (len(got) - drawn)
    assert len({id(f) for f in got}) == len(got)  # no picture twice
