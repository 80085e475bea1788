"""Benchmark: the scalar engine vs micrograd at 1e3..1e6 recorded ops, gc on and gc off in both.

Run: python3 benchmarks/bench_engine.py [--sizes 1000,10000,100000,1000000] [--clock wall|cpu]

The graph is bench_scalar's: chains of 99 ops (x * w, + b, relu, * w, + b, ** 2, repeating)
summed pairwise, so micrograd's recursive sort stays within its recursion limit at every size.
For each size the two engines run alternately (ours, micrograd, ours, ...), each run timing
forward and backward separately; the table gives medians and the ratio micrograd / ours (higher
is better for us). "gc off" disables the cyclic collector in both engines during the timed runs
(collecting between runs, untimed): that is the engines' own speed. "gc on" is what a user sees;
micrograd's closures make reference cycles, so its collector works much harder than ours.
Targets (issue 8): total >= 2.5x with gc off and >= 10x with gc on; backward >= 2x with gc off.
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

from benchmarks.common import (PhaseClock, add_clock_arg, clock_name, environment_line, print_table,
                               require_micrograd, set_clock, use_repo_checkout, verdict)

use_repo_checkout()
require_micrograd()

from micrograd.engine import Value as MicroValue  # noqa: E402

from autograd_core import Value  # noqa: E402
from benchmarks.bench_scalar import CHAIN_OPS, chain, make_leaves, pairwise_sum  # noqa: E402

TARGETS = {("gc off", "total"): 2.5, ("gc on", "total"): 10.0, ("gc off", "backward"): 2.0}


def builder(cls: Callable[[float], Any], n_ops: int) -> Callable[[], Any]:
    """A function building the n_ops graph (rounded to whole chains) over fixed leaves."""
    xs, ws, bs = make_leaves(cls)
    n_chains = max(1, n_ops // (CHAIN_OPS + 1))
    inputs = [cls(xs[i % len(xs)].data * (1 + i // len(xs) * 1e-3)) for i in range(n_chains)]
    return lambda: pairwise_sum([chain(x, i, ws, bs) for i, x in enumerate(inputs)]) * ws[0]


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
            target = TARGETS.get((label, phase))
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
    add_clock_arg(parser)
    args = parser.parse_args(argv)
    set_clock(args.clock)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    print("bench_engine: autograd-core Value vs micrograd, forward + backward, interleaved runs")
    print(environment_line())
    rows: list[tuple[str, ...]] = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows += measure_size(n)
    print_table(f"medians, ns per op ({clock_name()} clock); ratio = micrograd / ours",
                ("ops", "gc", "phase", "ours", "micrograd", "ratio", "target"), rows)


if __name__ == "__main__":
    main()
