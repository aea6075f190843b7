"""What can go wrong with the patient library, each with a message for the clinician.

Every error is a :class:`~dashboard.errors.PoseDashError`: the app shows it as it
is and the command line prints it in one line. None of them quotes patient data.
"""

from __future__ import annotations

from dashboard.errors import PoseDashError


class LibraryError(PoseDashError):
    """Base class of the patient library's errors."""


class NoLibrary(LibraryError):
    """No library has been created at this place yet (the library is opt-in)."""


class LibraryExists(LibraryError):
    """``init`` was asked to create a library where one already is."""


class WrongPassphrase(LibraryError):
    """The passphrase does not unlock this library."""

    def __init__(
        self,
        message: str = "This passphrase does not unlock the patient library.",
        hint: str = "Check it and try again (passphrases are case-sensitive). Nothing was changed.",
    ) -> None:
        super().__init__(message, hint)


class Locked(LibraryError):
    """An operation that needs the data key was asked of a locked library."""

    def __init__(
        self,
        message: str = "The patient library is locked.",
        hint: str = "Unlock it with your passphrase first.",
    ) -> None:
        super().__init__(message, hint)


class NotALibrary(LibraryError):
    """The file is a database, or something else, but not a PoseDash library."""


class NewerLibrary(LibraryError):
    """The library was written by a newer PoseDash (a newer schema version)."""


class CorruptLibrary(LibraryError):
    """The library file, or one item in it, is damaged."""


class DamagedItem(CorruptLibrary):
    """One encrypted item (a patient record, a session's description, file or
    progress values) fails its authentication: that item alone is damaged."""


class LibraryBusy(LibraryError):
    """Another process holds the write lock for longer than the busy timeout."""


class StorageError(LibraryError):
    """The disk is full or read-only, or the file cannot be written."""


class NotFound(LibraryError):
    """No patient or session with that label or identifier."""


class BadValue(LibraryError):
    """A value typed by the user is not acceptable (empty label, bad date...)."""
