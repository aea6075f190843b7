"""PoseDash: local, private pose analysis for physiotherapists (the UI-free core)."""

__version__ = "0.1.0"
