"""Run Python code or the CLI in a child process, optionally under a memory limit; report exit, output, time, peak RSS."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class ChildResult:
    """What a child did: exit code, stdout, stderr, wall seconds and peak resident memory in MB."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


def child_env() -> dict[str, str]:
    """The environment for children: the repository importable, one BLAS thread, no debug tracebacks."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("AUTOGRAD_CORE_DEBUG", None)
    env.update(MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return env


def run(argv: list[str], *, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0) -> ChildResult:
    """Run argv; with `memory_mb`, the child's address space is capped by resource.setrlimit(RLIMIT_AS)."""
    def limit() -> None:
        if memory_mb is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=child_env(), stdout=out, stderr=err, preexec_fn=limit)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return ChildResult(p.returncode, out.read().decode(), err.read().decode(), seconds, usage.ru_maxrss / 1024)


def python(code: str, *, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0) -> ChildResult:
    """Run `python -c code` in a child."""
    return run([sys.executable, "-c", code], cwd=cwd, memory_mb=memory_mb, timeout=timeout)


def cli(*args: str, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0) -> ChildResult:
    """Run `python -m autograd_core ARGS` in a child."""
    return run([sys.executable, "-m", "autograd_core", *args], cwd=cwd, memory_mb=memory_mb, timeout=timeout)
