"""The layering DEVELOPERS.md asks for, checked: the declared layer order (:data:`LAYERS`)
on every import, at the top of a module or inside a function (a layer may import its own
and lower layers only, with no exception); one module imports mediapipe, one layer imports
streamlit, importing the core loads neither (nor a model), no module imports itself back
through others, and modules and functions stay short.

The order follows the pipeline: the data model, decoding the inputs (media) and detection,
the published reference values (which kinematics reads), kinematics, the figures, the text
helpers, the output files (outputs), the documents built on them (report, patient library),
the one analyse-and-write step of an input (pipeline), the ways to run it (live, batch,
command line) and the Streamlit layer on top."""

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


#: Layers from the bottom up; each names the packages (or top-level modules) it holds.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "settings", "skeleton", "jsonsafe", "csvtext", "lazy", "poses", "analysis"),
    ("media",),
    ("detect",),
    ("references",),
    ("kinematics",),
    ("manual",),
    ("figures",),
    ("functional",),
    ("text",),
    ("outputs",),
    ("report", "library"),
    ("pipeline",),
    ("live", "batch"),
    ("cli",),
    ("ui", "__main__"),
)


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of ``module`` (``dashboard.x.y`` -> its package x)."""
    parts = module.split(".")
    if len(parts) == 1:  # dashboard/__init__.py: the package's docstring and version
        return 0
    name = parts[1]
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def climbs() -> set[tuple[str, str]]:
    """Every import of a module by a module of a lower layer."""
    return {
        (module, dep)
        for module, deps in import_graph().items()
        for dep in deps
        if layer_of(dep) > layer_of(module)
    }


def test_every_package_has_a_layer():
    names = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    names = {n for n in names if not n.startswith(("_", ".")) or n == "__main__"}
    declared = {name for layer in LAYERS for name in layer}
    packages = {n for n in names if (PACKAGE / n).is_dir() or (PACKAGE / f"{n}.py").is_file()}
    assert packages - {"__pycache__"} <= declared


def test_no_import_climbs_the_layers():
    assert climbs() == set(), "imports against the layer order"


def test_a_climbing_import_is_found():
    graph = {"dashboard.media.video": {"dashboard.outputs.session"}}
    assert layer_of("dashboard.outputs.session") > layer_of("dashboard.media.video")
    assert any(layer_of(d) > layer_of(m) for m, deps in graph.items() for d in deps)


def test_tests_and_benchmarks_import_modules_that_exist():
    """A module moved leaves no shim: every ``dashboard`` import of the tests and the
    benchmarks names a module or package that is there (inside functions too)."""
    missing = set()
    for path in [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("benchmarks").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
                else []
            )
            for name in names:
                if name.split(".")[0] != "dashboard":
                    continue
                target = ROOT.joinpath(*name.split("."))
                if not (target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()):
                    missing.add(f"{path.relative_to(ROOT).as_posix()}: {name}")
    assert not missing, sorted(missing)


def test_layer_of():
    assert layer_of("dashboard.poses") < layer_of("dashboard.detect.engine")
    assert layer_of("dashboard.kinematics.gait.events") < layer_of("dashboard.report.builder")
    assert layer_of("dashboard.ui.page") == len(LAYERS) - 1
    assert Path(PACKAGE / "ui").is_dir()
