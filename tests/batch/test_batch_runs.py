"""Real batch runs of the CLI on shared clips and photos: failures as rows, resume
after a kill, a Dask cluster of two worker processes on loopback giving the same
files as the local run, and no outside connection during a Dask run."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.apprunner import ROOT
from tests.privacy.egress import connections, non_loopback

pytestmark = pytest.mark.slow

CLIPS = (
    "tfjs_pose_squats_front.mp4",
    "sports2d_demo3_sprint_side.mp4",
    "mmhuman3d_single_basketball.mp4",
)
PHOTOS = ("tfjs_pose_yoga_warrior.jpg", "opencv_messi5.jpg")


@pytest.fixture
def study(media_dir, tmp_path) -> Path:
    """A study folder: three short clips and two photos in sub-folders, one damaged video."""
    root = tmp_path / "study"
    for name in CLIPS:
        (root / "videos").mkdir(parents=True, exist_ok=True)
        os.symlink(media_dir / "videos" / name, root / "videos" / name)
    for name in PHOTOS:
        (root / "photos" / "day1").mkdir(parents=True, exist_ok=True)
        os.symlink(media_dir / "images" / name, root / "photos" / "day1" / name)
    data = (media_dir / "videos" / CLIPS[0]).read_bytes()
    (root / "videos" / "damaged.mp4").write_bytes(data[: len(data) // 3])
    return root


def batch(*args, timeout=900, **kw):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "batch", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def rows(out: Path):
    with open(out / "batch.csv", newline="") as f:
        return {Path(r["path"]).name: r for r in csv.DictReader(f)}


def test_folder_batch_failed_row_exit_1_then_resume_skips(study, tmp_path):
    out = tmp_path / "out"
    first = batch(study, "--out", out)
    assert first.returncode == 1, first.stderr[-2000:]
    table = rows(out)
    assert set(table) == set(CLIPS) | set(PHOTOS) | {"damaged.mp4"}
    assert table["damaged.mp4"]["status"] == "failed"
    assert table["damaged.mp4"]["reason"]  # one line, for the spreadsheet
    for name in CLIPS + PHOTOS:
        row = table[name]
        assert row["status"] == "done", row
        assert len(row["sha256"]) == 64
        for output in row["outputs"].split(";"):
            assert (out / output).is_file()
    squats = table["tfjs_pose_squats_front.mp4"]
    assert int(squats["frames"]) == 65 and float(squats["person_found_share"]) > 0.9
    assert float(squats["rom_knee_flexion_left_deg"]) > 40  # squats bend the knees
    assert table["tfjs_pose_yoga_warrior.jpg"]["angle_knee_flexion_left_deg"] != ""
    assert "damaged.mp4" in first.stderr  # the reason reaches the user too

    second = batch(study, "--out", out)
    assert second.returncode == 1  # the damaged file still fails
    again = rows(out)
    assert {n: again[n]["status"] for n in CLIPS + PHOTOS} == {n: "skipped" for n in CLIPS + PHOTOS}
    assert (
        again["tfjs_pose_squats_front.mp4"]["rom_knee_flexion_left_deg"]
        == squats["rom_knee_flexion_left_deg"]
    )

    forced = batch(study / "photos", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr[-2000:]
    assert {rows(out)[n]["status"] for n in PHOTOS} == {"done"}


def test_kill_loses_only_inputs_in_progress(study, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "batch",
            str(study / "videos"),
            str(study / "photos"),
            "--out",
            str(out),
            "--workers",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if (out / "batch.csv").is_file() and sum(
                r["status"] == "done" for r in rows(out).values()
            ) >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the batch finished no input in 300 s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = rows(out)  # readable: never half-written
    done = {n for n, r in before.items() if r["status"] == "done"}
    assert len(done) >= 2
    resumed = batch(study / "videos", study / "photos", "--out", out)
    after = rows(out)
    assert {n for n, r in after.items() if r["status"] == "skipped"} == done
    assert {n for n, r in after.items() if r["status"] == "done"} == set(CLIPS + PHOTOS) - done
    assert resumed.returncode == 1  # the damaged file


@pytest.fixture
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        protocol="tcp",
    ) as c:
        yield c


def test_dask_cluster_gives_the_same_files_as_the_local_run(study, tmp_path, cluster):
    local, remote = tmp_path / "local", tmp_path / "dask"
    a = batch(study, "--out", local)
    b = batch(study, "--out", remote, "--scheduler", cluster.scheduler_address)
    assert a.returncode == b.returncode == 1, b.stderr[-2000:]
    ra, rb = rows(local), rows(remote)
    assert {n: r["status"] for n, r in ra.items()} == {n: r["status"] for n, r in rb.items()}
    outputs = sorted(p.name for p in local.iterdir() if p.name not in ("batch.csv", ".batch.lock"))
    assert outputs == sorted(
        p.name for p in remote.iterdir() if p.name not in ("batch.csv", ".batch.lock")
    )
    assert len(outputs) == 3 * (len(CLIPS) + len(PHOTOS))
    for name in outputs:
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name
    for name in ra:
        for key in ("sha256", "frames", "settings_key", "rom_knee_flexion_left_deg"):
            assert ra[name].get(key) == rb[name].get(key), (name, key)


DASK_RUN = """
import sys
from distributed import LocalCluster
from dashboard.cli import main
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                  dashboard_address=None, protocol="tcp") as c:
    code = main(["batch", sys.argv[1], "--out", sys.argv[2], "--scheduler", c.scheduler_address])
sys.exit(code)
"""


@pytest.mark.skipif(
    shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)"
)
def test_dask_batch_makes_no_outside_connection(study, tmp_path):
    pytest.importorskip("distributed")
    traces = tmp_path / "traces"
    traces.mkdir()
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-ff",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(traces / "trace"),
            sys.executable,
            "-c",
            DASK_RUN,
            str(study / "photos"),
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    conns = connections(traces)
    print(
        f"\nDask batch: {len(list(traces.iterdir()))} processes, {len(conns)} connect() calls, "
        f"outside: {non_loopback(conns)}"
    )
    assert any(c[0] == "AF_INET" for c in conns)  # the cluster really talked, on loopback
    assert non_loopback(conns) == []
