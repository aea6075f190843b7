"""Names of a package loaded from their modules on first use (PEP 562), for the packages
whose ``__init__`` would otherwise import every module (one of the bottom layer's shared
helpers: :mod:`dashboard.kinematics` and :mod:`dashboard.kinematics.gait` use it, so that
importing their light modules never loads SciPy or pandas)."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["load_name"]


def load_name(package: str, module_of: dict[str, str], name: str, namespace: dict) -> Any:
    """``name`` of ``package``, imported from its module (``module_of[name]``, relative to
    the package) and kept in ``namespace`` (the package's globals), so that the next use
    is a plain lookup; AttributeError for a name the package does not have."""
    module = module_of.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{package}.{module}"), name)
    namespace[name] = value
    return value
