"""Notes on how a recording was read travel with its results, as a user runs the
commands: ``analyze`` prints them and keeps them in ``summary.json`` and the
session file; ``batch`` in ``batch.csv``, ``summary.json`` and the session file;
``library add`` prints them; the PDF report of a reopened session lists them."""

from __future__ import annotations

import csv
import json

from dashboard.outputs.session import read_session
from tests import videotools as clips
from tests.clirun import LIBRARY_PASS, run

STREAM = "PoseDash analyses stream 2"


def test_analyze_batch_and_library_keep_the_notes(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    video = folder / "cover.mkv"  # its first video stream is a thumbnail
    video.write_bytes(clips.thumbnail_first(clips.plain_clip(12, size=(96, 64))))

    out = tmp_path / "out"
    result = run("analyze", video, "--out", out, "--session")
    assert result.returncode == 0, result.stderr
    assert f"{video}: note: This file has 2 video streams" in result.stderr
    summary = json.loads((out / "cover.summary.json").read_text())
    assert STREAM in summary["provenance"]["read_notes"][0]
    session = out / "cover.posedash"
    assert STREAM in read_session(session.read_bytes()).analysis.notes[0]

    batch_out = tmp_path / "batch"
    result = run("batch", folder, "--out", batch_out, "--session", "--workers", "1")
    assert result.returncode == 0, result.stderr
    with open(batch_out / "batch.csv", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert STREAM in row["notes"] and row["status"] == "done"
    summary = json.loads((batch_out / "cover.summary.json").read_text())
    assert STREAM in summary["provenance"]["read_notes"][0]
    assert STREAM in read_session((batch_out / "cover.posedash").read_bytes()).analysis.notes[0]

    env = {"POSEDASH_DATA_DIR": str(tmp_path / "data"), "POSEDASH_LIBRARY_PASSPHRASE": LIBRARY_PASS}
    assert run("library", "init", env=env).returncode == 0
    result = run("library", "add", session, "--patient", "P-0001", env=env)
    assert result.returncode == 0, result.stderr
    assert f"{session}: note: This file has 2 video streams" in result.stderr


def test_report_of_a_reopened_session_lists_how_the_file_was_read():
    from dataclasses import replace

    from dashboard.outputs.session import save_session
    from dashboard.report.builder import ReportOptions, build_report
    from tests.pdftools import WHEN, text_of
    from tests.session_data import STREAM, TIMES, small_analysis

    fresh = replace(small_analysis(), notes=(STREAM, TIMES))
    reopened = read_session(save_session(fresh)).analysis
    texts = []
    for analysis in (fresh, reopened):
        pdf = build_report(analysis, None, ReportOptions(report_time=WHEN))
        texts.append(" ".join(text_of(pdf, layout=False).split()))
    assert texts[0] == texts[1]  # the same report, fresh or reopened
    assert "How the file was read" in texts[1]
    assert "stream 2 (96 x 64)" in texts[1] and "timestamps were repaired" in texts[1]
