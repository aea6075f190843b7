"""The WebRTC side of the live page: streamlit-webrtc configured so that nothing
leaves this computer, and the bridge from its video frames to the live core.

Privacy
-------
- **No ICE servers on either side.** Both the browser's and the server's peer get
  ``{"iceServers": []}``. Left unset, streamlit-webrtc fills in Google's STUN
  server (``stun.l.google.com``) for both, and aiortc does so itself when given
  ``None``; an empty list means no STUN or TURN server is ever contacted.
- **The server's ICE candidates are on loopback only.** aioice (aiortc's ICE)
  gathers a host candidate on every interface address *except* 127.0.0.1 and has
  no option to choose; :func:`restrict_ice_to_loopback` replaces its address list
  with ``127.0.0.1``, so the server's media sockets are bound to loopback and the
  browser on this computer reaches them there. The consequence: the live page
  works when the browser runs on the computer running PoseDash (the default set-up,
  ``server.address = 127.0.0.1``), not from another computer of a clinic network.
- **Remote mDNS candidates are not resolved.** A browser may name its own address
  ``<uuid>.local``; resolving that would send multicast DNS queries to the local
  network. They are dropped: the browser's connectivity checks reach the
  loopback candidate anyway, which makes its address known (a peer-reflexive
  candidate).
- The component's JavaScript is served from the installed package
  (``streamlit_webrtc/frontend/dist``), not from a CDN.

Newest frame wins
-----------------
streamlit-webrtc 0.79 hands the camera track to the processing track through
aiortc's ``MediaRelay`` with a *buffered* subscription: an unbounded queue. The
processing track is pulled by the sender, which encodes one frame back to the
browser per camera frame; on a busy computer the encoder falls behind the camera
and the queue grows without end (measured: 3 to 9 s from camera to screen, rising,
while each frame took 0.2 s to analyse). :func:`newest_frame_only` subscribes the
processing track *unbuffered* (the relay keeps only the newest frame), so a late
sender skips to the newest camera frame instead of queueing, and counts every
camera frame for the page's rate (:meth:`LiveProcessor.note_camera_frame`).
Behind that, the processing thread gets every frame that arrived while it was
busy (``recv_queued``) and analyses only the newest. streamlit-webrtc's sender
would meanwhile encode the last analysed picture again for every camera frame;
:func:`_new_pictures_only` sends each analysed picture once (the encoder's time
goes to new pictures). The pictures go back as ``yuv420p`` (converted once, with
OpenCV).
"""

from __future__ import annotations

import logging

import av
import cv2
import numpy as np

from dashboard.live.processor import LiveProcessor

log = logging.getLogger("posedash")

#: Browser and server: no STUN/TURN server at all.
RTC_CONFIGURATION = {"iceServers": []}
#: 640 x 480 video, no sound.
MEDIA_CONSTRAINTS = {
    "video": {"width": {"ideal": 640}, "height": {"ideal": 480}, "frameRate": {"ideal": 30}},
    "audio": False,
}
#: The component's own messages, in PoseDash's words.
TRANSLATIONS = {
    "start": "Start camera",
    "stop": "Stop camera",
    "select_device": "Choose camera",
    "media_api_not_available": (
        "This browser cannot use a camera on this page. Open PoseDash on this computer at "
        "http://localhost:8501 (browsers allow cameras only on localhost or https)."
    ),
    "device_ask_permission": "Please allow this page to use the camera when the browser asks.",
    "device_not_available": (
        "No camera could be opened. Is one connected? If another program or another "
        "browser tab is using it, close that one and press Start camera again."
    ),
    "device_access_denied": (
        "The browser was not allowed to use the camera. Allow camera access for this "
        "page (the camera icon in the address bar), then press Start camera again."
    ),
}

_LOOPBACK = ["127.0.0.1"]


def _loopback_addresses(use_ipv4: bool = True, use_ipv6: bool = True) -> list[str]:
    return list(_LOOPBACK) if use_ipv4 else []


def restrict_ice_to_loopback() -> None:
    """Make aioice gather host candidates on 127.0.0.1 only and skip mDNS
    resolution of the browser's ``.local`` candidates (see the module notes).
    Idempotent; affects this process's aioice, which only the live page uses."""
    from aioice import ice

    if getattr(ice.get_host_addresses, "__posedash__", False):
        return
    _loopback_addresses.__posedash__ = True  # type: ignore[attr-defined]
    ice.get_host_addresses = _loopback_addresses
    original = ice.Connection.add_remote_candidate

    async def add_remote_candidate(self, remote_candidate):
        if remote_candidate is not None and remote_candidate.host.endswith(".local"):
            return  # would need multicast DNS on the local network
        return await original(self, remote_candidate)

    ice.Connection.add_remote_candidate = add_remote_candidate


