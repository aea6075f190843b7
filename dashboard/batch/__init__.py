"""Batch runs: a folder of recordings analysed with the same settings, resumable,
on this computer's cores or on an existing Dask cluster.

- :mod:`~dashboard.batch.inputs`: which files a list of paths, folders and globs names.
- :mod:`~dashboard.batch.task`: one input analysed into its result files (in memory),
  the unit of work a local process or a Dask worker runs.
- :mod:`~dashboard.batch.ledger`: ``batch.csv``, one row per input, written atomically,
  and what a second run may skip.
- :mod:`~dashboard.batch.runner`: the loop: submit, collect, write, report progress.
"""

from dashboard.batch.inputs import discover
from dashboard.batch.ledger import BATCH_COLUMNS, Ledger
from dashboard.batch.runner import BatchReport, run_batch
from dashboard.batch.task import TaskResult, analyze_input

__all__ = [
    "BATCH_COLUMNS",
    "BatchReport",
    "Ledger",
    "TaskResult",
    "analyze_input",
    "discover",
    "run_batch",
]
