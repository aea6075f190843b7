"""What the command line prints is shown, never obeyed, by the terminal.

File names, patient labels and notes are user text: a name holding ``ESC [ 2 J`` or a
bidirectional override would clear the screen or reorder what the clinician reads. Every
line the command line writes goes through :class:`TerminalSafe`, which shows such
characters as escapes (``\\x1b``, ``\\u202e``) and leaves tabs and line ends alone.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator

#: C0 controls but tab, line feed and carriage return; DEL; C1 controls; the Unicode
#: bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` with every character a terminal would act on written as its escape."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class TerminalSafe:
    """A text stream that writes through :func:`shown`; everything else is the stream's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(shown(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` wrapped in :class:`TerminalSafe` meanwhile."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
