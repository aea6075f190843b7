"""This browser session's measurements made by hand, per analysis (keyed by the
analysis's landmark fingerprint, so a reopened session gets back its own, and another
analysis never shows them). Memory only, like every result: saved in a session file
or the patient library when the user saves."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.analysis import Analysis
from dashboard.manual.records import MAX_MEASUREMENTS, ManualMeasurement
from dashboard.ui import keys, state

KEY = "posedash_manual_measurements"

__all__ = ["add", "measurements", "opened", "remove", "session_file", "set_measurements"]


def _store() -> dict:
    return keys.MANUAL.setdefault({})


def measurements(analysis: Analysis | None) -> tuple[ManualMeasurement, ...]:
    """The measurements made by hand on ``analysis`` in this session (oldest first)."""
    if analysis is None:
        return ()
    return tuple(_store().get(state.fingerprint(analysis), ()))


def set_measurements(analysis: Analysis, items: Iterable[ManualMeasurement]) -> None:
    """Replace the measurements of ``analysis`` (a session file just opened)."""
    _store()[state.fingerprint(analysis)] = tuple(items)[:MAX_MEASUREMENTS]


def opened(analysis: Analysis, session) -> None:
    """A session file (:class:`~dashboard.outputs.session.SessionFile`) was opened: its
    measurements made by hand and its gait events corrected by hand come back."""
    from dashboard.ui import gait_state, tests_keep

    set_measurements(analysis, session.measurements)
    gait_state.opened(analysis, session.gait_events)
    tests_keep.opened(analysis, session)


def add(analysis: Analysis, item: ManualMeasurement) -> bool:
    """Add one; False (and nothing added) when the analysis already has the maximum."""
    current = measurements(analysis)
    if len(current) >= MAX_MEASUREMENTS:
        return False
    _store()[state.fingerprint(analysis)] = (*current, item)
    return True


def session_file(analysis: Analysis) -> bytes:
    """The session file of ``analysis`` with this session's angle and gait settings, its
    measurements made by hand, its gait events corrected by hand and the functional tests
    kept (what the patient library saves)."""
    from dashboard.outputs.session import save_session
    from dashboard.ui import gait_state, tests_keep

    return save_session(
        analysis,
        state.angle_settings(),
        gait_settings=state.gait_settings(),
        measurements=measurements(analysis),
        gait_events=gait_state.record(analysis),
        functional_tests=tests_keep.records(analysis),
    )


def remove(analysis: Analysis, item_id: str) -> None:
    _store()[state.fingerprint(analysis)] = tuple(
        m for m in measurements(analysis) if m.id != item_id
    )
