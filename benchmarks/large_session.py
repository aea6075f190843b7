"""A session at the documented limits: 36,000 frames x 10 people (10 minutes at 60 fps).

What is measured
----------------
core (each step in a fresh Python process, so each peak resident set size is that step's own)
    ``build``: the synthetic session (10 walkers, tiled from ``tests/gait_walker.py``) and its file;
    ``save``: ``save_session`` with the angle table (what the Sessions page's button offers);
    ``save-bare``: ``save_session`` without the table;
    ``load``: ``read_session`` of the file;
    ``angles``: ``read_session`` then the angles of every person (``compute_kinematics``).
app (``--app``)
    A fresh PoseDash server (``tests/apprunner.py``) and headless Chromium open the
    Sessions page and upload the file: seconds until "Opened ..." is shown, then until the
    Joint angles page (reached by its link) shows its chart; the server's peak resident set
    size (``VmHWM``, children included); then the tab is closed and the server's CPU is
    sampled for ``--after`` seconds (1.0 = one core busy).

Figures depend on the machine's load: the uptime load average is printed with them.

Usage: ``.venv/bin/python benchmarks/large_session.py [--frames 36000] [--people 10] [--app]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(frames: int, people: int, fps: float = 60.0):
    """An :class:`Analysis` of ``people`` walkers over ``frames`` frames (each person shifted
    and with its own noise, so no two people are the same)."""
    import numpy as np

    from dashboard.analysis import Analysis
    from dashboard.poses import PoseSequence
    from tests.gait_walker import walker

    one, _ = walker(fps=fps, noise_px=0.5)
    reps = -(-frames // one.num_frames)
    rng = np.random.default_rng(1)

    def tile(a):
        return np.concatenate([a] * reps)[:frames]

    xy = tile(one.image_xy[:, 0])
    world = tile(one.world_m[:, 0])
    vis = tile(one.visibility[:, 0])
    shift = np.arange(people)[None, :, None, None] * 7.0
    image_xy = xy[:, None] + shift + rng.normal(0, 0.3, (frames, people, xy.shape[1], 2))
    world_m = np.repeat(world[:, None], people, axis=1)

    def f4(a):  # the pose model's outputs are float32 values (visibility, depth, metres)
        return np.asarray(a, np.float32).astype(np.float64)

    seq = PoseSequence(
        image_xy=image_xy,
        z=f4(rng.normal(0, 0.1, (frames, people, xy.shape[1]))),
        visibility=f4(np.repeat(vis[:, None], people, axis=1)),
        presence=f4(np.repeat(vis[:, None], people, axis=1)),
        world_m=f4(world_m + rng.normal(0, 0.002, world_m.shape)),
        time_s=np.arange(frames) / fps,
        frame_index=np.arange(frames),
        image_size=(one.image_size[0] + 7 * people, one.image_size[1]),
    )
    return Analysis(
        poses=seq, source_name="large_walk.mp4", source_sha256="0" * 64, kind="video", fps=fps
    )


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, path: Path, frames: int, people: int) -> dict:
    """Run one step in this process; returns its figures."""
    from dashboard.outputs import session

    t0 = time.perf_counter()
    out: dict = {}
    if name == "build":
        data = session.save_session(build(frames, people))
        path.write_bytes(data)
        out["file_mb"] = len(data) / 2**20
    elif name in ("save", "save-bare"):
        from dashboard.kinematics.summary import angles_dataframe, compute_kinematics

        analysis = session.load_session(path.read_bytes())
        t0 = time.perf_counter()
        table = None
        if name == "save":
            table = angles_dataframe(compute_kinematics(analysis.poses))
        data = session.save_session(analysis, angle_table=table)
        out["file_mb"] = len(data) / 2**20
    elif name == "load":
        session.read_session(path.read_bytes())
    elif name == "angles":
        from dashboard.kinematics.summary import compute_kinematics

        analysis = session.load_session(path.read_bytes())
        compute_kinematics(analysis.poses)
    out["seconds"] = time.perf_counter() - t0
    out["peak_mb"] = _peak_mb()
    return out


def run_step(name: str, path: Path, frames: int, people: int) -> dict:
    cmd = [sys.executable, __file__, "--step", name, "--file", str(path)]
    cmd += ["--frames", str(frames), "--people", str(people)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if res.returncode:
        return {"error": res.stderr.strip().splitlines()[-1:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def _server(url: str):
    import psutil

    port = url.rsplit(":", 1)[1]
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if "dashboard.ui.serve" in " ".join(cmd) and port in cmd:
            return proc
    raise RuntimeError("no server process")


def _cpu(server, seconds: float) -> float:
    def used():
        total = 0.0
        for p in [server, *server.children(recursive=True)]:
            t = p.cpu_times()
            total += t.user + t.system
        return total

    before, start = used(), time.monotonic()
    time.sleep(seconds)
    return (used() - before) / (time.monotonic() - start)


def _hwm_mb(server) -> float:
    for line in Path(f"/proc/{server.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _settled(page, timeout_ms: int) -> None:
    """Wait until the app has finished its run (Streamlit's running indicator is gone)."""
    page.wait_for_timeout(1_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout_ms
    )


def close_while_opening(path: Path, after: float, wait: float = 30.0) -> None:
    """Upload the file, close the tab ``wait`` seconds after the upload ended (while the
    server works on it), and print the server's CPU over ``after`` seconds."""
    from playwright.sync_api import sync_playwright

    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, running_app

    with running_app(timeout=120) as url, sync_playwright() as pw:
        server = _server(url)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(600_000)
        page.goto(f"{url}/Sessions")
        page.get_by_text("Open a saved session").first.wait_for()
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(path))
        page.get_by_text(path.name).first.wait_for()  # uploaded: the server works on it
        page.wait_for_timeout(wait * 1000)
        context.close()
        shares = [_cpu(server, 5.0) for _ in range(int(after // 5))]
        print(
            f"app: tab closed {wait:.0f} s after the upload ended; server CPU per 5 s: "
            + " ".join(f"{s:.0%}" for s in shares)
            + f" (load {load()})",
            flush=True,
        )
        browser.close()


def open_in_app(path: Path, after: float) -> None:
    """Open the session in a fresh server with Chromium; print the figures."""
    from playwright.sync_api import sync_playwright

    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, running_app

    with running_app(timeout=120) as url, sync_playwright() as pw:
        server = _server(url)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(1_800_000)
        page.goto(f"{url}/Sessions")
        page.get_by_text("Open a saved session").first.wait_for()
        base = _hwm_mb(server)
        t0 = time.monotonic()
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(str(path))
        page.get_by_text("It is now the analysis under review").wait_for()
        _settled(page, 1_800_000)
        opened = time.monotonic() - t0
        print(f"app: opened in {opened:.1f} s (load {load()})", flush=True)
        t1 = time.monotonic()
        page.locator("[data-testid=stSidebar]").get_by_role("link", name="Joint angles").click()
        page.get_by_text("Range of motion").first.wait_for()
        _settled(page, 1_800_000)
        angles = time.monotonic() - t1
        shot = Path(tempfile.gettempdir()) / "large_session_angles.png"
        page.screenshot(path=str(shot), full_page=False)
        print(f"app: Joint angles shown in {angles:.1f} s (screenshot {shot})", flush=True)
        print(f"app: server peak RSS {_hwm_mb(server):,.0f} MB (before the upload {base:,.0f} MB)")
        context.close()
        shares = [_cpu(server, 5.0) for _ in range(int(after // 5))]
        print(
            "app: server CPU after the tab closed, per 5 s: "
            + " ".join(f"{s:.0%}" for s in shares)
            + f" (load {load()})"
        )
        browser.close()


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=36_000)
    ap.add_argument("--people", type=int, default=10)
    ap.add_argument("--steps", default="build,save,save-bare,load,angles")
    ap.add_argument("--app", action="store_true", help="also open it in the app (Chromium)")
    ap.add_argument("--close-early", action="store_true", help="close the tab while opening")
    ap.add_argument("--after", type=float, default=60.0, help="seconds of CPU after the tab")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, Path(args.file), args.frames, args.people)))
        return
    with tempfile.TemporaryDirectory(prefix="posedash-large-") as tmp:
        path = Path(tmp) / "large_walk.posedash"
        print(f"{args.frames:,} frames x {args.people} people; load average {load()}")
        names = args.steps.split(",")
        if "build" not in names:
            names.insert(0, "build")
        for name in names:
            got = run_step(name, path, args.frames, args.people)
            print(f"{name:10s} {json.dumps(got)}  (load {load()})", flush=True)
        if args.app:
            open_in_app(path, args.after)
        if args.close_early:
            close_while_opening(path, args.after)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
