"""Benchmark: bytes per recorded scalar node, autograd-core vs micrograd (tracemalloc).

Run: python3 benchmarks/bench_memory.py [--ops N]

Each workload records N ops (200,000 by default) into one live graph, built as a chain so that
nothing but the graph holds the nodes; bytes per op = (traced bytes after - before) / N. The
counted bytes are everything the op allocated and kept: the node object, its float, its id, its
parent links, and micrograd's set of children and backward closure. Leaves are made before the
measurement starts.

- binary: t = t * w (w an existing Value): one node per op, the target row.
- unary: t = t.relu(): one node per op.
- number: t = t * 0.999: both engines wrap the number in a constant node, so two nodes per op.
- mixed: bench_scalar's 100,000-op graph (Value-Value +, *, relu, ** 2): bytes per op.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Callable

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (environment_line, print_table, require_micrograd, traced_bytes,
                               use_repo_checkout, verdict)

use_repo_checkout()
require_micrograd()

from micrograd.engine import Value as MicroValue  # noqa: E402

from autograd_core import Value  # noqa: E402
from benchmarks import bench_scalar  # noqa: E402


def chain_of(step: Callable[[Any, Any], Any], n_ops: int) -> Callable[[Callable[[float], Any]], tuple]:
    """A workload: given a Value class, make leaves (untraced), return a builder of an n_ops chain."""
    def prepare(cls: Callable[[float], Any]) -> tuple[Callable[[], Any], int]:
        x, w = cls(0.5), cls(0.999)

        def build() -> Any:
            t = x
            for _ in range(n_ops):
                t = step(t, w)
            return t
        return build, n_ops
    return prepare


def mixed_graph(cls: Callable[[float], Any]) -> tuple[Callable[[], Any], int]:
    """bench_scalar's 100,000-op graph over leaves made before tracing."""
    leaves = bench_scalar.make_leaves(cls)
    return (lambda: bench_scalar.build(leaves)), bench_scalar.TOTAL_OPS


def bytes_per_op(prepare: Callable[[Callable[[float], Any]], tuple], cls: Callable[[float], Any]) -> float:
    """Traced bytes kept by the graph, divided by its number of recorded ops."""
    build, n_ops = prepare(cls)
    kept, _, graph = traced_bytes(build)
    del graph
    return kept / n_ops


def report(n_ops: int) -> None:
    print(f"bench_memory: bytes per recorded scalar op (tracemalloc, graphs of {n_ops:,} ops)")
    print(environment_line())
    workloads = [
        ("binary  t * w", chain_of(lambda t, w: t * w, n_ops), 1, True),
        ("unary   t.relu()", chain_of(lambda t, w: t.relu(), n_ops), 1, False),
        ("number  t * 0.999", chain_of(lambda t, w: t * 0.999, n_ops), 2, False),
        ("mixed   bench_scalar graph", mixed_graph, None, False),
    ]
    rows = []
    for name, prepare, nodes_per_op, is_target in workloads:
        ours, theirs = bytes_per_op(prepare, Value), bytes_per_op(prepare, MicroValue)
        ratio = ours / theirs
        target = f"<= micrograd: {verdict(ours <= theirs)}" if is_target else "(info)"
        per_node = "mixed" if nodes_per_op is None else str(nodes_per_op)
        rows.append((name, per_node, f"{ours:7.1f}", f"{theirs:7.1f}", f"{ratio:5.2f}", target))
    print_table("bytes per op; ratio = ours / micrograd (lower is better)",
                ("workload", "nodes/op", "autograd-core", "micrograd", "ratio", "target"), rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=200_000, help="ops recorded per chain workload")
    report(parser.parse_args(argv).ops)


if __name__ == "__main__":
    main()
