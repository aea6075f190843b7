"""Re-linking a reopened session to its recording (issue 23 item 3). Pure.

A session file holds no picture: the recording is named and identified by the
SHA-256 of its bytes. Given a file again, :func:`check_same_recording` accepts it
only when its SHA-256 is the one saved in the session, so that the frames, key
frames and annotated video shown with the landmarks are those the landmarks were
found on; anything else is refused with a plain reason. Nothing is analysed again.
"""

from __future__ import annotations

import hashlib
import re

from dashboard.analysis import Analysis
from dashboard.errors import InputError

__all__ = ["check_same_recording", "short_fingerprint"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def short_fingerprint(sha256: str) -> str:
    """The first 12 hexadecimal digits of a SHA-256, as shown to people."""
    return f"{sha256[:12]}…"


def check_same_recording(analysis: Analysis, data: bytes, name: str = "") -> str:
    """The SHA-256 of ``data`` when it is the recording ``analysis`` was made from.

    Raises
    ------
    InputError
        An empty file, a session that saved no fingerprint, or another recording
        (a different file, or the same one trimmed, re-encoded or edited since),
        in plain words.
    """
    if not data:
        raise InputError("This file is empty: give the recording this session was made from.")
    saved = (analysis.source_sha256 or "").lower()
    if not _SHA256.match(saved):
        raise InputError(
            "This session did not save its recording's fingerprint (SHA-256), so PoseDash "
            "cannot check that a file is the same recording: analyse the video again instead."
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest == saved:
        return digest
    other = f" ({name})" if name and name != analysis.source_name else ""
    raise InputError(
        f"This is not the recording this session was made from{other}: its fingerprint "
        f"(SHA-256 {short_fingerprint(digest)}) differs from the one saved with the session "
        f"for {analysis.source_name} ({short_fingerprint(saved)}). Only the very same file "
        "matches: a copy that was trimmed, compressed again, rotated or sent through a "
        "messaging app is a different file."
    )
