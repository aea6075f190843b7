"""What the :class:`~dashboard.library.service.Library` mixins use of one another.

``Library`` is put together from :class:`~dashboard.library.service.Library` itself and
the mixins of :mod:`.sessions`, :mod:`.export` and :mod:`.damage`; each mixin calls
methods the others define. :class:`LibraryBase` declares those attributes and methods
for the type checker only: at run time it adds nothing (every one is defined by
``Library`` or a mixin before this class in the method resolution order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import contextlib
    import sqlite3
    from pathlib import Path

    from dashboard.library.records import Patient, SessionInfo


class LibraryBase:
    """The shared surface of the library mixins (declarations only)."""

    path: Path
    busy_timeout_s: float

    if TYPE_CHECKING:
        # service.Library
        def _db(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
        def _key(self) -> bytes: ...
        def seal_json(self, key: bytes, value, *parts: str, compress: bool = False) -> bytes: ...
        def open_json(self, key: bytes, blob: bytes, *parts: str, compressed: bool = False): ...
        def seal_bytes(self, key: bytes, data: bytes, *parts: str) -> bytes: ...
        def open_bytes(self, key: bytes, blob: bytes, *parts: str) -> bytes: ...
        def patient(self, uid: str) -> Patient: ...
        def _insert_patient(
            self, conn: sqlite3.Connection, key: bytes, patient: Patient
        ) -> Patient: ...
        def _patient_or_damaged(self, key: bytes, uid: str, blob: bytes, n: int) -> Patient: ...

        # sessions.SessionsMixin
        def sessions(self, patient_uid: str) -> list[SessionInfo]: ...
        def session_bytes(self, session_uid: str) -> bytes: ...
        def _info(self, key: bytes, uid: str, patient_uid: str, blob: bytes) -> SessionInfo: ...
        def _all_metrics(self, patient_uid: str) -> list[tuple[SessionInfo, dict]]: ...
