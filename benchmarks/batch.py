"""Batch throughput on the shared videos: files/min and frames/s for
(1) ``analyze`` run once per file (a fresh process each), (2) ``batch`` locally on
all cores, (3) ``batch`` on a two-worker Dask LocalCluster on loopback.

Prints figures; asserts nothing. ``make bench`` runs it. Needs $POSEDASH_MEDIA.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEDIA = Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media"))


def _cli(*args) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _frames(out: Path) -> int:
    with open(out / "batch.csv", newline="") as f:
        return sum(int(r["frames"] or 0) for r in csv.DictReader(f) if r["status"] == "done")


def main() -> None:
    videos = sorted((MEDIA / "videos").glob("*.*"))
    if not videos:
        sys.exit(f"no videos under {MEDIA}/videos: set POSEDASH_MEDIA")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        per_file = sum(_cli("analyze", v, "--out", tmp / "single") for v in videos)
        local = _cli("batch", *videos, "--out", tmp / "local")
        frames = _frames(tmp / "local")
        from distributed import LocalCluster

        # The scheduler and the workers unpickle tasks that name dashboard.*: like a real
        # cluster started from the PoseDash folder, they need it importable.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        )
        sys.path.insert(0, str(ROOT))  # the LocalCluster's scheduler runs in this process

        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            protocol="tcp",
        ) as cluster:
            dask = _cli(
                "batch", *videos, "--out", tmp / "dask", "--scheduler", cluster.scheduler_address
            )
    n = len(videos)
    print(f"{n} videos, {frames} frames analysed, {os.cpu_count()} cores")
    for label, seconds in (
        ("analyze once per file", per_file),
        ("batch, local", local),
        ("batch, Dask 2 workers", dask),
    ):
        print(
            f"  {label:24s} {seconds:7.1f} s  {60 * n / seconds:6.1f} files/min  "
            f"{frames / seconds:6.1f} frames/s"
        )


if __name__ == "__main__":
    main()
