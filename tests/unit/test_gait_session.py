"""Sessions keep the gait settings; files without them still open."""

from __future__ import annotations

import io
import json
import zipfile

from dashboard.kinematics.gait import GaitSettings
from dashboard.outputs.session import read_session, save_session
from tests.session_data import small_analysis


def test_gait_settings_round_trip():
    settings = GaitSettings(height_m=1.62, angle_space="world", min_event_confidence=0.4)
    opened = read_session(save_session(small_analysis(), gait_settings=settings))
    assert GaitSettings.from_dict(opened.gait_settings) == settings


def test_older_files_without_gait_settings_open_with_defaults():
    data = save_session(small_analysis())
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(raw)
                manifest.pop("gait_settings", None)  # as written before gait analysis
                raw = json.dumps(manifest).encode()
            dst.writestr(info.filename, raw)
    opened = read_session(buf.getvalue())
    assert opened.gait_settings is None
    assert GaitSettings.from_dict(opened.gait_settings) == GaitSettings()
