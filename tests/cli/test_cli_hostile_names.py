"""The command line against a careless or hostile file system (issue 26): devices and
pipes refused before reading, names that hold terminal escapes shown, not obeyed, and
filter settings that are not numbers refused."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from dashboard.cli.analyze import options_from_args, read_input
from dashboard.cli.terminal import TerminalSafe, shown
from dashboard.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def test_shown_escapes_what_a_terminal_would_obey():
    assert shown("clip\x1b[2J.mp4") == "clip\\x1b[2J.mp4"
    assert shown("a\u202egpj.exe") == "a\\u202egpj.exe"  # a right-to-left override
    assert shown("b\x9bc\x07d\x7f") == "b\\x9bc\\x07d\\x7f"
    assert shown("tab\there\r\nand café ° ±") == "tab\there\r\nand café ° ±"


def test_a_terminal_safe_stream_writes_escapes(tmp_path):
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as f:
        stream = TerminalSafe(f)
        stream.write("name\x1b]0;title\x07\n")
        stream.flush()
    assert (tmp_path / "out.txt").read_text() == "name\\x1b]0;title\\x07\n"


def test_a_device_or_a_pipe_is_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        read_input(Path("/dev/zero"))  # would never end
    fifo = tmp_path / "clip.mp4"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_input(fifo)  # would wait for a writer for ever
    with pytest.raises(InputError, match="does not exist"):
        read_input(tmp_path / "missing.jpg")


@pytest.mark.parametrize("option", [{"cutoff_hz": float("nan")}, {"max_gap_s": float("inf")}])
def test_filter_settings_that_are_not_numbers_are_refused(option):
    args = types.SimpleNamespace(
        num_poses=1,
        min_detection_confidence=0.5,
        min_presence_confidence=0.5,
        min_tracking_confidence=0.5,
        no_swap_repair=False,
        stride=1,
        max_side=None,
        cutoff_hz=6.0,
        max_gap_s=0.25,
    )
    for key, value in option.items():
        setattr(args, key, value)
    with pytest.raises(ValueError, match="not nan or inf"):
        options_from_args(args)


def test_the_command_line_refuses_them_in_one_line_each(tmp_path, model_info):
    fifo = tmp_path / "live.mp4"
    os.mkfifo(fifo)
    odd = tmp_path / "x\x1b[31my.jpg"
    odd.write_bytes(b"not a photo")
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "analyze", "/dev/zero", fifo, odd, "--out", tmp_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert "not a regular file" in lines[0] and "not a regular file" in lines[1]
    assert "\x1b" not in result.stderr and "x\\x1b[31my.jpg" in lines[2]
    nan = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            odd,
            "--cutoff-hz",
            "nan",
            "--out",
            tmp_path,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert nan.returncode == 2 and "not nan or inf" in nan.stderr


def _small_files_only():  # in the child: writes beyond 4 KB fail with EFBIG (a full disk)
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_results_that_cannot_be_written_leave_no_half_written_file(tmp_path, media_dir, model_info):
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "analyze",
            media_dir / "videos" / "tfjs_pose_squats_front.mp4",
            "--out",
            out,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_small_files_only,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not be written" in lines[0], result.stderr
    assert list(out.iterdir()) == []  # nothing half-written, no staging folder left
