"""``analyze --report`` writes the clinician's PDF beside the CSV files (a real process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from dashboard.report.tables import fmt_deg
from tests.clirun import ROOT, run

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) are not installed"
)


def _text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.decode()


def test_report_option_writes_a_pdf_per_input(media_dir, tmp_path):
    yoga = media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"
    nobody = media_dir / "images" / "ultralytics_zidane.jpg"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            str(yoga),
            str(nobody),
            "--out",
            str(tmp_path),
            "--report",
            "--paper",
            "Letter",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert result.returncode == 0, result.stderr
    assert not list(scratch.rglob("*")), "temporary files were left behind"
    pdf = tmp_path / "tfjs_pose_yoga_warrior.report.pdf"
    assert pdf.is_file() and str(pdf) in result.stdout
    text = _text(pdf)
    assert "tfjs_pose_yoga_warrior.jpg" in text
    assert "BlazePose full, built locally from mediapipe" in text
    assert "Patient" in text and "not given" in text and "Clinical notes" not in text
    summary = json.loads((tmp_path / "tfjs_pose_yoga_warrior.summary.json").read_text())
    space = "image" if "(the angle as seen in the picture" in text else "world"
    values = [
        fmt_deg(r["min_deg"])
        for r in summary["range_of_motion"]
        if r["space"] == space and r["n_valid"]
    ]
    assert values and all(v in text for v in values)
    assert "No person found" in _text(tmp_path / "ultralytics_zidane.report.pdf")


def test_without_the_option_no_pdf_is_written(media_dir, tmp_path):
    result = run("analyze", media_dir / "images" / "tfpose_p1.jpg", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_report_makes_no_outside_connection(media_dir, tmp_path):
    """Under strace: making the report (fonts, charts, PDF) connects nowhere."""
    from tests.privacy.egress import connections, non_loopback

    traces = tmp_path / "traces"
    traces.mkdir()
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-ff",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(traces / "trace"),
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            str(media_dir / "images" / "tfjs_pose_yoga_warrior.jpg"),
            "--out",
            str(tmp_path),
            "--report",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "tfjs_pose_yoga_warrior.report.pdf").is_file()
    assert non_loopback(connections(traces)) == []
