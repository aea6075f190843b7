"""A functional test's values for a patient's progress chart, and the norm, cut-offs
and minimal detectable change drawn with them.

Read from a scored test's ``posedash.test/1`` document: **nothing is computed here**
but the verdict of each value, from what the test already says.

Values (:data:`FIELDS`): the 5xSTS times to the fifth sit and to the fifth stand (two
keys: the protocols' two ends never share a line), the 30-s chair stand's stands, the
TUG total, the 10-m walk's speed, the 3-m backward walk's time, the single-leg stance
per stance leg and the better side.

Verdict (:func:`values_of`):

- **withheld** (no number) when the test gives none: its own reason (``withheld``), e.g.
  a 30-s chair stand recorded for less than 30 s; or the reason the test was refused;
- **caution** with the test's warnings as reasons (a start not clearly seen, a crossing
  extrapolated, a trial still running when the video ends, a set-up check passed with
  caution); a single-leg stance side is caution while the sides are the pose model's
  labels (``result['sides']`` ``as_labelled``: a mirror-image video would swap them);
- **valid** otherwise. A result scored from events corrected by hand says so among its
  reasons (``events_note``) without being doubted for it: the clinician placed them.

Pure: no UI.
"""

from __future__ import annotations

import math

from dashboard.functional.model import TITLES
from dashboard.functional.norms import MEASURES

__all__ = [
    "FIELDS",
    "KIND",
    "guides",
    "key_of",
    "measure_of",
    "protocol_reasons",
    "refused_values",
    "values_of",
]

#: The key prefix of a functional test's values (``test.sts5:time_to_fifth_sit_s``).
KIND = "test"
#: Test -> ((result field, label, unit), ...)
FIELDS = {
    "sts5": (
        ("time_to_fifth_sit_s", "time to the fifth sit", "s"),
        ("time_to_fifth_stand_s", "time to the fifth stand", "s"),
    ),
    "chair30": (("stands", "stands in 30 s", "stands"),),
    "tug": (("total_s", "total time", "s"),),
    "walk10": (("speed_m_s", "gait speed", "m/s"),),
    "backward3": (("time_s", "time", "s"),),
    "sls": (
        ("left_s", "standing on the left leg", "s"),
        ("right_s", "standing on the right leg", "s"),
        ("best_s", "better side", "s"),
    ),
}
#: The fields a norm and a minimal detectable change apply to (see :data:`MEASURES`;
#: the 5xSTS norm is placed at whichever end the protocol chose, so both ends).
_PLACED = {
    "sts5": ("time_to_fifth_sit_s", "time_to_fifth_stand_s"),
    "chair30": ("stands",),
    "tug": ("total_s",),
    "walk10": ("speed_m_s",),
    "backward3": ("time_s",),
    "sls": ("best_s",),
}


def key_of(test: str, field: str) -> str:
    return f"{KIND}.{test}:{field}"


def _split(key: str) -> tuple[str, str] | None:
    kind, _, field = str(key).partition(":")
    if not kind.startswith(f"{KIND}."):
        return None
    test = kind[len(KIND) + 1 :]
    return (test, field) if test in FIELDS else None


def measure_of(key: str) -> str | None:
    """The reference measure of a test value's key (norms, cut-offs, MDC), or None."""
    found = _split(key)
    if found is None or found[1] not in _PLACED[found[0]]:
        return None
    return MEASURES[found[0]][0]


def _label(test: str, words: str) -> str:
    return f"{TITLES[test]}: {words}"


def _number(x) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return None
    return float(x)


def _warnings_for(test: str, field: str, warnings) -> list[str]:
    """The warnings that concern ``field`` (a single-leg stance side: not the other's)."""
    other = {"left_s": "right", "right_s": "left"}.get(field) if test == "sls" else None
    return [str(w) for w in warnings if not (other and f"on the {other} leg" in str(w))]


def values_of(doc: dict) -> list[dict]:
    """The progress values (``Metric`` fields as a dict: ``key``, ``label``, ``unit``,
    ``value``, ``confidence``, ``coverage``, ``validity``, ``reasons``, ``bias``) of a
    scored test's document."""
    test = str(doc.get("test", ""))
    if test not in FIELDS:
        return []
    result = doc.get("result") or {}
    withheld = doc.get("withheld") or {}
    note = str(doc.get("events_note") or "")  # events corrected by hand: said, not doubted
    warnings = [w for w in doc.get("warnings") or () if str(w) != note]
    out = []
    for field, words, unit in FIELDS[test]:
        value = _number(result.get(field))
        if value is None:
            why = str(withheld.get(field) or "The test gives no value for it.")
            level, reasons = "withheld", [why]
        else:
            reasons = _warnings_for(test, field, warnings)
            if test == "sls" and field != "best_s" and result.get("sides") != "patient":
                reasons.append(str(result.get("sides_note") or "The sides may be swapped."))
            level = "caution" if reasons else "valid"
            reasons += [note] if note else []
        out.append(
            dict(
                key=key_of(test, field),
                label=_label(test, words),
                unit=unit,
                value=value,
                confidence=None,
                coverage=None,
                validity=level,
                reasons=reasons,
                bias="",
            )
        )
    return out


