"""A batch folder stays whole (issue 26): names stable across resumes, long names
shortened, one batch at a time per folder, a killed worker costs only its input, and the
workers of a killed batch end."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from dashboard.batch.guard import folder_lock
from dashboard.batch.names import MAX_STEM_BYTES, owned_stems, short_stem, unique_stems
from dashboard.batch.runner import LocalPool
from dashboard.errors import PoseDashError
from tests.apprunner import ROOT


def test_a_resume_keeps_every_earlier_name_whatever_the_listing_order(tmp_path):
    earlier = {str(tmp_path / "a" / "clip.jpg"): {"outputs": "clip.angles.csv;clip.landmarks.csv"}}
    owned = owned_stems(earlier)
    assert owned == {str(tmp_path / "a" / "clip.jpg"): "clip"}
    files = [tmp_path / "a" / "0" / "clip.jpg", tmp_path / "a" / "clip.jpg"]  # new one first
    assert unique_stems(files, owned) == ["clip-2", "clip"]
    assert unique_stems(files) == ["clip", "clip-2"]  # a first run: input order


def test_a_long_name_is_cut_with_a_hash_and_stays_distinct():
    a, b = "é" * 120 + "-left", "é" * 120 + "-right"  # 240+ bytes each, alike at the start
    sa, sb = short_stem(a), short_stem(b)
    assert len(sa.encode()) <= MAX_STEM_BYTES and len(sb.encode()) <= MAX_STEM_BYTES
    assert sa != sb and sa.encode().decode() == sa  # cut on a character boundary
    assert len((sa + "-12.landmarks.csv").encode()) <= 255
    assert short_stem("clip") == "clip"


def test_a_second_batch_on_the_same_folder_is_refused(tmp_path):
    refused = pytest.raises(PoseDashError, match="another batch is writing")
    with folder_lock(tmp_path), refused, folder_lock(tmp_path):
        pass
    with folder_lock(tmp_path):  # free again once the first ended
        pass


def _die() -> None:
    os._exit(9)


def _square(x: int) -> int:
    return x * x


def test_a_killed_worker_breaks_only_its_own_task(tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    pool = LocalPool(1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(_die).result(timeout=120)
        assert pool.submit(_square, 7).result(timeout=120) == 49  # a new worker took over
    finally:
        pool.close()


_ORPHAN = """
import os, sys, time
from dashboard.batch.runner import LocalPool
pool = LocalPool(1)
pool.submit(time.sleep, 0).result()
print(" ".join(str(p) for p in pool._pool._processes), flush=True)
os._exit(0)  # as kill -9: no shutdown of the pool
"""


def test_the_workers_of_a_killed_batch_end():
    out = subprocess.run(
        [sys.executable, "-c", _ORPHAN], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    pids = [int(p) for p in out.stdout.split()]
    assert pids, out.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in pids):
        time.sleep(0.2)
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    assert not alive, f"workers still running after their batch died: {alive}"


def test_a_new_photo_with_an_old_name_never_overwrites_the_old_results(
    media_dir, tmp_path, model_info
):
    study, out = tmp_path / "a", tmp_path / "out"
    (study / "0").mkdir(parents=True)
    os.symlink(media_dir / "images" / "opencv_messi5.jpg", study / "clip.jpg")

    def batch():
        return subprocess.run(
            [sys.executable, "-m", "dashboard", "batch", study, "--out", out],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )

    assert batch().returncode == 0, "first run"
    first = (out / "clip.summary.json").read_bytes()
    os.symlink(media_dir / "images" / "ultralytics_zidane.jpg", study / "0" / "clip.jpg")
    assert batch().returncode == 0, "resume"
    assert (out / "clip.summary.json").read_bytes() == first
    with open(out / "batch.csv", newline="") as f:
        outputs = {
            Path(r["path"]).relative_to(study).as_posix(): r["outputs"] for r in csv.DictReader(f)
        }
    assert "clip.summary.json" in outputs["clip.jpg"].split(";")
    assert "clip-2.summary.json" in outputs["0/clip.jpg"].split(";")


class _Impostor:
    """A loopback TCP server that is not a Dask scheduler: it accepts and then stays
    silent, or answers ``reply`` and stays open."""

    def __init__(self, reply: bytes = b"") -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.address = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        self.reply, self.conns = reply, []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.reply:
                conn.sendall(self.reply)

    def close(self) -> None:
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("reply", [b"", b"\xff" * 64], ids=["silent", "garbage"])
def test_an_address_that_is_not_a_dask_scheduler_is_one_line_not_a_hang(reply):
    pytest.importorskip("distributed")
    from dashboard.batch.runner import DaskPool

    impostor = _Impostor(reply)
    try:
        started = time.monotonic()
        with pytest.raises(PoseDashError, match="cannot reach a Dask scheduler") as info:
            DaskPool(impostor.address, wait_s=5.0)
        assert "\n" not in str(info.value)
        print(f"{reply[:1]!r}: refused after {time.monotonic() - started:.1f} s: {info.value}")
    finally:
        impostor.close()
