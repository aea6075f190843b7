"""First results on the video page while the analysis runs (provisional).

The analysis runs in a background job watched by a
:class:`~dashboard.detect.progressive.FirstResults`; the page's progress fragment
calls :func:`show` at each poll. It draws the newest frame analysed with its
skeleton, the angles the Joint angles page would open on
(:func:`~dashboard.kinematics.preview.angle_preview`) over the frames found so far,
and says plainly that they are provisional: the final pass (the left/right swap
repair over the whole video) may change them, and the final result replaces them.
Nothing is detected twice: the preview reads the frames the analysis keeps, those of
the helper processes of a long video included (reported as they are found, placed where
they belong; the stretches between the parts not analysed yet are greyed out on the
chart and listed in the status line, never joined by a line).

Until someone is found the chart area holds an empty chart, so that the browser loads
its chart library while the first frames are analysed (on a busy machine loading it
took seconds after the first curve was ready). The skeleton is redrawn at every poll
(cheap); the angles and their chart, which
cost a few tenths of a second of CPU the analysis would otherwise use, at most every
:data:`CHART_EVERY_S` seconds once a curve is drawn, and at every poll before (the first
frames with someone in them are often too few for any series: all withheld).
"""

from __future__ import annotations

import contextlib
import threading

import streamlit as st

from dashboard.detect import progressive
from dashboard.detect.jobs import Progress
from dashboard.detect.progressive import FirstResults, Preview
from dashboard.figures.charts import angle_time_figure
from dashboard.figures.render import draw_pose, fit_within
from dashboard.kinematics import preview as angles_preview
from dashboard.kinematics.preview import AnglePreview, angle_preview
from dashboard.ui import state

#: Seconds between two recomputations of the provisional angle chart.
CHART_EVERY_S = 3.0
#: Longer side, in pixels, of the frame shown.
PICTURE_SIDE = 640
PROVISIONAL = (
    "First results, **provisional**: the final pass over the whole video (the left/right "
    "swap repair) may still change them. A long video is analysed in parallel parts: each "
    "part's frames appear where they belong as they are found, and the grey stretches are "
    "still being analysed. They are replaced by the final result when the analysis ends."
)


_PREPARING = threading.Lock()
_prepared: list[threading.Thread] = []  # the one helper thread of this server process


def prepare() -> None:
    """Import, in a helper thread, once per server process, what the first results
    need, while the user looks at the video's details before pressing Analyse."""
    with _PREPARING:
        if _prepared:
            return
        thread = threading.Thread(target=_prepare, daemon=True, name="posedash-prepare")
        _prepared.append(thread)
    thread.start()


def _prepare() -> None:
    # only a head start: the preview imports what it needs itself otherwise
    with contextlib.suppress(Exception):
        progressive.prepare()  # MediaPipe, for the first frame
    with contextlib.suppress(Exception):
        angles_preview.prepare()  # SciPy's signal package, for the first angle curve


def status(preview: Preview | None, snap: Progress) -> str:
    """What the page says about the provisional results (one line)."""
    shown = 0 if preview is None else preview.frames
    line = (
        f"⏳ Analysis running: {snap.done:,} of {snap.total:,} frames analysed; showing {shown:,}"
    )
    if preview is not None and preview.pending:
        rows = ", ".join(
            f"{a + 1:,}" + (f"-{b + 1:,}" if b > a else "") for a, b in preview.pending
        )
        return f"{line}, where they belong (frames {rows} are still being analysed)."
    return f"{line}."


def show(first: FirstResults, snap: Progress) -> None:
    """The provisional results so far (or a note that none are in yet)."""
    preview = first.snapshot()
    st.markdown(f"**{status(preview, snap)}**")
    st.caption(PROVISIONAL)
    left, right = st.columns([2, 3])
    with left:
        if preview is None:
            st.caption("The first frames appear here as soon as they are analysed.")
        else:
            _picture(preview)
    with right:
        _chart(first, preview, snap)


def _picture(preview: Preview) -> None:
    if preview.picture is None:
        return
    row = preview.picture_row
    drawn = fit_within(draw_pose(preview.picture, preview.poses, row), PICTURE_SIDE)
    t = float(preview.poses.time_s[row])
    found = bool(preview.poses.detected[row].any())
    what = "skeleton as analysed" if found else "nobody found in this frame"
    caption = f"Frame {row + 1:,} ({t:.1f} s): {what} (provisional)"
    st.image(drawn, caption=caption, output_format="JPEG")  # redrawn each second: small


def _chart(first: FirstResults, preview: Preview | None, snap: Progress) -> None:
    fig, frames = None, 0
    found = preview is not None and bool(preview.poses.detected.any())
    if found:
        fig, frames = _angles_figure(first, preview, snap)
    if fig is None:
        # an empty chart meanwhile: the browser loads its chart library now, not when
        # the first curve is ready (measured: seconds on a busy machine)
        st.markdown("**Angles so far**")
        fig = state.remember(
            ("provisional-angles-empty", found), lambda: _waiting_figure(found), slots=2
        )
    else:  # redrawn every few seconds: it may hold fewer frames than the status line
        st.markdown(f"**Angles so far** (provisional, {frames:,} frames)")
    st.plotly_chart(fig, config={"displaylogo": False, "staticPlot": True})


def _angles_figure(first: FirstResults, preview: Preview, snap: Progress):
    """The provisional angle chart and the frames it holds: made again once per
    CHART_EVERY_S of the job's time, and at every poll while it draws no curve yet
    (its series all withheld: too few frames with someone in them), so that the
    first curve is not a bucket late."""
    bucket = int(snap.elapsed_s // CHART_EVERY_S)
    last = state.remember(("provisional-angles", id(first)), dict, slots=2)  # this job's
    if last.get("bucket") != bucket or (
        not last.get("drawable") and last.get("frames") != preview.frames
    ):
        view = angle_preview(preview.poses, state.angle_settings())
        last.update(
            bucket=bucket,
            frames=preview.frames,
            drawable=view is not None and view.drawable,
            figure=_figure(view, preview),
        )
    return last["figure"], last["frames"]


def _waiting_figure(found: bool):
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_annotation(
        text=(
            "Someone is found: the angles appear here once measured in enough frames."
            if found
            else "Nobody found yet in the frames analysed: the angles appear here once someone is."
        ),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 13, "color": "#6b6b6b"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=200, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def _figure(view: AnglePreview | None, preview: Preview):
    if view is None or not view.keys:
        return None
    fig = angle_time_figure(
        view.angles, view.keys, view.person, verdicts=view.verdicts, row_height=170, show_raw=False
    )
    for k, (t0, t1) in enumerate(preview.pending_s()):
        # frames a helper process has not reported yet: hidden, and said so (no
        # line joins the parts, and their empty rows are not "nobody found")
        fig.add_vrect(
            x0=t0,
            x1=t1,
            row="all",
            col=1,
            fillcolor="#eeeeee",
            opacity=1.0,
            layer="above",
            line_width=0,
            annotation_text="still being analysed" if k == 0 else "",
            annotation_position="top left",
            annotation_font={"size": 11, "color": "#6b6b6b"},
        )
    return fig
