"""The declared layer order of the package, checked on every import (at the top of a
module or inside a function): a layer may import its own and lower layers only.

The order follows the pipeline: the data model, decoding the inputs (media) and detection,
the published reference values (which kinematics reads), kinematics, the figures, the text
helpers, the output files (outputs), the documents built on them (report, patient library),
the ways to run it (live, batch, command line) and the Streamlit layer on top.
"""

from __future__ import annotations

from pathlib import Path

from tests.import_graph import PACKAGE, import_graph

#: Layers from the bottom up; each names the packages (or top-level modules) it holds.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "settings", "skeleton", "jsonsafe", "poses", "analysis"),
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
    ("live", "batch"),
    ("cli",),
    ("ui", "__main__"),
)

#: Imports that still climb the order, to be removed by moving code (issue 25.4): a batch
#: task calls the command line's analyse-and-write step.
#: The test fails when one of these is gone, so that the list only shrinks.
KNOWN_CLIMBS = {
    ("dashboard.batch.task", "dashboard.cli.analyze"),
}


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
    found = climbs()
    assert found - KNOWN_CLIMBS == set(), "imports against the layer order"
    assert KNOWN_CLIMBS - found == set(), "gone: remove them from KNOWN_CLIMBS"


def test_layer_of():
    assert layer_of("dashboard.poses") < layer_of("dashboard.detect.engine")
    assert layer_of("dashboard.kinematics.gait.events") < layer_of("dashboard.report.builder")
    assert layer_of("dashboard.ui.page") == len(LAYERS) - 1
    assert Path(PACKAGE / "ui").is_dir()
