"""``analyze VIDEO --test ...``: <stem>.test.json, refusals in one line, hostile options."""

from __future__ import annotations

import json

import pytest

from dashboard.analysis import Analysis
from dashboard.functional import TestOptions
from dashboard.pipeline import RunOptions
from dashboard.pipeline.writers import Analysed, functional_writer
from tests.clirun import run
from tests.functional_person import sts_script


def _one_line(stderr: str) -> str:
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    "options, words",
    [
        (["--test", "sts5", "--age", "0"], "not plausible"),
        (["--test", "sts5", "--age", "200"], "not plausible"),
        (["--test", "sts5", "--age", "seventy"], "whole number"),
        (["--test", "sts5", "--sex", "x"], "f or m"),
        (["--test", "walk10", "--distance-m", "-3"], "distance"),
        (["--test", "walk10", "--distance-m", "nan"], "finite"),
        (["--age", "70"], "add --test"),
        (["--mirror", "yes"], "add --test"),
    ],
)
def test_hostile_options_are_one_line_usage_errors(tmp_path, options, words):
    result = run("analyze", tmp_path / "clip.mp4", "--out", tmp_path, *options)
    assert result.returncode == 2
    assert words in _one_line(result.stderr)


def test_writer_writes_the_test_document(tmp_path):
    seq = sts_script().sequence()
    item = Analysed(Analysis(seq, "sts.mp4", "ab" * 32, "video", fps=30.0))
    paths = functional_writer(TestOptions("sts5", age=70, sex="m"))(item, tmp_path, "sts")
    assert [p.name for p in paths] == ["sts.test.json", "sts.test_events.csv"]
    doc = json.loads(paths[0].read_text())
    assert doc["schema"] == "posedash.test/1" and doc["test"] == "sts5"
    assert set(doc) >= {"test", "result", "events", "start", "norms", "setup", "warnings"}
    assert doc["result"]["stands"] == 5
    assert set(doc["events"][0]) >= {"event", "frame", "time_s", "confidence"}
    assert doc["start"]["method"] == "first_movement"
    assert doc["norms"]["band"] == "adults 70–79"
    assert "Bohannon" in doc["norms"]["source"]
    assert doc["source"] == {"name": "sts.mp4", "sha256": "ab" * 32}
    assert item.notes and item.notes[0].startswith("Five-times sit-to-stand")


def test_writer_swaps_single_leg_stance_sides_of_a_mirror_image(tmp_path):
    from tests.functional_person import sls_script

    seq = sls_script(right_lift_s=5.0, left_lift_s=3.0).sequence()
    item = Analysed(Analysis(seq, "sls.mp4", "cd" * 32, "video", fps=30.0))
    functional_writer(TestOptions("sls", mirrored=True))(item, tmp_path, "sls")
    result = json.loads((tmp_path / "sls.test.json").read_text())["result"]
    assert result["sides"] == "patient"
    assert result["right_s"] > result["left_s"]  # the model's left stance was the right


def test_a_refused_test_is_exit_1_and_one_line(media_dir, tmp_path):
    clip = media_dir / "videos" / "tfjs_pose_squats_front.mp4"  # 5 frames per second
    result = run("analyze", clip, "--out", tmp_path, "--test", "sts5")
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "frames per second" in line and line.startswith(str(clip))
    assert not list(tmp_path.glob("*.test.json"))


def test_sts5_clip_gives_test_json(media_dir, tmp_path):
    clip = media_dir / "videos" / "frailtyvision_5xsts_side_portrait.mp4"
    result = run("analyze", clip, "--out", tmp_path, "--test", "sts5", "--age", "72")
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "frailtyvision_5xsts_side_portrait.test.json").read_text())
    assert doc["result"]["stands"] == 5
    assert doc["result"]["total_ends_at"] == "fifth_sit"
    assert 8.4 <= doc["result"]["total_s"] <= 9.0
    assert doc["norms"]["band"] == "adults 70–79"
    assert [c["status"] for c in doc["setup"]] == ["ok"] * 4


