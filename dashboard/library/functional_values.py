"""Functional tests kept with a session, as progress values.

A session file may keep functional tests (``functional_tests``:
:mod:`dashboard.functional.saved`). Each is scored again from the landmarks and its
options by :func:`dashboard.functional.saved.rescore` (the same scoring as the Tests
page and ``analyze --test``), and its values and verdicts are read from the result
(:func:`dashboard.functional.progress.values_of`): nothing is computed here. A test
the recording cannot give any more (refused) gives its values withheld, with the reason.

The metrics document gets a ``tests`` block, ``{test: {"options", "events_source",
"events_note"}}``, so that a progress chart knows the age and sex the norm band is for
and whether two sessions ran the test alike, without opening the session file.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.library.records import Metric

__all__ = ["kept_metrics", "norm_context", "protocol_reasons", "records_of"]


def records_of(opened) -> list[dict]:
    """The functional tests kept in a session file (a ``SessionFile``) that can be scored."""
    from dashboard.functional.saved import read_records

    manifest = getattr(opened, "manifest", None) or {}
    return read_records(manifest.get("functional_tests"))[0]


def kept_metrics(analysis, records: Sequence[dict]) -> tuple[list[Metric], dict]:
    """(the values of every test kept, the ``tests`` block) for a session."""
    from dashboard.errors import InputError
    from dashboard.functional import TestRefused
    from dashboard.functional.progress import refused_values, values_of
    from dashboard.functional.saved import options_of, rescore

    values: list[Metric] = []
    block: dict[str, dict] = {}
    source = {"name": analysis.source_name, "sha256": analysis.source_sha256}
    for record in records:
        try:
            opts = options_of(record)
        except TestRefused:
            continue
        try:
            doc = rescore(analysis.poses, record, analysis.notes, source).to_dict()
            rows = values_of(doc)
        except InputError as exc:  # refused, or events kept that cannot be read
            doc, rows = {}, refused_values(opts.test, str(exc))
        block[opts.test] = {
            "options": dict(record.get("options") or {}),
            "events_source": str(doc.get("events_source") or "automatic"),
            "events_note": str(doc.get("events_note") or ""),
        }
        values += [Metric(**{**r, "reasons": tuple(r["reasons"])}) for r in rows]
    return values, block


def _test_of(key: str) -> str | None:
    kind = str(key).split(":", 1)[0]
    return kind.split(".", 1)[1] if kind.startswith("test.") else None


def norm_context(docs: Sequence[dict], key: str) -> tuple[int | None, str | None]:
    """(age, sex) given with the newest session's run of the test of ``key`` that has an
    age (the norm band drawn), else (None, None)."""
    test = _test_of(key)
    for doc in reversed([d for d in docs if isinstance(d, dict)]):
        opts = ((doc.get("tests") or {}).get(test) or {}).get("options") or {}
        age = opts.get("age")
        if isinstance(age, int) and not isinstance(age, bool):
            sex = opts.get("sex")
            return age, sex if sex in ("f", "m") else None
    return None, None


def protocol_reasons(first: dict | None, doc: dict, key: str) -> tuple[str, ...]:
    """Why a session's run of the test of ``key`` may not compare with the first one
    charted (:func:`dashboard.functional.progress.protocol_reasons`)."""
    from dashboard.functional.progress import protocol_reasons as reasons

    test = _test_of(key)
    if first is None or test is None:
        return ()

    def options(d: dict) -> dict:
        return ((d.get("tests") or {}).get(test) or {}).get("options") or {}

    return reasons(test, options(first), options(doc))
