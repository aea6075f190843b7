"""The project's own documents (``docs/*.md``), as the Help page shows them: found and
read from this computer, never fetched. Pure functions (no Streamlit).

A document is named by its file's stem (``docs/gait.md`` is ``"gait"``); pages link to
the Help page with that name. Only names of files that exist in the docs folder are
accepted, so a name from the address bar can never reach another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DOCS_DIR", "HelpDoc", "documents", "find", "link_documents", "read", "split_images"]

#: The folder of the project's documents (next to the ``dashboard`` package).
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"

#: Documents listed first, in this order (the clinician's guide, then the clinical ones);
#: any other follows by name.
FIRST = ("guide", "angles", "gait")

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^(```|~~~)")
_DOC_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*([A-Za-z0-9_-]+)\.md(?:#[^)\s]*)?\s*\)")


@dataclass(frozen=True)
class HelpDoc:
    """One document: its ``name`` (file stem), ``title`` (its first ``# `` heading, else
    the name) and ``path``."""

    name: str
    title: str
    path: Path


def documents(folder: Path = DOCS_DIR) -> list[HelpDoc]:
    """The ``*.md`` files of ``folder``: :data:`FIRST` ones first, then by name.

    Notes
    -----
    A missing folder gives an empty list (an installation without its documents).
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.md")):
        if path.is_file():
            found.append(HelpDoc(path.stem, _title(path) or path.stem, path))
    rank = {name: i for i, name in enumerate(FIRST)}
    return sorted(found, key=lambda d: (rank.get(d.name, len(rank)), d.name))


def _title(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("# "):
                    return line[2:].strip()
    except OSError:
        return None
    return None


def find(name: str | None, folder: Path = DOCS_DIR) -> HelpDoc | None:
    """The document called ``name`` (a file stem among :func:`documents`), else None."""
    return next((d for d in documents(folder) if d.name == name), None)


def read(doc: HelpDoc) -> str:
    """The document's text (UTF-8; an undecodable byte becomes U+FFFD)."""
    return doc.path.read_text(encoding="utf-8", errors="replace")


Part = tuple[str, str] | tuple[str, Path, str]


def split_images(text: str, folder: Path = DOCS_DIR) -> list[Part]:
    """``text`` cut at its images: ``("markdown", text)`` and ``("image", path, alt)``.

    Notes
    -----
    Only a picture stored under ``folder`` is shown as an image. Any other image
    reference (a web address, a missing file, a path leading out of the folder) is
    replaced by its alt text in italics, so rendering a document never makes the
    browser request anything from elsewhere. Images inside fenced code blocks are
    left as written (they are code).
    """
    parts: list[Part] = []
    buffer: list[str] = []
    in_code = False
    root = folder.resolve()
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line.lstrip()):
            in_code = not in_code
        if in_code or "![" not in line:
            buffer.append(line)
            continue
        pos = 0
        for match in _IMAGE.finditer(line):
            buffer.append(line[pos : match.start()])
            alt, target = match.group(1), match.group(2)
            local = _local_image(target, root)
            if local is None:
                buffer.append(f"*{alt or 'picture not shown'}*")
            else:
                parts.append(("markdown", "".join(buffer)))
                buffer = []
                parts.append(("image", local, alt))
            pos = match.end()
        buffer.append(line[pos:])
    parts.append(("markdown", "".join(buffer)))
    return [p for p in parts if p[0] == "image" or str(p[1]).strip()]


def _local_image(target: str, root: Path) -> Path | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
        return None  # http:, https:, data:, file: ... and protocol-relative addresses
    path = (root / target).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def link_documents(text: str, page: str, param: str, names) -> str:
    """``text`` with its links to other documents (``[gait](gait.md#leg-swaps)``)
    turned into links to the Help page showing them (``page?param=gait``).

    Notes
    -----
    Only documents in ``names`` are linked; a link to any other ``.md`` file keeps
    its words and loses its target (it could not be opened from the app). The
    section anchor is dropped: the Help page opens a document at its top.
    """
    names = set(names)

    def target(match: re.Match) -> str:
        words, name = match.group(1), match.group(2)
        if name not in names:
            return words
        return f"[{words}]({page}?{param}={name})"

    return _DOC_LINK.sub(target, text)
