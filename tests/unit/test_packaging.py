"""PoseDash as an installable package: pyproject.toml's metadata agrees with
requirements.txt, and ``pip install`` (plain and editable) gives a ``posedash`` command
that works from any folder.

The installs go into a temporary virtual environment that sees the project's own
environment's packages (a ``.pth`` file), with ``--no-deps --no-build-isolation``: nothing
is downloaded, and the dependencies are those ``make setup`` installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[2]


def _requirements() -> tuple[list[str], list[str]]:
    """requirements.txt's runtime pins and its development pins (after the line that
    starts the development part)."""
    runtime: list[str] = []
    dev: list[str] = []
    part = runtime
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.startswith("# development"):
            part = dev
        elif line.strip() and not line.startswith("#"):
            part.append(line.strip())
    return runtime, dev


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_pyproject_dependencies_are_the_runtime_requirements():
    runtime, dev = _requirements()
    project = _project()
    assert project["dependencies"] == runtime
    assert project["optional-dependencies"]["dev"] == dev
    assert any(pin.startswith("mypy==") for pin in dev)
    assert any(pin.startswith("ruff==") for pin in dev)


def test_pyproject_declares_the_posedash_command():
    assert _project()["scripts"] == {"posedash": "dashboard.cli:console"}


def _venv_seeing_project_packages(where: Path) -> Path:
    """A virtual environment at ``where`` whose interpreter also imports the packages
    of the running one (but not the ``dashboard`` checkout): its ``python``."""
    venv.EnvBuilder(with_pip=False).create(where)
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "posedash_test_deps.pth").write_text(ours + "\n")
    return python


def _source_copy(where: Path) -> Path:
    """What a source distribution holds: the package, pyproject.toml and README.md."""
    where.mkdir()
    shutil.copytree(
        ROOT / "dashboard", where / "dashboard", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, where / name)
    return where


def _pip_install(python: Path, *args: str) -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"),
            *("--no-deps", "--no-build-isolation", "--no-index", *args),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.slow
@pytest.mark.parametrize("editable", [False, True], ids=["install", "editable"])
def test_pip_install_gives_the_posedash_command(tmp_path, monkeypatch, editable):
    for key, value in _clean_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    source = _source_copy(tmp_path / "src")
    python = _venv_seeing_project_packages(tmp_path / "venv")
    _pip_install(python, *(["-e"] if editable else []), str(source))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    command = tmp_path / "venv" / "bin" / "posedash"
    help_ = subprocess.run(
        [str(command), "--help"], cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert help_.returncode == 0, help_.stderr
    assert help_.stdout.startswith("usage: posedash")
    for name in ("analyze", "batch", "library", "build-model"):
        assert name in help_.stdout
    analyze = subprocess.run(
        [str(command), "analyze", "--help"], cwd=elsewhere, capture_output=True, text=True
    )
    assert analyze.returncode == 0 and "usage: posedash analyze" in analyze.stdout

    # The package's data files come with it, read from where it is installed.
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import dashboard, dashboard.references as r, dashboard.ui.clickframe as c;"
            "print(dashboard.__file__); print(len(list(r.DATA.glob('*.json'))));"
            "print(c._HERE.joinpath('clickframe.js').is_file())",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert where.returncode == 0, where.stderr
    module, references, script = where.stdout.split()
    assert Path(module).is_relative_to(source if editable else tmp_path / "venv")
    assert int(references) == len(list((ROOT / "dashboard/references/data").glob("*.json")))
    assert script == "True"

    # A bad command is one line and a non-zero exit, named after the command.
    bad = subprocess.run(
        [str(command), "analyze", str(elsewhere / "missing.jpg"), "--out", str(elsewhere)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
