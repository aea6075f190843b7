"""One input analysed into its result files, in memory: the unit of work of a batch.

The same function runs in a local worker process and on a Dask worker; it returns
the files' bytes rather than writing them, so that workers need no access to the
output folder and the client writes everything atomically.
"""

from __future__ import annotations

import functools
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dashboard.errors import PoseDashError
from dashboard.pipeline import RunOptions


@dataclass
class TaskResult:
    """What one input gave.

    ``files`` maps an output suffix (``".landmarks.csv"``, ``".summary.json"`` ...)
    to its bytes; ``headline`` the study-spreadsheet numbers (see
    :func:`headline_numbers`). ``status`` is ``"done"`` or ``"failed"`` (then
    ``reason`` is the one-line message and ``files`` is empty). ``notes``: how the
    file was read (``Analysis.notes``: which video stream, repaired timestamps),
    in one line; empty when nothing was unusual.
    """

    status: str
    reason: str = ""
    notes: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    frames: int = 0
    duration_s: float | None = None
    person_found_share: float | None = None
    headline: dict[str, float | str | None] = field(default_factory=dict)
    seconds: float = 0.0


@functools.lru_cache(maxsize=4)
def _model(choice: str | None):
    """The model this process uses for ``choice``, resolved once per process
    (a worker keeps its landmarkers: photos reuse the engine's pooled landmarker)."""
    from dashboard.detect.models import resolve_model

    return resolve_model(choice)


def analyze_input(
    data: bytes,
    name: str,
    stem: str,
    options: RunOptions,
    model_sha256: str | None = None,
    data_sha256: str | None = None,
) -> TaskResult:
    """Analyse one photo or video and produce the same files as ``analyze`` (the core's
    :func:`~dashboard.pipeline.analyse_and_write`, into a private temporary folder).

    Parameters
    ----------
    data, name
        The file's bytes and its name (the extension tells photo from video).
    stem
        The output files' stem (``<stem>.landmarks.csv`` ...).
    options
        What to analyse and write (the command line builds it from its options).
    model_sha256
        The model the client resolved: a worker whose model differs fails the
        input rather than mixing models in one study.
    data_sha256
        The bytes' SHA-256, which the client computed to decide what to skip.

    Notes
    -----
    Never raises for a bad input: the failure is the result, with its reason.
    Videos are analysed sequentially (one core per task): a batch gets its
    parallelism from running several inputs at once.
    """
    from dashboard.pipeline import analyse_and_write

    started = time.perf_counter()
    try:
        model = _model(options.model)
        if model_sha256 and model.sha256 != model_sha256:
            raise PoseDashError(
                f"this worker's model ({model.sha256[:12]}) is not the one "
                f"the batch uses ({model_sha256[:12]})."
            )
        with tempfile.TemporaryDirectory(prefix="posedash-batch-") as tmp:
            item, paths = analyse_and_write(
                data,
                name,
                model,
                options,
                Path(tmp),
                stem,
                workers=1,
                sha256=data_sha256,
                quiet=True,
            )
            files = {p.name[len(stem) :]: p.read_bytes() for p in paths}
    except (PoseDashError, ValueError) as exc:
        return TaskResult("failed", str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug: one line, the batch goes on
        return TaskResult(
            "failed",
            f"unexpected error ({type(exc).__name__}: {exc}); please report this.",
            seconds=time.perf_counter() - started,
        )
    seq = item.poses
    found_frames = seq.detected.any(axis=1)
    return TaskResult(
        "done",
        "",
        " ".join(item.analysis.notes),
        files,
        frames=int(seq.num_frames),
        duration_s=(float(seq.time_s[-1] - seq.time_s[0]) if seq.num_frames > 1 else None),
        person_found_share=float(np.mean(found_frames)) if seq.num_frames else None,
        headline=headline_numbers(files, stem),
        seconds=time.perf_counter() - started,
    )


#: Verdicts of summary.json, better first (docs/validity.md).
_TRUST = {"valid": 2, "caution": 1}
_SPACE_WORDS = {"image": "picture", "world": "3D"}


def headline_numbers(files: dict[str, bytes], stem: str = "") -> dict[str, float | str | None]:
    """The numbers a study spreadsheet wants from one input's files.

    - ``rom_<angle>_<side>_deg``: range of motion of person 0, read from
      ``summary.json``: from the space whose verdict is better (valid before
      caution; a withheld range has no number and stays empty, see
      docs/validity.md), then with more valid frames (image space, measured
      only where the camera view allows, wins a tie). For a photo (one frame)
      there is no range: ``angle_<angle>_<side>_deg`` holds the angle.
    - ``rom_<angle>_<side>_validity`` (``angle_..._validity`` for a photo): the
      verdict of that number beside it, e.g. ``'valid (picture)'``,
      ``'caution (3D): <reasons>'``, or ``'withheld: <reasons>'`` when no space
      gives one (the number is then empty).
    - ``cadence_steps_per_min``: when a gait analysis was written.
    - ``test``, ``test_<field>`` (e.g. ``test_total_s``, ``test_stands``; empty when
      withheld), ``test_withheld`` (the reasons) and ``test_norm`` (where the result
      falls in the published norms): when a functional test was scored (``--test``).
    """
    out: dict[str, float | str | None] = {}
    summary = files.get(".summary.json")
    if summary:
        out.update(_rom_headline(json.loads(summary)))
    gait = files.get(".gait.json")
    if gait:
        cadence = json.loads(gait).get("parameters", {}).get("cadence_steps_per_min")
        if cadence is not None:
            out["cadence_steps_per_min"] = round(float(cadence), 2)
    test = files.get(".test.json")
    if test:
        out.update(_test_headline(json.loads(test)))
    return out


def _test_headline(doc: dict) -> dict[str, float | str | None]:
    """The functional test's columns of :func:`headline_numbers` from test.json."""
    out: dict[str, float | str | None] = {"test": str(doc.get("test", ""))}
    for key, value in (doc.get("result") or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, type(None))):
            continue
        out[f"test_{key}"] = "" if value is None else round(float(value), 3)
    withheld = doc.get("withheld") or {}
    out["test_withheld"] = "; ".join(f"{k}: {v}" for k, v in withheld.items() if v != "not seen")
    out["test_norm"] = str((doc.get("norms") or {}).get("verdict", ""))
    return out


