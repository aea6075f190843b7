"""Shared fixtures. Test media are read from ``$POSEDASH_MEDIA`` (default
``../shared/media`` beside the project); tests that need them skip when absent."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEDIA = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")).resolve()


@pytest.fixture(scope="session")
def media_dir() -> Path:
    if not (MEDIA / "images").is_dir():
        pytest.skip(
            f"test media not found at {MEDIA} (set POSEDASH_MEDIA to the shared media folder)"
        )
    return MEDIA


@pytest.fixture(scope="session")
def reference(media_dir):
    def load(name: str) -> dict:
        return json.loads((media_dir / "reference" / name).read_text())

    return load


@pytest.fixture(scope="session")
def model_info():
    """The built-in model bundle (built into the per-user cache if missing)."""
    from dashboard.detect.models import resolve_model

    return resolve_model()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole run (Playwright's
    sync API allows one instance per thread)."""
    from tests.apprunner import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# -- the browser side of privacy ---------------------------------------------
# Every browser context a test opens (through the e2e ``page`` fixture or
# ``browser.new_context``) records each request and WebSocket the browser makes;
# the test fails if any goes anywhere but the app itself: no CDN, no tracking
# pixel, no font or map server.

#: Schemes that never leave the browser.
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "chrome-extension", "devtools")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


class RequestLog:
    """Every URL the browser asked for, and those not to ``origin`` (any loopback
    address when the test's app has no known origin)."""

    def __init__(self, origin: str | None) -> None:
        self.origin = _origin(origin) if origin else None
        self.urls: list[str] = []

    def record(self, url: str) -> None:
        self.urls.append(url)

    def watch(self, context) -> None:
        context.on("request", lambda req: self.record(req.url))
        context.on("page", self.watch_page)
        for pg in context.pages:
            self.watch_page(pg)

    def watch_page(self, pg) -> None:
        pg.on("websocket", lambda ws: self.record(ws.url))

    @property
    def foreign(self) -> list[str]:
        return [
            u
            for u in self.urls
            if urlsplit(u).scheme not in LOCAL_SCHEMES
            and not (_origin(u) == self.origin if self.origin else urlsplit(u).hostname in LOOPBACK)
        ]


@pytest.fixture
def requests_log(request):
    """The requests of every browser context opened in this test (only to the app)."""
    url = request.getfixturevalue("app_url") if "app_url" in request.fixturenames else None
    log = RequestLog(url)
    yield log
    assert not log.foreign, f"the browser contacted something other than the app: {log.foreign}"


@pytest.fixture(autouse=True)
def _record_browser_requests(request):
    """Wrap ``browser.new_context`` and ``browser.new_page`` so that every context
    records its requests."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    log = request.getfixturevalue("requests_log")
    original_context, original_page = browser.new_context, browser.new_page

    def new_context(*args, **kwargs):
        context = original_context(*args, **kwargs)
        log.watch(context)
        return context

    def new_page(*args, **kwargs):  # a page with its own context
        pg = original_page(*args, **kwargs)
        log.watch(pg.context)
        return pg

    browser.new_context, browser.new_page = new_context, new_page
    try:
        yield
    finally:
        browser.new_context, browser.new_page = original_context, original_page


# -- tiers --------------------------------------------------------------------
#: Fixtures that bring the real model, the shared media or a browser: a test that
#: uses any of them (directly or through another fixture) belongs to the slow tier.
SLOW_FIXTURES = {"media_dir", "reference", "model_info", "browser"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the model, the media or a browser as ``slow``, so
    that ``make test-fast`` (``-m "not slow"``) runs only what needs none of them."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
