"""Start the real app (``streamlit run app.py``) on a free local port, for the
end-to-end and privacy tests. Optionally under ``strace`` to record connections."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Chromium's own background services try to reach Google; these flags keep the
# test browser quiet (the browser is the test's tool, not PoseDash).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    prefix: list[str] | None = None,
    env: dict | None = None,
    timeout: float = 60,
    log_path: Path | None = None,
    script: Path | None = None,
) -> Iterator[str]:
    """Yield the base URL of a freshly started PoseDash server; stop it afterwards.
    The server's output goes to ``log_path`` (or is discarded). ``script``: another
    Streamlit script than ``app.py`` (a test page for one component)."""
    port = free_port()
    cmd = [
        *list(prefix or []),
        sys.executable,
        "-m",
        "dashboard.ui.serve",  # streamlit run app.py, with no-store headers
        str(script or ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    # A session of its own, so that stopping it stops everything it started (strace
    # leaves its tracee running when it is stopped alone). The server keeps its own
    # copy of the log's file descriptor.
    with open(log_path or os.devnull, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = Path(log_path).read_text(errors="replace") if log_path else ""
                raise RuntimeError(f"the app did not start:\n{out[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        _stop_group(proc)


def _stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the server's whole process group, then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # the group leader is gone; give the rest of the group a moment, then stop them
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def wait_rendered(page, timeout: float = 120_000) -> None:
    """Wait until a Streamlit page has drawn its title and no script run is in
    progress (the status widget shows while the page runs). Not "networkidle": a
    page may keep a request open (a media element, a component) and never go idle."""
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout
    )
    page.wait_for_timeout(500)