def newest_frame_only() -> None:
    """Subscribe the live processing track to the camera unbuffered (newest frame
    wins) and count the camera's frames for its processor (see the module notes).
    Idempotent; affects this process's streamlit-webrtc, which only the live page uses."""
    from streamlit_webrtc import webrtc

    original = webrtc._wrap_with_processor
    if getattr(original, "__posedash__", False):
        return

    def wrap(track, processor, *, async_processing, relay):
        if processor is None or track.kind != "video":
            return original(track, processor, async_processing=async_processing, relay=relay)
        if isinstance(processor, FrameBridge):
            _count_frames(track, processor.processor)
        out = original(
            track, processor, async_processing=async_processing, relay=_Unbuffered(relay)
        )
        if isinstance(processor, FrameBridge) and hasattr(out, "_last_out_frame"):
            _new_pictures_only(out)
        return out

    wrap.__posedash__ = True  # type: ignore[attr-defined]
    webrtc._wrap_with_processor = wrap


class _Unbuffered:
    """A relay whose subscriptions keep only the newest frame."""

    def __init__(self, relay) -> None:
        self._relay = relay

    def subscribe(self, track, buffered: bool = True):
        return self._relay.subscribe(track, buffered=False)


def _count_frames(track, processor: LiveProcessor) -> None:
    """Count each frame ``track`` gives (the relay pulls every one, as it arrives)."""
    receive = track.recv

    async def recv():
        frame = await receive()
        processor.note_camera_frame()
        return frame

    track.recv = recv


def _new_pictures_only(out) -> None:
    """Make the asynchronous processing track give its sender only new pictures:
    streamlit-webrtc's gives one per camera frame, repeating the last analysed
    picture while the next is analysed, and the sender encodes every one (VP8 at
    640 x 480: about as long as the pose model on a busy computer)."""
    receive = out.recv

    async def recv():
        while True:
            last = out._last_out_frame
            frame = await receive()
            if last is None or frame is not last:
                return frame

    out.recv = recv


def _base():
    from streamlit_webrtc import VideoProcessorBase

    return VideoProcessorBase


def encoder_picture(rgb: np.ndarray) -> av.VideoFrame:
    """``rgb`` as the ``yuv420p`` frame the VP8 encoder takes (OpenCV's conversion:
    the same BT.601 studio-range values as FFmpeg's, in a fifth of the time here)."""
    height, width = rgb.shape[:2]
    if height % 2 or width % 2:
        return av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(
            format="yuv420p"
        )
    return av.VideoFrame.from_ndarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420), format="yuv420p")


class FrameBridge(_base()):
    """streamlit-webrtc video processor: av frames in, annotated av frames out.

    ``recv_queued`` receives every frame that arrived while the previous one was
    processed; the core processes the newest and drops the others.
    """

    def __init__(self, processor: LiveProcessor) -> None:
        self.processor = processor
        # The camera is starting: load the pose model now, in the background (the
        # page does not load it, so that opening the page stays quick).
        processor.prepare(background=True)

    def _run(self, frames: list[av.VideoFrame]) -> av.VideoFrame:
        newest = frames[-1]
        try:
            batch = [(f.to_ndarray(format="rgb24"), f.time) for f in frames[-1:]]
            out = self.processor.process_latest(batch)
            if len(frames) > 1:
                self.processor.note_dropped(len(frames) - 1)
            return encoder_picture(out)
        except Exception as exc:  # keep streaming: the page shows the message
            log.error("live processing failed: %s", type(exc).__name__)
            self.processor.note_error(
                "A camera picture could not be analysed; it is shown without a "
                "skeleton. If this keeps happening, stop the camera and start it again."
            )
            return newest

    def recv(self, frame: av.VideoFrame) -> av.VideoFrame:
        return self._run([frame])

    async def recv_queued(self, frames: list[av.VideoFrame]) -> list[av.VideoFrame]:
        return [self._run(frames)]

    def on_ended(self) -> None:
        """The stream stopped (Stop pressed, tab closed, camera gone): free the model."""
        self.processor.close()
