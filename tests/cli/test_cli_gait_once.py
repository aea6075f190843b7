"""``analyze --report`` on the shared walking clip computes the gait analysis once, for
``gait.json`` and the report alike, and writes what computing it separately writes.

In-process (the real model, the real gait analysis): the real functions are wrapped
by counters that call through, so only the number of calls is observed.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from dashboard.cli import main

CLIP = "sports2d_demo4_gait_side.mp4"
STEM = CLIP.rsplit(".", 1)[0]


def _counting(monkeypatch, module, name: str) -> list:
    """Wrap ``module.name`` so that each call is recorded and still runs for real."""
    real, calls = getattr(module, name), []

    def wrapper(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def _text(pdf: bytes) -> str:
    """The report's text without its creation date (the minute it was made)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return "\n".join(line for line in out.stdout.decode().splitlines() if "Report date" not in line)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext is not installed")
def test_report_and_gait_json_share_one_gait_analysis(media_dir, tmp_path, monkeypatch):
    from dashboard.kinematics import gait
    from dashboard.report import builder

    analyses = _counting(monkeypatch, gait, "analyze_gait")
    checks = _counting(monkeypatch, gait, "looks_like_walking")
    reports = []
    real_build = builder.build_report

    def build(*args, **kwargs):
        reports.append((args, kwargs))
        return real_build(*args, **kwargs)

    monkeypatch.setattr(builder, "build_report", build)
    out = tmp_path / "out"
    assert main(["analyze", str(media_dir / "videos" / CLIP), "--report", "--out", str(out)]) == 0
    assert len(analyses) == 1, "gait analysed more than once"
    assert len(checks) == 1, "the walking check ran more than once"
    assert len(reports) == 1
    written = (out / f"{STEM}.report.pdf").read_bytes()
    assert "Gait" in _text(written) and "walking pass" in _text(written)

    # The same files as when each computes its own gait analysis (as before).
    monkeypatch.undo()
    seq, settings, person = analyses[0]
    gait.write_gait(gait.analyze_gait(seq, settings, person), tmp_path, "alone")
    for suffix in (".gait.json", ".gait_cycles.csv"):
        assert (out / f"{STEM}{suffix}").read_bytes() == (tmp_path / f"alone{suffix}").read_bytes()
    (analysis, source, options), _ = reports[0]
    assert analysis.poses is seq
    assert _text(written) == _text(builder.build_report(analysis, source, options))
