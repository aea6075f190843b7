"""Joint angles page for a photo: one table of the angles, and the picture."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis import Analysis
from dashboard.figures import render
from dashboard.kinematics.catalogue import sides
from dashboard.kinematics.compute import AngleSet
from dashboard.kinematics.plausibility import left_out_reason
from dashboard.kinematics.validity import describe
from dashboard.kinematics.views import VIEW_WORDS
from dashboard.media.images import decode_image
from dashboard.ui import state, widgets
from dashboard.ui.angles_keys import FRAME_SIDE
from dashboard.ui.messages import show_error
from dashboard.ui.text import plain


def photo_table(
    analysis: Analysis, aset: AngleSet, slot: int, keys, view: str, rom: pd.DataFrame
) -> None:
    """The chosen angles of one person in a photo, each with why a value is missing
    (``rom``: the analysis's one range-of-motion table, ``summary.rom_of(kin)``)."""
    st.subheader("Angles in this photo")
    if not keys:
        st.info("Choose at least one angle above.", icon="👆")
        return
    rows, left_out = _photo_rows(aset, slot, keys, view)
    table = _with_verdicts(pd.DataFrame(rows), aset, slot, keys, rom)
    widgets.show_table(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Value (°)": st.column_config.NumberColumn(
                format="%.1f",
                help="Empty: left out (see Note). Neutral-zero convention: "
                "0° is the anatomical position.",
            ),
            "Confidence": st.column_config.ProgressColumn(
                min_value=0.0,
                max_value=1.0,
                format="%.2f",
                help="Lowest visibility among the landmarks the angle uses.",
            ),
            "Note": st.column_config.TextColumn(
                width="large", help="Why a value is empty, when it is."
            ),
            "Trust": st.column_config.TextColumn(
                width="large",
                help="The value's verdict: valid, caution (read it with the reason) or "
                "withheld (no number: the reason says why). Help: validity.",
            ),
            "Valid camera view": st.column_config.TextColumn(
                help="The view in which the image-space value is right. ⚠️: this photo "
                f"is a {VIEW_WORDS[view]}, so treat the value with caution."
            ),
        },
    )
    for line in left_out:  # the whole reason, whatever the column's width
        st.caption(line)
    st.caption(
        "Left and right are the person's own sides. Values are measured as "
        f"in {'the picture' if aset.space == 'image' else 'the 3-D estimate'}; "
        "the definitions follow the neutral-zero method of goniometry (the "
        "Help page explains each one: link at the top)."
    )
    if state.current_source() is not None:
        _photo_picture(analysis, slot)


def _photo_rows(aset: AngleSet, slot: int, keys, view: str) -> tuple[list[dict], list[str]]:
    """The table's rows (an empty value with the reason, never a misleading number),
    and the whole reason of each value left out."""
    rows, left_out = [], []
    for key in keys:
        for side in sides(key):
            i = aset.index(key, side)
            d = aset.defs[i]
            value = float(aset.raw_deg[0, slot, i])
            conf = float(aset.confidence[0, slot, i])
            why = (
                left_out_reason(key, value, bool(aset.not_meaningful[0, slot, i]))
                if np.isfinite(value)
                else None
            )
            if why:  # an empty cell and the reason, never a number that misleads
                note = f"left out: {why}"  # withheld: no number anywhere
                left_out.append(f"**{d.label}** ({d.side or 'midline'}): {note}.")
                value = float("nan")
            elif np.isfinite(value):
                note = ""
            elif aset.off_view[0, slot, i]:
                note = (
                    f"not measured in the picture: needs a {VIEW_WORDS[d.view]} "
                    f"(within {aset.view_tolerance_deg:.0f}°); use world space"
                )
            elif np.isfinite(conf) and conf < aset.min_confidence:
                note = f"left out: confidence below {aset.min_confidence:.2f}"
            else:
                note = "not measurable (landmarks missing)"
            valid = (
                d.view == "any"
                or (aset.space == "image" and d.view == view)
                or aset.space == "world"
            )
            rows.append(
                {
                    "Angle": d.label,
                    "Side": d.side or "midline",
                    "Value (°)": value,
                    "Confidence": conf if np.isfinite(conf) else None,
                    "Note": note,  # next to the value: why it is empty, when it is
                    "Valid camera view": ("✅ " if valid else "⚠️ ") + VIEW_WORDS[d.view]
                    if d.view != "any"
                    else "✅ any (limb parallel to the picture)",
                    "0° means": d.zero,
                    "Positive means": d.positive,
                }
            )
    return rows, left_out


def _with_verdicts(table: pd.DataFrame, aset: AngleSet, slot: int, keys, rom) -> pd.DataFrame:
    """The table with each value's verdict (the core's range-of-motion row of the
    photo): a withheld value becomes a dash, its reason in Trust."""
    person = int(aset.person_ids[slot])
    rom = rom[(rom.person == person) & (rom.space == aset.space)]
    verdicts = {
        (r.angle, r.side): (r.validity, r.validity_reasons, r.bias) for r in rom.itertuples()
    }
    order = [(k, s) for k in keys for s in sides(k)]
    trust = [describe(*verdicts.get(ks, ("", (), ""))) for ks in order]
    withheld = [verdicts.get(ks, ("",))[0] == "withheld" for ks in order]
    value = table["Value (°)"].where(~pd.Series(withheld, index=table.index))
    out = table.assign(**{"Value (°)": value, "Trust": trust})
    cols = [c for c in out.columns if c != "Trust"]  # the verdict beside its value
    cols.insert(cols.index("Value (°)") + 1, "Trust")
    return out[cols]


def _photo_picture(analysis: Analysis, slot: int) -> None:
    data = state.current_source()
    try:
        rgb = state.remember(
            ("angles_photo", analysis.source_sha256),
            lambda: render.fit_within(decode_image(data, analysis.source_name).rgb, FRAME_SIDE),
            slots=1,
        )
        st.image(
            render.draw_pose(rgb, analysis.poses, 0, people=[slot]),
            caption=plain(analysis.source_name),
            width=560,
        )
    except Exception as exc:
        show_error(exc)
