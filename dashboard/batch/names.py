"""Output names of a batch folder: stable across resumes, distinct, and short enough.

A name belongs to the input that first had it in the folder's ``batch.csv``: a resume
gives every input it already knows its old name back, and a new input a name no earlier
input holds, whatever order the folders are listed in. (Names once followed discovery
order: adding ``a/0/clip.jpg`` beside ``a/clip.jpg`` gave the new photo the name ``clip``
and overwrote the old photo's files while ``batch.csv`` kept the old values.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The longest stem, in UTF-8 bytes: with ``.landmarks.csv`` and the ``-N`` of a repeated
#: name it stays within the 255 bytes a file name may have on common file systems.
MAX_STEM_BYTES = 200

#: The output file that every analysed input has, to find its stem in ``outputs``.
_LANDMARKS = ".landmarks.csv"


def short_stem(stem: str) -> str:
    """``stem`` cut to :data:`MAX_STEM_BYTES` (on a character boundary) with a short hash
    of the whole stem, so two long names that start alike stay apart."""
    raw = stem.encode("utf-8")
    if len(raw) <= MAX_STEM_BYTES:
        return stem
    tag = "~" + hashlib.sha256(raw).hexdigest()[:8]
    cut = raw[: MAX_STEM_BYTES - len(tag)].decode("utf-8", errors="ignore")
    return cut + tag


def owned_stems(previous: Mapping[str, Mapping]) -> dict[str, str]:
    """The stem each input of an earlier run's rows wrote its files under."""
    owned = {}
    for path, row in previous.items():
        for name in (row.get("outputs") or "").split(";"):
            if name.endswith(_LANDMARKS):
                owned[path] = name[: -len(_LANDMARKS)]
    return owned


def unique_stems(files: Sequence[Path], owned: Mapping[str, str] | None = None) -> list[str]:
    """Output stems in input order: an input's earlier stem (``owned``), else its file's
    stem, ``-2``, ``-3``... when another input holds it, now or in an earlier run."""
    owned = dict(owned or {})
    used = set(owned.values())
    stems = []
    for path in files:
        stem = owned.get(str(path))
        if stem is None:
            base = short_stem(path.stem)
            stem, n = base, 2
            while stem in used:
                stem, n = f"{base}-{n}", n + 1
            used.add(stem)
        stems.append(stem)
    return stems
