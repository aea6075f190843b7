"""Choosing another model in the sidebar: it holds on every page, and a wrong file
gets a message."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _model_uploader(at):
    return next(u for u in at.sidebar.file_uploader if "model" in u.label)


def test_chosen_model_holds_across_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    from dashboard.detect.models import ensure_builtin_bundle

    data = ensure_builtin_bundle().read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/1_Photo_analysis.py").run()
    _model_uploader(at).set_value(("pose_landmarker_heavy.task", data, "application/zip"))
    at.run()
    assert "chosen file" in at.sidebar.caption[-1].value
    at.switch_page("pages/2_Video_analysis.py").run()
    assert not at.exception
    assert "pose_landmarker_heavy.task" in at.sidebar.caption[-1].value
    next(b for b in at.sidebar.button if b.label == "Use the built-in model").click().run()
    assert "built-in" in at.sidebar.caption[-1].value


def test_wrong_model_file_gets_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    _model_uploader(at).set_value(("notes.task", b"not a model", "application/zip"))
    at.run()
    assert not at.exception
    assert any("not a MediaPipe .task model bundle" in e.value for e in at.sidebar.error)
    assert "built-in" in at.sidebar.caption[-1].value
