"""Benchmark: the new table ops (forward + backward on a 256 x 256 float64 tensor) against PyTorch CPU.

Run: python3 benchmarks/bench_ops.py [--repeats 21] [--size 256]

For each op the two libraries run alternately (ours, torch, ours, ...), each run timing one
forward and one backward of sum(op(x) * w); the table gives the medians and the ratio ours /
torch (lower is better for us), with the cyclic garbage collector on and off in both. torch runs
on one thread, like numpy's elementwise kernels.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from typing import Any, Callable

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import use_repo_checkout

use_repo_checkout()

import numpy as np  # noqa: E402

import autograd_core as ac  # noqa: E402

OPS: dict[str, Callable[[Any, Any], Any]] = {  # the same snippet runs on both libraries
    "sin": lambda m, x: x.sin(),
    "tan": lambda m, x: x.tan(),
    "log1p": lambda m, x: x.log1p(),
    "expm1": lambda m, x: x.expm1(),
    "softplus": lambda m, x: m.nn.functional.softplus(x) if m is not ac else x.softplus(),
    "gelu": lambda m, x: x.gelu() if m is ac else m.nn.functional.gelu(x),
    "gelu tanh": lambda m, x: x.gelu("tanh") if m is ac else m.nn.functional.gelu(x, approximate="tanh"),
    "leaky_relu": lambda m, x: x.leaky_relu(0.1) if m is ac else m.nn.functional.leaky_relu(x, 0.1),
    "elu": lambda m, x: x.elu() if m is ac else m.nn.functional.elu(x),
    "clamp": lambda m, x: x.clamp(-0.5, 0.5),
    "var(1)": lambda m, x: x.var(1),
    "std(1)": lambda m, x: x.std(1),
    "prod(1)": lambda m, x: x.prod(1),
    "cumsum(1)": lambda m, x: x.cumsum(1),
    "max(1).values": lambda m, x: x.max(1).values,
}


def _one(module: Any, op: Callable, data: np.ndarray, w: np.ndarray) -> float:
    x = module.tensor(data, requires_grad=True)
    start = time.perf_counter()
    out = op(module, x)
    (out * module.tensor(w[: out.shape[0]] if out.ndim == 1 else w)).sum().backward()
    return time.perf_counter() - start


def run(repeats: int, size: int, gc_on: bool) -> list[tuple[str, float, float]]:
    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    data = rng.uniform(-0.9, 0.9, size=(size, size))
    w = rng.normal(size=(size, size))
    rows = []
    for name, op in OPS.items():
        ours, theirs = [], []
        _one(ac, op, data, w), _one(torch, op, data, w)  # warm-up, untimed
        for _ in range(repeats):
            if not gc_on:
                gc.collect()
                gc.disable()
            try:
                ours.append(_one(ac, op, data, w))
                theirs.append(_one(torch, op, data, w))
            finally:
                gc.enable()
        rows.append((name, statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("bench_ops: needs torch (pip install torch) as the peer")
    on, off = run(args.repeats, args.size, True), run(args.repeats, args.size, False)
    print(f"forward + backward of sum(op(x) * w), x {args.size}x{args.size} float64, median of {args.repeats}")
    print(f"{'op':<15}{'ours ms':>9}{'torch ms':>10}{'ratio gc on':>13}{'ratio gc off':>14}")
    for (name, a, b), (_, c, d) in zip(on, off):
        print(f"{name:<15}{a:>9.2f}{b:>10.2f}{a / b:>12.2f}x{c / d:>13.2f}x")


if __name__ == "__main__":
    main()
