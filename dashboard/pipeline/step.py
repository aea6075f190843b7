"""The analyse-and-write step of one input, which ``analyze`` and batch runs both call:
:func:`analyse_bytes` (detection), :func:`write_files` (the output files, staged so that
nothing is left half-written) and :func:`analyse_and_write`, the two in one."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from dashboard.errors import PoseDashError
from dashboard.pipeline.options import RunOptions
from dashboard.pipeline.writers import Analysed, Writer, writers

__all__ = ["analyse_and_write", "analyse_bytes", "write_files"]


def is_video_name(name: str) -> bool:
    """Whether a file of this name is analysed as a video (by its extension)."""
    from dashboard.media.video import VIDEO_EXTENSIONS

    return Path(name).suffix.lower().lstrip(".") in VIDEO_EXTENSIONS


def analyse_bytes(
    data: bytes,
    name: str,
    model,
    options: RunOptions,
    *,
    workers: int | None = None,
    sha256: str | None = None,
    should_cancel: Callable[[], bool] | None = None,
    quiet: bool = False,
) -> Analysed:
    """Analyse one photo or video held in memory (its kind from ``name``'s extension)
    with ``model`` and the detection part of ``options``; the :class:`Analysed` input
    (with the gait events given by hand, if any), or PoseDashError.

    ``sha256``: the bytes' hash when the caller has it already; ``workers``: processes
    for a video (None: the engine's choice, 1: this one); ``should_cancel``: polled during
    a video's analysis; ``quiet``: MediaPipe's native log lines silenced meanwhile (for
    the command line: anything else written to stderr then is lost too)."""
    import hashlib

    from dashboard.detect import engine
    from dashboard.detect.backend import native_logs_silenced
    from dashboard.media import images

    digest = sha256 or hashlib.sha256(data).hexdigest()
    with native_logs_silenced() if quiet else contextlib.nullcontext():
        if is_video_name(name):
            analysis = engine.video_analysis(
                data,
                model,
                options.settings,
                name=name,
                sha256=digest,
                stride=options.stride,
                max_side=options.max_side,
                workers=workers,
                should_cancel=should_cancel,
            )
        else:
            decoded = images.decode_image(data, name)
            analysis = engine.photo_analysis(
                decoded.rgb,
                model,
                options.settings,
                name=name,
                sha256=digest,
                image_size=decoded.size,
                read_notes=decoded.notes,
            )
    return Analysed(analysis, data, hand_events=options.gait_events)


def write_files(writers_: Sequence[Writer], item: Analysed, out_dir: Path, stem: str) -> list[Path]:
    """Run ``writers_`` into a hidden folder inside ``out_dir``, then move every file into
    place: a full disk or a refused name leaves no half-written CSV behind (it did), only
    a PoseDashError saying so. The files written, in the writers' order."""
    import os
    import shutil
    import tempfile

    stage = Path(tempfile.mkdtemp(prefix=f".{stem[:40]}.", suffix=".part", dir=out_dir))
    try:
        staged = [Path(p) for write in writers_ for p in write(item, stage, stem)]
        final = []
        for p in staged:
            os.replace(p, out_dir / p.name)
            final.append(out_dir / p.name)
        return final
    except OSError as exc:
        raise PoseDashError(
            f"its results could not be written to {out_dir} ({exc.strerror or exc}); "
            "no file was left half-written."
        ) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def analyse_and_write(
    data: bytes,
    name: str,
    model,
    options: RunOptions,
    out_dir: Path,
    stem: str,
    *,
    writers_: Sequence[Writer] | None = None,
    workers: int | None = None,
    sha256: str | None = None,
    quiet: bool = False,
) -> tuple[Analysed, list[Path]]:
    """:func:`analyse_bytes` then :func:`write_files` into ``out_dir`` as ``<stem>.*``:
    the analysed input and the files written. ``writers_``: those of ``options`` when
    None (build them once for many inputs). PoseDashError for an input that cannot be
    analysed or written; ValueError for a bad option."""
    if writers_ is None:
        writers_ = writers(options)
    item = analyse_bytes(data, name, model, options, workers=workers, sha256=sha256, quiet=quiet)
    return item, write_files(writers_, item, out_dir, stem)
