"""The landmark explorer: every landmark of every frame, filtered, and exported."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.outputs import export, interop, tables
from dashboard.skeleton import LANDMARK_NAMES
from dashboard.ui import state, widgets
from dashboard.ui.messages import show_error

#: Rows drawn on screen at most (the downloads always hold every filtered row).
MAX_SHOWN_ROWS = 50_000

GROUPS = {
    "Legs": [
        n for n in LANDMARK_NAMES if any(k in n for k in ("hip", "knee", "ankle", "heel", "foot"))
    ],
    "Arms": [
        n
        for n in LANDMARK_NAMES
        if any(k in n for k in ("shoulder", "elbow", "wrist", "pinky", "index", "thumb"))
    ],
    "Head": list(LANDMARK_NAMES[:11]),
}


def render_page() -> None:
    st.title("🔎 Landmark explorer")
    analysis = widgets.require_current()
    if analysis is None:
        return
    st.markdown(widgets.describe(analysis))
    st.caption(
        "Every landmark of every analysed frame. x and y are pixels (origin "
        "top-left); world x, y, z are metres from the point between the hips "
        "(y down). Visibility is the model's estimate that a landmark was in view: "
        "below 0.5, treat its position as a guess."
    )
    try:
        table = state.remember(
            ("landmark_table", state.fingerprint(analysis)),
            lambda: export.landmark_table(analysis.poses),
            slots=2,
        )
    except Exception as exc:
        show_error(exc)
        return
    if table.empty:
        st.warning(
            "Nobody was found in this recording, so there are no landmarks to list.", icon="🔍"
        )
        return
    filtered, filters = _filters(analysis, table)
    shown = len(filtered)
    st.markdown(
        f"**{shown:,}** of {len(table):,} rows match "
        f"({filtered['frame'].nunique() if shown else 0} frames)."
    )
    if shown:
        # people numbered from 1 on screen, as on every page (the files keep the ids from 0)
        view = filtered.head(MAX_SHOWN_ROWS)
        view = view.assign(person=view["person"] + 1)
        if shown > MAX_SHOWN_ROWS:
            st.caption(
                f"Showing the first {MAX_SHOWN_ROWS:,} rows; the downloads hold all {shown:,}."
            )
        st.dataframe(
            view,
            hide_index=True,
            width="stretch",
            height=420,
            column_config={
                "visibility": st.column_config.ProgressColumn(
                    "visibility", min_value=0.0, max_value=1.0, format="%.2f"
                ),
                "presence": st.column_config.ProgressColumn(
                    "presence", min_value=0.0, max_value=1.0, format="%.2f"
                ),
                "x_px": st.column_config.NumberColumn(format="%.1f"),
                "y_px": st.column_config.NumberColumn(format="%.1f"),
                "z": st.column_config.NumberColumn(format="%.3f"),
                "world_x_m": st.column_config.NumberColumn(format="%.3f"),
                "world_y_m": st.column_config.NumberColumn(format="%.3f"),
                "world_z_m": st.column_config.NumberColumn(format="%.3f"),
                "time_s": st.column_config.NumberColumn(format="%.3f"),
                "person": st.column_config.NumberColumn(
                    format="%d",
                    help="Person 1, 2 ... as on every page (the downloaded files "
                    "count people from 0).",
                ),
            },
        )
    _downloads(analysis, filtered, filters)
    st.divider()
    _opensim(analysis)


def _filters(analysis: Analysis, table):
    seq = analysis.poses
    cols = st.columns([1, 2])
    people_ids = sorted(int(p) for p in table["person"].unique())
    people = widgets.people_picker(
        seq, "explorer_people", people=people_ids, by_id=True, where=cols[0]
    )
    group = cols[0].segmented_control(
        "Quick pick",
        ["All", *GROUPS],
        default="All",
        key="explorer_group",
        help="Fills the landmark list with a body region.",
    )
    default = [] if group in (None, "All") else GROUPS[group]
    landmarks = cols[1].multiselect(
        "Landmarks (empty: all)",
        list(LANDMARK_NAMES),
        default=default,
        key=f"explorer_landmarks_{group}",
    )
    frames = None
    lo, hi = int(seq.frame_index.min()), int(seq.frame_index.max())
    if hi > lo:
        frames = st.slider("Frames (source frame numbers)", lo, hi, (lo, hi), key="explorer_frames")
    min_vis = st.slider(
        "Lowest visibility",
        0.0,
        1.0,
        0.0,
        0.05,
        key="explorer_visibility",
        help="Hide rows whose visibility is below this.",
    )
    filtered = tables.filter_landmarks(
        table, people=people, landmarks=landmarks or None, frames=frames, min_visibility=min_vis
    )
    filters = {
        "people": people,
        "landmarks": landmarks or "all",
        "frames": list(frames) if frames else [lo, hi],
        "min_visibility": min_vis,
    }
    return filtered, filters


def _stem(analysis: Analysis) -> str:
    return PurePath(analysis.source_name.replace("\\", "/")).stem or "posedash"


def _downloads(analysis: Analysis, filtered, filters) -> None:
    if filtered.empty:
        return
    stem = _stem(analysis)
    meta = {
        "source": analysis.source_name,
        "source_sha256": analysis.source_sha256,
        "image_size_wh": list(analysis.poses.image_size),
        "filters": filters,
        "model": {k: v for k, v in analysis.model.items() if k != "path"},
        "settings": analysis.settings.as_dict(),
    }
    st.caption("Downloads hold exactly the rows that match the filters above.")
    cols = st.columns(3)
    try:
        cols[0].download_button(
            "⬇️ CSV",
            lambda: tables.table_csv(filtered),
            file_name=f"{stem}.landmarks.csv",
            mime="text/csv",
            on_click="ignore",
        )
        cols[1].download_button(
            "⬇️ JSON",
            lambda: tables.table_json(filtered, meta),
            file_name=f"{stem}.landmarks.json",
            mime="application/json",
            on_click="ignore",
        )
        cols[2].download_button(
            "⬇️ Parquet",
            lambda: tables.table_parquet(filtered, meta),
            file_name=f"{stem}.landmarks.parquet",
            mime="application/vnd.apache.parquet",
            on_click="ignore",
            help="A compact column file for pandas, R (arrow), DuckDB or Excel's Power Query.",
        )
    except Exception as exc:
        show_error(exc)


def _opensim(analysis: Analysis) -> None:
    st.subheader("For OpenSim, Pose2Sim and Sports2D")
    st.markdown(
        "- **Markers (.trc)**: the world landmarks of one person, in metres, in "
        "OpenSim's Y-up convention (x to the camera's right, Y up, Z towards the "
        "camera), one row per analysed frame with its real time.\n"
        "- **Angles (.mot)**: PoseDash's joint angles in degrees, one column per angle "
        "and side. Their names are PoseDash's, not those of an OpenSim model."
    )
    st.caption(
        "MediaPipe centres every frame on the hips, so the pelvis does not travel "
        "in the .trc. A .trc file assumes a constant frame rate: PoseDash writes "
        "the median rate and the real time of every frame."
    )
    seq = analysis.poses
    people = widgets.people_found(seq)
    if not people:
        return
    cols = st.columns(3)
    person = widgets.person_picker(seq, "interop_person", people=people, where=cols[2])
    naming = cols[0].selectbox(
        "Marker names",
        list(interop.MARKER_NAMINGS),
        key="interop_naming",
        format_func=lambda n: {
            "pose2sim": "Pose2Sim / Sports2D (LShoulder…)",
            "mediapipe": "MediaPipe (left_shoulder…)",
        }[n],
    )
    space = cols[1].selectbox(
        "Angles measured in",
        ["world", "image"],
        key="interop_space",
        format_func=lambda s: {"world": "3D world landmarks", "image": "the picture (2D)"}[s],
    )
    stem = _stem(analysis)
    suffix = f"_person{int(seq.person_ids[person]) + 1}" if len(people) > 1 else ""
    _, jitter = interop.frame_rate(seq.time_s)
    if jitter > 0.05:
        st.warning(
            f"The frame times of this video are irregular (an interval differs by "
            f"up to {jitter:.0%} from the usual one): a .trc's DataRate is then "
            "only nominal; the Time column holds the real times.",
            icon="⏱️",
        )
    try:
        kin = state.kinematics(analysis)
    except Exception as exc:
        show_error(exc)
        return
    _opensim_files(analysis, kin, person, naming, space, f"{stem}{suffix}")


def _opensim_files(
    analysis: Analysis, kin, person: int, naming: str, space: str, name: str
) -> None:
    """The .trc and .mot download buttons (``name``: the files' stem)."""
    from dashboard.kinematics.summary import angles_dataframe

    seq = analysis.poses

    def trc() -> bytes:  # built when the button is pressed, not on every rerun
        return interop.to_trc(
            analysis, person=person, naming=naming, file_name=f"{name}.trc"
        ).encode()

    def mot() -> bytes:
        return interop.to_mot(
            angles_dataframe([kin.space(space)]),
            person=int(seq.person_ids[person]),
            space=space,
            name=f"{name} joint angles ({space})",
        ).encode()

    cols = st.columns(2)
    cols[0].download_button(
        "⬇️ Markers (.trc)",
        trc,
        file_name=f"{name}.trc",
        mime="text/plain",
        on_click="ignore",
    )
    cols[1].download_button(
        "⬇️ Angles (.mot)",
        mot,
        file_name=f"{name}_angles_{space}.mot",
        mime="text/plain",
        on_click="ignore",
    )
