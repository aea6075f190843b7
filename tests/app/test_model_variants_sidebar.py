"""Fast / Standard / Accurate in the sidebar: a built model is used on every page; a
model not built yet explains the one command that builds it."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.detect import models

ROOT = Path(__file__).resolve().parents[2]


def _radio(at):
    return next(r for r in at.sidebar.radio if r.label == "Model")


def test_unbuilt_model_explains_make_models(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert _radio(at).value == "full"
    _radio(at).set_value("heavy").run()
    assert not at.exception
    assert any("make models" in i.value and "Accurate (heavy)" in i.value for i in at.sidebar.info)
    assert "BlazePose full" in at.sidebar.caption[-1].value  # still the built-in model


def test_built_model_is_used_and_holds_across_pages(tmp_path, monkeypatch):
    if not models.variant_is_built("lite"):
        import pytest

        pytest.skip("the lite model is not built: run 'make models'")
    built = models.variant_bundle_path("lite")
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path))
    shutil.copy(built, tmp_path / built.name)
    shutil.copy(built.with_suffix(".json"), tmp_path / built.with_suffix(".json").name)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    _radio(at).set_value("lite").run()
    assert not at.exception
    assert "BlazePose lite" in at.sidebar.caption[-1].value
    at.switch_page("pages/2_Video_analysis.py").run()
    assert not at.exception
    assert "BlazePose lite" in at.sidebar.caption[-1].value
    assert _radio(at).value == "lite"
