"""Shared helper for CLI tests: run the real command (`python -m autograd_cli ...`) in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """Run `python -m autograd_cli ARGS` from `cwd` with the repository importable; capture text output."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("AUTOGRAD_CORE_DEBUG", None)
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([sys.executable, "-m", "autograd_cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def cli(tmp_path: Path):
    """`cli("grad", "x*y", "x=1", "y=2")` -> CompletedProcess, run in a fresh temporary folder."""
    return lambda *args, timeout=30.0: run_cli(*args, cwd=tmp_path, timeout=timeout)


def assert_clean_error(result: subprocess.CompletedProcess, *fragments: str, code: int = 1) -> None:
    """A user error: the exit code, one line on stderr naming the problem, no traceback, nothing on stdout."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 if code == 1 else lines, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


@pytest.fixture
def clean_error():
    """The `assert_clean_error` check as a fixture (test files cannot import conftest reliably)."""
    return assert_clean_error
