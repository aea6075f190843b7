"""MediaPipe is imported without matplotlib's pyplot (issue 27: 0.3 s of CPU per
analysis process), and pyplot still works for whoever uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_IMPORT_CHECK = r"""
import sys
from dashboard.detect import backend
backend.load_mediapipe()
import mediapipe as mp
from mediapipe.tasks.python import vision
assert "matplotlib.pyplot" not in sys.modules, "pyplot loaded with MediaPipe"
assert "matplotlib" not in sys.modules, "matplotlib loaded with MediaPipe"
assert mp.__version__ == backend.MEDIAPIPE_VERSION and vision.PoseLandmarker
import matplotlib
matplotlib.use("Agg")
assert matplotlib.__file__ and type(matplotlib) is type(sys)
import matplotlib.pyplot as plt  # the real one, for everybody else
from mediapipe.python.solutions import drawing_utils
assert type(plt) is type(sys) and plt.figure.__module__ == "matplotlib.pyplot"
assert drawing_utils.plt.figure is plt.figure  # MediaPipe's own use still works
print("ok")
"""


def test_mediapipe_is_imported_without_pyplot_which_still_works_when_used():
    root = Path(__file__).resolve().parents[2]
    res = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK],
        capture_output=True,
        text=True,
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(root)),
    )
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


def test_the_stand_in_loads_the_real_module_on_first_use():
    from dashboard.detect.backend import _OnFirstUse

    if "json.tool" in sys.modules:
        pytest.skip("json.tool already imported")
    stand_in = sys.modules["json.tool"] = _OnFirstUse("json.tool")
    main = stand_in.main  # imports json.tool for real, the stand-in leaves sys.modules
    assert sys.modules["json.tool"] is not stand_in and main is sys.modules["json.tool"].main
