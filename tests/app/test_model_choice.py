"""Choosing another model file on the Advanced page "Model and detection": it holds on
every page, and a wrong file gets a message."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui import navigation, state

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = navigation.script("settings")


def _settings_page(at: AppTest) -> AppTest:
    at.switch_page(SETTINGS).run()
    assert not at.exception, at.exception
    return at


def _model_uploader(at):
    return next(u for u in at.file_uploader if "model" in u.label)


def _in_use(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("**In use:**"))


def test_chosen_model_holds_across_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    from dashboard.detect.models import ensure_builtin_bundle

    data = ensure_builtin_bundle().read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    _settings_page(at)
    _model_uploader(at).set_value(("pose_landmarker_heavy.task", data, "application/zip"))
    at.run()
    assert "chosen file" in _in_use(at)
    at.switch_page(navigation.script("video")).run()
    assert not at.exception
    assert str(at.session_state[state.MODEL_PATH]).endswith("pose_landmarker_heavy.task")
    _settings_page(at)
    assert "pose_landmarker_heavy.task" in _in_use(at)
    next(b for b in at.button if b.label == "Use the built-in model").click().run()
    assert "built-in" in _in_use(at)


def test_wrong_model_file_gets_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    _settings_page(at)
    _model_uploader(at).set_value(("notes.task", b"not a model", "application/zip"))
    at.run()
    assert not at.exception
    assert any("not a MediaPipe .task model bundle" in e.value for e in at.error)
    assert "built-in" in _in_use(at)


def test_the_sidebar_holds_no_technical_setting():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.sidebar.slider and not at.sidebar.radio and not at.sidebar.file_uploader
    assert "Clear my data" in next(b.label for b in at.sidebar.button)


def test_detection_settings_hold_across_pages():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    _settings_page(at)
    at.slider(key=state.NUM_POSES).set_value(3).run()
    at.slider(key=state.DETECTION).set_value(0.3).run()
    at.switch_page(navigation.script("angles")).run()
    assert not at.exception
    assert at.session_state[state.NUM_POSES] == 3
    _settings_page(at)
    assert at.slider(key=state.NUM_POSES).value == 3
    assert at.slider(key=state.DETECTION).value == 0.3
