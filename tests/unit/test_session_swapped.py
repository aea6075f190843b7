"""Session files keep the swap repair's flags; older files without them still open."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import numpy as np

from dashboard.outputs.session import load_session, save_session
from dashboard.settings import AnalysisSettings
from tests.session_data import small_analysis


def _with_flags(analysis):
    flags = np.zeros((analysis.poses.num_frames, analysis.poses.num_people, 2), bool)
    flags[1, 0, 0] = flags[4, 0, 1] = True
    return dataclasses.replace(
        analysis, poses=dataclasses.replace(analysis.poses, swapped=flags)
    ), flags


def test_swapped_flags_and_setting_round_trip():
    analysis, flags = _with_flags(small_analysis())
    analysis = dataclasses.replace(analysis, settings=AnalysisSettings(swap_repair=True))
    back = load_session(save_session(analysis))
    np.testing.assert_array_equal(back.poses.swapped, flags)
    assert back.poses.equals(analysis.poses)
    assert back.settings.swap_repair is True
    off = dataclasses.replace(analysis, settings=AnalysisSettings(swap_repair=False))
    assert load_session(save_session(off)).settings.swap_repair is False


def _strip(data: bytes) -> bytes:
    """The file as an older PoseDash wrote it: no swapped array, no swap_repair setting."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name == "arrays/swapped.npy":
                continue
            raw = src.read(name)
            if name == "manifest.json":
                manifest = json.loads(raw)
                manifest["arrays"].pop("swapped")
                manifest["settings"].pop("swap_repair")
                raw = json.dumps(manifest).encode()
            dst.writestr(name, raw)
    return out.getvalue()


def test_older_files_without_flags_still_open():
    analysis, _ = _with_flags(small_analysis())
    back = load_session(_strip(save_session(analysis)))
    assert not back.poses.swapped.any()
    assert back.poses.swapped.shape == analysis.poses.swapped.shape
    # Their landmarks were never repaired: say so.
    assert back.settings.swap_repair is False
    np.testing.assert_array_equal(back.poses.image_xy, analysis.poses.image_xy)
