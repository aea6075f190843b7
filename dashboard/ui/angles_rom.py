"""Joint angles page: range of motion and symmetry, and the downloads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.kinematics import summary as kinematics
from dashboard.kinematics.catalogue import ORDERED_KEYS
from dashboard.kinematics.compute import AngleSet
from dashboard.kinematics.rom import rom_csv
from dashboard.kinematics.symmetry import SYMMETRY_WORDS
from dashboard.kinematics.validity import describe
from dashboard.ui import norms_view, state, widgets
from dashboard.ui.angles_keys import ALL_ROM, K

ROM_SHOWN = {  # the verdict and the normal value beside the range: on screen without a scroll
    "label": "Angle",
    "side": "Side",
    "min_deg": "Min (°)",
    "max_deg": "Max (°)",
    "range_deg": "Range (°)",
    "trust": "Trust",
    "normal": "Normal (source)",
    "symmetry_index_pct": "Symmetry index (%)",
    "mean_deg": "Mean (°)",
    "time_of_min_s": "Min at (s)",
    "time_of_max_s": "Max at (s)",
    "valid": "Valid frames",
    "foreshortened_fraction": "Flagged ⚠",
    "n_implausible": "Implausible, left out",
}


def rom(analysis: Analysis, kin, aset: AngleSet, slot: int, keys) -> None:
    """Range of motion and symmetry of one person, with its CSV download."""
    st.markdown(
        "For each angle and side, over the whole recording, from the smoothed "
        "values: the smallest and largest value, the range between them, when each "
        "happened, and the mean."
    )
    every = st.toggle(
        "Show every angle", key=ALL_ROM, help="Off: only the angles shown in the chart."
    )
    person_id = int(aset.person_ids[slot])
    table = state.remember(
        ("angles_rom", state.fingerprint(analysis), repr(kin.settings)),
        lambda: kinematics.rom_of(kin),
        slots=4,
    )
    table = table[(table.person == person_id) & (table.space == aset.space)]
    if not every:
        table = table[table.angle.isin(list(keys))]
    order = {k: i for i, k in enumerate(ORDERED_KEYS)}
    table = table.assign(_o=table.angle.map(order)).sort_values(["_o", "side"], kind="stable")
    age, sex = norms_view.age_sex_inputs(K)
    shown = table.assign(
        normal=norms_view.rom_normal_column(table.angle, age, sex),
        side=table.side.replace("", "midline"),
        valid=[f"{v}/{n}" for v, n in zip(table.n_valid, table.n_frames, strict=False)],
        foreshortened_fraction=table.foreshortened_fraction * 100,
        trust=[_trust(r) for r in table.itertuples()],
    )
    shown = shown[list(ROM_SHOWN)].rename(columns=ROM_SHOWN)
    _show_rom(shown)
    st.caption(
        "**Trust**: ✓ valid, ⚠ caution (read the number with its reason and known "
        "error), – withheld (no number: a dash and the reason). Visibility alone "
        "does not make a number right: the verdict comes from measurements on real "
        "clips (Help: *How far each number can be trusted*). "
        f"**{SYMMETRY_WORDS}** Left and right are the person's own sides; no "
        "symmetry is given from a side view, nor when either side was measured in "
        "fewer than half the frames."
    )
    stem = Path(analysis.source_name).stem or "recording"
    st.download_button(
        "⬇️ Range of motion, every angle, both spaces (CSV)",
        lambda: rom_csv(kinematics.rom_of(kin)),
        file_name=f"{stem}.range_of_motion.csv",
        mime="text/csv",
        on_click="ignore",
        key=K + "rom_csv",
    )


def _show_rom(shown: pd.DataFrame) -> None:
    """The range-of-motion table, its headers short (their help says the rest)."""
    num = st.column_config.NumberColumn
    # short headers (the help says the rest): the table fits without a sideways scroll
    widgets.show_table(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "Angle": st.column_config.TextColumn(width="medium"),
            "Min (°)": num(format="%.1f"),
            "Max (°)": num(format="%.1f"),
            "Range (°)": num(format="%.1f", help="Max minus min."),
            "Mean (°)": num(format="%.1f"),
            "Min at (s)": num(format="%.2f", help="Time of the smallest value."),
            "Max at (s)": num(format="%.2f", help="Time of the largest value."),
            "Valid frames": st.column_config.TextColumn(
                "Valid",
                help="Frames with a value (confidence above the threshold and, in image "
                "space, filmed from the angle's camera view; or a short bridged "
                "gap) out of all analysed frames.",
            ),
            "Flagged ⚠": num(
                format="%.0f%%",
                help="Share of the valid frames flagged as foreshortened or out of plane.",
            ),
            "Implausible, left out": num(
                "Left out",
                format="%d",
                help="Implausible values left out: outside the angle's plausible range (for "
                "example knee hyperextension beyond -15°), so not counted in the range of "
                "motion (Help, Joint angles, lists the ranges).",
            ),
            "Symmetry index (%)": num(
                "Symmetry",
                format="%+.0f%%",
                help="Symmetry index (%): SI = 100 × (L − R) / (0.5 × (L + R)), from the left "
                "(L) and right (R) ranges. 0: symmetric; positive: the left moved through "
                "a larger range; ±200: one side did not move. A dash: not given (the "
                "Trust column says why).",
            ),
            "Normal (source)": st.column_config.TextColumn(
                "Normal",
                help="The normal end of range of healthy adults for the patient's age and "
                "sex, with its source (passive goniometer values: what a therapist can "
                "move the joint to, not what a movement needs). 'needs age and sex': "
                "enter them above. –: none shipped for that angle.",
            ),
            "Trust": st.column_config.TextColumn(
                width="large",
                help="The value's verdict: valid, caution (read it with the reason) or "
                "withheld (no number: the reason says why), then the symmetry's. "
                "Docs: Help, validity.",
            ),
        },
    )


def _trust(row) -> str:
    """The row's verdict, then its symmetry's when that is not given or needs caution."""
    text = describe(row.validity, row.validity_reasons, row.bias)
    if row.side and row.symmetry_validity not in ("", "valid"):
        text += " · symmetry " + describe(row.symmetry_validity, row.symmetry_reasons)
    return text


# ---------------------------------------------------------------------------
# downloads
# ---------------------------------------------------------------------------
def summary_json(kin, settings, provenance=None) -> str:
    """The summary JSON of ``kin`` as computed with the page's full ``settings``
    (``provenance``: the model and detection settings, see Analysis.provenance)."""
    return kinematics.summary_json(replace(kin, settings=settings), provenance)


def downloads(analysis: Analysis, kin, settings) -> None:
    """Angles CSV and summary JSON of the whole analysis (both spaces)."""
    st.subheader("Downloads")
    st.caption(
        "Both spaces, every angle and person. Angles in degrees; empty cells are "
        "gaps (left out, never invented). The summary holds the settings used, the "
        "camera view and each angle's definition"
        + (
            ", the range of motion and symmetry, and the repetitions counted with "
            "the settings above."
            if analysis.kind == "video"
            else "."
        )
    )
    stem = Path(analysis.source_name).stem or "recording"
    cols = st.columns(2)
    cols[0].download_button(
        "⬇️ Angles, every frame (CSV)",
        lambda: kinematics.angles_csv(kin),
        file_name=f"{stem}.angles.csv",
        mime="text/csv",
        on_click="ignore",
        key=K + "angles_csv",
        help="Columns: frame, time_s, person, angle, side, space, raw_deg, value_deg "
        "(smoothed), confidence.",
    )
    cols[1].download_button(
        "⬇️ Summary (JSON)",
        lambda: summary_json(kin, settings, analysis.provenance()),
        file_name=f"{stem}.summary.json",
        mime="application/json",
        on_click="ignore",
        key=K + "summary_json",
    )
