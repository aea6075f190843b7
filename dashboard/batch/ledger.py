"""``batch.csv``: one row per input, rewritten atomically after every input, so an
interrupted batch leaves a complete file that the next run resumes from."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Fixed columns, in order; headline numbers (``rom_*``, ``cadence_*``) follow, sorted.
BATCH_COLUMNS = (
    "path",
    "sha256",
    "status",
    "reason",
    "notes",
    "frames",
    "duration_s",
    "person_found_share",
    "seconds",
    "settings_key",
    "outputs",
)
STATUSES = ("done", "failed", "skipped")
FILE_NAME = "batch.csv"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one,
    never a part: a temporary file in the same folder, flushed, then renamed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Ledger:
    """The rows of one batch folder's ``batch.csv``, keyed by input path.

    ``previous`` holds the rows of an earlier run (read on creation), which
    :meth:`done_before` consults to skip inputs already done with the same
    content and settings.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / FILE_NAME
        self.rows: dict[str, dict] = {}
        self.previous: dict[str, dict] = {}
        if self.path.is_file():
            try:
                text = self.path.read_text(encoding="utf-8")
                self.previous = {
                    r["path"]: r for r in csv.DictReader(io.StringIO(text)) if r.get("path")
                }
            except (OSError, UnicodeDecodeError, csv.Error, KeyError):
                self.previous = {}  # unreadable: start afresh, the old file is replaced

    def done_before(self, path: str, sha256: str, settings_key: str, out_dir: Path) -> dict | None:
        """The earlier row if ``path`` was done with this content and these
        settings and all its output files are still there; else None."""
        row = self.previous.get(path)
        if not row or row.get("status") not in ("done", "skipped"):
            return None
        if row.get("sha256") != sha256 or row.get("settings_key") != settings_key:
            return None
        outputs = [o for o in (row.get("outputs") or "").split(";") if o]
        if not outputs or not all((Path(out_dir) / o).is_file() for o in outputs):
            return None
        return row

    def record(self, row: dict) -> None:
        if row.get("status") not in STATUSES:
            raise ValueError(f"unknown status {row.get('status')!r}")
        self.rows[row["path"]] = row
        self.save()

    def columns(self) -> list[str]:
        extra = sorted(
            {k for r in self.rows.values() for k in r} - set(BATCH_COLUMNS),
            key=lambda k: (not k.startswith("cadence"), k),
        )
        return list(BATCH_COLUMNS) + extra

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(
            buf, fieldnames=self.columns(), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        for row in self.rows.values():
            writer.writerow({k: _cell(v) for k, v in row.items()})
        return buf.getvalue()

    def save(self) -> None:
        atomic_write(self.path, self.to_csv().encode("utf-8"))

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for row in self.rows.values():
            out[row["status"]] += 1
        return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    text = " ".join(str(value).split()) if "\n" in str(value) else str(value)  # one line
    # A path or reason from the user's disk never becomes a spreadsheet formula.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rows_in_order(ledger: Ledger, order: Iterable[str]) -> None:
    """Reorder the ledger's rows to follow ``order`` (input order), keeping others last."""
    ordered = {p: ledger.rows[p] for p in order if p in ledger.rows}
    ordered.update({p: r for p, r in ledger.rows.items() if p not in ordered})
    ledger.rows = ordered