def _rom_headline(doc: dict) -> dict[str, float | str | None]:
    """``rom_*_deg`` and ``rom_*_validity`` of :func:`headline_numbers` from summary.json."""
    photo = doc.get("n_frames") == 1
    prefix, field_ = ("angle", "mean_deg") if photo else ("rom", "range_deg")
    best: dict[str, tuple] = {}
    withheld: dict[str, str] = {}
    for row in doc.get("range_of_motion", []):
        if row.get("person", 0) != 0:
            continue
        key = f"{prefix}_{row['angle']}_{row['side']}"
        level = row.get("validity", "valid")
        if row.get(field_) is None:
            if level == "withheld" and row.get("n_valid"):
                withheld.setdefault(key, "; ".join(row.get("validity_reasons") or ()))
            continue
        rank = (
            _TRUST.get(level, 0),
            int(row.get("n_valid") or 0),
            row.get("space") == "image",
        )
        if key not in best or rank > best[key][0]:
            reasons = "; ".join(row.get("validity_reasons") or ())
            space = _SPACE_WORDS.get(row.get("space"), row.get("space", ""))
            verdict = f"{level} ({space})" + (f": {reasons}" if reasons else "")
            best[key] = (rank, float(row[field_]), verdict)
    out: dict[str, float | str | None] = {}
    for key in sorted(set(best) | set(withheld)):
        if key in best:
            out[f"{key}_deg"] = round(best[key][1], 2)
            out[f"{key}_validity"] = best[key][2]
        else:
            out[f"{key}_deg"] = None
            out[f"{key}_validity"] = "withheld: " + withheld[key]
    return out
