"""One input, analysed and written: the step the command line (``analyze``) and batch
runs (:mod:`dashboard.batch.task`) both call.

- :mod:`~dashboard.pipeline.options`: :class:`RunOptions`, what to analyse and which files
  to write, typed (the command line builds it from its options).
- :mod:`~dashboard.pipeline.writers`: :class:`Analysed` (one analysed input) and one writer
  per output file (landmarks, angles and summary, gait, functional test, report, session);
  :func:`prepare` imports what they need, ahead of writing.
- :mod:`~dashboard.pipeline.step`: :func:`analyse_bytes`, :func:`write_files` (staged, so
  that nothing is left half-written) and :func:`analyse_and_write`, both in one.
"""

from dashboard.pipeline.options import RunOptions
from dashboard.pipeline.step import analyse_and_write, analyse_bytes, write_files
from dashboard.pipeline.writers import Analysed, prepare, writers

__all__ = [
    "Analysed",
    "RunOptions",
    "analyse_and_write",
    "analyse_bytes",
    "prepare",
    "write_files",
    "writers",
]
