"""``--model lite|full|heavy|PATH``, ``--no-swap-repair`` and ``build-model --variant``:
real processes, in-process where nothing is analysed."""

from __future__ import annotations

import json
import os

import pytest

from dashboard.cli import main
from dashboard.detect import models
from tests.clirun import run

SPRINT = "videos/sports2d_demo3_sprint_side.mp4"


@pytest.mark.parametrize("variant", ["lite", "heavy"])
def test_model_variant_is_used_and_recorded(media_dir, tmp_path, variant):
    if not models.variant_is_built(variant):
        pytest.skip(f"the {variant} model is not built: run 'make models'")
    out = tmp_path / "out"
    result = run(
        "analyze",
        media_dir / "images" / "tfjs_pose_yoga_warrior.jpg",
        "--out",
        out,
        "--model",
        variant,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads((out / "tfjs_pose_yoga_warrior.summary.json").read_text())
    model = doc["provenance"]["model"]
    assert model["variant"] == variant and "/" not in model["path"]
    assert model["sha256"] == models.sha256_of(models.variant_bundle_path(variant))


def test_unbuilt_model_and_unknown_name(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POSEDASH_CACHE_DIR", str(tmp_path / "empty"))
    assert main(["analyze", "x.jpg", "--out", str(tmp_path), "--model", "heavy"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "make models" in err[0]
    assert main(["build-model", "--variant", "lite", "--check"]) == 1
    assert main(["build-model", "--variant", "lite"]) == 2
    assert "--from-npm-tarball" in capsys.readouterr().err


def test_no_swap_repair_flag(media_dir, tmp_path):
    out = tmp_path / "out"
    env_out = tmp_path / "off"
    on = run("analyze", media_dir / SPRINT, "--out", out)
    off = run("analyze", media_dir / SPRINT, "--out", env_out, "--no-swap-repair")
    assert on.returncode == 0 and off.returncode == 0, (on.stderr, off.stderr)
    stem = os.path.splitext(os.path.basename(SPRINT))[0]
    doc_on = json.loads((out / f"{stem}.summary.json").read_text())
    doc_off = json.loads((env_out / f"{stem}.summary.json").read_text())
    assert doc_on["provenance"]["detection"]["swap_repair"] is True
    assert doc_off["provenance"]["detection"]["swap_repair"] is False
    assert (out / f"{stem}.landmarks.csv").read_text() != (
        env_out / f"{stem}.landmarks.csv"
    ).read_text()
