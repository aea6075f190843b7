"""How long the Live camera page takes to open: the first time in a fresh server
and the second time, in Debian's Chromium driven by Playwright.

What is timed
-------------
Per repeat, a fresh PoseDash server is started on a free loopback port (as
``tests/apprunner.py`` does) and one Chromium (no camera needed) opens the home
page. Then, from a click on **Live camera** in the sidebar:

text
    the page's own text is shown (its title and introduction);
frame
    the camera widget's frame is in the page (the server has sent it);
widget
    the camera widget is usable: its **Start camera** button is shown (the
    component's JavaScript, served by the app, has loaded);
server CPU
    CPU seconds the server process spent between the click and the widget
    (imports, the component's registration, a model load if one starts), and
    over the ``--window`` seconds after the click (work the page started in the
    background, e.g. loading the pose model, and its periodic refreshes).

The same is done a second time (back to the home page, click again); then in
another fresh server by going straight to the page's address (a full page load:
Streamlit's own JavaScript too), and, in a third, the Photo analysis page is
opened from the home page as a reference. With the test media, the time from a click on
**Start camera** (Chromium's fake camera playing the live test clip) to the first angle
shown is also timed: the
pose model is prepared then. Separately, the imports the page
needs are timed in a fresh interpreter (``python -X importtime``, cumulative
microseconds of the top-level modules, after ``import streamlit``).

Figures depend heavily on the machine's load (say so when reporting them);
medians over ``--repeats`` runs are printed last.

Usage: ``.venv/bin/python benchmarks/live_open.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

COMPONENT = "iframe[title*=webrtc]"
IMPORTS = (
    "streamlit_webrtc",
    "aiortc",
    "av",
    "dashboard.live.processor",
    "dashboard.ui.live_rtc",
    "dashboard.ui.live",
    "mediapipe",
)


def import_times() -> dict:
    """Cumulative import time (s) of each module, each in a fresh interpreter
    that has imported streamlit first (as the app has)."""
    out = {}
    for name in IMPORTS:
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import streamlit; import {name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| " + re.escape(name) + r"$")
        found = [int(m.group(1)) for line in run.stderr.splitlines() if (m := pattern.search(line))]
        out[name] = found[-1] / 1e6 if found else float("nan")
    return out


def _server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = b" ".join(cmd)
        if (b"streamlit" in line or b"dashboard.ui.serve" in line) and port.encode() in cmd:
            return int(pid)
    raise RuntimeError("server process not found")


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _open(page, pid: int, link: str, text: str, widget, window_s: float, direct: str = "") -> dict:
    """Click ``link`` in the sidebar (or go to the URL ``direct``) and time the page."""
    cpu0, t0 = _cpu_s(pid), time.perf_counter()
    if direct:
        page.goto(direct)
    else:
        page.locator("[data-testid=stSidebar]").get_by_role("link", name=link).first.click()
    page.locator("[data-testid=stMain]").get_by_text(text).first.wait_for()
    t_text = time.perf_counter() - t0
    t_frame = t_text
    if widget is not None:
        page.locator(COMPONENT).first.wait_for()
        t_frame = time.perf_counter() - t0
        widget(page)
    t_widget = time.perf_counter() - t0
    cpu = _cpu_s(pid) - cpu0
    time.sleep(max(0.0, window_s - (time.perf_counter() - t0)))
    return {
        "text": t_text,
        "frame": t_frame,
        "widget": t_widget,
        "cpu": cpu,
        "cpu_window": _cpu_s(pid) - cpu0,
    }


def _live_widget(page) -> None:
    page.frame_locator(COMPONENT).first.get_by_role("button", name="Start camera").wait_for()


def _fresh(
    browser,
    label: str,
    link: str,
    text: str,
    widget,
    window_s: float,
    again: bool = False,
    direct: str = "",
) -> dict:
    """A fresh server; from its home page, open ``link`` (and a second time); or
    go straight to the page's address ``direct``."""
    results = {}
    with running_app() as url:
        pid = _server_pid(url)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        if direct:
            results[label] = _open(
                page, pid, link, text, widget, window_s, direct=f"{url}/{direct}"
            )
        for which in ("first", "second") if again else ("first",) if not direct else ():
            page.goto(url)
            page.get_by_text("Pose analysis for physiotherapists").first.wait_for()
            results[f"{label} {which}"] = _open(page, pid, link, text, widget, window_s)
        page.close()
    return results


