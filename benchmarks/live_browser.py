"""The Live camera page as a browser shows it: processed frames per second reaching the
page, and the camera-to-skeleton latency, in Debian's Chromium with its fake camera.

What is measured
----------------
A fresh PoseDash server (``python -m dashboard.ui.serve``, as ``tests/apprunner.py``
starts it) and Chromium driven by Playwright, whose fake camera plays the live test
clip (``tests/live_clip.py``: frontal lateral raises, 640 x 480, 30 fps, its first
10 s looped). Every frame carries its number as a bar code in its top 24 rows (ten
black or white blocks: nine bits of the number and their parity), above the person,
so the skeleton never covers it.

In the page, the bar code of every frame the camera gives is read as it comes (a
``MediaStreamTrackProcessor`` on a clone of the camera track), and
``requestVideoFrameCallback`` reads it on every frame the page's output video
presents (what the server sends back, skeleton drawn). The server sends a frame
back for every camera frame it takes, repeating its last analysed picture while
the next is being analysed; so:

shown fps
    New processed pictures a second: output frames whose number differs from the
    previous one's (repeats are not counted). The figure a clinician sees as
    smoothness, and the goal: at least 20 with the full model on a quiet machine.
camera fps
    Frames the camera gave the page a second (about 30).
latency p50/p95
    From the camera frame's presentation in the page to the output video's first
    presentation of that same frame with the skeleton drawn: network, decoding,
    waiting, pose model, drawing, encoding and decoding again (the browser's
    camera-to-screen path before and after is the same for any page).
buffer ms
    The browser's jitter buffer: mean time an output frame waited in it before
    decoding (from the peer connection's statistics), part of the latency.
page says
    The Live page's own rate line at the end of the window.
server CPU
    Share of one core the server process used over the window.

``--load N`` runs the window again beside N busy processes (a spinning loop each,
as ``benchmarks/with_load.py``), to show how the page degrades on a busy computer.
Figures depend on the machine's load (printed): say so when reporting them.

Usage: ``.venv/bin/python benchmarks/live_browser.py [--seconds 20] [--load 0 --load 2]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from live_open import _cpu_s, _server_pid  # noqa: E402
from with_load import _spin  # noqa: E402

from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.live_clip import (  # noqa: E402
    CLIP,
    COMPONENT,
    FAKE_CAMERA,
    camera_frames,
    start_camera,
    wait_text,
    write_y4m,
)

BITS, STRIP = 10, 24  # bar code: blocks across the top STRIP rows
CLIP_FRAMES = 300  # 10 s looped: latencies up to 10 s are unambiguous


def stamp(rgb: np.ndarray, number: int) -> np.ndarray:
    """``rgb`` with ``number`` (0-511) as a bar code in its top rows: bits 0-8 the
    number, bit 9 their parity."""
    out = rgb.copy()
    bits = [(number >> b) & 1 for b in range(9)]
    bits += [sum(bits) % 2]
    width = out.shape[1] // BITS
    for b, on in enumerate(bits):
        out[:STRIP, b * width : (b + 1) * width] = 255 if on else 0
    return out


# Runs in every frame of the page (the component's iframe too): reads the bar code of
# each camera frame and, once watchOutput() is called, of each output frame.
PAGE_SCRIPT = """
(() => {
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia) return;
  const S = window.__bench = {cam: {}, camCount: 0, out: [], outCount: 0, bad: 0};
  // bits 0-8 the number, bit 9 their parity; -1 when unreadable
  const decode = bit => {
    let n = 0, parity = 0;
    for (let b = 0; b < 9; b++) { const on = bit(b); n |= on << b; parity ^= on; }
    return bit(9) === parity ? n : -1;
  };
  const reader = () => {
    const c = document.createElement('canvas'); c.width = 640; c.height = __STRIP__;
    const g = c.getContext('2d', {willReadFrequently: true});
    return v => {
      if (!v.videoWidth) return -1;
      g.drawImage(v, 0, 0, v.videoWidth, v.videoHeight * __STRIP__ / 480, 0, 0, 640, __STRIP__);
      const d = g.getImageData(0, 0, 640, __STRIP__).data, w = 640 / __BITS__;
      return decode(b => {
        let s = 0, k = 0;
        for (let y = 6; y < __STRIP__ - 6; y += 3)
          for (let x = b * w + w / 4; x < b * w + 3 * w / 4; x += 4) {
            const i = (y * 640 + Math.round(x)) * 4; s += d[i] + d[i + 1] + d[i + 2]; k += 3; }
        return s / k > 128 ? 1 : 0;
      });
    };
  };
  const watch = (v, onFrame) => {
    const read = reader();
    const cb = now => { onFrame(read(v), now); v.requestVideoFrameCallback(cb); };
    v.requestVideoFrameCallback(cb);
  };
  // Every camera frame, as the camera gives it (rendering may skip some): its bar
  // code read from the luma plane of its top rows.
  const camera = async track => {
    const reader = new MediaStreamTrackProcessor({track}).readable.getReader();
    let buf = null;
    for (;;) {
      const {value: f, done} = await reader.read();
      if (done) return;
      const now = performance.now();
      try {
        const w = f.codedWidth, rows = Math.round(f.codedHeight * __STRIP__ / 480);
        if (!buf) buf = new Uint8Array(w * rows * 4);
        const layout = await f.copyTo(buf, {rect: {x: 0, y: 0, width: w, height: rows}});
        const stride = layout[0].stride, fw = w / __BITS__, rgb = f.format.startsWith('RGB')
          || f.format.startsWith('BGR');
        const n = decode(b => {
          let s = 0, k = 0;
          for (let y = Math.round(rows / 4); y < rows * 3 / 4; y += 2)
            for (let x = b * fw + fw / 4; x < b * fw + 3 * fw / 4; x += 4) {
              s += buf[y * stride + Math.round(x) * (rgb ? 4 : 1)]; k++; }
          return s / k > 128 ? 1 : 0;
        });
        if (n >= 0) { S.cam[n] = now; S.camCount++; }
      } finally { f.close(); }
    }
  };
  const original = md.getUserMedia.bind(md);
  md.getUserMedia = async c => {
    const s = await original(c);
    S.camVideo = true;
    camera(s.getVideoTracks()[0].clone());
    return s;
  };
  S.watchOutput = () => {
    const v = document.querySelector('video');
    if (!v || S.outVideo) return !!v;
    S.outVideo = v;
    let last = -2;
    watch(v, (n, now) => {
      S.outCount++;
      if (n < 0) { S.bad++; return; }
      if (n !== last) { S.out.push([n, now, now - (S.cam[n] ?? NaN)]); last = n; }
    });
    return true;
  };
  // the page's peer connection, for the browser's own receive figures
  const PC = window.RTCPeerConnection;
  if (PC) {
    window.RTCPeerConnection = function (...a) { return (S.pc = new PC(...a)); };
    window.RTCPeerConnection.prototype = PC.prototype;
  }
  S.inbound = async () => {
    const out = {jb: 0, jbCount: 0};
    if (S.pc) (await S.pc.getStats()).forEach(r => {
      if (r.type === 'inbound-rtp' && r.kind === 'video')
        Object.assign(out, {jb: r.jitterBufferDelay, jbCount: r.jitterBufferEmittedCount});
    });
    return out;
  };
  S.reset = () => { S.out = []; S.outCount = 0; S.camCount = 0; S.bad = 0; };
})();
""".replace("__STRIP__", str(STRIP)).replace("__BITS__", str(BITS))


def _component(page):
    for frame in page.frames:
        try:
            if frame.evaluate("() => !!(window.__bench && window.__bench.camVideo)"):
                return frame
        except Exception:
            continue
    raise RuntimeError("the camera was not opened in the page")


def measure(page, pid: int, seconds: float) -> dict:
    frame = _component(page)
    deadline = time.monotonic() + 30
    while not frame.evaluate("() => window.__bench.watchOutput()"):
        if time.monotonic() > deadline:
            raise RuntimeError("no output video in the page")
        time.sleep(0.2)
    time.sleep(2)  # the output's first frames
    frame.evaluate("() => window.__bench.reset()")
    jb0 = frame.evaluate("() => window.__bench.inbound()")
    cpu0, t0 = _cpu_s(pid), time.monotonic()
    time.sleep(seconds)
    cpu, elapsed = _cpu_s(pid) - cpu0, time.monotonic() - t0
    data = frame.evaluate(
        "() => ({out: window.__bench.out, outCount: window.__bench.outCount,"
        " camCount: window.__bench.camCount, bad: window.__bench.bad})"
    )
    jb1 = frame.evaluate("() => window.__bench.inbound()")
    buffered = (jb1["jb"] - jb0["jb"]) / max(1, jb1["jbCount"] - jb0["jbCount"])
    says = page.get_by_test_id("live-fps").first.evaluate("e => e.parentElement.textContent")
    lat = [x[2] for x in data["out"] if x[2] == x[2] and 0 <= x[2] < 10_000]
    return {
        "shown": len(data["out"]) / elapsed,
        "presented": data["outCount"] / elapsed,
        "camera": data["camCount"] / elapsed,
        "p50": float(np.percentile(lat, 50)) if lat else float("nan"),
        "p95": float(np.percentile(lat, 95)) if lat else float("nan"),
        "unread": data["bad"],
        "says": " ".join(says.split()),
        "cpu": 100 * cpu / elapsed,
        "buffer": 1000 * buffered,
    }


def run(
    playwright, y4m: Path, seconds: float, loads: list[int], screenshot: str = ""
) -> list[tuple[int, float, dict]]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS + FAKE_CAMERA + [f"--use-file-for-fake-video-capture={y4m}"],
    )
    results = []
    try:
        with running_app() as url:
            pid = _server_pid(url)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(PAGE_SCRIPT)
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{url}/Live_camera")
            start = page.frame_locator(COMPONENT).first.get_by_role("button", name="Start camera")
            start.wait_for()
            start_camera(page)
            wait_text(page, "live-angle", r"\d+°")  # the model is loaded
            for load in loads:
                busy = [mp.Process(target=_spin, daemon=True) for _ in range(load)]
                for p in busy:
                    p.start()
                try:
                    time.sleep(2 if load else 0)
                    r = measure(page, pid, seconds)
                finally:
                    for p in busy:
                        p.terminate()
                    for p in busy:
                        p.join()
                results.append((load, os.getloadavg()[0], r))
                print(_row(load, results[-1][1], r), flush=True)
            if screenshot:
                page.screenshot(path=screenshot, full_page=True)
            context.close()
    finally:
        browser.close()
    return results


HEADER = (
    f"{'busy':>4} {'load':>5} {'shown fps':>9} {'camera fps':>10} {'latency p50':>11} "
    f"{'p95 ms':>7} {'buffer ms':>9} {'server CPU':>10}  page says"
)


def _row(load: int, loadavg: float, r: dict) -> str:
    return (
        f"{load:4d} {loadavg:5.1f} {r['shown']:9.1f} {r['camera']:10.1f} {r['p50']:11.0f} "
        f"{r['p95']:7.0f} {r['buffer']:9.0f} {r['cpu']:9.0f}%  {r['says']}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--media", default=os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring window per run")
    parser.add_argument(
        "--load",
        type=int,
        action="append",
        help="busy processes beside the page (repeat for several runs; default: 0)",
    )
    parser.add_argument("--screenshot", default="", help="save the page as this PNG at the end")
    args = parser.parse_args(argv)
    clip = Path(args.media) / CLIP
    if not clip.is_file():
        print(f"test clip not found: {clip} (use --media)", file=sys.stderr)
        return 2
    frames = [(stamp(rgb, i), t) for i, (rgb, t) in enumerate(camera_frames(clip, CLIP_FRAMES))]
    folder = Path(tempfile.mkdtemp(prefix="posedash-live-"))
    try:
        y4m = write_y4m(frames, folder / "camera.y4m")
        print(
            f"Live page, Chromium fake camera 640 x 480 at 30 fps ({CLIP}), full model, "
            f"{args.seconds:.0f} s a run; {os.cpu_count()} CPU cores, load average "
            f"{os.getloadavg()[0]:.1f} before"
        )
        print(HEADER, flush=True)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            results = run(p, y4m, args.seconds, args.load or [0], args.screenshot)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    unread = sum(r["unread"] for _, _, r in results)
    print(
        f"busy: extra spinning processes; load: 1-min load average after the run; "
        f"output frames whose bar code was unreadable: {unread}"
    )
    if len(results) > 1:
        print(f"median shown fps: {statistics.median(r['shown'] for _, _, r in results):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
