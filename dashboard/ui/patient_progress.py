"""The Patients page's Progress tab: one value across a patient's sessions, chosen
from a grouped menu with plain-word search, drawn so that it cannot mislead
(:mod:`dashboard.library.chart`), with whether the change exceeds the minimal
detectable change where a reference gives one.

The rules (what it opens on, which sessions compare) live in
:mod:`dashboard.library.progress`; this module only shows them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.kinematics.movements import movement_label
from dashboard.kinematics.validity import describe
from dashboard.library.chart import WEAK_CONFIDENCE, progress_figure
from dashboard.library.progress import GROUPS, matches, mdc_measure
from dashboard.library.records import Patient
from dashboard.library.service import Library
from dashboard.ui import keys as ui_keys, patient_state, widgets

KEY = ui_keys.LIBRARY_METRIC.name  # the value chosen (select box)
FIND, GROUP, ZERO = "library_metric_find", "library_metric_group", "library_progress_zero"
ALL = "All values"
DASH = "—"


def render(lib: Library, patient: Patient, sessions) -> None:
    if not sessions:
        st.info("Save sessions to this patient to follow their progress.", icon="ℹ️")
        return
    choices = lib.metric_choices(patient.uid)
    if not choices:
        st.info("These sessions hold no value to chart (nobody was found in them).", icon="🔍")
        return
    by_key = {c["key"]: c for c in choices}
    chosen = _menu(lib, patient, choices, len(sessions))
    if chosen is None:
        return
    entry = by_key[chosen]
    points = lib.progress(patient.uid, chosen)
    from_zero = st.toggle("Axis from zero", key=ZERO, help="Start the value axis at zero.")
    guides = _test_guides(lib, patient, chosen)
    fig = progress_figure(points, entry["label"], entry["unit"], from_zero, guides)
    st.plotly_chart(fig, key="library_progress_chart", config={"displaylogo": False})
    _caption(points)
    _guide_words(guides, any(p.value is not None and p.validity == "valid" for p in points))
    _change(chosen, points, entry["unit"])
    _table(points, entry["unit"])


def _menu(lib: Library, patient: Patient, choices, n_sessions: int) -> str | None:
    """The grouped, searchable value menu; the chosen key (None: none chosen yet)."""
    present = {c["group"] for c in choices}
    groups = [ALL] + [name for _, name in GROUPS if name in present]
    cols = st.columns([3, 2])
    query = cols[0].text_input(
        "Find a value",
        key=FIND,
        placeholder="plain words, e.g. knee flexion, walking speed",
        autocomplete="off",
    )
    group = cols[1].selectbox("Group", groups, key=GROUP)
    keys = [
        c["key"]
        for c in choices
        if (group == ALL or c["group"] == group) and matches(query, c["key"], c["label"])
    ]
    if not keys:
        st.info(f"No value of these sessions matches “{query}” in {group.lower()}.", icon="🔍")
        return None
    by_key = {c["key"]: c for c in choices}
    if ui_keys.LIBRARY_METRIC.get() not in keys:
        default = lib.default_metric(patient.uid)
        ui_keys.LIBRARY_METRIC.set(default if default in keys else None)

    def label(k: str) -> str:
        c = by_key[k]
        valid = f"valid in {c['valid']} of {n_sessions} sessions"
        return f"{c['label']} ({valid})" if c["valid"] else f"{c['label']} (⚠ {valid})"

    patient_state.current_label(KEY, keys, label)
    chosen = st.selectbox(
        "Value",
        keys,
        key=KEY,
        format_func=label,
        placeholder="Choose a value",
    )
    if chosen is None:
        movement = movement_label(lib.movement(patient.uid))
        st.info(
            f"No value is valid in any of these sessions for what they show ({movement}): "
            "PoseDash opens on no value rather than on one to read with caution. Choose "
            "one above; caution values are drawn hollow with their reason.",
            icon="ℹ️",
        )
    return chosen


def _test_guides(lib: Library, patient: Patient, key: str) -> dict | None:
    """A functional test's norm band, cut-offs and MDC (None for other values)."""
    if not key.startswith("test."):
        return None
    from dashboard.functional.progress import guides

    age, sex = lib.norm_context(patient.uid, key)
    return guides(key, age, sex)


def _guide_words(guides: dict | None, any_valid: bool) -> None:
    if not guides:
        return
    lines = [guides["note"]] if guides.get("note") else []
    if guides.get("norm"):
        lines.append(f"Shaded: the norm's {guides['norm']['what']}.")
    lines += [f"Dashed red: cut-off {c['words']}." for c in guides.get("cutoffs") or ()]
    if guides.get("mdc") and not any_valid:
        lines.append(
            f"The {guides['mdc']['words']} is drawn around the first valid session's value: "
            "no session has a valid value here."
        )
    elif guides.get("mdc"):
        lines.append(
            f"Dotted grey: the first valid session's value ± the {guides['mdc']['words']}: "
            "a later value outside them has changed by more than the measurement's own "
            "variation in that study."
        )
    else:
        lines.append("No minimal detectable change is shipped for this test value.")
    st.caption(" ".join(lines))


def _caption(points) -> None:
    drawn = [p for p in points if p.value is not None]
    weak = sum(p.validity != "valid" for p in drawn)
    apart = sum(not p.comparable for p in points)
    withheld = len(points) - len(drawn)
    st.caption(
        "One point per session, by date. Filled green: valid; hollow amber: to read with "
        f"caution (the verdict, or visibility below {WEAK_CONFIDENCE:.0%}, or measured in "
        f"less than half of the frames): {weak} of {len(drawn)} here, joined by dotted "
        "lines. ✕ on the axis: withheld, no number (the reason is in its hover text and "
        f"the table): {withheld}. Diamonds: sessions that do not compare with the first "
        f"one (camera view, movement, frame rate; not joined by a line): {apart}."
    )


def _change(key: str, points, unit: str) -> None:
    """The change from the first to the last comparable, valid value, and whether it
    exceeds the minimal detectable change where a reference gives one."""
    from dashboard.references.change import exceeds_mdc

    usable = [p for p in points if p.value is not None and p.validity == "valid" and p.comparable]
    if len(usable) < 2:
        return
    first, last = usable[0], usable[-1]
    measure = mdc_measure(key)
    if measure is None:
        change = last.value - first.value
        st.markdown(
            f"**Change** {first.date} → {last.date} (valid, comparable sessions): "
            f"{change:+.1f} {unit}. No minimal detectable change is shipped for this value."
        )
        return
    c = exceeds_mdc(measure, first.value, last.value)
    st.markdown(f"**Change** {first.date} → {last.date} (valid, comparable sessions): {c.words(1)}")


def _table(points, unit: str) -> None:
    value = f"value ({unit})" if unit else "value"
    widgets.show_table(
        pd.DataFrame(
            {
                "date": [p.date for p in points],
                value: [DASH if p.value is None else f"{p.value:.1f}" for p in points],
                "verdict": [describe(p.validity, p.reasons, p.bias) for p in points],
                "compares with the first?": [
                    "yes" if p.comparable else "no: " + " ".join(p.comparable_reasons)
                    for p in points
                ],
                "visibility": [p.confidence for p in points],
                "frames measured (of those with the person)": [
                    None if p.coverage is None else f"{p.coverage:.0%}" for p in points
                ],
                "file analysed": [p.source_name for p in points],
            }
        ),
        formats={"visibility": "%.2f"},
        hide_index=True,
        width="stretch",
    )
