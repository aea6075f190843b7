"""Shared pieces of the patient-library tests: synthetic sessions carrying unique
markers, a fast key setting, and raw-file searches."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from dashboard.analysis import Analysis
from dashboard.library import crypto
from dashboard.outputs.session import save_session
from dashboard.poses import PoseSequence

PASS = "correct horse battery"
#: Tests use cheap scrypt parameters (stored in the file, like the real ones).
FAST_KDF_N = 2**10
#: A landmark value no real analysis produces: searched for, as float64 bytes, in raw files.
LANDMARK_MARKER = 4242.4242424242
LANDMARK_MARKER_BYTES = struct.pack("<d", LANDMARK_MARKER)


def fast_kdf() -> crypto.KdfParams:
    return crypto.KdfParams.fresh(FAST_KDF_N)


def synthetic_analysis(
    source_name: str = "clip.mp4", frames: int = 40, seed: int = 0, marker: bool = True
) -> Analysis:
    """A video analysis of one person moving an arm up and down (known shape)."""
    rng = np.random.default_rng(seed)
    f = frames
    xy = np.tile(rng.uniform(200, 400, (1, 1, 33, 2)), (f, 1, 1, 1))
    xy += rng.normal(0, 2, xy.shape)
    lift = 80 * np.sin(np.linspace(0, 4 * np.pi, f))
    xy[:, 0, 15, 1] -= lift[:, None].ravel()  # left wrist
    world = np.tile(rng.normal(0, 0.3, (1, 1, 33, 3)), (f, 1, 1, 1))
    world[:, 0, 15, 1] -= lift / 300
    if marker:
        xy[0, 0, 0, 0] = LANDMARK_MARKER
    vis = np.full((f, 1, 33), 0.9)
    seq = PoseSequence(
        image_xy=xy,
        z=np.zeros((f, 1, 33)),
        visibility=vis,
        presence=vis,
        world_m=world,
        time_s=np.arange(f) / 30.0,
        frame_index=np.arange(f),
        person_ids=np.array([0]),
        image_size=(640, 480),
    )
    return Analysis(
        seq, source_name, hashlib.sha256(source_name.encode()).hexdigest(), "video", fps=30.0
    )


def stored_zip(data: bytes) -> bytes:
    """The same session file without compression: its strings and landmark values
    appear as raw bytes, so a search of a library file for them is meaningful."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def session_bytes(source_name: str = "clip.mp4", **kw) -> bytes:
    return stored_zip(save_session(synthetic_analysis(source_name, **kw)))


def library_files(path: Path) -> list[Path]:
    """The library file and its -wal/-shm companions that exist."""
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def found_in_files(path: Path, needles: Iterable[bytes]) -> list[bytes]:
    """The needles found in the raw bytes of the library and its companions."""
    raw = b"".join(p.read_bytes() for p in library_files(path))
    return [n for n in needles if n in raw]


def blob_of(path: Path, sql: str, uid: str) -> bytes:
    """One blob of the library file, read with plain sqlite3 (``sql`` takes the uid)."""
    conn = sqlite3.connect(path)
    try:
        return bytes(conn.execute(sql, (uid,)).fetchone()[0])
    finally:
        conn.close()


def flip(path: Path, blob: bytes, where: float = 0.5, bit: int = 2) -> None:
    """Flip one bit of ``blob`` where it lies in the library file (once, on disk).

    A large blob spans several pages (each starting with a pointer to the next),
    so the 32 bytes around the chosen position are searched for, not the start.
    """
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    raw = bytearray(path.read_bytes())
    k = min(max(int(len(blob) * where) - 16, 0), len(blob) - 32)
    piece = blob[k : k + 32]
    at = raw.find(piece)
    assert at > 0 and raw.find(piece, at + 1) == -1
    raw[at + 16] ^= 1 << bit
    path.write_bytes(bytes(raw))
