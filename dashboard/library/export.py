"""Export one patient: their sessions as ``.posedash`` files plus an index.

The export is **not encrypted**: it is for handing a record to another
clinician or system, or for a backup kept as securely as other patient
records. Files are named ``NN_<date>_<source stem>.posedash`` in date order;
``index.json`` and ``index.csv`` list each file with its date, body region,
notes and source file name, and ``index.json`` also holds the patient's label
and notes. ``progress.csv`` holds every value the progress chart can draw, one
row per session file and value (:data:`PROGRESS_COLUMNS`): ``key`` is the
library's metric key (``rom.range:knee_valgus:right:world``), ``value`` is empty
when withheld, ``validity`` and ``reasons`` say how far to trust it. Every text
cell of both CSV files is made safe for spreadsheets (``spreadsheet_cell``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePath

from dashboard.library.base import LibraryBase
from dashboard.library.damage import session_message
from dashboard.library.errors import BadValue, DamagedItem, StorageError
from dashboard.text.textsafe import spreadsheet_cell

INDEX_COLUMNS = (
    "file",
    "date",
    "body_region",
    "notes",
    "source_name",
    "kind",
    "frames",
    "duration_s",
    "saved_utc",
)

PROGRESS_COLUMNS = (
    "session_file",
    "date",
    "key",
    "label",
    "value",
    "unit",
    "validity",
    "reasons",
)


def _stem(source_name: str) -> str:
    stem = PurePath(str(source_name).replace("\\", "/")).stem or "session"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:60] or "session"


class ExportMixin(LibraryBase):
    """Export methods of :class:`~dashboard.library.service.Library`."""

    def export_files(
        self, patient_uid: str, skipped: list[str] | None = None
    ) -> list[tuple[str, bytes]]:
        """``(file name, bytes)`` of every session and of ``index.json``/``index.csv``.

        A session whose file is damaged is left out (and one whose description
        is damaged exported under ``unknown-date``); each is named in
        ``index.json``'s ``damaged`` list and appended to ``skipped``.
        """
        patient = self.patient(patient_uid)
        files, rows, damaged, names = [], [], [], {}
        for i, info in enumerate(self.sessions(patient_uid), start=1):
            try:
                data = self.session_bytes(info.uid)
            except DamagedItem as exc:
                damaged.append(exc.message)
                continue
            if info.damaged:
                damaged.append(session_message(patient.ref, info, "info")[0])
            date = info.date or "unknown-date"
            name = f"{i:02d}_{date}_{_stem(info.source_name)}.posedash"
            files.append((name, data))
            names[info.uid] = name
            row = {c: getattr(info, c) for c in INDEX_COLUMNS if c != "file"}
            rows.append({"file": name, **row})
        index = {
            "format": "posedash.library.export",
            "version": 1,
            "exported_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "patient": {
                "label": patient.label,
                "notes": patient.notes,
                "birth_date": patient.birth_date,
            },
            "sessions": rows,
        }
        if damaged:
            index["damaged"] = damaged
            if skipped is not None:
                skipped.extend(damaged)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=INDEX_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: spreadsheet_cell(v) for c, v in r.items()} for r in rows)
        files.append(("index.json", json.dumps(index, indent=1, ensure_ascii=False).encode()))
        files.append(("index.csv", text.getvalue().encode("utf-8")))
        files.append(("progress.csv", self._progress_csv(patient_uid, names)))
        return files

    def _progress_csv(self, patient_uid: str, names: dict[str, str]) -> bytes:
        """``progress.csv``: every value of every exported session (see the module notes)."""
        from dashboard.library.progress import level_of

        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=PROGRESS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for info, metrics in self._all_metrics(patient_uid):
            if info.uid not in names:
                continue  # its session file is damaged: not exported, named in index.json
            for m in metrics.get("values", []):
                level = level_of(m)
                value = "" if level == "withheld" else f"{float(m['value']):.4f}"
                reasons = "; ".join(str(r) for r in m.get("reasons") or ())
                row = {
                    "session_file": names[info.uid],
                    "date": info.date,
                    "key": m.get("key", ""),
                    "label": m.get("label", ""),
                    "value": value,
                    "unit": m.get("unit", ""),
                    "validity": level,
                    "reasons": reasons,
                }
                # a number we formatted ourselves stays a number (a minus sign is a sign)
                writer.writerow(
                    {c: v if c == "value" else spreadsheet_cell(v) for c, v in row.items()}
                )
        return text.getvalue().encode("utf-8")

    def export_zip(self, patient_uid: str, skipped: list[str] | None = None) -> bytes:
        """The export as one zip archive (for a download)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, data in self.export_files(patient_uid, skipped):
                zf.writestr(name, data)
        return buf.getvalue()

    def export_patient(
        self, patient_uid: str, out_dir, skipped: list[str] | None = None
    ) -> list[Path]:
        """Write the export into ``out_dir`` (created; must not hold an export already).

        Each file is written under a temporary name and renamed when complete,
        so a full disk never leaves a truncated session file behind. The folder
        (when created here) and the files are readable by this user alone: the
        export is not encrypted.
        """
        out = Path(out_dir)
        if (out / "index.json").exists():
            raise BadValue(
                f"{out} already holds an export (index.json).", "Choose an empty folder."
            )
        files = self.export_files(patient_uid, skipped)
        written: list[Path] = []
        try:
            out.mkdir(parents=True, exist_ok=True, mode=0o700)
            for name, data in files:
                path = out / name
                tmp = out / f".{name}.part"
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()  # a leftover of an interrupted export (or a planted link)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with open(fd, "wb") as fp:
                    fp.write(data)
                    fp.flush()
                    os.fsync(fp.fileno())
                os.replace(tmp, path)
                written.append(path)
        except OSError as exc:
            for leftover in out.glob(".*.part"):
                leftover.unlink(missing_ok=True)
            raise StorageError(
                f"The export to {out} could not be written ({exc.strerror or exc}).",
                "Check that the disk has space and the folder can be written; "
                "the library itself is unchanged.",
            ) from None
        return written
