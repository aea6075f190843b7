"""The patient library: size, unlock time, opening a session, a ten-session progress chart,
and a search of the raw file for plaintext.

A patient with ten video sessions is saved, each a ``.posedash`` file of the 18-second
lateral raise clip (``videos/sports2d_demo5_lateral_raise_front.mp4``, 540 frames;
MediaPipe's reference landmarks for it, so no model is run), each session a different
stretch of the clip so that the values change from session to session. The library uses
the default scrypt parameters (N=2**17, r=8, p=1).

Printed: the file's size (with its -wal/-shm companions), the time to unlock (scrypt
and unwrapping the key), to open one session (decrypt and read it), to draw the ten-
session progress chart (query, decrypt the metrics, build the Plotly figure and its
JSON), and whether any of the markers put in the patient's label, notes and sessions,
or any landmark value, appears in the raw bytes.

Usage: ``.venv/bin/python benchmarks/library.py [--media DIR] [--keep DIR]``
(``--keep`` leaves the library in DIR, passphrase ``benchmark passphrase``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = "reference/sports2d_demo5_lateral_raise_front.legacy.json"
PASS = "benchmark passphrase"
MARKERS = [
    b"LABEL_MARKER_3c9e",
    b"NOTES_MARKER_a41f",
    b"SESSION_NOTE_MARKER_77d0",
    b"REGION_MARKER_e2b5",
]


def _median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _sessions(media: Path):
    from dashboard.analysis import Analysis
    from dashboard.outputs.session import save_session
    from tests.reference_data import legacy_analysis

    full = legacy_analysis(media / REFERENCE)
    out = []
    for i in range(10):  # session i: frames 0..300+24i (longer each week)
        stop = 300 + 24 * i
        a = Analysis(
            full.poses.select(frames=slice(0, stop)),
            f"raise_week{i + 1}.mp4",
            f"{i:064x}",
            "video",
            full.settings,
            full.model,
            full.fps,
        )
        out.append((a, save_session(a)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--media",
        type=Path,
        default=Path(os.environ.get("POSEDASH_MEDIA", ROOT.parent / "shared" / "media")),
    )
    parser.add_argument("--keep", type=Path, help="leave the library in this folder")
    args = parser.parse_args()
    if not (args.media / REFERENCE).exists():
        print(f"test media not found at {args.media} (set POSEDASH_MEDIA)")
        return 1
    from dashboard.library.chart import progress_figure
    from dashboard.library.paths import FILE_NAME
    from dashboard.library.service import Library

    folder = args.keep or Path(tempfile.mkdtemp(prefix="posedash-bench-"))
    path = folder / FILE_NAME
    if path.exists():
        path.unlink()
    sessions = _sessions(args.media)
    t = time.perf_counter()
    lib = Library.create(PASS, path)
    create_s = time.perf_counter() - t
    patient = lib.add_patient("LABEL_MARKER_3c9e", "NOTES_MARKER_a41f")
    add_times = []
    for i, (_, data) in enumerate(sessions):
        t = time.perf_counter()
        lib.add_session(
            patient.uid,
            data,
            f"2026-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d}",
            "REGION_MARKER_e2b5",
            f"SESSION_NOTE_MARKER_77d0 week {i + 1}",
        )
        add_times.append(time.perf_counter() - t)

    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    size = sum(p.stat().st_size for p in files)
    plain = sum(len(d) for _, d in sessions)

    def unlock():
        Library(path).unlock(PASS)

    unlock_s = _median_time(unlock, 5)
    infos = lib.sessions(patient.uid)
    open_s = _median_time(lambda: lib.open_session(infos[-1].uid), 5)
    choices = lib.metric_choices(patient.uid)
    key = next(c["key"] for c in choices if c["key"] == "rom.range:shoulder_abduction:left:world")

    def chart():
        points = lib.progress(patient.uid, key)
        progress_figure(points, "Shoulder abduction (left), range of motion, 3D", "°").to_json()

    chart_s = _median_time(chart, 5)
    points = lib.progress(patient.uid, key)

    raw = b"".join(p.read_bytes() for p in files)
    seq = sessions[-1][0].poses
    values = (
        seq.image_xy[::50, 0, ::3, :].ravel().tolist()
        + seq.world_m[::50, 0, ::3, :].ravel().tolist()
    )
    landmark_needles = [struct.pack("<d", v) for v in values if v == v]
    found = [m for m in MARKERS if m in raw]
    found_values = sum(n in raw for n in landmark_needles)

    print(
        "Patient library, one patient with ten video sessions (lateral raise clip, "
        "300-516 frames each)"
    )
    print(
        f"  library file size: {size / 1e6:.2f} MB ({', '.join(p.name for p in files)}); "
        f"the ten .posedash files: {plain / 1e6:.2f} MB"
    )
    print(
        f"  create: {create_s:.2f} s; add a session (checked, metrics computed, encrypted, "
        f"saved): median {statistics.median(add_times):.2f} s"
    )
    print(f"  unlock (scrypt N=2**17, r=8, p=1 + unwrap): median {unlock_s:.3f} s")
    print(f"  open a session (decrypt + read): median {open_s * 1000:.1f} ms")
    print(
        f"  ten-session progress chart (query, decrypt, Plotly figure + JSON): median "
        f"{chart_s * 1000:.1f} ms ({len(points)} points)"
    )
    print(
        f"  plaintext search of the raw file bytes: {len(found)} of {len(MARKERS)} text "
        f"markers found, {found_values} of {len(landmark_needles)} landmark values "
        f"(float64) found"
    )
    if args.keep:
        print(f"  library kept at {path} (passphrase: {PASS!r})")
    return 0 if not found and not found_values else 1


if __name__ == "__main__":
    sys.exit(main())
