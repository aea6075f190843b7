"""Building the lite/heavy bundles from an npm tarball: hashes checked, atomic, errors clear."""

from __future__ import annotations

import io
import tarfile

import pytest

from dashboard.detect import models
from dashboard.errors import ModelError


def _tarball(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_wrong_hash_is_refused_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path / "cache"))
    tgz = _tarball(tmp_path / "p.tgz", {"package/pose_landmark_lite.tflite": b"tampered"})
    with pytest.raises(ModelError, match="not the file PoseDash expects"):
        models.build_variant_bundle("lite", tgz)
    assert not models.variant_is_built("lite")
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_missing_member_or_not_a_tarball(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path / "cache"))
    tgz = _tarball(tmp_path / "p.tgz", {"package/README.md": b"hi"})
    with pytest.raises(ModelError, match="pose_landmark_heavy"):
        models.build_variant_bundle("heavy", tgz)
    bad = tmp_path / "x.tgz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ModelError):
        models.build_variant_bundle("heavy", bad)


def test_unbuilt_variant_explains_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(ModelError) as err:
        models.resolve_model("heavy")
    assert "make models" in err.value.hint and "Accurate (heavy)" in err.value.message
    with pytest.raises(ModelError):
        models.variant_bundle_path("medium")


def test_pinned_hashes():
    assert models.VARIANT_SHA256["full"] == models.LANDMARK_SHA256
    assert models.VARIANT_SHA256["lite"].startswith("f17bfbecadb6")
    assert models.VARIANT_SHA256["heavy"].startswith("59e42d71bcd4")
