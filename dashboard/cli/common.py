"""What every subcommand shares."""

from __future__ import annotations

PROG = "python -m dashboard"
