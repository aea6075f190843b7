"""Where a result falls against the published norms and cut-offs of its measure.

:func:`place` is what a functional test (``posedash.test/1``'s ``norms`` block),
the report and the pages call with one result: the normal value for the
patient's age and sex (or the whole table when these are not known), a verdict
in plain words, and every published cut-off with whether the result meets it.

Rows of a ``kind: "cutoff"`` reference file::

    {"threshold": 12.0, "direction": "at_or_above" | "above" | "below" | "at_or_below",
     "meaning": "at risk for falling", "sex": "any", "age_min": 65, "age_max": 120}

(sex and ages optional; a row without them applies to everyone). A reference
file may say which way is better for its measure: ``"better": "lower"`` (times)
or ``"higher"`` (counts, speeds).

Pure: no UI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from dashboard.jsonsafe import finite_float
from dashboard.references import ReferenceError, for_measure, rows_for
from dashboard.references.norms import Norm, _fits, norm_for, norms_for

__all__ = ["Cutoff", "cutoffs_for", "place"]

_DIRECTIONS = {
    "at_or_above": lambda v, t: v >= t,
    "above": lambda v, t: v > t,
    "below": lambda v, t: v < t,
    "at_or_below": lambda v, t: v <= t,
}
_SIGNS = {"at_or_above": "≥", "above": ">", "below": "<", "at_or_below": "≤"}


@dataclass(frozen=True)
class Cutoff:
    """One published cut-off of a measure."""

    measure: str
    threshold: float
    direction: str
    meaning: str
    unit: str
    source: str
    ref_id: str
    verified: bool = True

    def met_by(self, value: float) -> bool:
        return bool(_DIRECTIONS[self.direction](value, self.threshold))

    def words(self, digits: int = 1) -> str:
        """``'≥ 12.0 s: at risk for falling (CDC STEADI)'``."""
        unit = "°" if self.unit == "deg" else f" {self.unit}"
        return (
            f"{_SIGNS[self.direction]} {self.threshold:.{digits}f}{unit}: {self.meaning} "
            f"({self.source})"
        )


def cutoffs_for(measure: str, age: int | None = None, sex: str | None = None) -> list[Cutoff]:
    """Every published cut-off of ``measure`` that applies to a patient of ``age``
    and ``sex`` (rows restricted to an age or sex apply only when these fit)."""
    try:
        refs = for_measure(measure, "cutoff")
    except ReferenceError:
        return []
    sex = _SEX.get(str(sex or "").lower())
    out = []
    for ref in refs:
        for row in rows_for(ref, measure):
            t, d = finite_float(row.get("threshold")), str(row.get("direction", ""))
            if t is None or d not in _DIRECTIONS:
                continue
            if not _row_fits(row, age, sex):
                continue
            out.append(
                Cutoff(
                    measure,
                    t,
                    d,
                    str(row.get("meaning", "")),
                    str(ref.get("unit", "")),
                    str(ref.get("short_source") or ref["source"]["citation"]),
                    ref["id"],
                    row.get("verified") is not False,
                )
            )
    return out


_SEX = {"f": "female", "m": "male", "female": "female", "male": "male"}


def _int(row: dict, key: str) -> int | None:
    try:
        return int(row[key])
    except (KeyError, TypeError, ValueError):
        return None


def _row_fits(row: dict, age: int | None, sex: str | None) -> bool:
    """A cut-off row applies: its sex (if any) is the patient's, its ages (if any) hold the age."""
    row_sex = _SEX.get(str(row.get("sex") or "any").lower(), "any")
    lo, hi = _int(row, "age_min"), _int(row, "age_max")
    probe = Norm("", 0.0, None, row_sex, lo, hi, "", "", "")
    return _fits(probe, age, sex)


def _better(measure: str) -> str:
    try:
        refs = for_measure(measure)
    except ReferenceError:
        return ""
    return next((str(r["better"]) for r in refs if r.get("better") in ("lower", "higher")), "")


