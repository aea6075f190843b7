"""Is this video fit for gait analysis? Camera-setup checks with a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["GOOD_FPS", "MIN_FPS", "SetupCheck", "setup_checks", "verdict"]

#: Below this frame rate timing errors grow (one frame is more than 40 ms).
MIN_FPS = 25.0
#: The recommended frame rate.
GOOD_FPS = 30.0


@dataclass(frozen=True)
class SetupCheck:
    """One recommendation checked against the video: ``ok`` True, False, or None
    (cannot tell); ``essential`` checks make the video unsuitable when failed."""

    key: str
    label: str
    ok: object
    detail: str
    advice: str
    essential: bool

    def as_dict(self) -> dict:
        return dict(
            key=self.key,
            label=self.label,
            ok=self.ok,
            detail=self.detail,
            advice=self.advice,
            essential=self.essential,
        )


def _side_view(yaw: np.ndarray, passes) -> SetupCheck:
    label, advice = (
        "Side view",
        "Film from the side, the camera at hip height and square "
        "to the walkway, so the person walks across the picture.",
    )
    frames = (
        np.concatenate([np.arange(p.start, p.end + 1) for p in passes])
        if passes
        else np.arange(len(yaw))
    )
    y = yaw[frames] if len(frames) else yaw
    if not np.isfinite(y).any():
        return SetupCheck(
            "side_view", label, None, "the body's orientation is unknown", advice, True
        )
    med = float(np.nanmedian(np.abs(y)))
    return SetupCheck(
        "side_view",
        label,
        med >= 60,
        f"the hips' left-right line is {med:.0f}° from the picture plane "
        "while walking (90° = pure side view; 60° or more is a side view)",
        advice,
        True,
    )


def _forward(passes) -> SetupCheck:
    """Which way the person faces is clear in every pass: None (cannot tell) when it
    is unclear in a pass (analysed as forward walking, lower trust). A pass walked
    backwards is fine: it is analysed as backward walking, apart."""
    back = [p.index + 1 for p in passes if p.walking == "backward"]
    unclear = [p.index + 1 for p in passes if p.walking == "unclear"]
    parts = []
    if back:
        parts.append(
            f"pass {', '.join(map(str, back))}: walked backwards, analysed apart as "
            "backward walking"
        )
    if unclear:
        parts.append(
            f"pass {', '.join(map(str, unclear))}: unclear which way the person "
            "faces, analysed with lower trust"
        )
    return SetupCheck(
        "forward",
        "Walking forwards or backwards, clearly",
        None if unclear else True,
        "; ".join(parts)
        if parts
        else "the feet and the face point the way the person moves in every pass",
        "Keep the feet and the face in side view, so that PoseDash can tell which way "
        "the person faces.",
        False,
    )


def setup_checks(
    sig, passes: Sequence, kept_per_pass: Sequence[int], fps: float, yaw: np.ndarray
) -> list[SetupCheck]:
    """Side view, whole body in frame, at least two strides per pass, walking
    forwards or clearly backwards, 30 fps."""
    checks = [_side_view(yaw, passes)]
    found = np.isfinite(sig.stature_px)
    share = float(sig.in_frame[found].mean()) if found.any() else 0.0
    checks.append(
        SetupCheck(
            "whole_body",
            "Whole body in the picture",
            bool(passes) and share >= 0.5,
            f"head and feet inside the picture in {100 * share:.0f} % of the frames with the "
            "person",
            "Stand the camera far enough back that head and feet stay in the picture "
            "along the whole walkway.",
            True,
        )
    )
    if passes:
        few = [p.index for p, n in zip(passes, kept_per_pass, strict=False) if n < 2]
        counts = [
            f"pass {p.index + 1}{' (backwards)' if p.mode == 'backward' else ''}: {n}"
            for p, n in zip(passes, kept_per_pass, strict=False)
        ]
        detail = (
            f"{len(passes)} walking pass(es); steady strides kept per pass (the better "
            f"side): {'; '.join(counts)}"
        )
        ok = not few
    else:
        detail, ok = "no steady walking across the picture was found", False
    checks.append(
        SetupCheck(
            "strides",
            "At least two strides per pass",
            ok,
            detail,
            "Let the person walk at least 4 steps across the picture each way; start and stop "
            "outside it.",
            True,
        )
    )
    if passes:
        checks.append(_forward(passes))
    ok_fps = bool(np.isfinite(fps) and fps >= GOOD_FPS - 0.5)
    checks.append(
        SetupCheck(
            "frame_rate",
            "30 frames per second or more",
            ok_fps,
            f"{fps:.1f} fps: one frame is {1000 / fps:.0f} ms"
            if np.isfinite(fps)
            else "unknown frame rate",
            "Record at 30 fps or more (60 fps halves the timing error).",
            False,
        )
    )
    return checks


def verdict(checks: Sequence[SetupCheck]) -> str:
    """'good', 'usable' (only a non-essential check failed) or 'not suitable'."""
    if any(c.ok is False and c.essential for c in checks):
        return "not suitable"
    if all(c.ok is True for c in checks):
        return "good"
    return "usable"
