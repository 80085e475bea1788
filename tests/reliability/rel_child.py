"""Run Python code or the CLI in a child process, optionally under a memory limit; report exit, output, time, peak RSS."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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


def child_env(repo: Path = REPO) -> dict[str, str]:
    """The environment for children: `repo` importable first, one BLAS thread, no debug tracebacks."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("AUTOGRAD_CORE_DEBUG", None)
    env.update(MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return env


LAUNCHER = """
import atexit, os, resource, runpy, sys
limit = int(os.environ.get("REL_MEMORY_MB", "0"))
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit << 20, limit << 20))
def peak():
    with open("/proc/self/status") as f:
        kb = next(line.split()[1] for line in f if line.startswith("VmHWM"))
    with open(os.environ["REL_PEAK_FILE"], "w") as f:
        f.write(kb)
atexit.register(peak)
mode, target, *rest = sys.argv[1:]
sys.argv = [target, *rest]
if mode == "-c":
    exec(compile(target, "<child>", "exec"), {"__name__": "__main__"})
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


def run(args: list[str], *, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0,
        repo: Path = REPO) -> ChildResult:
    """Run `python -c CODE` or `python -m MODULE ...` (args) through a launcher that caps the address space
    (resource.setrlimit(RLIMIT_AS)) when `memory_mb` is given and records the child's own peak RSS (VmHWM,
    which, unlike the rusage of a forked child, does not count the parent's pages)."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = os.path.join(scratch, "peak")
        env = child_env(repo)
        env.update(REL_PEAK_FILE=peak_file, REL_MEMORY_MB=str(memory_mb or 0))
        start = time.perf_counter()
        try:
            p = subprocess.run([sys.executable, "-c", LAUNCHER, *args], cwd=cwd, env=env, capture_output=True,
                               text=True, timeout=timeout)
        finally:
            seconds = time.perf_counter() - start
        peak = float(open(peak_file).read()) / 1024 if os.path.exists(peak_file) else float("nan")
        return ChildResult(p.returncode, p.stdout, p.stderr, seconds, peak)


def python(code: str, *, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0) -> ChildResult:
    """Run `python -c code` in a child."""
    return run(["-c", code], cwd=cwd, memory_mb=memory_mb, timeout=timeout)


def cli(*args: str, cwd: Path, memory_mb: int | None = None, timeout: float = 30.0, repo: Path = REPO) -> ChildResult:
    """Run `python -m autograd_cli ARGS` in a child (from another checkout with `repo`; checkouts from
    before autograd_cli had a __main__ ran the tool as `python -m autograd_core`)."""
    module = "autograd_cli" if (repo / "autograd_cli" / "__main__.py").exists() else "autograd_core"
    return run(["-m", module, *args], cwd=cwd, memory_mb=memory_mb, timeout=timeout, repo=repo)
