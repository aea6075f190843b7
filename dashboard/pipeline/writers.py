"""The files written per input by ``analyze`` and ``batch``: one writer each.

A writer is ``write(item, out_dir, stem) -> [paths]``, where ``item`` is an
:class:`Analysed`: the :class:`~dashboard.analysis.Analysis` (landmarks and
provenance) and the input's bytes (for pictures in a report). :func:`writers`
chooses them from the :class:`~dashboard.pipeline.options.RunOptions`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.analysis import Analysis
from dashboard.pipeline.options import RunOptions

__all__ = [
    "Analysed",
    "Writer",
    "functional_writer",
    "gait_writer",
    "kinematics_writer",
    "landmarks_writer",
    "prepare",
    "report_writer",
    "session_writer",
    "writers",
]

Writer = Callable[["Analysed", Path, str], list[Path]]


@dataclass
class Analysed:
    """One input, analysed: its Analysis, its bytes, and notes on how it was read.

    The gait check and gait analysis are computed here at most once per input
    (and per gait settings), so that ``gait.json`` and the report share them.
    """

    analysis: Analysis
    data: bytes = b""
    notes: list[str] = field(default_factory=list)
    #: Gait events given by hand (``--events-from``): the gait analysis uses them in
    #: place of the detected ones (:func:`~dashboard.kinematics.gait.edited.analyze_edited`).
    hand_events: tuple | None = None
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def poses(self):
        return self.analysis.poses

    @property
    def person(self) -> int:
        """The person slot ``gait.json`` and the report describe: the one found in
        most frames (:func:`~dashboard.kinematics.people.main_person`; 0 when nobody)."""
        from dashboard.kinematics.people import main_person

        slot = main_person(self.poses)
        return 0 if slot is None else slot

    def looks_like_walking(self) -> bool:
        """:func:`~dashboard.kinematics.gait.looks_like_walking` of the poses'
        :attr:`person`, once."""
        if "walking" not in self._memo:  # shared with summary.json's repetition rule
            from dashboard.kinematics.walking_reps import walking_people

            walking = walking_people(self.poses)
            self._memo["walking"] = bool(self.person < len(walking) and walking[self.person])
        return self._memo["walking"]

    def gait(self, seq, settings, person=None):
        """:func:`~dashboard.kinematics.gait.analyze_gait` of the poses with
        ``settings``, once (``seq`` must be these poses: the signature of
        ``analyze_gait``, so the report builder can call it in its place);
        ``person`` None: :attr:`person`."""
        if seq is not self.poses:
            raise ValueError("Analysed.gait analyses its own poses only")
        person = self.person if person is None else int(person)
        key = ("gait", settings, person)
        if key not in self._memo and self.hand_events is not None:
            from dashboard.kinematics.gait.edited import analyze_edited

            self._memo[key] = analyze_edited(self.poses, self.hand_events, settings, person)
        elif key not in self._memo:
            from dashboard.kinematics import gait

            self._memo[key] = gait.analyze_gait(self.poses, settings, person)
        return self._memo[key]


def writers(options: RunOptions) -> list[Writer]:
    """The writers for these options, in the order their files are listed (ValueError
    for a bad angle or gait setting: a usage error)."""
    kin_settings = options.kinematics_settings()
    out = []
    if options.test is not None:  # first: a refusal writes nothing
        out.append(functional_writer(options.test, options.test_events))
    out += [landmarks_writer(), kinematics_writer(kin_settings), gait_writer(options)]
    if options.report:
        out.append(report_writer(options, kin_settings))
    if options.session:
        out.append(session_writer(kin_settings, options))
    return out


def prepare(options: RunOptions) -> None:
    """Import what the writers of ``options`` use (pandas, SciPy, the gait package: about a
    second of CPU), ahead of writing: building the writers (:func:`writers`) imports
    none of it, so that a bad option is said at once, and the command line imports it
    on a core the analysis has left free (:mod:`dashboard.cli.ahead`). Writing works
    the same without it (each writer imports what it uses)."""
    import importlib

    for name in _used_modules(options):
        importlib.import_module(name)


def _used_modules(options: RunOptions) -> list[str]:
    """The modules the writers of ``options`` import when they write."""
    names = [
        "scipy.signal",  # the angles' low-pass filter and the repetitions
        "dashboard.outputs.export",
        "dashboard.kinematics.summary",
        "dashboard.kinematics.people",
        "dashboard.kinematics.walking_reps",
        "dashboard.kinematics.gait.analysis",
        "dashboard.kinematics.gait.io",
    ]
    if options.test is not None:
        names += [
            "dashboard.functional",
            "dashboard.functional.edited",
            "dashboard.functional.events_file",
            "dashboard.functional.saved",
        ]
    if options.report:  # its pictures and fonts too
        names += ["dashboard.report.builder", "dashboard.figures.render", "matplotlib"]
        names.append("fontTools.ttLib")
    if options.session:
        names.append("dashboard.outputs.session")
    if options.gait_events is not None:
        names.append("dashboard.kinematics.gait.edited")
    return names


def landmarks_writer() -> Writer:
    def landmarks(item: Analysed, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.outputs.export import landmark_csv

        path = out_dir / f"{stem}.landmarks.csv"
        path.write_text(landmark_csv(item.poses), encoding="utf-8")
        return [path]

    return landmarks


def kinematics_writer(kin_settings) -> Writer:
    def kinematics(item: Analysed, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.kinematics.summary import compute_kinematics, write_kinematics

        kin = compute_kinematics(item.poses, kin_settings)
        seq = item.poses
        many = int(seq.detected.any(axis=0).sum()) > 1  # then say whose (gait.json: one)
        for p in range(len(kin.walking)):
            why = kin.repetitions_withheld(p)  # a walk: no repetitions (summary.json too)
            if why:
                who = f"person {int(seq.person_ids[p]) + 1}: " if many else ""
                item.notes.append(f"{who}repetitions not counted: {why}")
        return list(write_kinematics(kin, out_dir, stem, item.analysis.provenance()))

    return kinematics


def report_writer(options: RunOptions, kin_settings) -> Writer:
    """``<stem>.report.pdf``: the clinician's report, without patient label or notes."""

    # the settings of gait.json (the height): one gait result for both files
    gait_settings = options.gait_settings()

    def report(item: Analysed, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.report.builder import ReportOptions, build_report, gait_for_report

        path = out_dir / f"{stem}.report.pdf"
        walking = gait_for_report(
            item.analysis, item.looks_like_walking, item.gait, item.person, gait_settings
        )
        report_options = ReportOptions(
            paper=options.paper, kinematics=kin_settings, gait_settings=gait_settings
        )
        test = item._memo.get("test_doc")  # the functional test (--test), if scored
        path.write_bytes(
            build_report(
                item.analysis,
                item.data or None,
                report_options,
                gait_result=walking,
                test_result=test,
            )
        )
        return [path]

    return report


def session_writer(kin_settings, options: RunOptions | None = None) -> Writer:
    """``<stem>.posedash``: a session file to reopen in the app or add to the library;
    with ``--events-from`` it keeps the events corrected by hand (and the automatic ones);
    with ``--test`` it keeps the functional test (charted in the library's progress)."""

    def session(item: Analysed, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.outputs.session import EXTENSION, save_session

        record = None
        if item.hand_events is not None and item.poses.num_frames >= 3:
            from dashboard.kinematics.gait import GaitSettings
            from dashboard.kinematics.gait.edited import events_record

            # the height only, as before (the events do not depend on the scale)
            settings = GaitSettings(height_m=options.height_m if options else None)
            record = events_record(item.gait(item.poses, settings), item.person)
        path = out_dir / f"{stem}{EXTENSION}"
        kept = item._memo.get("test_record")  # the functional test (--test), if scored
        path.write_bytes(
            save_session(
                item.analysis,
                kin_settings,
                gait_events=record,
                functional_tests=[kept] if kept else (),
            )
        )
        return [path]

    return session


def gait_writer(options: RunOptions) -> Writer:
    """``<stem>.gait.json``, ``<stem>.gait_cycles.csv`` and ``<stem>.gait_events.csv``
    (the events, to correct and give back with ``--events-from``) for a video when
    ``--gait`` is given or the video looks like walking (``--no-gait`` turns this off)."""
    settings = options.gait_settings()  # ValueError: usage
    wanted = options.gait

    def gait(item: Analysed, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.kinematics.gait import write_gait

        seq = item.poses
        if seq.num_frames < 3 or wanted is False:
            return []
        if wanted is None and not item.looks_like_walking():
            return []
        result = item.gait(seq, settings)
        if result.extra.get("events_not_used_note"):  # events given outside every pass
            item.notes.append(result.extra["events_not_used_note"])
        events = out_dir / f"{stem}.gait_events.csv"  # to correct, then --events-from
        events.write_text(result.events_table().to_csv(index=False), encoding="utf-8")
        return [*write_gait(result, out_dir, stem), events]

    return gait


def functional_writer(opts, hand_events=None):
    """``<stem>.test.json`` (the test scored on the analysed video; from ``hand_events``
    when given: ``--events-from``) and ``<stem>.test_events.csv`` (its events, to
    correct and give back with ``--events-from``)."""

    def write(item, out_dir: Path, stem: str) -> list[Path]:
        from dashboard.functional import run_test
        from dashboard.functional.edited import score_edited
        from dashboard.functional.events_file import events_csv
        from dashboard.jsonsafe import to_jsonable

        a = item.analysis
        source = {"name": a.source_name, "sha256": a.source_sha256}
        if hand_events is None:
            result = run_test(a.poses, opts, source=source, notes=a.notes)
        else:
            result = score_edited(a.poses, opts, hand_events, source=source, notes=a.notes)
        path = out_dir / f"{stem}.test.json"
        doc = to_jsonable(result.to_dict())
        item._memo["test_doc"] = doc  # for the report (--report)
        from dashboard.functional.saved import kept_record

        item._memo["test_record"] = kept_record(result)  # kept in the session (--session)
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
        events = out_dir / f"{stem}.test_events.csv"
        events.write_text(events_csv(result.events), encoding="utf-8")
        item.notes.append(result.headline)
        if result.edits:
            item.notes.append(result.edits["events_note"])
        return [path, events]

    return write
