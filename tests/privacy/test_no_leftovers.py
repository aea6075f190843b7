"""Nothing is left behind: analyses and exports write no file holding user data,
and logs hold no image content or landmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apprunner import ROOT, running_app

pytestmark = pytest.mark.slow


def _files(folder: Path):
    return {p for p in folder.rglob("*") if p.is_file()}


def _project_files():
    """Files in the project folder that could hold user data (source and
    documentation files, which developers may be editing, are not counted)."""
    skip = (".venv", ".git", ".pytest_cache", "test-artifacts", "__pycache__")
    source = {".py", ".md", ".txt", ".toml", ".ini", ".cfg", ".json", ""}
    return {
        p: p.stat().st_mtime_ns
        for p in ROOT.rglob("*")
        if p.is_file()
        and p.suffix not in source
        and not any(part in skip for part in p.relative_to(ROOT).parts)
    }


def test_cli_writes_only_the_requested_outputs(media_dir, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    before = _project_files()
    inputs = [
        media_dir / "images" / "tfjs_pose_yoga_warrior.jpg",
        media_dir / "videos" / "tfjs_pose_squats_front.mp4",
    ]
    result = subprocess.run(
        [
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
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert _files(scratch) == set(), "temporary files were left behind"
    assert _project_files() == before, "files in the project folder changed"
    written = {p.name for p in _files(tmp_path / "out")}
    assert all(
        name.startswith(("tfjs_pose_yoga_warrior.", "tfjs_pose_squats_front.")) for name in written
    ), written


def test_app_session_leaves_no_files_and_logs_no_data(media_dir, tmp_path, browser):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    before = _project_files()
    log = tmp_path / "server.log"
    with running_app(env={"TMPDIR": str(scratch)}, log_path=log) as url:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{url}/Photo_analysis")
        page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
            str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg")
        )
        page.get_by_text("Mean visibility").wait_for()
        with page.expect_download():
            page.get_by_role("button", name="Landmarks (CSV)").click()
        page.get_by_role("button", name="Clear my data").click()
        page.get_by_text("Choose a photo to begin").wait_for()
        context.close()
    assert _files(scratch) == set(), f"temporary files were left behind: {_files(scratch)}"
    assert _project_files() == before, "files in the project folder changed"
    text = log.read_text(errors="replace")
    for needle in ("left_knee", "visibility", "463.", "JFIF", "tfjs_pose_yoga"):
        assert needle not in text, f"the server log mentions {needle!r}"
