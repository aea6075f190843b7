"""``analyze VIDEO --gait --events-from EVENTS.csv``: gait recomputed from events given
by hand (issue 23 item 2). The real walking clip and model; hostile events files are
refused in one line before any analysis."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.outputs.session import read_session
from tests.clirun import run

CLIP = "sports2d_demo4_gait_side.mp4"
STEM = CLIP.rsplit(".", 1)[0]


@pytest.fixture(scope="module")
def automatic(media_dir, tmp_path_factory):
    """The walking clip analysed once: its gait.json and its gait_events.csv."""
    auto_dir = tmp_path_factory.mktemp("auto")
    result = run("analyze", media_dir / "videos" / CLIP, "--gait", "--out", auto_dir)
    assert result.returncode == 0, result.stderr
    auto = json.loads((auto_dir / f"{STEM}.gait.json").read_text())
    return auto, pd.read_csv(auto_dir / f"{STEM}.gait_events.csv")


def test_events_from_recomputes_the_gait_analysis(media_dir, tmp_path, automatic):
    video = media_dir / "videos" / CLIP
    edit_dir = tmp_path / "edited"
    auto, events = automatic
    events = events.copy()
    assert auto["events_source"] == "automatic" and "automatic_events" not in auto
    assert list(events.columns[:4]) == ["side", "event", "frame", "time_s"]
    assert len(events) == len(auto["events"])

    # the clinician's corrections: the last steady right contact of pass 1 4 frames
    # earlier (its frame number emptied), the first deceleration contact of the left
    # foot deleted
    steady = events[
        (events.side == "right")
        & (events.event == "initial_contact")
        & (events.phase == "steady")
        & (events.pass_index == 0)
    ]
    moved = steady.index[-1]
    frame = int(events.at[moved, "frame"])
    events.loc[moved, "time_s"] = (frame - 4) / 30.0
    events["frame"] = events["frame"].astype("Int64")
    events.loc[moved, "frame"] = pd.NA
    decel = events[(events.side == "left") & (events.phase == "deceleration")]
    events = events.drop(index=decel.index[:1])
    edited_csv = tmp_path / "corrected.csv"
    events.to_csv(edited_csv, index=False)

    result = run(
        "analyze", video, "--gait", "--events-from", edited_csv, "--session", "--out", edit_dir
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads((edit_dir / f"{STEM}.gait.json").read_text())
    assert doc["events_source"] == "edited"
    assert doc["events_changed"] == dict(n=2, moved=1, added=0, deleted=1)
    assert doc["events_note"].startswith("Events corrected by hand (2 changed: 1 moved, 1 deleted)")
    assert doc["warnings"][0] == doc["events_note"]
    assert doc["automatic_events"] == auto["events"]  # kept for reference
    # each correction listed: the contact moved 4 frames earlier, the left contact deleted
    listed = {r["change"]: r for r in doc["events_corrected"]}
    assert sorted(listed) == ["deleted", "moved"]
    assert (listed["moved"]["automatic_frame"], listed["moved"]["frame"]) == (frame, frame - 4)
    assert listed["deleted"]["side"] == "left" and listed["deleted"]["frame"] is None
    total = len(auto["events"])  # one moved, one deleted: every event once
    assert doc["events_corrected_note"] == f"2 of {total} events corrected by hand"
    [by_hand] = doc["events_placed_by_hand"]
    assert (by_hand["side"], by_hand["frame"], by_hand["confidence"]) == ("right", frame - 4, 1)
    assert len(doc["events"]) == len(auto["events"]) - 1

    # the right stride that ended at the moved contact is 4 frames shorter: faster cadence
    def ending(doc, end_s):
        return next(c for c in doc["cycles"] if c["side"] == "right" and c["end_s"] == end_s)

    before, after = ending(auto, frame / 30.0), ending(doc, (frame - 4) / 30.0)
    assert before["kept"] and after["kept"] and before["start_s"] == after["start_s"]
    assert after["stride_time_s"] == pytest.approx(before["stride_time_s"] - 4 / 30.0)
    assert doc["parameters"]["cadence_steps_per_min"] > auto["parameters"]["cadence_steps_per_min"]
    # the session file keeps the corrections with the automatic events
    saved = read_session((edit_dir / f"{STEM}.posedash").read_bytes()).gait_events
    assert saved["changes"] == doc["events_changed"] and saved["automatic"] == auto["events"]
    assert len(saved["events"]) == len(doc["events"])
    written = pd.read_csv(edit_dir / f"{STEM}.gait_events.csv")
    assert len(written) == len(doc["events"])

    # an event after the end of the video: one line, exit 1, no gait.json
    late = tmp_path / "late.csv"
    late.write_text("side,event,time_s\nleft,initial_contact,99.5\n")
    result = run("analyze", video, "--gait", "--events-from", late, "--out", tmp_path / "late")
    assert result.returncode == 1
    assert "row 2 (left initial contact at 99.500 s): after the end of the video" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "late" / f"{STEM}.gait.json").exists()


def test_events_given_outside_the_walking_passes_are_one_warning_line(
    media_dir, tmp_path, automatic
):
    """The clinician moves the first contact (right, frame 37: the first pass's first
    frame) 7 frames earlier, to frame 30, and adds a left contact on frame 171, between
    the passes (frames 37-168, 175-343): both are not used, named in one warning line
    (exit 0, every file written); the contact moved out is listed as such in gait.json,
    the session file and the report, never as deleted by hand."""
    from tests.pdftools import text_of

    video = media_dir / "videos" / CLIP
    auto, events = automatic
    events = events.copy()
    first = events.iloc[0]
    assert (first.side, first.event, first.frame) == ("right", "initial_contact", 37)
    events.loc[0, ["frame", "time_s"]] = [30, 30 / 30.0]
    added = dict(first, side="left", frame=171, time_s=171 / 30.0)
    events = pd.concat([events, pd.DataFrame([added])], ignore_index=True)
    given = tmp_path / "outside.csv"
    events.to_csv(given, index=False)
    out = tmp_path / "edited"
    result = run("analyze", video, "--events-from", given, "--session", "--report", "--out", out)
    assert result.returncode == 0, result.stderr  # a warning, not an error
    assert "Traceback" not in result.stderr
    names = {p.name.removeprefix(STEM) for p in out.iterdir()}
    assert {".gait.json", ".gait_events.csv", ".posedash", ".report.pdf"} <= names
    line = (
        "The right initial contact at frame 30 (row 2) and the left initial contact at "
        "frame 171 (row 37) are outside the walking passes (frames 37-168, 175-343): not "
        "used; strides are counted within a pass only."
    )
    [said] = [x for x in result.stderr.splitlines() if "outside" in x or "hand" in x]
    assert said == f"{video}: note: {line}"  # one line
    doc = json.loads((out / f"{STEM}.gait.json").read_text())
    note = (
        "Events corrected by hand (1 changed: 1 moved outside the walking passes (not "
        "used)); the automatic events are kept for reference."
    )
    assert doc["warnings"][:2] == [note, line]
    assert doc["events_changed"] == dict(n=1, moved=0, added=0, deleted=0, moved_out=1)
    assert [
        (r["change"], r["side"], r["automatic_frame"], r["frame"]) for r in doc["events_corrected"]
    ] == [("moved_out", "right", 37, 30)]
    n = len(auto["events"])  # 34 used, and the one moved out
    assert doc["events_corrected_note"] == f"1 of {n} events corrected by hand"
    assert [(e["side"], e["frame"]) for e in doc["events_not_used"]] == [
        ("right", 30),
        ("left", 171),
    ]
    assert len(doc["events"]) == n - 1
    saved = read_session((out / f"{STEM}.posedash").read_bytes()).gait_events
    assert saved["changes"] == doc["events_changed"]
    assert len(saved["events"]) == n + 1  # as given: reopened, the same result
    report = " ".join(text_of((out / f"{STEM}.report.pdf").read_bytes(), layout=False).split())
    assert "moved outside the walking passes: not used 1.23 s (frame 37) 1.00 s (frame 30)" in (
        report
    )
    assert line in report and "deleted by hand" not in report


HOSTILE = {
    "columns.csv": ("frame,when\n1,2\n", "needs the columns side, event and time_s"),
    "nan.csv": ("side,event,time_s\nleft,toe_off,NaN\n", "time_s 'NaN' is not a number"),
    "formula.csv": (
        'side,event,time_s\n=HYPERLINK("http://x"),toe_off,1\n',
        "is a spreadsheet formula",
    ),
    "empty.csv": ("", "is empty"),
    "header.csv": ("side,event,time_s\n", "has no events"),
    "binary.csv": (b"side,event,time_s\n\x00\xff\xfe", "not a text (UTF-8) CSV"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_events_files_are_one_line_and_exit_2(name, tmp_path, capsys):
    content, words = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code = main(
        ["analyze", str(tmp_path / "walk.mp4"), "--events-from", str(path), *_out(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2 and words in err and f"events file {path}" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def _out(tmp_path) -> list[str]:
    return ["--out", str(tmp_path / "out")]


def test_a_million_rows_and_usage_errors_are_refused_before_analysis(tmp_path, capsys):
    big = tmp_path / "million.csv"
    with big.open("w") as f:
        f.write("side,event,time_s\n")
        f.writelines("left,initial_contact,1.0\n" for _ in range(1_000_000))
    video = str(tmp_path / "walk.mp4")
    cases = [
        (["--events-from", str(big)], "a gait events file is at most 2 MB"),
        (["--events-from", str(tmp_path / "missing.csv")], "does not exist"),
        (["--events-from", str(tmp_path)], "is a folder"),
        (["--events-from", str(big), "--no-gait"], "leave out --no-gait"),
        ([video, "--events-from", str(big)], "give one input"),
    ]
    for extra, words in cases:
        assert main(["analyze", video, *extra, *_out(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
