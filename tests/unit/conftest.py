"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

#: The lateral raise filmed from the front: the report tests' video.
RAISE = "sports2d_demo5_lateral_raise_front"


@pytest.fixture(scope="module")
def raise_analysis(media_dir):
    """The lateral raise's analysis from its reference landmarks (no model run)."""
    from tests.reference_data import legacy_analysis

    return legacy_analysis(media_dir / "reference" / f"{RAISE}.legacy.json")
