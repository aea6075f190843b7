"""Which files a batch names: files, folders (searched recursively) and glob patterns."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from dashboard.media.images import PHOTO_EXTENSIONS
from dashboard.media.video import VIDEO_EXTENSIONS

#: Extensions a folder search picks up (lower case, no dot).
MEDIA_EXTENSIONS = tuple(PHOTO_EXTENSIONS) + tuple(VIDEO_EXTENSIONS)


def is_media(path: Path) -> bool:
    return path.suffix.lower().lstrip(".") in MEDIA_EXTENSIONS


def discover(inputs: Iterable[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files ``inputs`` name, in a stable order, and what named nothing.

    Parameters
    ----------
    inputs
        File paths, folder paths and glob patterns (``*``, ``?``, ``[...]``, ``**``).

    Returns
    -------
    files, missing
        ``files``: each file once, in the order given; a folder contributes its
        photos and videos (recursively, sorted by path; hidden files skipped); a
        pattern its matching files, sorted. A file named explicitly is kept even
        if its extension is unusual: its analysis then says what is wrong.
        ``missing``: ``(input, reason)`` for inputs that named no file.
    """
    files: list[Path] = []
    seen = set()
    missing: list[tuple[str, str]] = []

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for item in inputs:
        item = str(item)
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and is_media(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                missing.append((item, "the folder has no photos or videos"))
            for p in found:
                add(p)
        elif path.is_file():
            add(path)
        elif glob.has_magic(item):
            found = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            found = [p for p in found if p.is_file() and is_media(p)]
            if not found:
                missing.append((item, "the pattern matches no photo or video"))
            for p in found:
                add(p)
        else:
            missing.append((item, "does not exist"))
    return files, missing
