"""Benchmark: a 1,000,000-op chain of autograd_core Values runs backward (no RecursionError).

Run: python3 benchmarks/bench_chain.py [--ops N]

The chain cycles t = t * w, t = t + b, t = t.relu() from a leaf x, with leaves w = 1 + 1e-7 and
b = 1e-6 so that every value and gradient stays finite and non-trivial. Reports forward and
backward time (garbage collector on, default settings), the process's peak RSS, and
tracemalloc's peak Python-heap bytes in a second, traced run. The gradients of x, w and b are
checked against forward-mode derivatives computed alongside in plain floats.
micrograd is not run: its recursive topological sort cannot walk a chain this deep.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tracemalloc
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (PhaseClock, clock_name, environment_line, fmt_seconds, max_rss_mb,
                               parse_args_with_clock, print_table, use_repo_checkout)

use_repo_checkout()

from autograd_core import Value  # noqa: E402

W, B, X = 1.0 + 1e-7, 1e-6, 0.5


def build_chain(n_ops: int) -> tuple[Value, tuple[Value, Value, Value]]:
    """The n_ops chain and its leaves (x, w, b)."""
    x, w, b = Value(X, "x"), Value(W, "w"), Value(B, "b")
    t = x
    for k in range(n_ops):
        r = k % 3
        t = t * w if r == 0 else (t + b if r == 1 else t.relu())
        # keep only t: each node holds its parents, so the chain keeps itself alive
    return t, (x, w, b)


def forward_mode(n_ops: int) -> tuple[float, float, float]:
    """d(t_n)/d(x, w, b) by forward-mode tangents in plain floats (the reference gradients)."""
    t, dx, dw, db = X, 1.0, 0.0, 0.0
    for k in range(n_ops):
        r = k % 3
        if r == 0:
            t, dx, dw, db = t * W, dx * W, dw * W + t, db * W
        elif r == 1:
            t, db = t + B, db + 1.0
        elif t <= 0.0:
            t, dx, dw, db = 0.0, 0.0, 0.0, 0.0
    return dx, dw, db


def current_rss_mb() -> float:
    """Resident set size now, in MiB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def timed_run(n_ops: int) -> dict[str, Any]:
    """Forward, backward and freeing times; RSS before and at peak; the leaves' gradients."""
    gc.collect()
    rss0 = current_rss_mb()
    clock = PhaseClock()
    root, leaves = build_chain(n_ops)
    clock.lap("forward")
    rss_forward = current_rss_mb()
    root.backward()
    clock.lap("backward")
    grads = tuple(v.grad for v in leaves)
    del root
    clock.lap("free")
    return {**clock.phases, "rss0": rss0, "rss_forward": rss_forward, "rss_peak": max_rss_mb(),
            "grads": grads}


def traced_peaks(n_ops: int) -> tuple[int, int, int]:
    """tracemalloc bytes: graph kept after forward, peak during forward, peak during backward."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        root, _ = build_chain(n_ops)
        kept, peak_forward = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        root.backward()
        _, peak_backward = tracemalloc.get_traced_memory()
        del root
    finally:
        tracemalloc.stop()
    return kept - base, peak_forward - base, peak_backward - base


def report(n_ops: int) -> None:
    print(f"bench_chain: a {n_ops:,}-op chain of autograd_core Values, forward + backward")
    print(environment_line())
    run = timed_run(n_ops)
    reference = forward_mode(n_ops)
    worst = max(abs(g - r) / max(1.0, abs(r)) for g, r in zip(run["grads"], reference))
    print("gradients (x, w, b): " + ", ".join(f"{g:.6g}" for g in run["grads"])
          + f"; worst rel. diff vs forward mode {worst:.1e}")
    kept, peak_f, peak_b = traced_peaks(n_ops)
    mib = 2 ** 20
    rows = [
        ("forward time", fmt_seconds(run["forward"]), f"{run['forward'] / n_ops * 1e6:.2f} us/op"),
        ("backward time", fmt_seconds(run["backward"]), f"{run['backward'] / n_ops * 1e6:.2f} us/op"),
        ("free the graph (del root)", fmt_seconds(run["free"]), "(info)"),
        ("RSS growth after forward", f"{run['rss_forward'] - run['rss0']:.0f} MiB", "/proc/self/statm"),
        ("peak RSS growth (maxrss)", f"{run['rss_peak'] - run['rss0']:.0f} MiB",
         "ru_maxrss - start RSS"),
        ("graph kept (tracemalloc)", f"{kept / mib:.0f} MiB", f"{kept / n_ops:.0f} B/op"),
        ("peak during forward", f"{peak_f / mib:.0f} MiB", "tracemalloc"),
        ("peak during backward", f"{peak_b / mib:.0f} MiB",
         f"{(peak_b - kept) / n_ops:.0f} B/op above graph"),
    ]
    print_table(f"backward completed (no RecursionError); {clock_name()} clock",
                ("measure", "autograd-core", "note"), rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1_000_000, help="length of the chain")
    args = parse_args_with_clock(parser, argv)
    report(args.ops)


if __name__ == "__main__":
    main()
