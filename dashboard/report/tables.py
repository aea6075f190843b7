"""The numbers a report prints, as plain rows: pure functions, no layout.

Range-of-motion values are taken from the very records of ``<stem>.summary.json``
(:func:`dashboard.kinematics.summary.summary_dict`) and printed with
:func:`fmt_deg`, so the PDF and the JSON can never disagree: the PDF shows the
JSON value rounded to 0.1 deg.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dashboard.jsonsafe import finite_float
from dashboard.kinematics import CATALOGUE, classify_view
from dashboard.kinematics.people import main_person
from dashboard.kinematics.validity import describe

SPACE_WORDS = {
    "image": "image space (the angle as seen in the picture, 2D)",
    "world": "world space (MediaPipe's 3D estimate)",
}
DASH = "–"


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def fmt_deg(value) -> str:
    """Degrees to one decimal, as printed in the report (``–`` when unknown).

    The one rounding the report applies to angles; ``-0.0`` prints as ``0.0``.
    """
    value = _num(value)
    if value is None:
        return DASH
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def fmt_signed(value, digits: int = 1) -> str:
    value = _num(value)
    if value is None:
        return DASH
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def fmt_conf(value) -> str:
    value = _num(value)
    return DASH if value is None else f"{value:.2f}"


def fmt_s(value, digits: int = 2) -> str:
    value = _num(value)
    return DASH if value is None else f"{value:.{digits}f}"


def display_name(key: str, side: str) -> str:
    label = next((d.label for d in CATALOGUE if d.key == key), key)
    return f"{label} ({side})" if side else label


# ---------------------------------------------------------------------------
# who, which view, which angles
# ---------------------------------------------------------------------------
def choose_person(seq) -> int | None:
    """The person slot found in most frames (None when nobody was found): the one
    rule of :func:`dashboard.kinematics.people.main_person`, which ``gait.json``
    of the command line follows too."""
    return main_person(seq)


def camera_view(kin, slot: int):
    """(view word key, median yaw deg, share of frames in that view) of one person."""
    yaw = kin.camera_yaw_deg[:, slot]
    ok = np.isfinite(yaw)
    if not ok.any():
        return "", float("nan"), 0.0
    med = float(np.median(yaw[ok]))
    tol = kin.settings.view_tolerance_deg
    view = str(classify_view(med, tol))
    share = float(np.mean(classify_view(yaw[ok], tol) == view))
    return view, med, share


def default_space(view: str) -> str:
    """Image space when the recording is filmed square (front or side), else world."""
    return "image" if view in ("side", "front") else "world"


def _robust_range(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    if x.size < 3:
        return 0.0
    lo, hi = np.percentile(x, [5, 95])
    return float(hi - lo)


def suggest_angles(
    aset, slot: int, view: str, is_photo: bool, limit: int = 3, min_movement_deg: float = 15.0
) -> list[str]:
    """Angle keys to chart: those valid for the camera view that move at least
    ``min_movement_deg`` (robust 5-95th percentile range), most first, at most
    ``limit``; the one moving most when none does (a photo: the first valid ones).
    Values flagged as foreshortened do not count as movement."""
    keys = list(dict.fromkeys(d.key for d in aset.defs))
    valid = [
        k
        for k in keys
        if next(d for d in aset.defs if d.key == k).view in (view, "any")
        or view not in ("side", "front")
        or aset.space == "world"
    ]
    valid = valid or keys
    if is_photo:
        return valid[:limit]
    moves = {}
    for k in valid:
        ranges = []
        for i, d in enumerate(aset.defs):
            if d.key == k:
                x = np.where(aset.foreshortened[:, slot, i], np.nan, aset.value_deg[:, slot, i])
                ranges.append(_robust_range(x))
        moves[k] = max(ranges)
    ranked = sorted(valid, key=lambda k: -moves[k])
    return [k for k in ranked if moves[k] >= min_movement_deg][:limit] or ranked[:1]


# ---------------------------------------------------------------------------
# range of motion
# ---------------------------------------------------------------------------
def exclusions(aset, slot: int, i: int) -> dict[str, int]:
    """Why frames have no value for angle ``i`` of person slot ``slot``.

    Keys: ``not_found`` (the person was not found), ``off_view`` (image space:
    not filmed from the angle's view), ``low_confidence`` (a landmark's
    visibility below the threshold), ``out_of_plane`` (a segment too far out of
    the angle's plane, or a landmark missing), ``bridged`` (short gaps filled by
    interpolation, counted as used), ``measured`` (frames with a raw value).
    """
    raw = aset.raw_deg[:, slot, i]
    conf = aset.confidence[:, slot, i]
    off = aset.off_view[:, slot, i]
    value = aset.value_deg[:, slot, i]
    measured = np.isfinite(raw)
    not_found = ~np.isfinite(conf)
    low = np.isfinite(conf) & (conf < aset.min_confidence) & ~off & ~measured
    rest = ~measured & ~not_found & ~off & ~low
    return dict(
        measured=int(measured.sum()),
        not_found=int(not_found.sum()),
        off_view=int(off.sum()),
        low_confidence=int(low.sum()),
        out_of_plane=int(rest.sum()),
        bridged=int((np.isfinite(value) & ~measured).sum()),
    )


def exclusion_text(ex: dict[str, int]) -> str:
    parts = []
    for key, words in (
        ("not_found", "person not found"),
        ("off_view", "not in the view"),
        ("low_confidence", "low confidence"),
        ("out_of_plane", "out of plane"),
    ):
        if ex[key]:
            parts.append(f"{ex[key]} {words}")
    return ", ".join(parts) or "none"


def excluded_text(row: dict) -> str:
    """Why frames of a :func:`rom_rows` row have no value (:func:`exclusion_text`),
    with the implausible values left out of the range of motion, as the Joint
    angles page counts them ("Implausible, left out")."""
    text = exclusion_text(row["exclusions"])
    n = int(row.get("n_implausible") or 0)
    if not n or row.get("implausible_included"):
        return text
    implausible = f"{n} implausible, left out"
    return implausible if text == "none" else f"{text}, {implausible}"


def _row_of(aset, frame: int) -> int | None:
    hits = np.flatnonzero(aset.frame_index == frame)
    return int(hits[0]) if frame is not None and frame >= 0 and len(hits) else None


def rom_rows(records: Sequence[dict], aset, slot: int) -> list[dict]:
    """Rows of the report's ROM table for one space and person, catalogue order.

    ``records`` are ``summary_dict(kin)['range_of_motion']``. Each row keeps the
    JSON values (``min_deg`` ... ``symmetry_index_pct``) and adds the
    confidence at the minimum and the maximum, the median confidence of the
    measured frames, and the exclusion counts (:func:`exclusions`).
    """
    person_id = int(aset.person_ids[slot])
    out = []
    for rec in records:
        if rec["space"] != aset.space or rec["person"] != person_id:
            continue
        i = aset.index(rec["angle"], rec["side"])
        conf = aset.confidence[:, slot, i]
        measured = np.isfinite(aset.raw_deg[:, slot, i])
        at = {}
        for end in ("min", "max"):
            row = _row_of(aset, rec[f"frame_of_{end}"])
            at[end] = float(conf[row]) if row is not None else float("nan")
        out.append(
            dict(
                rec,
                conf_at_min=at["min"],
                conf_at_max=at["max"],
                conf_median=float(np.median(conf[measured])) if measured.any() else float("nan"),
                exclusions=exclusions(aset, slot, i),
            )
        )
    return out


def rom_table_cells(rows: Sequence[dict], is_photo: bool) -> list[list[str]]:
    """Printed cells of :func:`rom_rows` (see ``ROM_HEADINGS``/``PHOTO_HEADINGS``).

    A video's rows without any value are left out (see :func:`not_measured`)."""
    cells = []
    for r in rows:
        name = display_name(r["angle"], "")
        side = r["side"] or "midline"
        ex = r["exclusions"]
        if is_photo:
            cells.append(
                [
                    name,
                    side,
                    fmt_deg(r["min_deg"]),
                    fmt_conf(r["conf_at_min"]),
                    _with_verdict(excluded_text(r) if not r["n_valid"] else "", r),
                ]
            )
            continue
        if not r["n_valid"]:
            continue
        used = f"{r['n_valid']} of {r['n_frames']}"
        if ex["bridged"]:
            used += f" ({ex['bridged']} bridged)"
        cells.append(
            [
                name,
                side,
                fmt_deg(r["min_deg"]) + ("*" if r["min_flagged"] else ""),
                fmt_deg(r["max_deg"]) + ("*" if r["max_flagged"] else ""),
                fmt_deg(r["range_deg"]),
                fmt_deg(r["mean_deg"]),
                fmt_signed(r["symmetry_index_pct"], 0),
                fmt_conf(r["conf_median"]),
                f"{fmt_conf(r['conf_at_min'])} / {fmt_conf(r['conf_at_max'])}",
                used,
                _with_verdict(excluded_text(r), r),
            ]
        )
    return cells


