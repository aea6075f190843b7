"""The clinician report: one PDF per analysed recording, for the patient record.

Entry point: :func:`dashboard.report.builder.build_report` (PDF bytes from an
:class:`~dashboard.analysis.Analysis`, optionally its source bytes and an
earlier session). Layout (fpdf2, embedded Unicode fonts) lives in
:mod:`~dashboard.report.document`, charts (matplotlib, Agg: no browser) in
:mod:`~dashboard.report.charts`, pictures with the skeleton in
:mod:`~dashboard.report.keyframes`, the numbers shown in
:mod:`~dashboard.report.tables`, and the sections in
:mod:`~dashboard.report.sections` and :mod:`~dashboard.report.measures`.
"""
