"""The headline results of the report's first page, as plain rows: pure functions,
no layout.

Each :class:`Headline` is one measure relevant to the movement: its result (a
valid value as it is; a ``caution`` value with its reason; a withheld value as a
dash with the reason), the normal value it is read against with its source, and,
with an earlier session, the earlier value, the change and whether the change
exceeds the minimal detectable change (:func:`dashboard.references.change.exceeds_mdc`).
Every number comes from the once-computed results: ``summary.json``'s range of
motion rows (with the trust verdicts of :mod:`dashboard.kinematics.validity` when
present) and the ``posedash.gait/1`` document.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.references.change import exceeds_mdc
from dashboard.references.norms import norm_for
from dashboard.report.tables import DASH, display_name, excluded_text, fmt_deg, stat_value
from dashboard.text.norm_words import rom_norm_words

__all__ = ["Headline", "gait_headlines", "rom_headlines", "verdict"]

#: A video's range measured in fewer frames is withheld (as the trust rules say).
MIN_FRAMES = 10


@dataclass(frozen=True)
class Headline:
    """One row of the first page's results table (all plain text)."""

    measure: str
    result: str
    normal: str = ""
    earlier: str = ""
    change: str = ""
    beyond_mdc: str = ""
    #: valid / caution / withheld
    level: str = "valid"
    reason: str = ""


def verdict(row: dict, is_photo: bool = False) -> tuple[str, str]:
    """(level, reasons) of a range-of-motion row: the trust verdict it carries
    (``validity``, ``validity_reasons``), else the recording's own rules (no value,
    or too few frames: withheld)."""
    level = row.get("validity")
    if level:
        reasons = row.get("validity_reasons") or ()
        text = reasons if isinstance(reasons, str) else "; ".join(map(str, reasons))
        return str(level), text
    n = int(row.get("n_valid") or 0)
    if not n:
        return "withheld", f"not measured ({excluded_text(row)})"
    if not is_photo and n < MIN_FRAMES:
        return "withheld", f"measured in only {n} frames: too few for a range"
    return "valid", ""


def _mdc_cells(measure: str, before, after, digits: int, n=(None, None)) -> tuple[str, str, str]:
    """(earlier, change, beyond MDC) cells; blanks without an earlier session."""
    if before is None and after is None:
        return "", "", ""
    c = exceeds_mdc(measure, before, after, n_before=n[0], n_after=n[1])
    earlier = DASH if c.before is None else f"{c.before:.{digits}f}"
    if c.before is not None and n[0]:
        earlier += f" (n = {int(n[0])})"
    if c.change is None:
        return earlier, DASH, "no value"
    change = f"{c.change:+.{digits}f}"
    if c.mdc is None:
        return earlier, change, "no MDC"
    return earlier, change, f"{c.verdict()} (MDC {c.mdc:.{digits}f})"


def _rom_norm(key: str, ctx) -> str:
    return rom_norm_words(key, ctx.options.age_years, ctx.options.sex)


def rom_headlines(ctx, earlier_rows: dict | None = None) -> list[Headline]:
    """One row per angle side of the movement's measures (``ctx.keys``): the range
    (min to max), its normal end of range, and with ``earlier_rows`` ((angle,
    side) -> the earlier session's row) the change of the range against its MDC."""
    out = []
    by_key = {(r["angle"], r["side"]): r for r in ctx.rom}
    for key in ctx.keys:
        for (angle, side), row in by_key.items():
            if angle != key:
                continue
            level, reason = verdict(row, ctx.is_photo)
            name = display_name(angle, side)
            if ctx.is_photo:
                result = DASH if level == "withheld" else f"{fmt_deg(row['min_deg'])}°"
            elif level == "withheld":
                result = DASH
            else:
                result = (
                    f"range {fmt_deg(row['range_deg'])}° "
                    f"({fmt_deg(row['min_deg'])}° to {fmt_deg(row['max_deg'])}°)"
                )
            before = (earlier_rows or {}).get((angle, side))
            cells = ("", "", "")
            if before is not None and not ctx.is_photo:
                b_level, _ = verdict(before)
                b_val = stat_value(before.get("range_deg")) if b_level != "withheld" else None
                a_val = stat_value(row.get("range_deg")) if level != "withheld" else None
                cells = _mdc_cells(f"rom.{angle}", b_val, a_val, 1)
            out.append(Headline(name, result, _rom_norm(angle, ctx), *cells, level, reason))
    return out


