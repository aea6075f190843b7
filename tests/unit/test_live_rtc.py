"""The WebRTC configuration of the live page: no STUN/TURN server on either side,
the server's ICE on loopback only, no CDN in the component (read from the
installed streamlit-webrtc 0.79 / aiortc 1.16 / aioice, not mocked)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from pathlib import Path

from aioice import Candidate, ice

from dashboard.ui import live_rtc


def _run(coro):
    """``asyncio.run`` in a thread of its own: another test may have left an event
    loop set on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _gathered_hosts():
    async def gather():
        conn = ice.Connection(ice_controlling=False)
        await conn.gather_candidates()
        hosts = sorted({c.host for c in conn.local_candidates})
        await conn.close()
        return hosts

    return _run(gather())


def test_server_ice_gathers_on_loopback_only_and_ignores_mdns_names():
    live_rtc.restrict_ice_to_loopback()
    live_rtc.restrict_ice_to_loopback()  # idempotent
    assert _gathered_hosts() == ["127.0.0.1"]

    async def remote(host):
        conn = ice.Connection(ice_controlling=False)
        await conn.add_remote_candidate(
            Candidate(
                foundation="1",
                component=1,
                transport="udp",
                priority=1,
                host=host,
                port=9,
                type="host",
            )
        )
        out = [c.host for c in conn.remote_candidates]
        await conn.close()
        return out

    assert _run(remote("0d2c6a9e-1111-2222-3333-444455556666.local")) == []
    assert _run(remote("127.0.0.1")) == ["127.0.0.1"]


def test_no_ice_server_on_either_side():
    from streamlit_webrtc.component import (
        _resolve_server_rtc_configuration,
        enhance_frontend_rtc_configuration,
    )

    assert live_rtc.RTC_CONFIGURATION == {"iceServers": []}
    # left unset, both sides would get stun:stun.l.google.com:19302
    assert _resolve_server_rtc_configuration(live_rtc.RTC_CONFIGURATION).iceServers == []
    assert enhance_frontend_rtc_configuration(live_rtc.RTC_CONFIGURATION) == {"iceServers": []}


def test_the_component_is_served_from_the_package_without_remote_scripts():
    import streamlit_webrtc

    dist = Path(streamlit_webrtc.__file__).parent / "frontend" / "dist"
    html = (dist / "index.html").read_text()
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    for js in (dist / "assets").glob("*.js"):
        text = js.read_text(errors="replace")
        assert not re.search(r"""import\(\s*["'`]https?://|fonts\.googleapis|cdn\.""", text), js
