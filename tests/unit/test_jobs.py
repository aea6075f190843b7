import threading
import time

import pytest

from dashboard.detect.jobs import Job, Progress
from dashboard.errors import Cancelled, InputError


def test_job_reports_progress_and_result():
    release = threading.Event()

    def work(progress, should_cancel):
        progress(5, 10)
        release.wait(5)
        progress(10, 10)
        return "landmarks"

    job = Job(work, total=10)
    deadline = time.monotonic() + 5
    while job.snapshot().done < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    snap = job.snapshot()
    assert snap.state == "running" and snap.fraction == 0.5
    release.set()
    assert job.wait(5)
    assert job.snapshot().state == "done" and job.snapshot().done == 10
    assert job.result() == "landmarks"


def test_cancel_stops_the_work():
    def work(progress, should_cancel):
        for i in range(1000):
            if should_cancel():
                raise Cancelled()
            progress(i, 1000)
            time.sleep(0.005)
        return "finished"

    job = Job(work, total=1000)
    time.sleep(0.05)
    job.cancel()
    assert job.wait(5)
    assert job.snapshot().state == "cancelled"
    assert job.snapshot().done < 1000
    with pytest.raises(Cancelled):
        job.result()


def test_errors_are_kept_for_the_page():
    def work(progress, should_cancel):
        raise InputError("broken video")

    job = Job(work)
    job.wait(5)
    assert job.snapshot().state == "failed"
    with pytest.raises(InputError, match="broken video"):
        job.result()


def test_progress_text():
    p = Progress("running", 100, 400, 2.0)
    assert p.rate == 50 and p.remaining_s == 6
    assert p.describe() == "100 of 400 frames · 50 frames/s · about 6 s left"
    assert Progress("running", 0, 0, 0.0).describe() == "0 of 0 frames"
    assert "min" in Progress("running", 10, 10000, 1.0).describe()
