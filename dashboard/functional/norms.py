"""Where a test result falls in the published norms shipped in
``dashboard/references/data`` (read by :func:`dashboard.references.placement.place`).

The ``norms`` block of ``posedash.test/1``: the placement of the headline value
(``measure``, ``value``, ``norm`` — the band that applies, or None and the whole
``table`` when age and sex do not pick one —, ``verdict``, ``cutoffs``,
``references``), plus ``source`` (the citation of the band or of the table) and
``band`` (its words). The first reference carries the verdict and band too, for
the report's page 1. Single-leg stance: the longer of the two sides
(``best_s``) is placed.
"""

from __future__ import annotations

from dashboard.references.placement import place as _place

__all__ = ["MEASURES", "place"]

#: Test -> (reference measure, result field placed).
MEASURES = {
    "sts5": ("sts5.total_s", "total_s"),
    "chair30": ("chair30.stands", "stands"),
    "tug": ("tug.total_s", "total_s"),
    "walk10": ("gait.speed_m_s", "speed_m_s"),
    "backward3": ("backward3.time_s", "time_s"),
    "sls": ("sls.time_s", "best_s"),
}


def place(test: str, result: dict, age: int | None, sex: str | None) -> dict:
    """The ``norms`` block for ``result`` of ``test``."""
    measure, field = MEASURES[test]
    value = result.get(field)
    out = _place(measure, value, age, sex)
    out["field"] = field
    norm = out.get("norm")
    refs = [r for r in out.get("references", []) if r.get("kind") in ("norm", "cutoff")]
    if norm:
        band = str(norm.get("group", ""))
        source = next(
            (r["citation"] for r in refs if r["id"] == norm.get("ref_id")), norm.get("source", "")
        )
    else:
        band = "whole table (age and sex not given)" if out.get("table") else ""
        source = "; ".join(r["citation"] for r in refs if r.get("kind") == "norm")
    out["band"] = band
    out["source"] = source
    cut = [c for c in out.get("cutoffs", []) if c.get("met")]
    if out.get("references"):
        first = dict(out["references"][0])
        first["verdict"] = out.get("verdict", "")
        first["band"] = "" if band and band in first["verdict"] else band
        if cut:
            first["verdict"] = (first["verdict"] + "; " if first["verdict"] else "") + cut[0][
                "words"
            ]
        out["references"] = [first, *out["references"][1:]]
    return out