def refused_values(test: str, reason: str) -> list[dict]:
    """The values of a test the recording could not give: each withheld with ``reason``."""
    return [
        dict(
            key=key_of(test, field),
            label=_label(test, words),
            unit=unit,
            value=None,
            confidence=None,
            coverage=None,
            validity="withheld",
            reasons=[f"The test could not be scored: {reason}"],
            bias="",
        )
        for field, words, unit in FIELDS.get(test, ())
    ]


def protocol_reasons(test: str, before: dict, after: dict) -> tuple[str, ...]:
    """Why two sessions' results of ``test`` may not compare (their options differ in
    what changes the number), in plain words; () when they compare."""
    out = []
    if test in ("walk10", "backward3"):
        a, b = before.get("distance_m"), after.get("distance_m")
        if a is not None and b is not None and abs(float(a) - float(b)) > 1e-6:
            out.append(f"The distance differs: {a:g} m earlier, {b:g} m later.")
    if before.get("start_s") is None and after.get("start_s") is not None:
        out.append("The later clock was started by hand, the earlier at the first movement.")
    if before.get("start_s") is not None and after.get("start_s") is None:
        out.append("The earlier clock was started by hand, the later at the first movement.")
    return tuple(out)


def _band(norm: dict) -> tuple | None:
    """(low, high, mean or None, what the band is) of a placed norm; None without numbers."""
    mean = _number(norm.get("mean"))
    p25, p75 = _number(norm.get("p25")), _number(norm.get("p75"))
    if p25 is not None and p75 is not None:
        return p25, p75, mean, "25th to 75th percentile"
    if mean is None:
        return None
    ci = [_number(x) for x in norm.get("ci95") or []]
    if len(ci) == 2 and ci[0] is not None and ci[1] is not None:
        return ci[0], ci[1], mean, "95 % CI of the reference mean"
    sd = _number(norm.get("sd"))
    if sd is not None:
        return mean - sd, mean + sd, mean, "mean ± 1 SD"
    return mean, mean, mean, "reference mean"


def guides(key: str, age: int | None, sex: str | None) -> dict:
    """What to draw with a test value's chart: ``norm`` (``low``, ``high``, ``mean``,
    ``words``, ``what``: the band's meaning) or None, ``cutoffs`` (``threshold``,
    ``words``) and ``mdc`` (``mdc95``, ``words``) or None, and ``note`` (a sentence:
    which age and sex chose the norm, or why none is drawn). The norm and cut-offs are
    those the test's own ``norms`` block gives (:func:`dashboard.references.placement.place`)."""
    from dashboard.references.change import mdc_for
    from dashboard.references.placement import place

    measure = measure_of(key)
    out: dict = {"norm": None, "cutoffs": [], "mdc": None, "note": ""}
    if measure is None:
        return out
    placed = place(measure, None, age, sex)
    norm = placed.get("norm")
    who = f"age {age}" + ("" if sex is None else f", {'female' if sex == 'f' else 'male'}")
    band = _band(norm) if norm else None
    if band is not None:
        out["norm"] = dict(zip(("low", "high", "mean", "what"), band, strict=True))
        out["norm"]["words"] = str(norm["words"])
        out["note"] = f"Norm for {who}: {norm['words']}."
    elif age is None and placed.get("table"):
        out["note"] = (
            "No norm band is drawn: no age was given with these tests (enter it on the "
            "Tests page before keeping the result)."
        )
    elif placed.get("table"):
        out["note"] = f"No norm row fits {who}."
    out["cutoffs"] = [
        dict(threshold=float(c["threshold"]), words=str(c["words"]))
        for c in placed.get("cutoffs", [])
    ]
    found = mdc_for(measure)
    if found is not None:
        ref, row = found
        mdc = _number(row.get("mdc95"))
        if mdc is not None:
            source = str(ref.get("short_source") or ref.get("id", ""))
            out["mdc"] = dict(mdc95=mdc, words=f"MDC95 {mdc:g} {ref.get('unit', '')} ({source})")
    return out
