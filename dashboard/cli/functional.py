"""``analyze VIDEO --test sts5|chair30|tug|walk10|backward3|sls``: a functional test
scored from the video, written to ``<stem>.test.json`` (``posedash.test/1``) by
:func:`dashboard.pipeline.writers.functional_writer`; here its options.

A test the recording cannot give (the set-up checks, too few stands, ...) is a
one-line reason on stderr and exit code 1 (:class:`~dashboard.functional.TestRefused`
is an :class:`~dashboard.errors.InputError`); a bad option value (``--age 200``,
``--distance-m -3``, ``--age seventy``) is a one-line usage error, exit code 2, as
for every other option.
"""

from __future__ import annotations

import math
from pathlib import Path

__all__ = ["add_test_options", "functional_options", "read_test_events"]

TEST_CHOICES = ("sts5", "chair30", "tug", "walk10", "backward3", "sls")


def add_test_options(parser) -> None:
    group = parser.add_argument_group("functional test (written to <stem>.test.json)")
    group.add_argument(
        "--test",
        choices=TEST_CHOICES,
        default=None,
        help="score a functional test: five-times sit-to-stand (sts5), 30-s chair stand "
        "(chair30), Timed Up and Go (tug), 10-m walk (walk10), 3-m backward walk "
        "(backward3), single-leg stance (sls)",
    )
    group.add_argument("--age", default=None, metavar="N", help="age in years (norm band)")
    group.add_argument("--sex", default=None, metavar="f|m", help="sex (norm band)")
    group.add_argument(
        "--distance-m",
        default=None,
        metavar="D",
        help="walk10: metres between the two marks of the timed zone (the picture's "
        "edges); backward3: metres walked (default 3)",
    )
    group.add_argument(
        "--start-s",
        default=None,
        metavar="S",
        help="start the test's clock at S seconds (default: the first movement)",
    )
    group.add_argument(
        "--mirror",
        choices=("yes", "no"),
        default=None,
        help="sls: the video is (yes) or is not (no) a mirror image, so the sides are the "
        "patient's; without it the sides are the pose model's labels and the result says so",
    )
    group.add_argument(
        "--sts-total",
        choices=("fifth_sit", "fifth_stand"),
        default="fifth_sit",
        help="sts5: the clock stops when the person sits after the fifth stand "
        "(default) or at the fifth full stand",
    )


def _number(text, name: str, whole: bool = False):
    if text is None:
        return None
    try:
        value = int(str(text).strip()) if whole else float(str(text).strip())
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{name} must be {kind}, got {str(text)[:40]!r}") from None
    if not whole and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    return value


def functional_options(args):
    """The :class:`~dashboard.functional.TestOptions` the options ask for (None without
    ``--test``); ValueError naming a bad value."""
    from dashboard.functional import TestOptions, TestRefused
    from dashboard.functional.model import check_options

    test = getattr(args, "test", None)
    given = [
        n
        for n, v in (("--age", args.age), ("--sex", args.sex), ("--distance-m", args.distance_m))
        if v is not None
    ] + [
        name
        for name, attr in (("--start-s", "start_s"), ("--mirror", "mirror"))
        if getattr(args, attr, None) is not None
    ]
    if test is None:
        if given:
            raise ValueError(f"{given[0]} is for a functional test: add --test")
        return None
    sex = None if args.sex is None else str(args.sex).strip().lower()
    if sex is not None and sex not in ("f", "m"):
        raise ValueError(f"--sex must be f or m, got {str(args.sex)[:40]!r}")
    opts = TestOptions(
        test,
        age=_number(args.age, "--age", whole=True),
        sex=sex,
        distance_m=_number(args.distance_m, "--distance-m"),
        start_s=_number(args.start_s, "--start-s"),
        sts_total=args.sts_total,
        mirrored={"yes": True, "no": False}.get(getattr(args, "mirror", None) or ""),
    )
    try:
        return check_options(opts)
    except TestRefused as exc:
        raise ValueError(str(exc)) from None


def read_test_events(path: Path):
    """The test events of ``--events-from`` (``test_events.csv``), or None when the file
    is a gait events file (a ``side`` column); ValueError (one sentence) when it cannot
    be read."""
    from dashboard.errors import PoseDashError
    from dashboard.functional.events_file import MAX_BYTES, read_test_events_csv

    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise ValueError(
                f"events file {path}: {path.stat().st_size / 1e6:.1f} MB, a test's events "
                f"file is at most {MAX_BYTES // 1024} kB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"events file {path} cannot be read ({exc.strerror})") from None
    first = data[:4096].splitlines()[0].lower() if data.strip() else b""
    if b"side" in first.replace(b'"', b"").replace(b" ", b"").split(b","):
        return None
    try:
        return read_test_events_csv(data)
    except PoseDashError as exc:
        raise ValueError(f"events file {path}: {exc}") from None
