"""Run every benchmark in this folder, each in its own Python process, and print their tables.

Run: python3 benchmarks/run_all.py [--clock wall|cpu]

Runs bench_engine, bench_scalar, bench_memory, bench_chain, bench_gc_floor and, when present, bench_nn and bench_viz (written
separately). A separate process per benchmark keeps one benchmark's memory and garbage from
skewing the next. Exits non-zero if any benchmark failed to run (a missed speed target is
reported in the tables, not as a failure).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = ("bench_engine", "bench_scalar", "bench_memory", "bench_chain", "bench_gc_floor", "bench_nn", "bench_viz",
         "bench_compile", "bench_compile_scalar")
TAKES_CLOCK = {"bench_engine", "bench_scalar", "bench_chain", "bench_gc_floor", "bench_nn", "bench_compile",
               "bench_compile_scalar"}


def run_one(name: str, clock: str) -> tuple[int, float]:
    """Run benchmarks/<name>.py; (exit code, wall seconds)."""
    cmd = [sys.executable, os.path.join(HERE, f"{name}.py")]
    if name in TAKES_CLOCK:
        cmd += ["--clock", clock]
    print(f"\n{'=' * 20} {' '.join(['python3', f'benchmarks/{name}.py'] + cmd[2:])} {'=' * 20}", flush=True)
    start = time.perf_counter()
    code = subprocess.call(cmd, cwd=os.path.dirname(HERE))
    return code, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="clock for the timing benchmarks (cpu: steadier on a busy machine)")
    args = parser.parse_args(argv)
    results = []
    for name in ORDER:
        if os.path.exists(os.path.join(HERE, f"{name}.py")):
            results.append((name, *run_one(name, args.clock)))
    print("\nsummary")
    for name, code, seconds in results:
        print(f"  {name:14s} {'ok' if code == 0 else f'FAILED (exit {code})':18s} {seconds:6.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
