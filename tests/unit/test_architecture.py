"""The layering DEVELOPERS.md asks for, checked: one module imports mediapipe, one
layer imports streamlit, importing the core loads neither (nor a model), no module
imports itself back through others, and modules and functions stay short."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.import_graph import PACKAGE, import_cycles, import_graph, module_name

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.parts)
MAX_MODULE_LINES = 500  # a module has fewer lines than this
MAX_FUNCTION_LINES = 80  # a function (with its docstring) has fewer lines than this
SIZE_EXEMPT: set[str] = set()  # no module is exempt from the size limits


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_dashboard():
    graph = import_graph()
    assert "dashboard.detect.parallel" in graph["dashboard.detect.engine"]  # function level
    assert import_cycles(graph) == []


def test_modules_are_short():
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) >= MAX_MODULE_LINES
    }
    assert set(long) <= SIZE_EXEMPT, long


def test_functions_are_short():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in SIZE_EXEMPT:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size >= MAX_FUNCTION_LINES:
                    long[f"{rel}:{node.name}"] = size
    assert not long, long


def test_only_backend_imports_mediapipe():
    users = {
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "mediapipe" in set(_imports(p))
    }
    assert users == {"dashboard/detect/backend.py"}


def test_only_the_ui_layer_imports_streamlit():
    users = {p.relative_to(ROOT).as_posix() for p in CORE if "streamlit" in set(_imports(p))}
    assert users == set()
    app = ROOT / "app.py"
    scripts = [app] if app.exists() else []
    outside = {
        p.relative_to(ROOT).as_posix()
        for p in list(ROOT.glob("*.py")) + scripts
        if p != app and "streamlit" in set(_imports(p))
    }
    assert outside == set()


def test_pages_only_compose():
    for page in (ROOT / "pages").glob("*.py"):
        imported = set(_imports(page))
        assert imported <= {"dashboard"}, f"{page.name} imports {imported}"
        assert len(page.read_text().strip().splitlines()) <= 4, (
            f"{page.name} does more than compose"
        )


def test_importing_the_core_loads_no_model_and_no_ui():
    modules = " ".join(module_name(p) for p in CORE if p.stem != "__main__")
    code = (
        f"import importlib, sys\nfor m in '{modules}'.split(): importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('mediapipe', 'streamlit')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
