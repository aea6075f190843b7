"""The tests are laid out like the package: test files hold tests; what several of them
share lives in helper modules (``tests/*.py`` not named ``test_*``) and fixtures in
``conftest.py`` files. No test file imports another one, in code or in the code it runs
in a subprocess, and no fixture is imported by name (with a ``noqa`` to silence the
linter)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

#: ``from tests.x.test_y import ...``, ``from tests.x import test_y``, ``import tests.x.test_y``
_TEXT_IMPORT = re.compile(
    r"^\s*(from\s+tests(\.\w+)*\.test_\w+\s+import"
    r"|from\s+tests(\.\w+)*\s+import\s+.*\btest_\w+"
    r"|import\s+tests(\.\w+)*\.test_\w+)",
    re.MULTILINE,
)


def _imported_test_modules(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):  # imports inside functions too
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if node.level:  # a relative import: ``from .test_x import y``
                names = [f".{n}" for n in names]
        else:
            continue
        found += [n for n in names if n.rsplit(".", 1)[-1].startswith("test_")]
    return found


def _python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_test_file_imports_another_test_file():
    offenders = []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        modules = _imported_test_modules(ast.parse(text))
        modules += [m.group(0).strip() for m in _TEXT_IMPORT.finditer(text)]  # subprocess code
        offenders += [f"{path.relative_to(TESTS.parent)}: {m}" for m in modules]
    assert not offenders, "move what is shared into a helper module or a conftest.py:\n" + (
        "\n".join(sorted(set(offenders)))
    )


#: an import the linter is told to let pass (an unused name: a fixture imported by name)
_NOQA_IMPORT = re.compile(r"^\s*(from\s+\S+\s+)?import\s.*#\s*noqa")


def test_no_fixture_is_imported_with_noqa():
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{i}"
        for path in _python_files()
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _NOQA_IMPORT.match(line)
    ]
    assert not offenders, "put shared fixtures in a conftest.py:\n" + "\n".join(offenders)


def test_the_guard_sees_each_way_of_importing_a_test_file():
    for code in (
        "from tests.unit.test_angles import to_sequence",
        "from tests.unit import test_video_timing as clips",
        "import tests.unit.test_swaps",
        "def f():\n    from .test_session import x",
    ):
        assert _imported_test_modules(ast.parse(code)), code
    assert _TEXT_IMPORT.search('run("""\nfrom tests.privacy.test_hostile import big\n""")')
    assert _NOQA_IMPORT.match("from tests.app.fixtures import data_dir  # noqa: F401")
    for code in ("from tests.videotools import make_clip", "from tests import pages"):
        assert not _imported_test_modules(ast.parse(code)), code
        assert not _TEXT_IMPORT.search(code), code
