"""Where the patient library lives: the per-user data folder.

``$POSEDASH_DATA_DIR`` if set, else the platform's per-user data folder:
``$XDG_DATA_HOME/posedash`` or ``~/.local/share/posedash`` (Linux),
``~/Library/Application Support/PoseDash`` (macOS),
``%LOCALAPPDATA%\\PoseDash\\Data`` (Windows). Nothing is created here until a
user creates a library.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FILE_NAME = "library.sqlite3"
DATA_DIR_ENV = "POSEDASH_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (not created)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "PoseDash" / "Data"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "PoseDash"
    base = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / "posedash"


def library_path() -> Path:
    """The library file in :func:`data_dir` (it may not exist: the library is opt-in)."""
    return data_dir() / FILE_NAME
