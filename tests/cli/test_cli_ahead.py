"""The writers are built in a helper thread while the analysis starts (issue 27): an
option they refuse is still the one thing said, with exit 2, and leaves nothing behind."""

from __future__ import annotations

import threading

import pytest

from dashboard.cli.ahead import Ahead, Refused
from tests.clirun import run


def test_ahead_gives_the_value_or_the_error():
    assert Ahead(lambda a, b: a + b, 2, 3).result() == 5
    gate = threading.Event()

    def refuse():
        gate.wait()
        raise ValueError("--height-m must be between 0.5 and 2.5")

    ahead = Ahead(refuse)
    assert not ahead.failed()  # not yet known: the analysis goes on
    gate.set()
    with pytest.raises(Refused, match="height"):
        ahead.settled()
    assert ahead.failed()
    with pytest.raises(KeyError):
        Ahead(lambda: {}["x"]).settled()  # a bug stays a bug, not a usage error


def test_a_refused_option_is_a_usage_error_and_creates_no_folder(tmp_path):
    out = tmp_path / "new" / "out"
    result = run("analyze", tmp_path / "x.jpg", "--out", out, "--rep-angle", "nope")
    assert result.returncode == 2 and "unknown angle" in result.stderr
    assert "does not exist" not in result.stderr  # the usage error only
    assert not (tmp_path / "new").exists()
