"""First results in the app: how soon a clinician sees something of a 1-minute clip
(issue 27.2). Printed, not asserted.

What is timed
-------------
The real app (``python -m dashboard.ui.serve app.py`` on a free local port) in
Chromium: a new browser session opens Video analysis, uploads a 1-minute clip and
presses *Analyse video*. From that click, the browser itself records (every 50 ms,
in the page) when each of these is first on screen:

first frame
    the newest frame analysed, shown while nobody is found in it yet;
first skeleton
    a frame with its skeleton (the provisional picture's caption says so);
angles heading, first angle curve
    the provisional angle chart's heading ("Angles so far"), then its first curve drawn
    by Plotly in the browser (Plotly's script is loaded with the first chart of a page);
later part shown
    the first frames of a part analysed in a helper process on screen (the status line
    lists the frames between the parts "still being analysed");
shown before final %
    the largest share of the frames the provisional results showed before the final
    result (not a time);
final
    the final result ("a person was found in").

The clip is made in a temporary folder from the shared media: the walking clip
(``videos/sports2d_demo4_gait_side.mp4``, 401 frames, nobody in its first 37) copied
end to end without re-encoding until a keyframe at 60 s or later (1,924 frames, 64 s);
``--clip raise`` loops the lateral raise clip instead (someone in every frame). It is
deleted afterwards.

``--app-root DIR`` runs the app of another checkout (e.g. main before this change, to
compare: there, nothing but the progress bar is on screen before the final result).
The first run of a server is a warm-up (imports, model file) and is printed apart.

The machine's load average is printed at the start and the end: on a busy machine
every figure is inflated.

Usage: ``.venv/bin/python benchmarks/first_results.py [--media DIR] [--repeats 3]
[--clip walk|raise] [--seconds 60] [--app-root DIR] [--shots DIR]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLIPS = {
    "walk": "videos/sports2d_demo4_gait_side.mp4",
    "raise": "videos/sports2d_demo5_lateral_raise_front.mp4",
}
MARKERS = {
    "first frame": "in this frame (provisional)",
    "first skeleton": "skeleton as analysed (provisional)",
    "angles heading": "Angles so far",  # the chart's heading, before Plotly draws
    "first angle curve": "Angles so far",  # with a drawn Plotly curve (CURVE)
    "later part shown": "still being analysed)",  # the status line: a later part shown
    "final": "a person was found in",
}
#: A curve Plotly has drawn (a line of a scatter trace).
CURVE = ".js-plotly-plot .scatterlayer path.js-line"
WATCH_JS = r"""(markers, CURVE) => {
  window.__seen = {};
  window.__shown = 0;
  window.__clicked = performance.now();
  const look = () => {
    const text = document.body.textContent;
    const m = text.match(/of ([\d,]+) frames analysed; showing (?:the first )?([\d,]+)/);
    if (m) {
      const shown = Number(m[2].replaceAll(",", "")) / Number(m[1].replaceAll(",", ""));
      window.__shown = Math.max(window.__shown, shown);
    }
    for (const [name, marker] of Object.entries(markers)) {
      const drawn = name !== "first angle curve" || document.querySelector(CURVE);
      if (!(name in window.__seen) && text.includes(marker) && drawn) {
        window.__seen[name] = (performance.now() - window.__clicked) / 1000;
      }
    }
  };
  window.__watch = setInterval(look, 50);
}"""


def looped(data: bytes, seconds: float) -> bytes:
    """``data``'s packets copied end to end (no re-encoding) up to the first keyframe at
    ``seconds`` or later."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        copy, offset, done = None, 0, False
        while not done:
            with av.open(io.BytesIO(data)) as src:
                stream = src.streams.video[0]
                copy = copy or out.add_stream_from_template(stream)
                packets = [p for p in src.demux(stream) if p.dts is not None and p.size]
                end = 0
                for p in packets:
                    if p.is_keyframe and (p.pts + offset) * stream.time_base >= seconds:
                        done = True
                        break
                    end = max(end, p.pts + (p.duration or 1))
                    p.pts, p.dts, p.stream = p.pts + offset, p.dts + offset, copy
                    out.mux(p)
                offset += end
    return buf.getvalue()