def _stat(gait: dict, key: str, side: str = "overall") -> dict:
    stats = ((gait.get("parameters") or {}).get("stats") or {}).get(side) or {}
    s = stats.get(key)
    if isinstance(s, dict):
        return s
    value = (gait.get("parameters") or {}).get(key)  # an older document: the mean only
    return {"mean": value, "sd": None, "n": None}


def stat_text(s: dict, digits: int, unit: str = "", what: str = "strides") -> str:
    """``'1.40 ± 0.15 m/s (n = 3 strides)'``; a dash when there is no mean."""
    mean, sd, n = stat_value(s.get("mean")), stat_value(s.get("sd")), s.get("n")
    if mean is None:
        return DASH
    text = f"{mean:.{digits}f}"
    if sd is not None:
        text += f" ± {sd:.{digits}f}"
    text += f" {unit}" if unit else ""
    if n:
        text += f" (n = {int(n)} {what if int(n) != 1 else what.rstrip('s')})"
    return text


#: (measure key, label, digits, unit, what n counts, norm/MDC measure)
GAIT_HEADLINES = (
    ("speed_m_s", "Walking speed", 2, "m/s", "strides", "gait.speed_m_s"),
    ("cadence_steps_per_min", "Cadence", 1, "steps/min", "strides", "gait.cadence_steps_per_min"),
    ("stride_length_m", "Stride length", 2, "m", "strides", ""),
    ("step_length_m", "Step length", 2, "m", "steps", ""),
    ("double_support_pct", "Double support", 1, "% of the cycle", "strides", ""),
)
_BODY_HEIGHTS = {
    "speed_m_s": ("speed_body_heights_s", 2, "body heights/s"),
    "stride_length_m": ("stride_length_body_heights", 3, "body heights"),
    "step_length_m": ("step_length_body_heights", 3, "body heights"),
}


#: Where the normal values of a gait measure may be shipped (the functional tests'
#: 10-m walk norms are the walking-speed norms: one file, reused).
NORM_MEASURES = {"gait.speed_m_s": ("gait.speed_m_s", "walk10.speed_m_s")}


def _gait_norm(measure: str, options) -> str:
    if not measure:
        return ""
    for m in NORM_MEASURES.get(measure, (measure,)):
        norm = norm_for(m, options.age_years, options.sex)
        if norm is not None:
            return norm.words(2 if "speed" in measure else 0)
    if options.age_years is None or options.sex is None:
        return "normal values need the patient's age and sex"
    return "no normal values shipped for this measure"


def gait_headlines(gait: dict, options, earlier: dict | None = None) -> list[Headline]:
    """Walking speed, cadence, stride and step length (in metres when a scale is
    known, else in body heights), double support: mean ± SD (n), their normal
    values and, with an ``earlier`` gait document, the change against the MDC."""
    out = []
    for key, label, digits, unit, what, measure in GAIT_HEADLINES:
        s, used_key = _stat(gait, key), key
        if stat_value(s.get("mean")) is None and key in _BODY_HEIGHTS:
            used_key, digits, unit = _BODY_HEIGHTS[key]
            s = _stat(gait, used_key)
            measure = ""  # norms and MDCs are in metres
        result = stat_text(s, digits, unit, what)
        level, reason = ("valid", "") if result != DASH else ("withheld", "too few strides")
        cells = ("", "", "")
        if earlier is not None:
            b = _stat(earlier, used_key)
            cells = _mdc_cells(
                measure or f"gait.{used_key}",
                stat_value(b.get("mean")),
                stat_value(s.get("mean")),
                digits,
                (b.get("n"), s.get("n")),
            )
        out.append(Headline(label, result, _gait_norm(measure, options), *cells, level, reason))
    return out
