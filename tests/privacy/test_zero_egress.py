"""Nothing leaves the computer: real analyses under ``strace -f -e trace=connect``
fail the test on any connection attempt that is not to this machine (loopback).

Re-check by hand: ``strace -f -e trace=connect -o /tmp/trace make run``, use the app,
then ``grep -v 127.0.0.1 /tmp/trace | grep AF_INET``.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apprunner import ROOT, running_app, wait_rendered
from tests.privacy.egress import connections, non_loopback

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)"
    ),
]


def strace_prefix(trace_dir: Path):
    return ["strace", "-f", "-ff", "-qq", "-e", "trace=connect", "-o", str(trace_dir / "trace")]


def test_parser_flags_remote_and_accepts_loopback(tmp_path):
    (tmp_path / "trace.1").write_text(
        "1 connect(3, {sa_family=AF_INET, sin_port=htons(8501), "
        'sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        '1 connect(4, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n'
        "1 connect(5, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2a00:1450::1", &sin6_addr), sin6_scope_id=0}, 28) = -1\n'
        "1 connect(6, {sa_family=AF_INET, sin_port=htons(53), "
        'sin_addr=inet_addr("8.8.8.8")}, 16) = -1\n'
    )
    assert non_loopback(connections(tmp_path)) == [
        ("AF_INET6", "2a00:1450::1", 443),
        ("AF_INET", "8.8.8.8", 53),
    ]


def test_cli_analysis_makes_no_outside_connection(media_dir, tmp_path):
    traces = tmp_path / "traces"
    traces.mkdir()
    inputs = [media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"]
    videos = sorted((media_dir / "videos").glob("tfjs_pose_squats_front.mp4"))
    inputs += videos
    result = subprocess.run(
        [
            *strace_prefix(traces),
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            *map(str, inputs),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    conns = connections(traces)
    print(
        f"\nCLI: {len(list(traces.iterdir()))} processes traced, {len(conns)} connect() calls, "
        f"outside: {non_loopback(conns)}"
    )
    assert non_loopback(conns) == []


def test_app_session_makes_no_outside_connection(media_dir, tmp_path, browser):
    traces = tmp_path / "traces"
    traces.mkdir()
    from dashboard.ui import navigation

    with running_app(prefix=strace_prefix(traces), timeout=120) as url:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(120_000)
        for entry in navigation.entries():  # render every page
            page.goto(url)
            page.get_by_role("link", name=entry.title).first.click()
            page.wait_for_url(re.compile(re.escape(entry.address) + "$"))
            wait_rendered(page)
        page.goto(f"{url}/Photo_analysis")
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
            str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg")
        )
        page.get_by_text("Mean visibility").wait_for()
        context.close()
    conns = connections(traces)
    print(f"\napp: {len(conns)} connect() calls, outside: {non_loopback(conns)}")
    assert non_loopback(conns) == []


def test_live_camera_makes_no_outside_connection(media_dir, tmp_path, browser):
    """The Live camera page streaming Chromium's fake camera (a shared clip) over
    WebRTC: no connect() beyond loopback; every socket the server binds is on
    loopback (its WebRTC media included); every datagram it sends goes to this
    computer (loopback, or this computer's own address that the browser's host
    candidate names: the kernel delivers it here)."""
    from tests.live_clip import (
        CLIP,
        camera_frames,
        launch_camera_browser,
        start_camera,
        wait_text,
        write_y4m,
    )
    from tests.privacy.egress import addressed_calls, this_machines_addresses

    traces = tmp_path / "traces"
    traces.mkdir()
    y4m = write_y4m(camera_frames(media_dir / CLIP, 90), tmp_path / "camera.y4m")
    prefix = [
        "strace",
        "-f",
        "-ff",
        "-qq",
        "-e",
        "trace=connect,sendto,sendmsg,bind",
        "-o",
        str(traces / "trace"),
    ]
    camera = launch_camera_browser(browser, y4m)
    try:
        with running_app(prefix=prefix, timeout=120) as url:
            page = camera.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{url}/Live_camera")
            page.get_by_text("Live camera").first.wait_for()
            start_camera(page)
            fps = wait_text(page, "live-fps", r"\d+(\.\d)? fps", timeout=180_000)
            angle = wait_text(page, "live-angle", r"\d+°")
            page.close()  # closing the tab stops the stream: no more media is sent
            media_after, all_after = _seconds_until_quiet(traces, addressed_calls)
    finally:
        camera.close()
    conns = connections(traces)
    calls = addressed_calls(traces)
    binds = [c for c in calls if c[0] == "bind"]
    assert any(c[4] > 300 for c in calls), "no video packet seen: was the stream running?"
    sent = [c for c in calls if c[0] != "bind"]
    own = this_machines_addresses()
    not_loopback_binds = [c for c in binds if not ipaddress.ip_address(c[2]).is_loopback]
    leaving = [c for c in sent if not ipaddress.ip_address(c[2]).is_loopback and c[2] not in own]
    to_own = sorted({c[2] for c in sent} - {"127.0.0.1", "::1"})
    print(
        f"\nlive camera ({fps}, angle {angle}): {len(conns)} connect() calls, outside: "
        f"{non_loopback(conns)}; {len(binds)} binds, not on loopback: {not_loopback_binds}; "
        f"{len(sent)} addressed datagrams, to this computer's own addresses {to_own}, "
        f"leaving it: {leaving}"
    )
    print(
        f"after the tab closed: video packets stopped within {media_after:.0f} s, "
        f"every datagram (ICE consent checks) within {all_after:.0f} s"
    )
    assert non_loopback(conns) == []
    assert binds and not_loopback_binds == []
    assert sent and leaving == []
    assert media_after < 15 and all_after < 90


def _seconds_until_quiet(traces, addressed_calls, quiet_s: float = 8.0, limit_s: float = 120.0):
    """Seconds from now until the server last sent a video-sized datagram (over
    300 bytes), and any datagram, once none has come for ``quiet_s``."""
    import time

    start = time.monotonic()
    last = {"media": (-1, start), "all": (-1, start)}
    while time.monotonic() - start < limit_s:
        sent = [c for c in addressed_calls(traces) if c[0] != "bind"]
        now = time.monotonic()
        for kind, n in (("media", sum(c[4] > 300 for c in sent)), ("all", len(sent))):
            if n != last[kind][0]:
                last[kind] = (n, now)
        if now - last["all"][1] >= quiet_s:
            break
        time.sleep(1.0)
    return last["media"][1] - start, last["all"][1] - start
