"""Benchmark: the scalar engine vs micrograd at 1e3..1e6 recorded ops, gc on and gc off in both.

Run: python3 benchmarks/bench_engine.py [--sizes 1000,10000,100000,1000000] [--clock wall|cpu]

The graph is bench_scalar's: chains of 99 ops (x * w, + b, relu, * w, + b, ** 2, repeating)
summed pairwise, so micrograd's recursive sort stays within its recursion limit at every size.
For each size the two engines run alternately (ours, micrograd, ours, ...), each run timing
forward and backward separately; the table gives medians and the ratio micrograd / ours (higher
is better for us). "gc off" disables the cyclic collector in both engines during the timed runs
(collecting between runs, untimed): that is the engines' own speed. "gc on" is what a user sees;
micrograd's closures make reference cycles, so its collector works much harder than ours.
Targets (issue 8), at 1e5 and 1e6 ops (smaller sizes are reported only): total >= 2.5x with gc
off and >= 10x with gc on; backward >= 2x with gc off.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
from typing import Any, Callable

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (PhaseClock, clock_name, environment_line, parse_args_with_clock,
                               print_table, require_micrograd, use_repo_checkout, verdict)

use_repo_checkout()
require_micrograd()

from micrograd.engine import Value as MicroValue  # noqa: E402

from autograd_core import Value  # noqa: E402
from benchmarks.bench_scalar import (CHAIN_OPS, N_PARAMS, PATTERN, chain, make_leaves,  # noqa: E402
                                     pairwise_sum)

TARGETS = {("gc off", "total"): 2.5, ("gc on", "total"): 10.0, ("gc off", "backward"): 2.0}
#: The sizes the targets are set for (issue 8); smaller graphs are reported, not judged.
TARGET_MIN_OPS = 100_000


def builder(cls: Callable[[float], Any], n_ops: int) -> Callable[[], Any]:
    """A function building the n_ops graph (rounded to whole chains) over fixed leaves.

    The graph is bench_scalar's, op for op and operand for operand (each chain is `chain(x, i)`),
    but every operand is looked up before timing and the six-op pattern is written out, so the
    timed loop spends almost nothing outside the two engines (the same harness serves both).
    """
    xs, ws, bs = make_leaves(cls)
    n_chains = max(1, n_ops // (CHAIN_OPS + 1))
    inputs = [cls(xs[i % len(xs)].data * (1 + i // len(xs) * 1e-3)) for i in range(n_chains)]
    plans = [_chain_plan(i, ws, bs) for i in range(n_chains)]

    def build() -> Any:
        terms = []
        for x, (blocks, (w_tail, b_tail)) in zip(inputs, plans):
            t = x
            for w1, b1, w2, b2 in blocks:
                t = ((t * w1 + b1).relu() * w2 + b2) ** 2
            terms.append((t * w_tail + b_tail).relu())
        return pairwise_sum(terms) * ws[0]

    return build


def _chain_plan(i: int, ws: list, bs: list) -> tuple[list[tuple[Any, Any, Any, Any]], tuple[Any, Any]]:
    """The operands chain(x, i) uses: per six-op block (w, b, w, b), then the 3-op tail's (w, b)."""
    assert CHAIN_OPS == 99 and PATTERN == ("mul", "add", "relu", "mul", "add", "pow")
    w = lambda k: ws[(i + k) % N_PARAMS]  # noqa: E731 - the index rules of bench_scalar.chain
    b = lambda k: bs[(3 * i + k) % N_PARAMS]  # noqa: E731
    blocks = [(w(k), b(k + 1), w(k + 3), b(k + 4)) for k in range(0, 96, 6)]
    return blocks, (w(96), b(97))


def check_same_graph(n_ops: int = 10_000) -> None:
    """The unrolled builder makes exactly bench_scalar's graph: the same root value."""
    xs, ws, bs = make_leaves(Value)
    n_chains = n_ops // (CHAIN_OPS + 1)
    reference = pairwise_sum([chain(x, i, ws, bs) for i, x in enumerate(xs[:n_chains])]) * ws[0]
    assert builder(Value, n_ops)().data == reference.data, "bench_engine's graph differs from bench_scalar's"


def one_run(build: Callable[[], Any], gc_on: bool) -> dict[str, float]:
    """Forward and backward times of one fresh graph; the graph is freed (untimed) afterwards."""
    gc.collect()
    (gc.enable if gc_on else gc.disable)()
    try:
        clock = PhaseClock()
        root = build()
        clock.lap("forward")
        root.backward()
        clock.lap("backward")
    finally:
        gc.enable()
    del root
    gc.collect()
    return clock.phases


def repeats_for(n_ops: int) -> int:
    return 15 if n_ops <= 10_000 else (5 if n_ops <= 100_000 else 3)


def measure_size(n_ops: int) -> list[tuple[str, ...]]:
    """Rows for one size: per gc setting and phase, medians and the ratio micrograd / ours."""
    builds = {"ours": builder(Value, n_ops), "micrograd": builder(MicroValue, n_ops)}
    rows = []
    for gc_on in (False, True):
        label = "gc on" if gc_on else "gc off"
        times: dict[str, dict[str, list[float]]] = {k: {"forward": [], "backward": []} for k in builds}
        for name in builds:  # warm-up, untimed
            one_run(builds[name], gc_on)
        for rep in range(repeats_for(n_ops)):
            for name in (("ours", "micrograd") if rep % 2 == 0 else ("micrograd", "ours")):
                phases = one_run(builds[name], gc_on)
                for phase in ("forward", "backward"):
                    times[name][phase].append(phases[phase])
        for phase in ("forward", "backward", "total"):
            med = {k: _median(v, phase) for k, v in times.items()}
            ratio = med["micrograd"] / med["ours"]
            target = TARGETS.get((label, phase)) if n_ops >= TARGET_MIN_OPS else None
            note = f">= {target:g}x: {verdict(ratio >= target)}" if target else "(info)"
            rows.append((f"{n_ops:,}", label, phase, f"{med['ours'] / n_ops * 1e9:.0f}",
                         f"{med['micrograd'] / n_ops * 1e9:.0f}", f"{ratio:.2f}x", note))
    return rows


def _median(times: dict[str, list[float]], phase: str) -> float:
    if phase == "total":
        return statistics.median(f + b for f, b in zip(times["forward"], times["backward"]))
    return statistics.median(times[phase])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000",
                        help="comma-separated op counts")
    args = parse_args_with_clock(parser, argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    check_same_graph()
    print("bench_engine: autograd-core Value vs micrograd, forward + backward, interleaved runs")
    print(environment_line())
    rows: list[tuple[str, ...]] = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows += measure_size(n)
    print_table(f"medians, ns per op ({clock_name()} clock); ratio = micrograd / ours",
                ("ops", "gc", "phase", "ours", "micrograd", "ratio", "target"), rows)


if __name__ == "__main__":
    main()
