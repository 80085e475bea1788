"""The tree stays clean: ruff (rules in pyproject.toml) on everything, mypy on every package."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _tool(name: str) -> str:
    path = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: `pip install -e .[test]` (scripts/setup.sh) brings it")
    return path


def test_ruff_finds_nothing_in_the_whole_tree() -> None:
    run = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


PACKAGES = ("autograd_core", "nn", "viz", "autograd_cli", "autograd_notes")


def test_mypy_checks_every_package() -> None:
    """pyproject's [tool.mypy] files name every package, so a bare `mypy` run covers them all."""
    import tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        files = tomllib.load(f)["tool"]["mypy"]["files"]
    assert sorted(files) == sorted(PACKAGES)


def test_mypy_passes_on_every_package() -> None:
    run = subprocess.run([_tool("mypy"), "--cache-dir", os.path.join(ROOT, ".mypy_cache")], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success" in run.stdout
