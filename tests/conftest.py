"""Shared fixtures. Test media are read from ``$POSEDASH_MEDIA`` (default
``../shared/media`` beside the project); tests that need them skip when absent."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEDIA = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")).resolve()


@pytest.fixture(scope="session")
def media_dir() -> Path:
    if not (MEDIA / "images").is_dir():
        pytest.skip(f"test media not found at {MEDIA} (set POSEDASH_MEDIA to the shared media folder)")
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
