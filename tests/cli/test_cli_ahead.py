"""The command line checks its options before the analysis and imports what its writers
need on a core the analysis leaves free (issue 27, :mod:`dashboard.cli.ahead`): an option
refused is still the one thing said, with exit 2, and leaves nothing behind."""

from __future__ import annotations

import pytest

from dashboard.cli.ahead import Ahead
from tests.clirun import run


def test_ahead_runs_once_from_its_first_start_and_result_starts_it():
    calls = []
    ahead = Ahead(lambda x: calls.append(x) or len(calls), 7)
    assert not ahead.started and calls == []  # nothing before start
    ahead.start()
    ahead.start()  # again: nothing more
    assert ahead.result() == 1 and calls == [7]
    lazy = Ahead(lambda: "done")
    assert lazy.result() == "done" and lazy.started  # result() starts it when nobody has


def test_ahead_gives_the_error_to_the_caller():
    def broken():
        raise ImportError("no module named pandas")

    ahead = Ahead(broken)
    ahead.start()
    with pytest.raises(ImportError, match="pandas"):
        ahead.result()


def test_a_refused_option_is_a_usage_error_and_creates_no_folder(tmp_path):
    out = tmp_path / "new" / "out"
    result = run("analyze", tmp_path / "x.jpg", "--out", out, "--rep-angle", "nope")
    assert result.returncode == 2 and "unknown angle" in result.stderr
    assert "does not exist" not in result.stderr  # the usage error only
    assert not (tmp_path / "new").exists()


def test_a_bad_height_is_said_at_once_and_creates_no_folder(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", tmp_path / "x.mp4", "--out", out, "--height-m", "9")
    assert result.returncode == 2 and "height" in result.stderr
    assert result.stderr.count("\n") == 1 and not out.exists()
