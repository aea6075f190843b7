"""The comparison page: two sessions side by side (before / after a course of treatment)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.kinematics import comparability, compare
from dashboard.kinematics.catalogue import CATALOGUE
from dashboard.kinematics.reps import RepetitionSettings
from dashboard.kinematics.rom import rom_table
from dashboard.kinematics.walking_reps import SEE_GAIT_PAGE
from dashboard.ui import keys, sessions, state, widgets
from dashboard.ui.messages import show_error
from dashboard.ui.text import chart, plain

FILE, CURRENT = "A session file", "The analysis under review"
LIBRARY = "A patient-library session"


def render_page() -> None:
    st.title("⚖️ Compare sessions")
    st.markdown(
        "Compare a patient's session with a later one: the same joint angle overlaid, "
        "and the range of motion of each angle with the change (after minus before). "
        "Choose two session files saved with **💾 Sessions**, or the analysis under "
        "review as one of them."
    )
    cols = st.columns(2)
    with cols[0]:
        before = _side("Before", "before", default_current=False)
    with cols[1]:
        after = _side("After", "after", default_current=True)
    if before is None or after is None:
        return
    try:
        _compare(before[0], after[0], (before[1], after[1]))
    except Exception as exc:  # every failure is a message; the app keeps serving
        show_error(exc)


def _preset_index(key: str, options: list, fallback: int) -> int:
    """The index a keyed widget opens on: the value already in the session state (set
    by this page before, or by another page, e.g. Patients' "Compare these two"), else
    ``fallback``. Passing it as the widget's default makes the browser show the value
    that is loaded: a value set on another page reaches the widget without its
    "set" flag, and the browser would otherwise show the widget's default."""
    chosen = keys.widget(key)
    if chosen.exists() and chosen.get() not in options:
        chosen.pop()  # a choice no longer offered (e.g. a session forgotten)
    if chosen.exists():
        return options.index(chosen.get())
    return max(0, min(fallback, len(options) - 1))


def _side(title: str, key: str, default_current: bool) -> tuple[Analysis, str] | None:
    """The chosen session and, for the chart legend, when it was saved and its file."""
    st.subheader(title)
    under_review = state.current()
    source = FILE
    library = state.opened_sessions()  # reopened on the Patients page
    options = (
        [FILE] + ([CURRENT] if under_review is not None else []) + ([LIBRARY] if library else [])
    )
    if len(options) > 1:
        radio_key = f"compare_{key}_source"  # may be preset by the Patients page
        source = st.radio(
            f"{title}: source",
            options,
            index=_preset_index(radio_key, options, int(default_current)),
            key=radio_key,
            label_visibility="collapsed",
            horizontal=True,
        )
    if source == CURRENT:
        st.markdown(widgets.describe(under_review))
        widgets.read_notes(under_review.notes)
        return under_review, f"{under_review.source_name}, under review"
    if source == LIBRARY:
        labels = list(library)
        box_key = f"compare_{key}_library"  # may be preset by the Patients page
        label = st.selectbox(
            f"{title}: library session",
            labels,
            index=_preset_index(box_key, labels, len(labels) - 1 if default_current else 0),
            key=box_key,
        )
        st.markdown(widgets.describe(library[label]))
        widgets.read_notes(library[label].notes)
        return library[label], label  # "date: file, region"
    upload = st.file_uploader(
        f"{title} (.posedash)", type=["posedash"], key=state.widget_key(f"compare_{key}")
    )
    if upload is None:
        st.caption("Choose a session file.")
        return None
    try:
        opened = sessions.read_cached(upload.getvalue())
    except Exception as exc:
        show_error(exc)
        return None
    saved = f", saved {plain(opened.created_utc[:10])}" if opened.created_utc else ""
    st.markdown(widgets.describe(opened.analysis) + saved)
    widgets.read_notes(opened.analysis.notes)  # how each recording was read
    return opened.analysis, ", ".join(
        x for x in (opened.created_utc[:10], opened.analysis.source_name) if x
    )


def _person(analysis: Analysis, label: str, key: str) -> int | None:
    slot = widgets.person_picker(
        analysis.poses, f"compare_{key}_person", label=f"Person ({label.lower()})"
    )
    if slot is None:
        st.warning(f"Nobody was found in the {label.lower()} session.", icon="🔍")
    return slot


def _compare(before: Analysis, after: Analysis, when=("", "")) -> None:
    st.divider()
    top = st.container()  # the comparability warning, once the people and space are chosen
    _provenance_notes(before, after)
    cols = st.columns(4)
    with cols[2]:
        p_before = _person(before, "Before", "before")
    with cols[3]:
        p_after = _person(after, "After", "after")
    if p_before is None or p_after is None:
        return
    space = cols[0].selectbox(
        "Angles measured in",
        ["world", "image"],
        key="compare_space",
        format_func=lambda s: {"world": "3D world landmarks", "image": "the picture (2D)"}[s],
        help="3D angles do not depend on where the camera stood but rely on estimated "
        "depth; picture angles are accurate only when the movement is parallel to "
        "the picture (side view for knee flexion, front view for abduction). Film "
        "both sessions from the same place.",
    )
    normalise = cols[1].toggle(
        "Normalise to repetitions",
        value=True,
        key="compare_normalise",
        help="When both sessions have complete repetitions of the "
        "angle, show each repetition from 0 to 100 %.",
    )
    settings = _shared_settings()
    full_b, full_a = state.kinematics(before, settings), state.kinematics(after, settings)
    kin_b, kin_a = full_b.space(space), full_a.space(space)
    walks = (
        full_b.repetitions_withheld(p_before, SEE_GAIT_PAGE),
        full_a.repetitions_withheld(p_after, SEE_GAIT_PAGE),
    )
    traits = (_traits(before, settings, space, p_before), _traits(after, settings, space, p_after))
    with top:
        _comparability_warning(*traits)
    rom_b = rom_table([kin_b])
    rom_a = rom_table([kin_a])
    rom_b = rom_b[rom_b["person"] == int(before.poses.person_ids[p_before])].assign(person=0)
    rom_a = rom_a[rom_a["person"] == int(after.poses.person_ids[p_after])].assign(person=0)
    if normalise and any(walks):  # the core counts no repetitions in a walk
        st.caption(next(w for w in walks if w) + " The curves are shown against time.")
        normalise = False
    _curves(
        (kin_b, p_before), (kin_a, p_after), rom_b, rom_a, settings, space, normalise, when, traits
    )
    _rom_changes(compare.compare_rom(rom_b, rom_a), traits)


def _provenance_notes(before: Analysis, after: Analysis) -> None:
    if before.source_sha256 and before.source_sha256 == after.source_sha256:
        st.info("Both sides come from the same recording.", icon="ℹ️")
    notes = []
    if before.settings != after.settings:
        notes.append("detection settings")
    if (before.model or {}).get("sha256") != (after.model or {}).get("sha256"):
        notes.append("pose model")
    if notes:
        st.warning(
            f"The two sessions were analysed with different {' and '.join(notes)}: "
            "part of a difference may come from that, not from the patient.",
            icon="⚠️",
        )


def _shared_settings():
    """The same settings on both sides, so a difference comes from the movement, not
    from the settings; repetitions with automatic thresholds, as each recording needs."""
    base = state.angle_settings()
    settings = replace(
        base,
        repetitions=RepetitionSettings(
            method=base.repetitions.method, polarity=base.repetitions.polarity
        ),
    )
    filt = settings.filter
    smoothing = (
        "no smoothing"
        if filt.method == "none"
        else f"Butterworth {filt.cutoff_hz:g} Hz"
        if filt.method == "butterworth"
        else "One-Euro smoothing"
    )
    st.caption(
        f"Both sessions' angles are computed with the same settings ({smoothing}, "
        f"gaps up to {filt.max_gap_s:g} s filled, confidence at least "
        f"{settings.min_confidence:.2f}; change them on Joint angles), and repetitions "
        "are found with automatic thresholds in each session."
    )
    return settings


def _traits(analysis: Analysis, settings, space: str, slot: int):
    """What the session is (kind, view, walking, movements), once per session and person."""
    return state.remember(
        ("compare_traits", state.fingerprint(analysis), repr(settings), space, slot),
        lambda: comparability.traits_of(
            analysis, state.kinematics(analysis, settings), space, slot
        ),
        slots=4,
    )


def _comparability_warning(before, after) -> None:
    """The reasons the two sessions may not compare, in plain words, above everything."""
    reasons = comparability.session_reasons(before, after)
    if reasons:
        st.warning(
            "**These two sessions may not be comparable.** A difference below may "
            "come from what was filmed, not from the patient:\n\n"
            + "\n".join(f"- {r}" for r in reasons)
            + "\n\nRows of the range-of-motion table affected are marked.",
            icon="⚠️",
        )


def _curves(side_b, side_a, rom_b, rom_a, settings, space, normalise, when, traits) -> None:
    """The chosen angle of both sessions overlaid."""
    (kin_b, p_before), (kin_a, p_after) = side_b, side_a
    names = [d.name for d in CATALOGUE]
    labels = {d.name: d.display for d in CATALOGUE}
    default = _most_moving(rom_b, rom_a, names)
    angle = st.selectbox(
        "Angle",
        names,
        index=names.index(default),
        key="compare_angle",
        format_func=lambda n: labels[n],
    )
    d = next(d for d in CATALOGUE if d.name == angle)
    verdict = comparability.comparability(*traits, d.name)
    if not verdict.comparable:
        st.warning(
            f"**{d.display} may not compare between these sessions:**\n\n"
            + "\n".join(f"- {r}" for r in verdict.reasons),
            icon="⚠️",
        )
    series_b = kin_b.series(d.key, d.side, p_before)
    series_a = kin_a.series(d.key, d.side, p_after)
    reps = settings.repetitions
    curves_b = compare.angle_curves(
        series_b, kin_b.time_s, reps.detect(series_b, kin_b.time_s), normalise
    )
    curves_a = compare.angle_curves(
        series_a, kin_a.time_s, reps.detect(series_a, kin_a.time_s), normalise
    )
    if curves_b.normalised != curves_a.normalised:  # overlay like with like
        curves_b = compare.angle_curves(series_b, kin_b.time_s, None, False)
        curves_a = compare.angle_curves(series_a, kin_a.time_s, None, False)
    fig = compare.comparison_figure(
        curves_b,
        curves_a,
        f"{d.display}, {space} space",
        labels=(chart(f"earlier ({when[0]})"), chart(f"later ({when[1]})")),
    )
    st.plotly_chart(fig, key="compare_chart", config={"displaylogo": False})
    if curves_b.normalised:
        st.caption(
            f"Each thin line is one complete repetition, from its start (0 %) to its "
            f"end (100 %); thick lines are the means, bands ±1 SD. Before: "
            f"{curves_b.count} repetitions; after: {curves_a.count}."
        )
    elif normalise:
        st.caption(
            "No complete repetitions of this angle in both sessions: the curves are "
            "shown against time from the start of each recording."
        )
    st.caption(
        f"Sign convention: {d.positive}. Zero: {d.zero}. Camera view for picture angles: {d.view}."
    )


def _rom_changes(table: pd.DataFrame, traits) -> None:
    st.subheader("Range of motion")
    st.caption(
        "Degrees, from the filtered angles. Change = after − before: positive means "
        "more range (or a higher maximum) after. A few degrees of change are within "
        "what the model itself varies: look for changes larger than that. "
        "**comparable?** says why a row may not compare (different movement, camera "
        "view, or far less of the movement measured in one session)."
    )
    names = [f"{a}_{s}" if s else a for a, s in zip(table["angle"], table["side"], strict=False)]
    flags = comparability.row_flags(*traits, names)
    table = table.assign(caution=[flags[n] for n in names])
    shown = table[table["before_n_valid"].gt(0) | table["after_n_valid"].gt(0)]
    view = pd.DataFrame(
        {
            "angle": shown["label"],
            "side": shown["side"].replace("", "—"),
            "comparable?": ["yes" if not c else f"⚠️ {c}" for c in shown["caution"]],
            "before range": shown["before_range_deg"],
            "after range": shown["after_range_deg"],
            "change in range": shown["range_change_deg"],
            "before max": shown["before_max_deg"],
            "after max": shown["after_max_deg"],
            "change in max": shown["max_change_deg"],
        }
    )
    numbers = view.columns[3:]
    view[numbers] = view[numbers].astype(float).round(1) + 0.0  # no "-0.0°"
    fmt = {c: st.column_config.NumberColumn(format="%.1f°") for c in numbers}
    fmt["comparable?"] = st.column_config.TextColumn(
        width="large", help="Why the row may not compare: see the warning above."
    )
    widgets.show_table(view, fmt, hide_index=True, width="stretch")
    st.download_button(
        "⬇️ Comparison (CSV)",
        table.to_csv(index=False, float_format="%.4g").encode(),
        file_name="comparison.rom.csv",
        mime="text/csv",
        on_click="ignore",
    )


def _most_moving(rom_b: pd.DataFrame, rom_a: pd.DataFrame, names) -> str:
    """The angle with the largest range in either session (what the exercise moves)."""
    both = pd.concat([rom_b, rom_a], ignore_index=True)
    ranges = both["range_deg"].astype(float)
    if not np.isfinite(ranges).any():
        return names[0]
    row = both.loc[ranges.idxmax()]
    name = f"{row['angle']}_{row['side']}" if row["side"] else row["angle"]
    return name if name in names else names[0]
