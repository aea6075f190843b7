"""Set-up checks: is the person found, whole in the picture, filmed fast enough and
from a view the test can be read from? A check that fails refuses the test with a
plain reason (:class:`~dashboard.functional.model.TestRefused`) rather than guess."""

from __future__ import annotations

import numpy as np

from dashboard.functional.model import Check, TestRefused
from dashboard.functional.signals import Signals
from dashboard.kinematics.views import camera_yaw_deg, dominant_view

__all__ = ["MIN_FPS", "WARN_FPS", "refuse_if_failed", "setup_checks"]

#: Below this frame rate the events cannot be timed: refused.
MIN_FPS = 10.0
#: Below this, timing is coarser than a stopwatch: caution.
WARN_FPS = 20.0
#: Share of the frames (with the person) in which head and feet must be in the picture.
MIN_INSIDE = 0.6
MIN_FOUND = 0.5

#: Views each test can be read from (the rest: refused); ``'any'``: every view.
_VIEWS = {
    "sts5": ("side", "oblique", "front"),
    "chair30": ("side", "oblique", "front"),
    "tug": ("side", "oblique"),
    "walk10": ("side", "oblique"),
    "backward3": ("side", "oblique"),
    "sls": ("side", "oblique", "front"),
}
_VIEW_WORDS = {"side": "side view", "front": "front or back view", "oblique": "oblique view"}


def _found(sig: Signals) -> Check:
    share = float(sig.found.mean()) if sig.found.size else 0.0
    if sig.found.sum() < 5:
        if sig.detected is not None and sig.detected.sum() >= 5:
            return Check(
                "person",
                "refused",
                "The hips or the feet are out of the picture in almost every frame: film "
                "the whole body, feet included.",
            )
        return Check("person", "refused", "No one was found in the video.")
    status = "ok" if share >= MIN_FOUND else "caution"
    detail = f"The person is found in {share:.0%} of the frames."
    return Check("person", status, detail)


def _frame_rate(sig: Signals) -> Check:
    fps = sig.fps
    if not np.isfinite(fps):
        return Check("frame_rate", "refused", "A test needs a video, not a photo.")
    if fps < MIN_FPS:
        return Check(
            "frame_rate",
            "refused",
            f"The video has {fps:.0f} frames per second: too few to time the test "
            f"(at least {MIN_FPS:.0f}; record at 30).",
        )
    dt = np.diff(sig.time_s)
    variable = dt.size > 2 and float(np.std(dt) / np.mean(dt)) > 0.2
    detail = f"{fps:.0f} frames per second" + (" (variable frame rate)" if variable else "")
    if fps < WARN_FPS:
        return Check("frame_rate", "caution", detail + f": events are known to ±{1 / fps:.2f} s.")
    return Check("frame_rate", "ok", detail + ".")


def _inside(sig: Signals) -> Check:
    n = int(sig.found.sum())
    share = float(sig.inside.sum() / n) if n else 0.0
    if share < MIN_INSIDE:
        return Check(
            "whole_body",
            "refused",
            f"The head or the feet are out of the picture in {1 - share:.0%} of the frames: "
            "film the whole body, feet included.",
        )
    status = "ok" if share >= 0.85 else "caution"
    return Check("whole_body", status, f"Head and feet in the picture in {share:.0%} of frames.")


def _view(seq, person: int, test: str) -> Check:
    yaw = camera_yaw_deg(np.asarray(seq.world_m[:, person], float))
    view = dominant_view(yaw)
    if not view.view:
        return Check("view", "caution", "The camera view could not be read.")
    words = _VIEW_WORDS.get(view.view, view.view)
    if view.view not in _VIEWS[test]:
        return Check(
            "view",
            "refused",
            f"Filmed in a {words}: this test is read from the side (walking across the "
            "picture). Film from the side.",
        )
    status = "ok" if view.view == "side" or test in ("sts5", "chair30", "sls") else "caution"
    return Check("view", status, f"Filmed in a {words} (median {view.median_yaw_deg:.0f}°).")


def setup_checks(seq, person: int, sig: Signals, test: str) -> tuple[Check, ...]:
    """Every check, in order; stops at the first refusal that makes the rest moot."""
    checks = [_frame_rate(sig), _found(sig)]
    if any(c.status == "refused" for c in checks):
        return tuple(checks)
    checks += [_inside(sig), _view(seq, person, test)]
    return tuple(checks)


def refuse_if_failed(checks) -> None:
    """Raise :class:`TestRefused` with the first refusal's reason."""
    for c in checks:
        if c.status == "refused":
            raise TestRefused(c.detail)
