"""Speed of a video analysis in the app against the command line (printed, not asserted).

What is timed
-------------
Two clips: the shared walking clip (``videos/sports2d_demo4_gait_side.mp4``, 401
frames) and a 2,005-frame 1280 x 720 H.264 clip made in memory from the lateral
raise video, looped (as ``benchmarks/speed.py`` makes its clip). For each clip,
alternating ``--repeats`` times:

cli process
    ``python -m dashboard analyze CLIP --out DIR``: a fresh process, timed from
    its start until it has written its files and exited.
cli analysis
    The same call the command line makes (``engine.analyze_video`` on the
    file's bytes, default settings) in a fresh process, timed around the call
    only: no interpreter start, no imports, no model look-up, no writing.
app analysis
    The real app (``streamlit run app.py`` on a free local port) in Chromium: a
    new browser session opens Video analysis, uploads the clip and presses
    *Analyse video*. The figure is the background job's own time, start to
    end, which the page prints ("Analysed N frames in X s"); the time from the
    click until the results are on screen (the progress loop's last poll and
    the page's redraw included) is printed beside it.

CPU seconds are also printed, which a busy machine inflates much less than wall
time: the whole ``cli analysis`` process with its workers (its interpreter start,
imports and model look-up included), and the app's server with its workers from
the click to the results (the progress loop included).

The goal: the app's analysis within 10 % of the command line's analysis. The
figures are medians. On a shared or busy machine every figure is inflated;
compare the ratios, measured in alternation, not the seconds.

Where the time went (measured under load, per-thread CPU of the server): with
Streamlit's default ``runner.postScriptGC``, every script run ends with a full
garbage collection, about 0.1 s of CPU holding the interpreter lock in a server
that has MediaPipe, numpy, pandas and plotly loaded; the progress bar's fragment
reran twice a second, so the server spent more CPU on collecting garbage than on
its share of the frames, and the browser redrew the page as often. PoseDash
turns that collection off (``.streamlit/config.toml``) and updates the progress
once a second. ``--post-script-gc`` turns it back on, to compare.

Usage: ``.venv/bin/python benchmarks/app_vs_cli.py [--media DIR] [--repeats 3]
[--long-frames 2005] [--clips walk,long] [--post-script-gc]``
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WALK = "videos/sports2d_demo4_gait_side.mp4"
LOOPED = "videos/sports2d_demo5_lateral_raise_front.mp4"

CLI_ANALYSIS = r"""
import sys, time
from dashboard.detect import engine
from dashboard.detect.models import resolve_model
model = resolve_model()
path = sys.argv[1]
data = open(path, "rb").read()
start = time.perf_counter()
seq = engine.analyze_video(data, model, name=path.rsplit("/", 1)[-1])
print(f"{time.perf_counter() - start:.3f} {seq.num_frames}")
"""


def cli_process(path: Path, out: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dashboard", "analyze", str(path), "--out", str(out)],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def cli_analysis(path: Path, env: dict) -> tuple:
    """(seconds of the analysis call, CPU seconds of the whole process and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run(
        [sys.executable, "-c", CLI_ANALYSIS, str(path)],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(res.stdout.split()[0]), cpu


def _server_cpu(server) -> float:
    """CPU seconds of the server and its finished children (the workers)."""
    t = server.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def app_analysis(browser, url: str, path: Path, server=None) -> tuple:
    """(job seconds printed by the page, click-to-results seconds, server CPU seconds
    from the click to the results: analysis, workers and progress loop)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(900_000)
        page.goto(f"{url}/Video_analysis")
        page.get_by_text("Video analysis").first.wait_for()
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(path))
        button = page.get_by_role("button", name="Analyse video")
        button.wait_for()
        cpu = _server_cpu(server) if server is not None else float("nan")
        start = time.perf_counter()
        button.click()
        done = page.get_by_text("a person was found in")
        done.wait_for()
        seen = time.perf_counter() - start
        if server is not None:
            time.sleep(0.5)  # the workers are reaped
            cpu = _server_cpu(server) - cpu
        text = done.inner_text()
        match = re.search(r"frames in ([0-9.]+) s", text)
        return (float(match.group(1)) if match else float("nan")), seen, cpu
    finally:
        context.close()


def _find_server(url: str):
    """The Streamlit server process serving ``url`` (psutil), or None."""
    try:
        import psutil
    except ImportError:
        return None
    port = url.rsplit(":", 1)[-1]
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if "streamlit" in " ".join(cmd) and port in cmd:
            return proc
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", str(ROOT.parent / "shared" / "media"))),
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long-frames", type=int, default=2005)
    parser.add_argument("--clips", default="walk,long")
    parser.add_argument(
        "--post-script-gc",
        action="store_true",
        help="run the app with Streamlit's garbage collection after every "
        "script run (PoseDash turns it off), to see what it costs",
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from video_memory import make_clip

    from dashboard.detect.parallel import resolve_workers
    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, running_app

    print(
        f"cores: {os.cpu_count()}, PoseDash workers: {resolve_workers(None)}, "
        f"load average now: {os.getloadavg()[0]:.1f}"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), GLOG_minloglevel="2")
    with tempfile.TemporaryDirectory(prefix="posedash-bench-") as tmp:
        clips = {}
        if "walk" in args.clips:
            clips["walk"] = args.media / WALK
        if "long" in args.clips:
            long_clip = Path(tmp) / f"looped{args.long_frames}.mp4"
            long_clip.write_bytes(make_clip((args.media / LOOPED).read_bytes(), args.long_frames))
            clips["long"] = long_clip
        server_env = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"} if args.post_script_gc else None
        with running_app(env=server_env) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            server = _find_server(url)
            app_analysis(browser, url, clips.get("walk") or next(iter(clips.values())))  # warm
            for name, path in clips.items():
                res = {
                    "cli process": [],
                    "cli analysis": [],
                    "app analysis": [],
                    "app click to results": [],
                    "cli CPU": [],
                    "app CPU": [],
                }
                for r in range(args.repeats):
                    res["cli process"].append(cli_process(path, Path(tmp) / "out", env))
                    seconds, cpu = cli_analysis(path, env)
                    res["cli analysis"].append(seconds)
                    res["cli CPU"].append(cpu)
                    job, seen, cpu = app_analysis(browser, url, path, server)
                    res["app analysis"].append(job)
                    res["app click to results"].append(seen)
                    res["app CPU"].append(cpu)
                    print(
                        f"{name} run {r + 1}: "
                        + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in res.items()),
                        flush=True,
                    )
                med = {k: statistics.median(v) for k, v in res.items()}
                print(f"\n{name} ({path.name}), medians of {args.repeats} alternating runs:")
                for k, v in med.items():
                    print(f"  {k:22s} {v:6.1f} s")
                ratio = med["app analysis"] / med["cli analysis"]
                print(
                    f"  app analysis / cli analysis: {ratio:.2f} (goal <= 1.10); "
                    f"click to results / cli analysis: "
                    f"{med['app click to results'] / med['cli analysis']:.2f}; CPU seconds "
                    f"app / cli (whole cli process, server during the analysis): "
                    f"{med['app CPU'] / med['cli CPU']:.2f}\n",
                    flush=True,
                )
            browser.close()
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