def _verdict(value: float, norm: Norm, better: str, digits: int) -> str:
    """Plain words: where ``value`` falls against ``norm``."""
    unit = "°" if norm.unit == "deg" else f" {norm.unit}"
    ref = f"{norm.value_words(digits)}, {norm.group}; {norm.source}"
    if not norm.verified:
        ref += "; not verified against the published table"
    if norm.mean is None:
        # the loader keeps a row without a mean only when it has both percentiles
        assert norm.p25 is not None and norm.p75 is not None
        if value < norm.p25:
            pos = "below the 25th percentile"
        elif value > norm.p75:
            pos = "above the 75th percentile"
        else:
            return f"within the normal range ({ref})"
        worse = (better == "higher" and value < norm.p25) or (
            better == "lower" and value > norm.p75
        )
        tail = ": below the normal range" if worse else ""
        return f"{pos} ({ref}){tail}"
    if norm.ci95 is not None and norm.ci95[0] <= value <= norm.ci95[1]:
        return f"within the 95 % confidence interval of the reference mean ({ref})"
    diff = value - norm.mean
    if abs(diff) < 0.5 * 10**-digits:
        return f"equal to the reference mean ({ref})"
    side = "above" if diff > 0 else "below"
    text = f"{abs(diff):.{digits}f}{unit} {side} the reference mean ({ref})"
    if norm.sd:
        z = abs(diff) / norm.sd
        return text + (": within 1 SD" if z <= 1 else f": {z:.1f} SD {side} the mean")
    # the sources' own reading: worse than average beyond the mean (or its 95 % CI)
    high = norm.ci95[1] if norm.ci95 else norm.mean
    low = norm.ci95[0] if norm.ci95 else norm.mean
    if (better == "lower" and value > high) or (better == "higher" and value < low):
        text += ": worse than the reference average"
    return text


def _norm_dict(n: Norm, digits: int) -> dict:
    d = asdict(n)
    d["ci95"] = list(n.ci95) if n.ci95 else None
    d["group"] = n.group
    d["words"] = n.words(digits)
    return d


def _references(measure: str) -> list[dict]:
    try:
        refs = for_measure(measure)
    except ReferenceError:
        return []
    return [
        {
            "id": r["id"],
            "kind": r["kind"],
            "citation": r["source"]["citation"],
            "doi": r["source"].get("doi", ""),
            "url": r["source"].get("url", ""),
        }
        for r in refs
    ]


#: decimals shown per unit
DIGITS = {"s": 1, "m/s": 2, "stands": 0, "deg": 0, "steps/min": 0}


def place(measure: str, value, age: int | None = None, sex: str | None = None, digits=None):
    """Where ``value`` of ``measure`` falls for a patient of ``age`` and ``sex``
    (``'f'``/``'m'`` or ``'female'``/``'male'``; both optional), as a JSON-ready dict::

        {"measure", "value", "unit", "better",
         "norm": {mean, sd, ci95, p25, p75, group, source, ref_id, verified, words} | None,
         "verdict": "<plain words>",
         "table": [<every norm row's words>]   # when no row fits (age or sex unknown)
         "cutoffs": [{threshold, direction, meaning, met, source, ref_id, verified, words}],
         "references": [{id, kind, citation, doi, url}]}

    ``value`` None (a withheld result) gives the norm and cut-offs without a verdict.
    """
    v = finite_float(value)
    sex = _SEX.get(str(sex or "").lower())
    norm = norm_for(measure, age, sex)
    better = _better(measure)
    all_norms = norms_for(measure)
    unit = all_norms[0].unit if all_norms else ""
    if digits is None:
        digits = DIGITS.get(unit, 1)
    cutoffs: list[dict] = []
    out = {
        "measure": measure,
        "value": v,
        "unit": unit,
        "better": better,
        "norm": _norm_dict(norm, digits) if norm else None,
        "verdict": "",
        "table": [] if norm else [n.words(digits) for n in all_norms],
        "cutoffs": cutoffs,
        "references": _references(measure),
    }
    if norm is not None and v is not None:
        out["verdict"] = _verdict(v, norm, better, digits)
    elif not all_norms:
        out["verdict"] = "no published normal values are shipped for this measure"
    elif v is not None:
        out["verdict"] = (
            "the normal values depend on the patient's age (and sex), not given here: "
            "the whole table is shown"
        )
    for c in cutoffs_for(measure, age, sex):
        row = asdict(c)
        row["met"] = None if v is None else c.met_by(v)
        row["words"] = c.words(digits)
        cutoffs.append(row)
    return out