def test_writer_hands_the_test_to_the_report(tmp_path):
    from dashboard.pipeline.writers import report_writer

    seq = sts_script().sequence()
    item = Analysed(Analysis(seq, "sts.mp4", "ab" * 32, "video", fps=30.0))
    functional_writer(TestOptions("sts5", age=70))(item, tmp_path, "sts")
    assert item._memo["test_doc"]["test"] == "sts5"
    options = RunOptions()
    (pdf,) = report_writer(options, options.kinematics_settings())(item, tmp_path, "sts")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_session_written_with_a_test_keeps_it_and_library_add_charts_it(tmp_path):
    """``analyze VIDEO --test sts5 --session``: the session file keeps the test, and
    ``library add`` of that file puts its result in the patient's progress."""
    import os
    import subprocess
    import sys

    from dashboard.functional.saved import read_records
    from dashboard.kinematics.summary import KinematicsSettings
    from dashboard.library.service import Library
    from dashboard.outputs.session import read_session
    from dashboard.pipeline.writers import session_writer

    seq = sts_script().sequence()
    item = Analysed(Analysis(seq, "sts.mp4", "ab" * 32, "video", fps=30.0))
    functional_writer(TestOptions("sts5", age=70))(item, tmp_path, "sts")
    (path,) = session_writer(KinematicsSettings(), RunOptions())(item, tmp_path, "sts")
    records, _ = read_records(read_session(path.read_bytes()).manifest["functional_tests"])
    assert records[0]["options"] == {"test": "sts5", "age": 70, "sts_total": "fifth_sit"}
    env = {
        **os.environ,
        "POSEDASH_DATA_DIR": str(tmp_path / "data"),
        "POSEDASH_LIBRARY_PASSPHRASE": "a passphrase for scripts",
    }

    def cli(*a):
        return subprocess.run(
            [sys.executable, "-m", "dashboard", *map(str, a)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    assert cli("library", "init").returncode == 0
    added = cli("library", "add", path, "--patient", "P-0007", "--date", "2026-01-05")
    assert added.returncode == 0, added.stderr
    lib = Library(tmp_path / "data" / "library.sqlite3")
    lib.unlock("a passphrase for scripts")
    (patient,) = lib.patients()
    (point,) = lib.progress(patient.uid, "test.sts5:time_to_fifth_sit_s")
    assert point.value == pytest.approx(item._memo["test_doc"]["result"]["total_s"], abs=1e-3)


def test_writer_scores_the_events_given_by_hand(tmp_path):
    from dashboard.functional.events_file import read_test_events_csv

    seq = sts_script().sequence()
    item = Analysed(Analysis(seq, "sts.mp4", "ab" * 32, "video", fps=30.0))
    opts = TestOptions("sts5", sts_total="fifth_stand")
    _, csv_path = functional_writer(opts)(item, tmp_path, "auto")
    rows = csv_path.read_text().splitlines()
    i = next(k for k, r in enumerate(rows) if r.startswith("full_stand_5,"))
    name, time_s, frame, *rest = rows[i].split(",")
    rows[i] = ",".join([name, f"{float(time_s) + 0.2:.6f}", str(int(frame) + 6), *rest])
    hand = read_test_events_csv("\n".join(rows))
    paths = functional_writer(opts, hand)(item, tmp_path, "edited")
    auto = json.loads((tmp_path / "auto.test.json").read_text())
    doc = json.loads(paths[0].read_text())
    assert doc["events_source"] == "edited" and auto["events_source"] == "automatic"
    assert doc["result"]["total_s"] == pytest.approx(auto["result"]["total_s"] + 0.2, abs=1e-3)
    assert doc["events_changed"]["moved"] == 1
    assert item.notes[-1].startswith("Events corrected by hand (1 changed")
    [moved] = doc["events_corrected"]  # test.json lists the correction
    assert (moved["words"], moved["change"]) == ("full stand 5", "moved")
    assert moved["frame"] == moved["automatic_frame"] + 6
    assert "yes" in paths[1].read_text()  # the events file says which was placed by hand


@pytest.mark.parametrize(
    "content, words",
    [
        (b"event,time_s\nsquat,1.0\n", "is not one of"),
        (b"event,time_s\nseat_off,=SUM(A1)\n", "formula"),
        (b"", "empty"),
    ],
)
def test_a_bad_test_events_file_is_one_line_exit_2(tmp_path, content, words):
    events = tmp_path / "events.csv"
    events.write_bytes(content)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not read: the events file is checked first")
    result = run("analyze", clip, "--out", tmp_path, "--test", "sts5", "--events-from", events)
    assert result.returncode == 2
    assert words in _one_line(result.stderr)


def test_sts5_clip_events_from_a_corrected_file(media_dir, tmp_path):
    clip = media_dir / "videos" / "frailtyvision_5xsts_side_portrait.mp4"
    first = run("analyze", clip, "--out", tmp_path, "--test", "sts5", "--sts-total", "fifth_stand")
    assert first.returncode == 0, first.stderr
    stem = "frailtyvision_5xsts_side_portrait"
    auto = json.loads((tmp_path / f"{stem}.test.json").read_text())
    rows = (tmp_path / f"{stem}.test_events.csv").read_text().splitlines()
    i = next(k for k, r in enumerate(rows) if r.startswith("full_stand_5,"))
    name, time_s, _frame, *rest = rows[i].split(",")
    rows[i] = ",".join([name, f"{float(time_s) + 4 / 30:.6f}", "", *rest])  # 4 frames later
    events = tmp_path / "corrected.csv"
    events.write_text("\n".join(rows))
    out = tmp_path / "edited"
    second = run(
        "analyze", clip, "--out", out, "--test", "sts5", "--sts-total", "fifth_stand",
        "--events-from", events,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    doc = json.loads((out / f"{stem}.test.json").read_text())
    assert doc["events_source"] == "edited"
    assert doc["events_changed"] == {"n": 1, "moved": 1, "added": 0, "deleted": 0}
    shift = doc["result"]["time_to_fifth_stand_s"] - auto["result"]["time_to_fifth_stand_s"]
    assert shift == pytest.approx(4 / 30, abs=0.002)
    assert doc["automatic_events"] == auto["events"]
    assert "corrected by hand" in second.stderr
