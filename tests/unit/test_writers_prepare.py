"""The command line's writers are built without heavy imports, and :func:`prepare`
imports what writing needs (issue 27: the imports run on a core the analysis has left
free, see dashboard/cli/ahead.py). Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy", "matplotlib", "pyarrow")
#: The imports that cost: each a tenth of a second of CPU or more.
COSTLY = ("pandas", "pyarrow", "scipy.signal", "scipy.stats", "matplotlib", "fontTools.ttLib")

SCRIPT = r"""
import json, sys
from pathlib import Path
from dashboard.pipeline import RunOptions, writers
from dashboard.pipeline.writers import Analysed, prepare
from dashboard.pipeline.step import write_files

options = RunOptions(**json.loads(sys.argv[1]))
built = writers(options)
heavy_after_writers = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(",")))
prepare(options)
from dashboard.analysis import Analysis
from dashboard.settings import AnalysisSettings
from tests.gait_walker import walker

seq, _ = walker(noise_px=1.0)
item = Analysed(Analysis(seq, "walk.mp4", "ab" * 32, "video", AnalysisSettings(),
                         {"path": "m.task", "sha256": "cd" * 32, "origin": "built-in",
                          "description": "full"}, fps=30.0))
before = set(sys.modules)
written = write_files(built, item, Path(sys.argv[2]), "walk")
print(json.dumps({
    "heavy_after_writers": heavy_after_writers,
    "new_when_writing": sorted(set(sys.modules) - before),
    "written": sorted(p.name for p in written),
}))
"""


def _run(options: dict, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(options), str(out), ",".join(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "options",
    [{}, {"report": True, "session": True}],
    ids=["default", "report-and-session"],
)
def test_writers_import_nothing_heavy_and_prepare_imports_what_writing_needs(options, tmp_path):
    got = _run(options, tmp_path)
    # checking the options (a usage error is said before the analysis) costs nothing
    assert got["heavy_after_writers"] == []
    # after prepare, writing loads nothing costly of its own (it all ran on the free core)
    assert [m for m in got["new_when_writing"] if m in COSTLY] == []
    ours = [m for m in got["new_when_writing"] if m.startswith("dashboard.")]
    print("dashboard modules first imported when writing:", ours)
    assert "walk.landmarks.csv" in got["written"] and "walk.gait.json" in got["written"]
    if options:
        assert {"walk.report.pdf", "walk.posedash"} <= set(got["written"])