def start_to_angle(playwright, media: Path) -> float:
    """Seconds from a click on Start camera (Chromium's fake camera playing the
    live test clip) to the first angle on the page: the pose model is prepared
    meanwhile."""
    from tests.live_clip import CLIP, FAKE_CAMERA, camera_frames, start_camera, wait_text, write_y4m

    y4m = write_y4m(camera_frames(media / CLIP, 150), Path(tempfile.mkdtemp()) / "cam.y4m")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS + FAKE_CAMERA + [f"--use-file-for-fake-video-capture={y4m}"],
    )
    try:
        with running_app() as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            page.goto(f"{url}/Live_camera")
            _live_widget(page)
            time.sleep(3)  # a clinician reads the page before pressing Start
            t0 = time.perf_counter()
            start_camera(page)
            wait_text(page, "live-angle", r"\d+°")
            return time.perf_counter() - t0
    finally:
        browser.close()
        shutil.rmtree(y4m.parent, ignore_errors=True)


def one_run(playwright, window_s: float) -> dict:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    live = ("Live camera", "The picture goes from", _live_widget, window_s)
    try:
        results = _fresh(browser, "live", *live, again=True)
        results.update(_fresh(browser, "live by its address", *live, direct="Live_camera"))
        results.update(
            _fresh(browser, "photo (reference)", "Photo analysis", "Photo analysis", None, window_s)
        )
        return results
    finally:
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-imports", action="store_true")
    parser.add_argument(
        "--media",
        default=os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"),
        help="folder of the shared test media (the live clip), for the "
        "Start camera timing (skipped when the clip is absent)",
    )
    parser.add_argument(
        "--window",
        type=float,
        default=10.0,
        help="server CPU is also summed over this many seconds after "
        "the click (work started by the page, e.g. a model load)",
    )
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}")
    if not args.no_imports:
        print("imports in a fresh interpreter, after streamlit (cumulative, s):")
        for name, s in import_times().items():
            print(f"  {name:28} {s:6.2f}")
    from playwright.sync_api import sync_playwright

    runs, starts = [], []
    with sync_playwright() as p:
        for i in range(args.repeats):
            r = one_run(p, args.window)
            if (Path(args.media) / "videos").is_dir():
                started = start_to_angle(p, Path(args.media))
                starts.append(started)
                print(f"run {i + 1}: Start camera -> first angle {started:.1f} s", flush=True)
            runs.append(r)
            print(
                f"run {i + 1} (load {os.getloadavg()[0]:.1f}): "
                + "; ".join(
                    f"{k}: text {v['text']:.1f} s, component frame {v['frame']:.1f} s, "
                    f"widget {v['widget']:.1f} s, "
                    f"server CPU {v['cpu']:.1f} s ({v['cpu_window']:.1f} s in {args.window:.0f} s)"
                    for k, v in r.items()
                ),
                flush=True,
            )
    print(f"medians over {len(runs)} runs:")
    print(
        f"  {'open':24} {'text s':>7} {'frame s':>8} {'widget s':>9} {'server CPU s':>13} "
        f"{'CPU s in window':>16}"
    )
    for key in runs[0]:
        med = {
            m: statistics.median(r[key][m] for r in runs)
            for m in ("text", "frame", "widget", "cpu", "cpu_window")
        }
        print(
            f"  {key:24} {med['text']:7.1f} {med['frame']:8.1f} {med['widget']:9.1f} "
            f"{med['cpu']:13.1f} {med['cpu_window']:16.1f}"
        )
    if starts:
        print(f"  Start camera -> first angle: {statistics.median(starts):.1f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
