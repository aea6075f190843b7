"""The report page: the analysis under review as a PDF for the patient record."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from dashboard.analysis import Analysis
from dashboard.ui import gait_state, keys, report_details, sessions, state, widgets
from dashboard.ui.messages import show_error

K = "report_"
LABEL, NOTES, SECTIONS, PAPER, BLUR, ANGLES, SPACE, PERSON = (
    K + "patient_label",
    K + "notes",
    K + "sections",
    K + "paper",
    K + "blur_faces",
    K + "angles",
    K + "space",
    K + "person",
)
MADE = "posedash_report_made"  # (options key, PDF bytes, file name) of the last report
SPACE_LABELS = {
    "auto": "Chosen from the camera view",
    "image": "Image (2D, the picture)",
    "world": "World (3D estimate)",
}


def render_page() -> None:
    st.title("📄 Report")
    st.markdown(
        "A PDF of the analysis under review for the patient record: the recording and how it "
        "was analysed, key frames with the skeleton, joint-angle charts, range of motion with "
        "the confidence of each value, repetitions, gait when the video shows walking, a "
        "comparison with an earlier session, and how to read the numbers. It is made on this "
        "computer; nothing is sent anywhere."
    )
    analysis = widgets.require_current()
    if analysis is None:
        return
    st.markdown(widgets.describe(analysis))
    source = state.current_source()
    if source is None:
        st.info(
            "This analysis was reopened from a session file, which keeps no picture or "
            "video: the report will have no key frames (it says so).",
            icon="ℹ️",
        )
    try:
        options, earlier = _choices(analysis)
    except Exception as exc:  # every failure is a message; the app keeps serving
        show_error(exc)
        return
    _preview(analysis, source, options, earlier)
    _make(analysis, source, options, earlier)


def _preview(analysis: Analysis, source: bytes | None, options, earlier) -> None:
    """The first page's results beside their normal values (and, with an earlier
    session, the change against the MDC), before the PDF is made."""
    import pandas as pd

    from dashboard.report.builder import summary_rows

    try:
        rows = state.remember(
            ("report_preview", *_key(analysis, source, options, earlier)),
            lambda: summary_rows(analysis, source, options, earlier),
            slots=2,
        )
    except Exception as exc:
        show_error(exc)
        return
    if not rows:
        return
    st.subheader("First page: results and normal values")
    compared = earlier is not None
    table = pd.DataFrame(
        [
            {
                "Measure": h.measure,
                "Result": h.result,
                "Normal (source)": h.normal or "–",
                **(
                    {"Earlier": h.earlier, "Change": h.change, "Beyond MDC?": h.beyond_mdc}
                    if compared
                    else {}
                ),
            }
            for h in rows
        ]
    )
    widgets.show_table(table, hide_index=True)
    st.caption(
        "As printed on the report's first page. Normal values of healthy adults from the "
        "source named, for the age and sex above ('needs age and sex': enter them)"
        + (
            "; Beyond MDC?: whether the change reaches the minimal detectable change (95 %) "
            "of a published test-retest study ('no MDC': none shipped for that measure)."
            if compared
            else "."
        )
    )


def _choices(analysis: Analysis):
    from dashboard.report.builder import SECTIONS as ALL, ReportOptions

    cols = st.columns([2, 1])
    label = cols[0].text_input(
        "Patient label",
        key=LABEL,
        max_chars=120,
        help="How the patient is named in the report (a name, initials or a record "
        "number). Kept in this browser session only; printed exactly as typed.",
        autocomplete="off",
    )
    paper = cols[1].radio("Paper", ["A4", "Letter"], key=PAPER, horizontal=True)
    notes = st.text_area(
        "Clinical notes (optional)",
        key=NOTES,
        max_chars=6000,
        height=110,
        help="Printed in the report only if you type them; kept in this browser session "
        "only, never saved in session files.",
    )
    recorded = st.text_input(
        "Recording date (optional)",
        key=K + "recorded",
        max_chars=40,
        help="Printed as typed. Empty: the date the file itself carries, if any (photo "
        "EXIF, video metadata); a reopened session has none.",
        autocomplete="off",
    )
    person = _person(analysis)
    details = report_details.assessment(_guess(analysis, person))
    earlier, earlier_date = _earlier()
    chosen, space, blur = _sections_and_angles()
    options = ReportOptions(
        patient_label=label,
        notes=notes,
        sections=tuple(s for s in ALL if s in chosen),
        paper=paper,
        blur_faces=bool(blur),
        space=None if space == "auto" else space,
        person=person,
        kinematics=state.angle_settings(),
        report_time=datetime.now(timezone.utc),
        recording_date=recorded.strip() or None,
        earlier_date=earlier_date,
        gait_settings=state.gait_settings(),
        **details,
    )
    return options, earlier


def _guess(analysis: Analysis, person) -> str:
    """The movement PoseDash recognises (the report's guess, on the same angles)."""
    from dashboard.kinematics.movements import guess_movement
    from dashboard.kinematics.people import main_person
    from dashboard.report.tables import camera_view, default_space

    slot = person if person is not None else main_person(analysis.poses)
    if slot is None:
        return "other"
    kin = state.kinematics(analysis)
    space = default_space(camera_view(kin, slot)[0])
    aset = kin.space(space if space in kin.settings.spaces else kin.settings.spaces[0])
    walking = analysis.kind == "video" and bool(kin.walking and kin.walking[slot])
    return guess_movement(aset, slot, walking, analysis.kind == "photo")


def _sections_and_angles() -> tuple[list[str], str, bool]:
    """The report's sections, angle space and face blur (an expander)."""
    from dashboard.report.builder import SECTION_LABELS, SECTIONS as ALL

    with st.expander("Sections and angles", expanded=False):
        chosen = st.multiselect(
            "Sections",
            list(ALL),
            default=list(ALL),
            key=SECTIONS,
            format_func=SECTION_LABELS.get,
            help="Each section appears only when it has data. The first page (summary) "
            "and the technical appendix are always there.",
        )
        space = st.radio(
            "Measure angles in",
            list(SPACE_LABELS),
            key=SPACE,
            horizontal=True,
            format_func=SPACE_LABELS.get,
        )
        st.caption(
            "Angles are computed with the smoothing and confidence settings of "
            "📐 Joint angles, so the report's numbers are those of its summary "
            "download."
        )
        blur = st.checkbox(
            "Blur faces in the key frames",
            value=True,
            key=BLUR,
            help="Blurs the face of every person the model found. A face it "
            "did not find is not blurred: check before sharing.",
        )
    return chosen, space, blur


def _person(analysis: Analysis):
    seq = analysis.poses
    people = [p for p in range(seq.num_people) if seq.detected[:, p].any()]
    if len(people) <= 1:
        return None
    from dashboard.kinematics.people import main_person

    return st.selectbox(
        "Person",
        people,
        key=PERSON,
        index=people.index(main_person(seq)),
        help="Every section of the report, gait included, describes this "
        "person. First offered: the one found in most frames.",
        format_func=lambda p: f"Person {int(seq.person_ids[p]) + 1}",
    )


def _earlier() -> tuple[Analysis | None, str | None]:
    upload = st.file_uploader(
        "Earlier session to compare with (optional, .posedash)",
        type=["posedash"],
        key=state.widget_key("report_earlier"),
        help="A session saved with 💾 Sessions. Its range of motion and curves are compared "
        "with this analysis.",
    )
    if upload is None:
        return None, None
    try:
        opened = sessions.read_cached(upload.getvalue())
    except Exception as exc:
        show_error(exc)
        return None, None
    from dashboard.report.context import saved_words

    st.caption("Earlier session: " + widgets.describe(opened.analysis))
    return opened.analysis, saved_words(opened.created_utc)


def _measured(analysis: Analysis) -> tuple:
    """The measurements made by hand on this analysis (the Measure pages')."""
    from dashboard.ui import manual_state

    return tuple(manual_state.measurements(analysis))


def _gait(analysis: Analysis, options):
    """The gait result the Gait page shows (from the events corrected by hand, if any)."""
    from dashboard.report.builder import gait_for_report

    return gait_for_report(
        analysis,
        analyse=lambda _poses, settings, person: gait_state.result(analysis, settings, person),
        person=options.person,
        settings=options.gait_settings,
    )


def _key(analysis: Analysis, source: bytes | None, options, earlier) -> tuple:
    from dataclasses import replace

    return (
        state.fingerprint(analysis),
        source is not None,
        repr(replace(options, report_time=None)),
        state.fingerprint(earlier) if earlier is not None else None,
        repr(_measured(analysis)),
        repr([(_test_result(analysis) or {}).get(k) for k in ("headline", "events_corrected")]),
        repr(gait_state.corrections(analysis)),
        repr(gait_state.frontal_corrections(analysis)),
    )


def _test_result(analysis: Analysis) -> dict | None:
    """The functional test last scored on the Tests page, when it is of this analysis."""
    doc = keys.TEST_RESULT.get()
    if not isinstance(doc, dict):
        return None
    return doc if (doc.get("source") or {}).get("sha256") == analysis.source_sha256 else None


def _make(analysis: Analysis, source: bytes | None, options, earlier) -> None:
    from dashboard.report.builder import build_report, report_file_name

    key = _key(analysis, source, options, earlier)
    if st.button("📄 Create the report", type="primary", key=K + "create"):
        try:
            with st.spinner("Making the report…"):
                pdf = build_report(
                    analysis,
                    source,
                    options,
                    earlier,
                    test_result=_test_result(analysis),
                    measurements=_measured(analysis),
                    gait_result=_gait(analysis, options),
                )
        except Exception as exc:
            show_error(exc)
            return
        keys.REPORT_MADE.set((key, pdf, report_file_name(analysis)))
    made = keys.REPORT_MADE.get()
    if not made:
        return
    if made[0] != key:
        st.caption(
            "You changed a choice since the last report: create it again to include the change."
        )
        return
    _, pdf, name = made
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    st.success(
        f"The report is ready: {pages} page{'s' if pages != 1 else ''}, {len(pdf) / 1024:,.0f} KB.",
        icon="✅",
    )
    st.download_button(
        "⬇️ Download the report (PDF)",
        pdf,
        file_name=name,
        mime="application/pdf",
        on_click="ignore",
        key=K + "download",
    )
    st.caption(
        "The PDF holds the patient label and notes you typed: store it as you store "
        "other patient records."
    )
