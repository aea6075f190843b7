"""Errors whose message is written for the person using PoseDash.

Anything raised as a :class:`PoseDashError` is shown as it is, in the app and on
the command line; anything else is a bug and is reported as one, without a traceback.
"""

from __future__ import annotations


class PoseDashError(Exception):
    """An error with a message fit to show a clinician."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InputError(PoseDashError):
    """The file given cannot be analysed (empty, corrupt, unsupported, too large)."""


class ModelError(PoseDashError):
    """The pose model cannot be found, built or loaded."""


class Cancelled(PoseDashError):
    """The user stopped an analysis before it finished; nothing is wrong with the file."""

    def __init__(self, message: str = "The analysis was cancelled.", hint: str = "") -> None:
        super().__init__(message, hint)
