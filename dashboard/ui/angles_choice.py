"""Joint angles page: what to show (space, person, angles) for the camera view, and how
far to trust it. The view and the suggested angles come from the core
(:func:`dashboard.kinematics.views.dominant_view`,
:func:`~dashboard.kinematics.views.suggested_angles`)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.kinematics.catalogue import ORDERED_KEYS, SPACES, angle_def
from dashboard.kinematics.views import (
    VIEW_TOLERANCE_DEG,
    VIEW_WORDS,
    dominant_view,
    suggested_angles,
)
from dashboard.ui import widgets
from dashboard.ui.angles_keys import (
    KEYS,
    PERSON,
    SPACE,
    SPACE_HELP,
    SPACE_LABELS,
    option,
)


def choose(analysis, kin, people, is_photo):
    """(space, person slot, angle keys, camera view) as chosen on the page."""
    seq = analysis.poses
    cols = st.columns([3, 2] if len(people) == 1 else [3, 2, 2])
    slot = widgets.person_picker(
        seq,
        PERSON,
        people=people,
        where=cols[-1],
        help="The people found in this recording, numbered as on the other pages.",
    )
    view, yaw, share = dominant_view(kin.camera_yaw_deg[:, slot])
    default_space = "image" if view in ("side", "front") else "world"
    space = cols[0].radio(
        "Measure in",
        SPACES,
        format_func=SPACE_LABELS.get,
        index=SPACES.index(default_space),
        horizontal=True,
        key=SPACE,
        help=SPACE_HELP,
    )
    with cols[1]:
        _camera_view(view, yaw, share, is_photo)
    suggested = suggested_angles(kin.space(space), slot, view, is_photo)
    keys = st.multiselect(
        "Angles to show",
        list(ORDERED_KEYS),
        default=suggested,
        format_func=option,
        key=KEYS,
        help="Listed by body region: legs, arms, then trunk and head. The first choice "
        "is the angles valid for this recording's camera view that move the most; "
        "a warning appears below if a chosen angle needs another view. Each angle's "
        "definition is on the Help page (Joint angles); hover over a curve for its "
        "values.",
    )
    return space, slot, keys, view


def _camera_view(view: str, yaw: float, share: float, is_photo: bool) -> None:
    if not view:
        st.markdown("**Camera view:** unknown (the hips were not found)")
        return
    turned = (
        ""
        if share >= 0.8 or is_photo
        else f" The person turns during the recording: only {share:.0%} of the "
        "frames are in this view."
    )
    st.markdown(
        f"**Camera view:** {VIEW_WORDS[view]}",
        help="Estimated from the angle between the hip line and the "
        "picture: about 0° from the front or back, about 90° from the "
        f"side ({VIEW_TOLERANCE_DEG:.0f}° or less counts as front, "
        f"{90 - VIEW_TOLERANCE_DEG:.0f}° or more as side). In image "
        "space, an angle that needs a side or a front view is measured "
        "only in the frames filmed from that view; the others are "
        "gaps.",
    )
    st.caption(f"The hips are turned about {yaw:.0f}° from the picture plane." + turned)


def trust_note(space: str, min_conf: float, is_photo: bool) -> None:
    general = (
        f"**How far to trust these numbers.** Every value carries a confidence (0 to "
        f"1): the lowest visibility of the landmarks it uses. Below {min_conf:.2f} "
        "the value is left out, a gap, never an invented number. "
    )
    if not is_photo:
        general += (
            "⚠ marks values where a body segment looks foreshortened (pointing "
            "towards or away from the camera) or lies out of the angle's plane. "
        )
    if space == "image":
        specific = (
            "**Image space** measures the angle as seen in the picture: right only "
            "when the movement is square to the camera (see each angle's camera "
            "view). An angle that needs a side or a front view is left out, as a "
            f"gap, in every frame where the body is turned more than "
            f"{VIEW_TOLERANCE_DEG:.0f}° from that view. A tilted camera tilts the "
            "trunk, pelvis and shoulder angles."
        )
    else:
        specific = (
            "**World space** is MediaPipe's 3-D estimate from a single camera; "
            "depth is its least certain direction, so angles moving towards the "
            "camera can be off by 10–25°. In our front-view test clip a man "
            "standing upright read about 27° of knee flexion and 14° of trunk "
            "inclination in world space. Compare within a session rather than "
            "against textbook norms."
        )
    st.info(
        general + specific + " PoseDash supports clinical review; it does not make a diagnosis.",
        icon="ℹ️",
    )


def view_warnings(keys: Sequence[str], space: str, view: str) -> None:
    lines = []
    for key in keys:
        d = angle_def(key, None)
        if d.view == "any" or not view:
            continue
        if space == "image" and view == "oblique":
            lines.append(
                f"**{d.label}** needs a {VIEW_WORDS[d.view]}; this recording is "
                "filmed at an angle (oblique), where the picture mixes the movement "
                "it measures with the movement across it, so in image space it is "
                f"left out (a gap) in every frame not within {VIEW_TOLERANCE_DEG:.0f}° "
                "of that view. World space is the better choice here."
            )
        elif space == "image" and d.view != view:
            lines.append(
                f"**{d.label}** needs a {VIEW_WORDS[d.view]}, but this recording "
                f"is a {VIEW_WORDS[view]}: the movement runs towards the camera, so "
                "the picture shows only part of it, and image space leaves it out "
                "(gaps) wherever the person is not filmed from the "
                f"{'side' if d.view == 'side' else 'front'}. Use world space, or "
                f"film again from the {'side' if d.view == 'side' else 'front'}."
            )
        elif space == "world" and view != "oblique" and d.view != view:
            lines.append(
                f"**{d.label}** moves towards the camera in a {VIEW_WORDS[view]}: "
                "world space estimates it, but depth is the least certain "
                "direction (errors of 10–25° are possible). A "
                f"{VIEW_WORDS[d.view]} measures it best."
            )
    if lines:
        st.warning(
            "**Camera view and angle do not match**\n\n" + "\n".join(f"- {line}" for line in lines),
            icon="📷",
        )
