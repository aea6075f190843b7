"""Reading the PDF reports in tests: text (pdftotext), page count and size (pdfinfo),
pictures of the pages (pdftoppm, into test-artifacts/report/), and the recordings and
date the report tests share."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "report"
RAISE = "sports2d_demo5_lateral_raise_front"
YOGA = "tfjs_pose_yoga_warrior"
LABEL = "Zoë Łukasiewicz 李小龍 Ωmega"
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def require_poppler() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} (poppler-utils) is not installed; .ci/run installs it")


def text_of(pdf: bytes, layout: bool = True) -> str:
    require_poppler()
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.decode("utf-8")


def pages_of(pdf: bytes) -> int:
    require_poppler()
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(re.search(rb"Pages:\s+(\d+)", out.stdout).group(1))


def page_size(pdf: bytes) -> str:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=60)
    return re.search(rb"Page size:\s+([^\n]+)", out.stdout).group(1).decode()


def render_pages(pdf: bytes, name: str, dpi: int = 60) -> list:
    """Render every page with pdftoppm into test-artifacts/report/<name>-N.png."""
    require_poppler()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    src = ARTIFACTS / f"{name}.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(src), str(ARTIFACTS / name)],
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))
