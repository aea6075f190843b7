"""The Joint angles page: clinical angles over time, range of motion, symmetry and
repetitions, with how far each number can be trusted.

The numbers come from the UI-free core (``dashboard.kinematics``); the page only
chooses, explains and shows them. Angles are computed once per analysis and
angle settings (both spaces at once, so switching space, angles, person or
anything about repetitions never recomputes them) in the per-session cache of
:mod:`dashboard.ui.state`. The settings chosen here are stored as the session's
angle settings, so a saved session reopens with the same angles.

The page's parts: ``angles_keys`` (widget keys, labels), ``angles_settings``
(smoothing and confidence), ``angles_choice`` (space, person, angles, camera
view, trust), ``angles_photo`` (a photo's table), ``angles_video`` (chart and
frame), ``angles_reps`` (repetitions), ``angles_rom`` (range of motion, downloads).
"""

from __future__ import annotations

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.kinematics import summary as kinematics
from dashboard.kinematics.rom import verdicts_of
from dashboard.kinematics.walking_reps import SEE_GAIT_PAGE
from dashboard.ui import gait, help_page, navigation, state, widgets
from dashboard.ui.angles_choice import choose, trust_note, view_warnings
from dashboard.ui.angles_keys import (
    FOR,
)
from dashboard.ui.angles_photo import photo_table
from dashboard.ui.angles_reps import repetitions
from dashboard.ui.angles_rom import downloads, rom
from dashboard.ui.angles_settings import settings_controls, smoothing_note
from dashboard.ui.angles_video import chart_and_frame
from dashboard.ui.keys import ANGLE_SETTINGS, ANGLES, ANGLES_FOR
from dashboard.ui.messages import show_error

NOTHING_YET = (
    "There is nothing to measure yet. Analyse a photo or a video of your patient "
    "first (or open a session you saved earlier); its joint angles then appear "
    "here."
)


def render_page() -> None:
    st.title("📐 Joint angles")
    help_page.link("angles", "Joint angles: definitions and limits")
    analysis = widgets.require_current(NOTHING_YET)
    if analysis is None:
        return
    try:
        _page(analysis)
    except Exception as exc:  # a message, never a traceback; the app keeps serving
        show_error(exc)


def _page(analysis: Analysis) -> None:
    seq = analysis.poses
    st.markdown(widgets.describe(analysis))
    gait.suggest(analysis)  # repetitions of a walk are steps: the gait page says more
    _reset_if_new(analysis)
    people = widgets.people_found(seq)
    if not people:
        st.warning(
            "Nobody was found in this recording, so there are no angles to "
            "measure. Try another photo or video, or lower the detection "
            "confidence on the Model and detection page (Advanced) and analyse it again.",
            icon="🔍",
        )
        return
    is_photo = analysis.kind == "photo" or seq.num_frames == 1

    top = st.container()
    with st.expander("⚙️ Smoothing and confidence settings", expanded=False):
        angle_settings = settings_controls(analysis, is_photo)
    kin = state.kinematics(analysis, angle_settings)

    with top:
        space, slot, keys, view = choose(analysis, kin, people, is_photo)
        trust_note(space, angle_settings.min_confidence, is_photo)
        view_warnings(keys, space, view)
    aset = kin.space(space)
    if is_photo:
        photo_table(analysis, aset, slot, keys, view, kinematics.rom_of(kin))
        ANGLE_SETTINGS.set(angle_settings)
        downloads(analysis, kin, angle_settings)
        return

    st.subheader("Angles over time")
    smoothing_note(analysis, angle_settings.filter)
    chart_area = st.container()
    st.subheader("Repetitions")
    verdicts = verdicts_of(kinematics.rom_of(kin), int(aset.person_ids[slot]), aset.space)
    marks, full_settings = _repetitions(kin, aset, slot, keys, angle_settings, verdicts)
    ANGLE_SETTINGS.set(full_settings)
    chart_keys = list(keys)
    if marks is not None and marks.key not in chart_keys:
        chart_keys.append(marks.key)
    with chart_area:
        if not chart_keys:
            st.info("Choose at least one angle above to see it over time.", icon="👆")
        else:
            chart_and_frame(analysis, aset, slot, tuple(chart_keys), marks, verdicts)
    st.subheader("Range of motion and symmetry")
    rom(analysis, kin, aset, slot, chart_keys)
    downloads(analysis, kin, full_settings)


def _repetitions(kin, aset, slot: int, keys, angle_settings, verdicts):
    """The Repetitions section, or why there is none: the core withholds repetitions of
    a walk (:mod:`dashboard.kinematics.walking_reps`); steps are on the Gait page."""
    why = kin.repetitions_withheld(slot, SEE_GAIT_PAGE)
    if why is None:
        return repetitions(aset, slot, keys, angle_settings, verdicts)
    st.info(why, icon="🚶")
    navigation.link("gait", "Gait: steps, cadence and gait cycles")
    return None, angle_settings


def _reset_if_new(analysis: Analysis) -> None:
    """A different recording gets fresh choices (defaults suited to it)."""
    ident = (analysis.source_sha256, analysis.poses.num_frames, analysis.kind)
    if ANGLES_FOR.get() != ident:
        ANGLES.forget_all(keep=(FOR,))
        ANGLES_FOR.set(ident)