def start_app(app_root: Path, log: Path):
    """(process, url) of a PoseDash server of the checkout ``app_root``."""
    from tests.apprunner import free_port

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            *("-m", "dashboard.ui.serve", "app.py", "--server.port", str(port)),
            *("--server.address", "127.0.0.1", "--server.headless", "true"),
        ],
        cwd=app_root,
        env=dict(os.environ, PYTHONPATH=str(app_root)),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not start: {log.read_text(errors='replace')[-2000:]}")


def one_run(browser, url: str, clip: Path, shots: Path | None, tag: str) -> dict:
    """Seconds from the click to each marker (NaN: never seen before the final)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = context.new_page()
        page.set_default_timeout(900_000)
        page.goto(f"{url}/Video_analysis")
        page.get_by_text("Video analysis").first.wait_for()
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(clip))
        button = page.get_by_role("button", name="Analyse video")
        button.wait_for()
        page.evaluate(f"([m, c]) => ({WATCH_JS})(m, c)", [MARKERS, CURVE])
        button.click()
        page.get_by_text(MARKERS["final"]).first.wait_for()
        if shots is not None:
            page.screenshot(path=str(shots / f"{tag}-final.png"), full_page=True)
        time.sleep(0.2)
        seen = page.evaluate("window.__seen")
        res = {name: float(seen.get(name, float("nan"))) for name in MARKERS}
        res["shown before final %"] = 100 * float(page.evaluate("window.__shown"))
        shown = [v for v in (res["first frame"], res["first skeleton"]) if v == v]
        res["first frame"] = min(shown) if shown else float("nan")  # with a skeleton or not
        return res
    finally:
        context.close()


def shoot_running(browser, url: str, clip: Path, shots: Path) -> None:
    """Screenshots while the analysis runs (after the first skeleton, and later)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    try:
        page = context.new_page()
        page.set_default_timeout(900_000)
        page.goto(f"{url}/Video_analysis")
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(clip))
        page.get_by_role("button", name="Analyse video").click()
        page.get_by_text(MARKERS["first skeleton"]).first.wait_for()
        page.screenshot(path=str(shots / "running-first.png"), full_page=True)
        for k in (1, 2):
            time.sleep(8)
            page.screenshot(path=str(shots / f"running-{k}.png"), full_page=True)
        page.get_by_text(MARKERS["final"]).first.wait_for()
        page.screenshot(path=str(shots / "running-final.png"), full_page=True)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clip", choices=sorted(CLIPS), default="walk")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--app-root", type=Path, default=ROOT)
    parser.add_argument("--shots", type=Path, default=None, help="folder for screenshots")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, _stop_group

    print(f"app: {args.app_root}; cores: {os.cpu_count()}; load average now: {os.getloadavg()}")
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="posedash-first-") as tmp:
        clip = Path(tmp) / f"{args.clip}_{args.seconds:.0f}s.mp4"
        clip.write_bytes(looped((args.media / CLIPS[args.clip]).read_bytes(), args.seconds))
        proc, url = start_app(args.app_root, Path(tmp) / "server.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                runs = []
                for r in range(args.repeats + 1):
                    tag = "warm-up" if r == 0 else f"run {r}"
                    res = one_run(browser, url, clip, args.shots, tag.replace(" ", ""))
                    print(
                        f"{tag}: "
                        + ", ".join(
                            f"{k} {v:.1f}{'' if k.endswith('%') else ' s'}" for k, v in res.items()
                        )
                        + f" (load {os.getloadavg()[0]:.1f})",
                        flush=True,
                    )
                    if r:
                        runs.append(res)
                print(f"\nmedians of {len(runs)} runs, seconds from the click ({clip.name}):")
                for name in [*MARKERS, "shown before final %"]:
                    values = [x[name] for x in runs if x[name] == x[name]]
                    unit = " %" if name.endswith("%") else " s"
                    med = f"{statistics.median(values):6.1f}{unit}" if values else "  never"
                    print(f"  {name:18s} {med}")
                if args.shots is not None:
                    shoot_running(browser, url, clip, args.shots)
                browser.close()
        finally:
            _stop_group(proc)
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
