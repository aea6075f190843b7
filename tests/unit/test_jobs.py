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


def _until(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.02)
    return pred()


def _long_work(progress, should_cancel):
    for i in range(10_000):
        if should_cancel():
            raise Cancelled()
        progress(i, 10_000)
        time.sleep(0.01)
    return "finished"


def test_a_job_whose_owner_is_gone_is_cancelled_within_the_grace_period():
    alive = threading.Event()
    alive.set()
    job = Job(_long_work, total=10_000, owner_alive=alive.is_set, grace_s=1.0)
    time.sleep(0.3)
    alive.clear()
    gone = time.monotonic()
    assert _until(lambda: job.finished, 6)
    took = time.monotonic() - gone
    snap = job.snapshot()
    assert snap.state == "cancelled" and snap.abandoned
    assert took >= 1.0, took  # the grace period was given (the 6 s bound is _until's)


def test_a_short_blip_of_the_owner_does_not_cancel():
    alive = threading.Event()
    alive.set()
    job = Job(_long_work, total=10_000, owner_alive=alive.is_set, grace_s=2.0)
    time.sleep(0.2)
    alive.clear()
    time.sleep(0.8)  # shorter than the grace period
    alive.set()
    time.sleep(2.5)
    assert not job.finished and not job.snapshot().abandoned
    job.cancel()
    assert job.wait(5) and job.snapshot().state == "cancelled"
    assert not job.snapshot().abandoned


def test_notices_reach_the_snapshot():
    def work(progress, should_cancel, notice):
        notice("a helper process stopped; its part is analysed again")
        return 1

    job = Job(work, notices=True)
    assert job.wait(5)
    assert job.snapshot().notes == ("a helper process stopped; its part is analysed again",)
    assert job.result() == 1
