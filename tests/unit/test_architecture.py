"""The layering DEVELOPERS.md asks for, checked: one module imports mediapipe, one
layer imports streamlit, and importing the core loads neither (nor a model)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted(p for p in (ROOT / "dashboard").rglob("*.py") if "ui" not in p.parts)


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_only_backend_imports_mediapipe():
    users = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard").rglob("*.py")
             if "mediapipe" in set(_imports(p))}
    assert users == {"dashboard/detect/backend.py"}


def test_only_the_ui_layer_imports_streamlit():
    users = {p.relative_to(ROOT).as_posix() for p in CORE if "streamlit" in set(_imports(p))}
    assert users == set()


def test_pages_only_compose():
    for page in (ROOT / "pages").glob("*.py"):
        imported = set(_imports(page))
        assert imported <= {"dashboard"}, f"{page.name} imports {imported}"
        assert len(page.read_text().strip().splitlines()) <= 4, f"{page.name} does more than compose"


def test_importing_the_core_loads_no_model_and_no_ui():
    modules = " ".join(f"dashboard.{p.stem}" for p in CORE if p.stem not in ("__main__",)
                       and p.parent.name == "dashboard" and p.stem != "__init__")
    code = (f"import importlib, sys\nfor m in '{modules}'.split(): importlib.import_module(m)\n"
            "print(sorted(k for k in sys.modules if k.split('.')[0] in ('mediapipe', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
