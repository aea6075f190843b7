"""Fast / Standard / Accurate on the Advanced page "Model and detection": a built model
is used on every page; a model not built yet explains the one command that builds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.detect import models
from dashboard.ui import navigation, state

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = navigation.script("settings")


def _radio(at):
    return next(r for r in at.radio if r.label == "Model")


def _in_use(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("**In use:**"))


def _settings_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(SETTINGS).run()
    assert not at.exception, at.exception
    return at


def test_unbuilt_model_explains_make_models(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    at = _settings_page()
    assert _radio(at).value == "full"
    _radio(at).set_value("heavy").run()
    assert not at.exception
    assert any("make models" in i.value and "Accurate (heavy)" in i.value for i in at.info)
    assert "BlazePose full" in _in_use(at)  # still the built-in model


def test_built_model_is_used_and_holds_across_pages(tmp_path, monkeypatch):
    if not models.variant_is_built("lite"):
        pytest.skip("the lite model is not built: run 'make models'")
    built = models.variant_bundle_path("lite")
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    shutil.copy(built, tmp_path / built.name)
    shutil.copy(built.with_suffix(".json"), tmp_path / built.with_suffix(".json").name)
    at = _settings_page()
    _radio(at).set_value("lite").run()
    assert not at.exception
    assert "BlazePose lite" in _in_use(at)
    at.switch_page(navigation.script("video")).run()
    assert not at.exception
    assert at.session_state[state.MODEL_PATH] == "lite"
    at.switch_page(SETTINGS).run()
    assert "BlazePose lite" in _in_use(at)
    assert _radio(at).value == "lite"
