"""Benchmark: a compiled training step against eager, hand-written numpy, torch and JAX jit, side by side.

Run: python3 benchmarks/bench_compile.py [--repeats N] [--steps K] [--only NAME] [--gc on|off|both]
     [--clock wall|cpu]   (cpu: this process's CPU time, steadier when other programs share the cores)

One process pinned to one core (os.sched_setaffinity before numpy, torch or jax is imported, so every
worker thread a library starts shares that core), one thread requested everywhere (BLAS,
torch.set_num_threads(1), XLA flags), JAX with synchronous dispatch, the same initial weights and
data on every side. A step is forward, loss, backward and an SGD update (lr 0.01). After a warm-up
the sides take turns: each round times K consecutive steps of every side in turn. The table gives
medians over rounds in microseconds per step and, for each ratio, the median of the per-round
ratios with their min and max, so a difference smaller than the spread is not read as one:

  compiled / numpy   target <= 1.5 (moons, mlp64, rnn), <= 1.1 (mlp784)
  eager / torch      target <  1.0 on every row
  compiled / jax     reported, no target (JAX is an optional extra: `pip install jax jaxlib`)

Rows: moons (MLP 2-16-16-1, 100 points, hinge, f64), mlp64 (64-128-10, batch 64, cross-entropy,
f32), mlp784 (784-256-10, batch 128, cross-entropy, f32), rnn (Elman 16->32, T=20, batch 8, loss
mean(h_T^2), f64; every side multiplies the inputs by W_ih once, outside the time loop). Before
timing, the first three losses of every side must agree (rtol 1e-4). The scalar row (micrograd MLP
of Values) is in bench_compile_scalar.py.
"""
from __future__ import annotations

import os
import sys

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import pin_to_one_core  # noqa: E402

pin_to_one_core()  # before numpy, torch and jax start their threads

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks.common import (clock_name, environment_line, parse_args_with_clock, print_table,  # noqa: E402
                               seconds_per_call, thread_line, use_repo_checkout, verdict)  # noqa: E402

use_repo_checkout()

from benchmarks import compile_peers as peers  # noqa: E402

Step = Callable[[], Any]
ROWS = {
    "moons": ("MLP 2-16-16-1, 100 moons, hinge, f64", 1.5),
    "mlp64": ("MLP 64-128-10, batch 64, cross-entropy, f32", 1.5),
    "mlp784": ("MLP 784-256-10, batch 128, cross-entropy, f32", 1.1),
    "rnn": ("Elman RNN 16->32, T=20, batch 8, BPTT, f64", 1.5),
}


def check_losses(name: str, sides: dict[str, Step]) -> None:
    """The first three steps of every side must give the same losses (same weights, data, update)."""
    for i in range(3):
        losses = {side: peers.loss_value(step()) for side, step in sides.items()}
        ref = losses["eager"]
        for side, v in losses.items():
            if not np.isclose(v, ref, rtol=1e-4, atol=1e-6):
                raise RuntimeError(f"bench_compile: row {name}: step {i}: {side} loss {v!r} != eager {ref!r}")


def time_sides(sides: dict[str, Step], repeats: int, k: int, warmup: int, gc_on: bool) -> dict[str, list[float]]:
    """Seconds per step of each side in each of `repeats` interleaved rounds."""
    for _ in range(warmup):
        for step in sides.values():
            step()
    times: dict[str, list[float]] = {s: [] for s in sides}
    enabled = gc.isenabled()
    try:
        for _ in range(repeats):
            for side, step in sides.items():
                gc.collect()
                if not gc_on:
                    gc.disable()
                times[side].append(seconds_per_call(step, k))
                gc.enable()
    finally:
        if not enabled:
            gc.disable()
    return times


def round_ratios(times: dict[str, list[float]], a: str, b: str) -> list[float] | None:
    """a / b in each round (both sides timed in the same round, so drifts of the machine cancel)."""
    if a not in times or b not in times:
        return None
    return [x / y for x, y in zip(times[a], times[b])]


def _spread(ratios: list[float] | None) -> str:
    """median [min-max] of per-round ratios."""
    if ratios is None:
        return "-"
    return f"{statistics.median(ratios):.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"


def row(name: str, times: dict[str, list[float]]) -> list[str]:
    what, target = ROWS[name]
    us = {s: f"{statistics.median(v) * 1e6:8.1f}" for s, v in times.items()}
    vs_numpy = round_ratios(times, "compiled", "numpy")
    vs_torch = round_ratios(times, "eager", "torch")
    assert vs_numpy is not None
    ok = statistics.median(vs_numpy) <= target and (vs_torch is None or statistics.median(vs_torch) < 1.0)
    return [name, us["eager"], us["compiled"], us["numpy"], us.get("torch", "-"), us.get("jax", "-"),
            _spread(vs_numpy), f"{target:.1f}x", _spread(round_ratios(times, "compiled", "jax")),
            _spread(vs_torch), verdict(ok)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="interleaved timing rounds (median reported)")
    parser.add_argument("--steps", type=int, default=20, help="training steps per side per round")
    parser.add_argument("--warmup", type=int, default=10, help="untimed steps per side first")
    parser.add_argument("--only", action="append", choices=tuple(ROWS), help="run only this row (repeatable)")
    parser.add_argument("--gc", choices=("on", "off", "both"), default="on",
                        help="garbage collector during timed rounds (both: two tables)")
    args = parse_args_with_clock(parser, argv)
    print(environment_line())
    print(peers.versions_line())
    print(thread_line())
    names = args.only or list(ROWS)
    built = {name: peers.build(name) for name in names}
    for name, sides in built.items():
        check_losses(name, sides)
    for mode in (("on", "off") if args.gc == "both" else (args.gc,)):
        rows = [row(name, time_sides(sides, args.repeats, args.steps, args.warmup, mode == "on"))
                for name, sides in built.items()]
        print_table(f"training step, us/step, median of {args.repeats} rounds x {args.steps} steps, one thread, "
                    f"GC {mode}, {clock_name()} clock",
                    ["row", "eager", "compiled", "numpy", "torch", "jax jit", "compiled/numpy", "target",
                     "compiled/jax", "eager/torch", "verdict"], rows)
    print(thread_line())
    for name in names:
        print(f"{name}: {ROWS[name][0]}")
    print("ratios: median of the per-round ratios [min-max over rounds]; compiled/jax has no target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
