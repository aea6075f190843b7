"""The command line on videos whose timestamps PoseDash had to repair or derive
(issues 11.5 and 12.3): ``time_s`` in the CSV strictly increasing, equal to the
presentation time, and a note on stderr saying what was done."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests import videotools as clips
from tests.clirun import run


@pytest.mark.parametrize(
    "fmt,name,note", [("avi", "lab.avi", "frame rate"), ("matroska", "lab.mkv", None)]
)
def test_b_frame_video_gives_increasing_times_and_says_how(tmp_path, fmt, name, note):
    path = tmp_path / name
    path.write_bytes(clips.b_frame_clip(fmt, n=30, rate=30, size=(160, 120)))
    result = run("analyze", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "out" / (path.stem + ".angles.csv"))
    times = table.groupby("frame").time_s.first()
    assert list(times.index) == list(range(30))
    assert np.all(np.diff(times.to_numpy()) > 0)
    assert times.to_numpy() == pytest.approx(np.arange(30) / 30, abs=6e-4)  # MKV: ms
    notes = [line for line in result.stderr.splitlines() if ": note: " in line]
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and notes[0].startswith(str(path)) and note in notes[0]


def test_repeated_timestamps_are_repaired_and_said(tmp_path):
    path = tmp_path / "dup.mkv"
    path.write_bytes(
        clips.retimed_mkv(clips.mjpeg_clip(10), [0, 40, 80, 80, 160, 200, 240, 240, 240, 360])
    )
    result = run("analyze", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "repaired" in result.stderr
    table = pd.read_csv(tmp_path / "out" / "dup.angles.csv")
    times = table.groupby("frame").time_s.first().to_numpy()
    assert np.all(np.diff(times) > 0)
