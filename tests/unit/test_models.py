"""The model bundle: built from mediapipe's files, checked, cached, replaceable."""

import re
import zipfile

import pytest

from dashboard.detect import models
from dashboard.errors import ModelError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POSEDASH_MODEL", raising=False)
    return tmp_path / "cache"


def test_builds_a_task_bundle_in_the_cache(cache):
    path = models.ensure_builtin_bundle()
    assert path.parent == cache and path.suffix == ".task"
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == sorted(models.BUNDLE_MEMBERS)
        assert all(i.compress_type == zipfile.ZIP_STORED for i in bundle.infolist())
        detector = bundle.read("pose_detector.tflite")
    assert b"TFLITE_METADATA" in detector  # normalisation metadata was added
    assert not list(cache.glob("*.part")), "no partial files left behind"


def test_intact_bundle_is_reused_and_corrupt_one_rebuilt(cache):
    path = models.ensure_builtin_bundle()
    stamp = path.stat().st_mtime_ns
    assert models.ensure_builtin_bundle() == path and path.stat().st_mtime_ns == stamp
    path.write_bytes(b"garbage")
    models.ensure_builtin_bundle()
    models.check_task_file(path)
    assert path.stat().st_size > 1_000_000


def test_wrong_source_file_is_refused(cache, tmp_path, monkeypatch):
    fake = tmp_path / "fake.tflite"
    fake.write_bytes(b"not the real model")
    monkeypatch.setattr(models.backend, "installed_model_files", lambda: (fake, fake))
    with pytest.raises(ModelError, match=re.escape("not the one mediapipe 0.10.21 ships")):
        models.build_bundle(cache / "x.task")
    assert not (cache / "x.task").exists()


def test_resolve_prefers_explicit_path_then_environment(cache, tmp_path, monkeypatch):
    builtin = models.resolve_model()
    assert builtin.origin == "built-in" and len(builtin.sha256) == 64
    copy = tmp_path / "my_model.task"
    copy.write_bytes(builtin.path.read_bytes())
    monkeypatch.setenv("POSEDASH_MODEL", str(copy))
    assert models.resolve_model().origin == "environment variable POSEDASH_MODEL"
    assert models.resolve_model(builtin.path).origin == "chosen file"


@pytest.mark.parametrize(
    "content,message",
    [(None, "does not exist"), (b"plain text", "not a MediaPipe .task model bundle")],
)
def test_bad_model_files(tmp_path, content, message):
    path = tmp_path / "bad.task"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        models.resolve_model(path)


def test_zip_without_pose_models_is_refused(tmp_path):
    path = tmp_path / "hand.task"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hand_detector.tflite", b"x")
    with pytest.raises(ModelError, match=re.escape("lacks pose_detector.tflite")):
        models.check_task_file(path)


def test_uploaded_model_is_stored_by_hash(cache):
    data = models.ensure_builtin_bundle().read_bytes()
    stored = models.store_uploaded_model(data, "pose_landmarker_heavy.task")
    assert stored.parent == cache / "models" and stored.name.endswith("pose_landmarker_heavy.task")
    with pytest.raises(ModelError):
        models.store_uploaded_model(b"junk", "junk.task")
    assert not list((cache / "models").glob("*junk*"))
