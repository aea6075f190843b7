"""Normal values by age and sex: which published reference a patient's value is
read against.

Rows of a ``kind: "norm"`` reference file understood here::

    {"sex": "female" | "male" | "any", "age_min": 20, "age_max": 29,
     "mean": 1.34, "sd": 0.17, "n": 400, "end": "max"}

or the functional tests' form ``{"sex": "f" | "m", "age_min", "age_max",
"statistic": "mean", "value": 1.34, "verified": true}``, or a normal range of
percentiles ``{"sex", "age_min", "age_max", "p25": 12, "p75": 17}`` (no mean).

``sd``, ``n``, ``ci95`` (``[low, high]`` of the mean), ``population`` (who the row
describes, when age and sex do not say it) and ``end`` are optional. ``end`` is
for ranges of motion: which
end of the angle the norm describes (``max``: the largest flexion, ``min``: the
largest extension, stored in PoseDash's signs, so 16.7 deg of hip extension is
``-16.7`` of hip flexion). Ages are whole years, both ends included.

Pure: no UI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.jsonsafe import finite_float
from dashboard.references import ReferenceError, for_measure, rows_for

__all__ = ["SEXES", "Norm", "age_on", "norm_for", "norms_for", "sex_code"]

SEXES = ("female", "male")
_SEX_WORDS = {"female": "women", "male": "men", "any": "adults"}


@dataclass(frozen=True)
class Norm:
    """One normal value and where it comes from."""

    measure: str
    mean: float | None
    sd: float | None
    sex: str
    age_min: int | None
    age_max: int | None
    unit: str
    source: str
    ref_id: str
    end: str = ""
    n: int | None = None
    #: False when the source file marks the row as not seen in a public text.
    verified: bool = True
    #: 95 % confidence interval of the mean, when the source gives it.
    ci95: tuple[float, float] | None = None
    #: 25th and 75th percentiles, when the source gives a normal range instead of a mean.
    p25: float | None = None
    p75: float | None = None
    #: who the row describes, when age and sex alone do not say it
    population: str = ""

    @property
    def group(self) -> str:
        """``'women 60–69'``, ``'men 20–44'``, ``'adults'``."""
        if self.population:
            return self.population
        who = _SEX_WORDS.get(self.sex, self.sex)
        if self.age_min is None and self.age_max is None:
            return who
        if self.age_max is None or self.age_max >= 120:
            return f"{who} {self.age_min}+"
        return f"{who} {self.age_min}–{self.age_max}"

    def value_words(self, digits: int = 2) -> str:
        """``'1.24 ± 0.17 m/s'``, ``'8.1 s (95 % CI 7.1–9.0)'``, ``'12–17 stands
        (25th–75th percentile)'``."""
        unit = "°" if self.unit == "deg" else f" {self.unit}"
        if self.mean is None:
            return f"{self.p25:.{digits}f}–{self.p75:.{digits}f}{unit} (25th–75th percentile)"
        sd = f" ± {self.sd:.{digits}f}" if self.sd is not None else ""
        ci = ""
        if self.ci95 is not None:
            ci = f" (95 % CI {self.ci95[0]:.{digits}f}–{self.ci95[1]:.{digits}f})"
        return f"{self.mean:.{digits}f}{sd}{unit}{ci}"

    def words(self, digits: int = 2) -> str:
        """``'1.24 ± 0.20 m/s (women 60–69; Bohannon & Williams Andrews 2011)'``."""
        unverified = "; not verified against the published table" if not self.verified else ""
        return f"{self.value_words(digits)} ({self.group}; {self.source}{unverified})"


def age_on(birth_date: str | None, on: str | dt.date | None = None) -> int | None:
    """Whole years from ``birth_date`` (``YYYY-MM-DD``) to ``on`` (default: today);
    None when either is not a date."""
    try:
        born = dt.date.fromisoformat(str(birth_date or "").strip()[:10])
        if on is None:
            day = dt.date.today()
        else:
            day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on).strip()[:10])
    except ValueError:
        return None
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return years if 0 <= years < 130 else None


def _int(x) -> int | None:
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


_SEX_CODES = {"f": "female", "m": "male", "female": "female", "male": "male"}


def _pair(x) -> tuple[float, float] | None:
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        return None
    lo, hi = finite_float(x[0]), finite_float(x[1])
    return None if lo is None or hi is None else (lo, hi)


def _norm(ref: dict, row: dict, measure: str) -> Norm | None:
    mean = finite_float(row.get("mean"))
    if mean is None and row.get("statistic", "mean") == "mean":
        mean = finite_float(row.get("value"))  # the functional tests' row form
    p25, p75 = finite_float(row.get("p25")), finite_float(row.get("p75"))
    if mean is None and (p25 is None or p75 is None):
        return None
    return Norm(
        measure=measure,
        mean=mean,
        sd=finite_float(row.get("sd")),
        sex=_SEX_CODES.get(str(row.get("sex") or "any").lower(), "any"),
        age_min=_int(row.get("age_min")),
        age_max=_int(row.get("age_max")),
        unit=str(ref.get("unit", "")),
        source=str(ref.get("short_source") or ref["source"]["citation"]),
        ref_id=ref["id"],
        end=str(row.get("end") or ""),
        n=_int(row.get("n")),
        verified=row.get("verified") is not False,
        ci95=_pair(row.get("ci95")),
        p25=p25,
        p75=p75,
        population=str(row.get("population") or ""),
    )


def norms_for(measure: str, end: str | None = None) -> list[Norm]:
    """Every normal value shipped for ``measure`` (and ``end``), in file order."""
    try:
        refs = for_measure(measure, "norm")
    except ReferenceError:
        return []
    found = [_norm(ref, row, measure) for ref in refs for row in rows_for(ref, measure)]
    return [n for n in found if n is not None and (end is None or n.end == end)]


def _fits(n: Norm, age: int | None, sex: str | None) -> bool:
    if n.sex != "any" and n.sex != sex:
        return False
    if n.age_min is None and n.age_max is None:
        return True
    if age is None:
        return False
    return (n.age_min is None or age >= n.age_min) and (n.age_max is None or age <= n.age_max)


def norm_for(
    measure: str, age: int | None = None, sex: str | None = None, end: str | None = None
) -> Norm | None:
    """The normal value of ``measure`` for a patient of ``age`` and ``sex``
    (``'female'``/``'male'``); None when nothing shipped fits (for example the
    norms are by age and sex and these are not known)."""
    fitting = [n for n in norms_for(measure, end) if _fits(n, age, sex)]
    # the most specific first: a sex-specific, age-banded row beats an 'any' row
    fitting.sort(key=lambda n: (n.sex == "any", n.age_min is None))
    return fitting[0] if fitting else None


def sex_code(sex: str | None) -> str | None:
    """``'female'``/``'male'`` for the ways a sex is written (``'f'``, ``'M'``, ``'female'``),
    None for anything else or nothing."""
    return _SEX_CODES.get(str(sex or "").lower())
