"""Is a change between two sessions larger than the measurement's own variation?

:func:`exceeds_mdc` compares a change with the minimal detectable change at 95 %
confidence (MDC95, also called the smallest detectable change) that a published
test-retest study reports for the measure, shipped as a ``kind: "mdc"`` reference
file (:mod:`dashboard.references`). A change at least as large as the MDC95 is
larger than 95 % of the differences between two measurements of an unchanged
person, *with the instrument and protocol of that study*: PoseDash's own
variation from one filming to the next can be larger, so the verdict says which
study it rests on.

Rows of an ``mdc`` file: ``{"mdc95": <number, in the file's unit>, "population":
"<who was tested>", "default": true}`` (``default`` marks the row used when no
population is asked for; the first row otherwise); other keys are kept.

Pure: no UI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from dashboard.jsonsafe import finite_float
from dashboard.references import ReferenceError, for_measure, rows_for

__all__ = ["Change", "exceeds_mdc", "mdc_for"]


@dataclass(frozen=True)
class Change:
    """A change between two sessions and whether it exceeds the MDC95.

    exceeds
        True: ``|change| >= mdc``; False: smaller; None: cannot tell (a value is
        missing, or no MDC is shipped for the measure).
    """

    measure: str
    before: float | None
    after: float | None
    change: float | None
    mdc: float | None
    exceeds: bool | None
    unit: str = ""
    source: str = ""
    ref_id: str = ""
    population: str = ""
    n_before: int | None = None
    n_after: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def verdict(self) -> str:
        """Two or three words for a table cell: ``'yes'``, ``'no'`` or why not known."""
        if self.change is None:
            return "no value"
        if self.mdc is None:
            return "no MDC"
        return "yes" if self.exceeds else "no"

    def words(self, digits: int = 2) -> str:
        """The change and its verdict in a sentence for the clinician."""
        if self.change is None:
            return "No change can be given: a value is missing in one session."
        unit = f" {self.unit}" if self.unit and self.unit != "deg" else "°"
        text = f"{self.change:+.{digits}f}{unit}"
        if self.mdc is None:
            return (
                f"{text}: no published minimal detectable change is shipped for this "
                "measure, so PoseDash cannot say whether it is larger than the "
                "measurement's own variation."
            )
        mdc = f"{self.mdc:.{digits}f}{unit}"
        if self.exceeds:
            return (
                f"{text}: larger than the minimal detectable change ({mdc}; {self.source}), "
                "so likely more than measurement variation."
            )
        return (
            f"{text}: within the minimal detectable change ({mdc}; {self.source}): "
            "not distinguishable from measurement variation."
        )


def _pick(rows: list[dict], population: str | None) -> dict | None:
    usable = [r for r in rows if finite_float(r.get("mdc95")) is not None]
    if population:
        match = [r for r in usable if str(r.get("population", "")) == population]
        if match:
            return match[0]
    return next((r for r in usable if r.get("default")), usable[0] if usable else None)


def mdc_for(measure: str, population: str | None = None) -> tuple[dict, dict] | None:
    """(reference document, row) of the MDC95 shipped for ``measure``; None when
    there is none. The first file in id order with a usable row is taken."""
    try:
        refs = for_measure(measure, "mdc")
    except ReferenceError:
        return None
    for ref in refs:
        row = _pick(rows_for(ref, measure), population)
        if row is not None:
            return ref, row
    return None


def exceeds_mdc(
    measure: str,
    before,
    after,
    *,
    n_before: int | None = None,
    n_after: int | None = None,
    population: str | None = None,
) -> Change:
    """The change ``after - before`` of ``measure`` and whether its size reaches
    the shipped MDC95 (see :class:`Change`). ``n_before``/``n_after`` (strides,
    repetitions, trials behind each value) are carried for the reader."""
    b, a = finite_float(before), finite_float(after)
    change = None if a is None or b is None else a - b
    found = mdc_for(measure, population)
    if found is None:
        return Change(measure, b, a, change, None, None, n_before=n_before, n_after=n_after)
    ref, row = found
    mdc = finite_float(row["mdc95"])
    assert mdc is not None  # mdc_for() returns only rows with a usable mdc95
    return Change(
        measure,
        b,
        a,
        change,
        mdc,
        None if change is None else abs(change) >= mdc - 1e-12,
        unit=str(ref.get("unit", "")),
        source=str(ref.get("short_source") or ref["source"]["citation"]),
        ref_id=ref["id"],
        population=str(row.get("population", "")),
        n_before=n_before,
        n_after=n_after,
    )