def verdict_note(r: dict) -> str:
    """The row's verdict, known error and missing-symmetry reason alone (no counts)."""
    return _with_verdict("", r)


def _with_verdict(text: str, r: dict) -> str:
    """``text`` followed by the row's verdict when it is not simply valid (a withheld
    row prints dashes: the reason is here), and why its symmetry index is missing."""
    parts = [text] if text and text != "none" else []
    level = r.get("validity", "valid")
    if level and level != "valid":
        parts.append(describe(level, r.get("validity_reasons", ()), r.get("bias", "")))
    elif r.get("bias"):
        parts.append(f"known error: {r['bias']}")
    if r.get("side") and r.get("symmetry_validity") == "withheld" and level != "withheld":
        parts.append("no SI: " + "; ".join(r.get("symmetry_reasons", ())))
    elif r.get("side") and r.get("symmetry_validity") == "caution":
        parts.append("SI with caution: " + "; ".join(r.get("symmetry_reasons", ())))
    return "; ".join(parts) or (text or "")


def not_measured(rows: Sequence[dict]) -> list[str]:
    """One sentence per group of angles with no value in any frame, with the reason."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r["n_valid"]:
            continue
        why = excluded_text(r)
        groups.setdefault(why, []).append(display_name(r["angle"], r["side"]))
    return [f"{', '.join(names)}: no value ({why})." for why, names in groups.items()]


ROM_HEADINGS = (
    "Angle",
    "Side",
    "Min °",
    "Max °",
    "Range °",
    "Mean °",
    "SI %",
    "Conf. median",
    "Conf. at min / max",
    "Frames used",
    "Frames excluded, why",
)
ROM_WIDTHS = (29, 11, 11, 11, 13, 11, 9, 12, 17, 20, 36)
ROM_ALIGN = (
    "LEFT",
    "LEFT",
    "RIGHT",
    "RIGHT",
    "RIGHT",
    "RIGHT",
    "RIGHT",
    "RIGHT",
    "CENTER",
    "LEFT",
    "LEFT",
)
PHOTO_HEADINGS = ("Angle", "Side", "Value °", "Confidence", "Why no value")
PHOTO_WIDTHS = (40, 14, 14, 17, 57)
PHOTO_ALIGN = ("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT")


# ---------------------------------------------------------------------------
# repetitions and comparison
# ---------------------------------------------------------------------------
def repetition_series(
    reps: Sequence[dict], space: str, person_id: int, keys: Sequence[str] | None = None
) -> list[dict]:
    """Entries of ``summary_dict(kin)['repetitions']`` for one space and person (and
    the given angle keys), with at least one complete repetition: in the keys' order,
    and of one angle the side that moved most first (the Joint angles page's rule, on the
    core's ``movement_deg``)."""
    found = [
        r
        for r in reps
        if r["space"] == space
        and r["person"] == person_id
        and (keys is None or r["angle"] in keys)
        and r["count"] > 0
    ]
    order = {k: i for i, k in enumerate(keys or ())}
    return sorted(
        found,
        key=lambda r: (
            order.get(r["angle"], len(order)),
            -(r.get("movement_deg") or 0.0),
            r["side"],
        ),
    )


def repetition_cells(series: dict) -> list[list[str]]:
    rows = []
    for rep in series["repetitions"]:
        rows.append(
            [
                str(rep["number"]),
                "yes" if rep["complete"] else "no (cut by the recording)",
                fmt_s(rep["start_time_s"]),
                fmt_deg(rep["peak_deg"]),
                fmt_deg(rep["rom_deg"]),
                fmt_s(rep["duration_s"]),
                fmt_s(rep["to_peak_s"]),
                fmt_s(rep["from_peak_s"]),
            ]
        )
    return rows


REP_HEADINGS = (
    "Rep",
    "Complete",
    "Starts at s",
    "Peak °",
    "ROM °",
    "Duration s",
    "To peak s",
    "From peak s",
)
REP_WIDTHS = (8, 22, 14, 14, 14, 14, 14, 14)


def comparison_cells(
    table, keys: Sequence[str] | None = None, flags: dict | None = None
) -> list[list[str]]:
    """Printed rows of ``dashboard.kinematics.compare.compare_rom`` output; with
    ``flags`` (angle name -> why the row may not compare, from
    ``dashboard.kinematics.comparability.row_flags``) a last column says it."""
    rows = []
    for _, r in table.iterrows():
        if keys is not None and r["angle"] not in keys:
            continue
        if not (r["before_n_valid"] or r["after_n_valid"]):
            continue
        rows.append(
            [
                display_name(r["angle"], ""),
                r["side"] or "midline",
                fmt_deg(r["before_range_deg"]),
                fmt_deg(r["after_range_deg"]),
                fmt_signed(r["range_change_deg"]),
                fmt_deg(r["before_max_deg"]),
                fmt_deg(r["after_max_deg"]),
                fmt_signed(r["max_change_deg"]),
                _mdc_verdict(r) + _compare_trust(r),
            ]
        )
        if flags is not None:
            name = f"{r['angle']}_{r['side']}" if r["side"] else r["angle"]
            rows[-1].append(flags.get(name, ""))
    return rows


def _compare_trust(r) -> str:
    """'; caution (now)', '; withheld (earlier)'...: the sessions' verdicts of the row
    when not valid (a withheld range prints dashes, this says why there is none)."""
    parts = []
    for level in ("withheld", "caution"):
        when = [
            w
            for w, col in (("earlier", "before_validity"), ("now", "after_validity"))
            if r.get(col) == level
        ]
        if when:
            parts.append(f"{level} ({', '.join(when)})")
    return "".join(f"; {p}" for p in parts)


def _mdc_verdict(r) -> str:
    """Whether the range's change reaches its published MDC95 (``'no MDC'``: none shipped)."""
    from dashboard.references.change import exceeds_mdc

    c = exceeds_mdc(f"rom.{r['angle']}", r["before_range_deg"], r["after_range_deg"])
    if c.change is None:
        return DASH
    return "no MDC" if c.mdc is None else f"{c.verdict()} (MDC {c.mdc:.0f}°)"


COMPARE_HEADINGS = (
    "Angle",
    "Side",
    "Range before °",
    "Range now °",
    "Change °",
    "Max before °",
    "Max now °",
    "Change °",
    "Range change beyond MDC?",
)
COMPARE_WIDTHS = (34, 13, 14, 14, 15, 14, 14, 15, 21)


def stat_value(x) -> float | None:
    """A statistic's mean (``{'mean': ...}`` as in ``gait.json``) or a plain number, as a
    finite float; None when there is none."""
    return finite_float(x.get("mean") if isinstance(x, dict) else x)
