"""Published reference values: norms by age and sex, cut-offs, minimal detectable
changes and normal curves, each shipped as a small JSON file with its source.

Every file in ``data/`` has the form::

    {
      "format": "posedash.reference/1",
      "id": "<file name without .json>",
      "kind": "norm" | "cutoff" | "mdc" | "curve",
      "measure": "<the value it applies to, e.g. 'gait.speed_m_s' or 'sts5.total_s'>",
      "title": "<plain words for the clinician>",
      "unit": "<unit of the values>",
      "source": {"citation": "<authors, year, title, journal>", "doi": "...", "url": "...",
                 "licence": "...", "checked": "<how each figure was checked>"},
      "rows": [ ... ],          # kind-specific records, documented in the file's "notes"
      "notes": "..."
    }

A file may hold a family of measures: ``"measure": "rom.*"`` with each row naming
its own ``"measure"`` (e.g. ``"rom.knee_flexion"``); :func:`for_measure` returns
such a file for every measure of the family, and :func:`rows_for` its rows of one
measure. Readers: :mod:`~dashboard.references.norms` (norms by age and sex),
:mod:`~dashboard.references.change` (minimal detectable change),
:mod:`~dashboard.references.gait_band` (normal gait-cycle curves).

A file without a citation is refused: a number the clinician cannot trace is not shown.
Pure: no UI, no network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = ["FORMAT", "ReferenceError", "available", "for_measure", "load", "rows_for"]

FORMAT = "posedash.reference/1"
DATA = Path(__file__).with_name("data")
_KINDS = ("norm", "cutoff", "mdc", "curve")


class ReferenceError(ValueError):
    """A reference file is missing or not of the documented form (a packaging fault)."""


def available() -> list[str]:
    """The ids of every reference file shipped, sorted."""
    return sorted(p.stem for p in DATA.glob("*.json"))


@cache
def load(ref_id: str) -> dict:
    """The reference ``ref_id`` (a file name in ``data/`` without ``.json``), checked."""
    path = DATA / f"{ref_id}.json"
    if not ref_id.replace("_", "").replace("-", "").isalnum() or not path.is_file():
        raise ReferenceError(f"no reference data named {ref_id!r}")
    ref = json.loads(path.read_text(encoding="utf-8"))
    source = ref.get("source") or {}
    if (
        ref.get("format") != FORMAT
        or ref.get("id") != ref_id
        or ref.get("kind") not in _KINDS
        or not isinstance(ref.get("rows"), list)
        or not str(source.get("citation", "")).strip()
    ):
        raise ReferenceError(f"reference data {ref_id!r} is not of the documented form")
    return ref


def _covers(ref: dict, measure: str) -> bool:
    own = str(ref["measure"])
    return own == measure or (own.endswith(".*") and measure.startswith(own[:-1]))


def for_measure(measure: str, kind: str | None = None) -> list[dict]:
    """Every reference for ``measure`` (optionally of one ``kind``), in id order;
    a family file (``"rom.*"``) counts for each of its measures."""
    refs = (load(i) for i in available())
    return [r for r in refs if _covers(r, measure) and (kind is None or r["kind"] == kind)]


def rows_for(ref: dict, measure: str) -> list[dict]:
    """The rows of ``ref`` about ``measure`` (all rows of a one-measure file)."""
    return [r for r in ref["rows"] if r.get("measure", ref["measure"]) == measure]
