"""``python -m dashboard library ...``: the patient library from the command line.

``init`` creates the library (it is off until then); ``add`` saves a session
file to a patient (created if new); ``list`` shows patients, or one patient's
sessions; ``check`` lists every damaged item without changing anything;
``export`` writes a patient's sessions and an index to a folder;
``delete`` erases a patient, bytes included. The passphrase comes from
``$POSEDASH_LIBRARY_PASSPHRASE`` (for scripts) or a prompt that does not echo.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from dashboard.cli.common import PROG
from dashboard.errors import InputError
from dashboard.library.damage import patient_message, session_message

PASSPHRASE_ENV = "POSEDASH_LIBRARY_PASSPHRASE"


def _passphrase(confirm: bool = False) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    try:
        first = getpass.getpass("Library passphrase: ")
        if confirm and getpass.getpass("Again, to confirm: ") != first:
            raise InputError("The two passphrases differ; nothing was created.")
    except EOFError:
        raise InputError(
            "No passphrase given.", f"Type it at the prompt, or set {PASSPHRASE_ENV} in scripts."
        ) from None
    return first


def _library(args, unlock: bool = True, readonly: bool = False):
    from dashboard.library.service import Library

    lib = Library(args.library)
    if not readonly:
        lib.check()  # (migrates an older library: `check` must change nothing)
    if unlock:
        lib.unlock(_passphrase(), readonly=readonly)
    return lib


def _init(args) -> int:
    from dashboard.library.service import Library

    lib = Library(args.library)
    if lib.exists:
        lib.check()  # a clear message if it is not a library, or a newer one
        print(f"{PROG}: there is already a patient library at {lib.path}", file=sys.stderr)
        return 1
    lib = Library.create(_passphrase(confirm=True), args.library)
    print(
        f"Created an encrypted patient library at {lib.path}. Keep the passphrase safe: "
        "without it the library cannot be read, by anyone."
    )
    return 0


def _add(args) -> int:
    from dashboard.library.errors import NotFound

    try:
        data = args.session.read_bytes()
    except OSError as exc:
        raise InputError(f"{args.session} cannot be read ({exc.strerror}).") from None
    from dashboard.library.records import clean_date
    from dashboard.outputs.session import read_session

    opened = read_session(data)  # a foreign or damaged file: refused before anything is created
    for note in opened.analysis.notes + opened.notes:  # how it was read; fields left out
        print(f"{args.session}: note: {note}", file=sys.stderr)
    clean_date(args.date)
    lib = _library(args)
    try:
        patient = lib.find_patient(args.patient)
        new = False
    except NotFound:
        patient, new = lib.prepare_patient(args.patient), True
    info = lib.add_session(  # a new patient is saved with the session, in one transaction
        patient.uid,
        data,
        date=args.date,
        notes=args.notes or "",
        body_region=args.region or "",
        new_patient=patient if new else None,
    )
    print(
        f"Saved {info.source_name} ({info.date}) to {'new patient ' if new else ''}{patient.label}."
    )
    return 0


def _list(args) -> int:
    lib = _library(args)
    if args.patient:
        patient = lib.find_patient(args.patient)
        print(f"{patient.label}: {patient.sessions} session(s)")
        if patient.damaged:
            print(f"  (damaged: {patient_message(patient)[0]})")
        for s in lib.sessions(patient.uid):
            if s.damaged:
                print(f"  {s.ref}  (damaged: {session_message(patient.ref, s, 'info')[0]})")
                continue
            what = f"{s.duration_s:.1f} s video" if s.kind == "video" else "photo"
            region = f"  [{s.body_region}]" if s.body_region else ""
            notes = f"  {s.notes}" if s.notes else ""
            print(f"  {s.date}  {s.source_name} ({what}){region}{notes}")
        return 0
    patients = lib.patients()
    if not patients:
        print("The library holds no patient yet.")
    for p in patients:
        print(f"{p.label}\t{p.sessions} session(s)" + ("\t(damaged record)" if p.damaged else ""))
    if any(p.damaged for p in patients):
        print(
            f"{PROG}: part of the library is damaged; `library check` lists what.", file=sys.stderr
        )
    return 0


def _check(args) -> int:
    lib = _library(args, readonly=True)
    found = lib.damaged_items()
    if not found:
        print("No damaged item: every patient record and session opens.")
        return 0
    print(f"{len(found)} damaged item(s); everything else in the library is intact:")
    for item in found:
        print(f"  - {item.message}")
    print("Restore the library file from a backup to recover them. Nothing was changed.")
    return 1


def _export(args) -> int:
    lib = _library(args)
    patient = lib.find_patient(args.patient)
    skipped: list[str] = []
    written = lib.export_patient(patient.uid, args.out, skipped)
    print(
        f"Exported {sum(p.suffix == '.posedash' for p in written)} session(s) of "
        f"{patient.ref} to {args.out} (with index.json, index.csv and progress.csv; "
        "not encrypted: store it as you store other patient records)."
    )
    for message in skipped:
        print(f"{PROG}: {message}", file=sys.stderr)
    return 1 if skipped else 0


def _delete(args) -> int:
    lib = _library(args)
    patient = lib.find_patient(args.patient)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(
                "Erasing a patient cannot be undone.", "Add --yes to confirm it in a script."
            )
        typed = input(
            f"Erase {patient.label} and {patient.sessions} session(s)? This cannot "
            "be undone. Type the label to confirm: "
        )
        if typed.strip().casefold() != patient.label.casefold():
            print("Nothing was erased.")
            return 1
    complete = lib.erase_patient(patient.uid)
    print(
        f"Erased {patient.label} and their sessions from the library file."
        + (
            ""
            if complete
            else " Another program is reading the library: the last "
            "traces leave the file when it closes."
        )
    )
    return 0


def add_parser(sub) -> None:
    """Register ``library`` and its subcommands on ``sub``."""
    lib = sub.add_parser(
        "library",
        help="the encrypted patient library",
        description="The opt-in, encrypted patient library on this computer. "
        f"Passphrase: a prompt, or ${PASSPHRASE_ENV}.",
    )
    lib.add_argument(
        "--library",
        type=Path,
        metavar="FILE",
        default=None,
        help="library file (default: library.sqlite3 in $POSEDASH_DATA_DIR or "
        "the per-user data folder)",
    )
    verbs = lib.add_subparsers(dest="verb", required=True)
    verbs.add_parser("init", help="create the library").set_defaults(run=_init)
    add = verbs.add_parser("add", help="save a session file to a patient")
    add.add_argument("session", type=Path, metavar="SESSION.posedash")
    add.add_argument(
        "--patient",
        required=True,
        metavar="LABEL",
        help="the patient's label (a new patient is created if needed)",
    )
    add.add_argument("--date", metavar="YYYY-MM-DD", help="the session's date (default today)")
    add.add_argument("--notes", metavar="TEXT")
    add.add_argument("--region", metavar="TEXT", help="body region, e.g. 'left shoulder'")
    add.set_defaults(run=_add)
    ls = verbs.add_parser("list", help="list patients, or one patient's sessions")
    ls.add_argument("--patient", metavar="LABEL")
    ls.set_defaults(run=_list)
    verbs.add_parser(
        "check", help="list every damaged item (patient record, session), changing nothing"
    ).set_defaults(run=_check)
    ex = verbs.add_parser("export", help="write a patient's sessions and an index to a folder")
    ex.add_argument("--patient", required=True, metavar="LABEL")
    ex.add_argument("--out", required=True, type=Path, metavar="DIR")
    ex.set_defaults(run=_export)
    rm = verbs.add_parser("delete", help="erase a patient and their sessions, bytes included")
    rm.add_argument("--patient", required=True, metavar="LABEL")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(run=_delete)
