"""The three BlazePose models (lite, full, heavy) on the shared human-labelled MPII
photos: PCK@0.05 of the person's height over 12 limb joints (56 labelled joints
in 5 photos). Measured: lite 0.64, full 0.63, heavy 0.73: heavy is clearly the
most accurate; lite and full are within one joint of each other on so few
photos, so only heavy's lead is asserted."""

from __future__ import annotations

import pytest

from dashboard.detect import models
from tests.accuracy.mpii_pck import mpii_pck


def _model(variant):
    if not models.variant_is_built(variant):
        pytest.skip(
            f"the {variant} model is not built: run 'make models' "
            "(make test does it; it needs npm once)"
        )
    return models.resolve_model(variant)


@pytest.fixture(scope="module")
def pck(media_dir):
    if not (media_dir / "labelled" / "mpii" / "test_mpii.json").is_file():
        pytest.skip(f"labelled MPII photos not found under {media_dir}")
    return {v: mpii_pck(media_dir, _model(v))[0] for v in models.VARIANTS}


def test_heavy_is_the_most_accurate(pck):
    assert pck["heavy"] >= max(pck["lite"], pck["full"]) + 0.05, pck


def test_every_model_finds_most_joints(pck):
    for variant, value in pck.items():
        assert value >= 0.55, (variant, pck)


def test_variant_bundles_share_the_detector_and_differ_in_landmark_model():
    import zipfile

    bundles = {v: _model(v).path for v in models.VARIANTS}
    members = {}
    for v, path in bundles.items():
        with zipfile.ZipFile(path) as z:
            members[v] = {n: z.read(n) for n in models.BUNDLE_MEMBERS}
    det = {v: m["pose_detector.tflite"] for v, m in members.items()}
    assert det["lite"] == det["full"] == det["heavy"]
    lm = {v: m["pose_landmarks_detector.tflite"] for v, m in members.items()}
    assert len({lm["lite"], lm["full"], lm["heavy"]}) == 3
    assert len(lm["lite"]) < len(lm["full"]) < len(lm["heavy"])
