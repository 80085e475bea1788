"""Benchmark: the scalar Value engine vs micrograd (a 100,000-op graph; the demo MLP training step).

Run: python3 benchmarks/bench_scalar.py [--repeats N] [--only graph|mlp] [--clock wall|cpu]
                                        [--profile]

1. graph: forward + backward of a 100,000-op expression. The graph is 1,000 chains of 99 ops
each (x * w, + b, relu, * w, + b, ** 2, repeating), summed pairwise as a balanced tree (999
adds) and scaled by one weight (1 op): exactly 100,000 recorded
ops, at most ~110 deep, so micrograd's recursive topological sort stays within Python's default
recursion limit. Only ops micrograd 0.1.0 has natively are used (+, * between Values, ** number,
relu; it has no tanh or exp). Both engines get the same leaf values; the root and every leaf
gradient are compared before timing.

2. mlp: micrograd's demo, MLP(2, [16, 16, 1]) on 100 two-moons points: one full training step
(forward over all points, SVM max-margin loss + 1e-4 L2, backward, SGD update), both built from
scalar Values. Ours is micrograd's MLP rebuilt on autograd_core.Value with the same initial
parameters and the same summation order, so both print the same loss.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
from typing import Any, Callable

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (PhaseClock, clock_name, environment_line, fmt_seconds, measure,
                               parse_args_with_clock, print_table, require_micrograd, use_repo_checkout,
                               verdict)

use_repo_checkout()
require_micrograd()

from micrograd.engine import Value as MicroValue  # noqa: E402
from micrograd.nn import MLP as MicroMLP  # noqa: E402

from autograd_core import Value, topological_order  # noqa: E402

N_CHAINS = 1000
CHAIN_OPS = 99
N_PARAMS = 64
PATTERN = ("mul", "add", "relu", "mul", "add", "pow")
TOTAL_OPS = N_CHAINS * CHAIN_OPS + (N_CHAINS - 1) + 1
TARGET = 5.0


def make_leaves(cls: Callable[[float], Any], seed: int = 0) -> tuple[list, list, list]:
    """Inputs x in [0, 1], weights w in [-0.9, 0.9], biases b in [-0.1, 0.1] (values stay bounded)."""
    rng = random.Random(seed)
    xs = [cls(rng.uniform(0.0, 1.0)) for _ in range(N_CHAINS)]
    ws = [cls(rng.uniform(-0.9, 0.9)) for _ in range(N_PARAMS)]
    bs = [cls(rng.uniform(-0.1, 0.1)) for _ in range(N_PARAMS)]
    return xs, ws, bs


def chain(x: Any, i: int, ws: list, bs: list) -> Any:
    """CHAIN_OPS ops applied to x, cycling through PATTERN (the weights used depend on chain i)."""
    t = x
    for k in range(CHAIN_OPS):
        kind = PATTERN[k % len(PATTERN)]
        if kind == "mul":
            t = t * ws[(i + k) % N_PARAMS]
        elif kind == "add":
            t = t + bs[(3 * i + k) % N_PARAMS]
        elif kind == "relu":
            t = t.relu()
        else:
            t = t ** 2
    return t


def pairwise_sum(terms: list) -> Any:
    """Sum by a balanced tree of adds (len(terms) - 1 ops, depth ceil(log2(len)))."""
    while len(terms) > 1:
        paired = [terms[j] + terms[j + 1] for j in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def build(leaves: tuple[list, list, list]) -> Any:
    """The benchmark expression over the given leaves; TOTAL_OPS ops."""
    xs, ws, bs = leaves
    return pairwise_sum([chain(x, i, ws, bs) for i, x in enumerate(xs)]) * ws[0]


def runs_for(gc_on: bool, repeats: int) -> int:
    """Timed runs per setting: all of them with gc on (the target figures), at most 3 with gc off."""
    return repeats if gc_on else min(repeats, 3)


def count_ops_ours(root: Value) -> int:
    """Recorded ops (non-leaf nodes) reachable from root in autograd-core's graph."""
    return sum(1 for n in topological_order(root) if n.op is not None)


def count_ops_micrograd(root: MicroValue) -> int:
    """Recorded ops (nodes with an _op) reachable from root in micrograd's graph, walked iteratively."""
    seen, stack, count = {id(root)}, [root], 0
    while stack:
        v = stack.pop()
        count += v._op != ""
        for p in v._prev:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return count


def check_same_results() -> tuple[int, int, float, float]:
    """Build both graphs once: (ops ours, ops micrograd, root rel. diff, worst leaf-grad diff)."""
    ours, theirs = make_leaves(Value), make_leaves(MicroValue)
    r_ours, r_theirs = build(ours), build(theirs)
    ops = count_ops_ours(r_ours), count_ops_micrograd(r_theirs)
    r_ours.backward()
    r_theirs.backward()
    root_diff = abs(r_ours.data - r_theirs.data) / max(1.0, abs(r_theirs.data))
    grad_diff = max(abs(a.grad - b.grad) / max(1.0, abs(b.grad))
                    for la, lb in zip(ours, theirs) for a, b in zip(la, lb))
    return ops[0], ops[1], root_diff, grad_diff


def timed_run(cls: Callable[[float], Any]) -> Callable[[], dict[str, float]]:
    """A run function for `measure`: fresh leaves, build (forward), backward, each phase timed."""
    def run() -> dict[str, float]:
        leaves = make_leaves(cls)
        clock = PhaseClock()
        root = build(leaves)
        clock.lap("forward")
        root.backward()
        clock.lap("backward")
        return clock.phases
    return run


def report_graph(repeats: int) -> None:
    print("\nbench_scalar graph: forward+backward of a 100,000-op scalar expression graph")
    ops_ours, ops_theirs, root_diff, grad_diff = check_same_results()
    print(f"ops counted in the graphs: autograd-core {ops_ours:,}, micrograd {ops_theirs:,} "
          f"(built: {TOTAL_OPS:,}); {N_CHAINS} chains x {CHAIN_OPS} ops + {N_CHAINS - 1} tree adds + 1")
    print(f"agreement: root rel. diff {root_diff:.1e}, worst leaf-gradient diff {grad_diff:.1e}")
    rows = []
    for gc_on in (True, False):
        n = runs_for(gc_on, repeats)
        ours = measure(timed_run(Value), repeats=n, gc_enabled=gc_on)
        theirs = measure(timed_run(MicroValue), repeats=n, gc_enabled=gc_on)
        label = "gc on " if gc_on else "gc off"
        for phase in ("forward", "backward", "total"):
            ratio = theirs.median(phase) / ours.median(phase)
            target = f">= {TARGET:g}x: {verdict(ratio >= TARGET)}" if gc_on and phase == "total" else "(info)"
            rows.append((f"{label} {phase}", fmt_seconds(ours.median(phase)),
                         fmt_seconds(theirs.median(phase)), f"{ratio:6.2f}x", target))
    print_table(f"median of {repeats} runs with gc on, {runs_for(False, repeats)} with gc off (after 1 "
                f"warm-up), {clock_name()} clock; "
                f"ratio = micrograd time / ours",
                ("phase", "autograd-core", "micrograd", "ratio", "target"), rows)


# ---- 2. micrograd's demo MLP: one training step ---------------------------------------------

N_POINTS = 100
ALPHA = 1e-4


def two_moons(n: int = N_POINTS, noise: float = 0.1, seed: int = 1) -> tuple[list, list]:
    """Two interleaved half circles with Gaussian noise; points as float pairs, labels -1.0 / +1.0."""
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    t_outer = np.linspace(0.0, np.pi, n_outer)
    t_inner = np.linspace(0.0, np.pi, n - n_outer)
    points = np.concatenate([np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
                             np.stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1)])
    labels = np.concatenate([-np.ones(n_outer), np.ones(n - n_outer)])
    points += rng.normal(scale=noise, size=points.shape)
    perm = rng.permutation(n)
    return points[perm].tolist(), labels[perm].tolist()


class OurMLP:
    """micrograd's MLP rebuilt on autograd_core.Value: same parameters, same order of operations."""

    def __init__(self, like: MicroMLP) -> None:
        self.layers = [[([Value(w.data) for w in n.w], Value(n.b.data), n.nonlin) for n in layer.neurons]
                       for layer in like.layers]

    def __call__(self, x: list) -> Any:
        for layer in self.layers:
            out = []
            for w, b, nonlin in layer:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if nonlin else act)
            x = out[0] if len(out) == 1 else out
        return x

    def parameters(self) -> list:
        return [p for layer in self.layers for w, b, _ in layer for p in (*w, b)]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()


def train_step(model: Any, value_cls: Callable[[float], Any], data: tuple[list, list],
               lr: float) -> tuple[float, dict[str, float]]:
    """One step of micrograd's demo (same code for both engines): (loss, phase times)."""
    points, labels = data
    clock = PhaseClock()
    inputs = [[value_cls(a), value_cls(b)] for a, b in points]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    clock.lap("forward")
    model.zero_grad()
    total.backward()
    clock.lap("backward")
    for p in model.parameters():
        p.data -= lr * p.grad
    clock.lap("update")
    return total.data, clock.phases


def stepper(model: Any, value_cls: Callable[[float], Any], data: tuple[list, list],
            losses: list[float]) -> Callable[[], dict[str, float]]:
    """A run function for `measure`: each call is the next training step (demo's learning rate)."""
    def run() -> dict[str, float]:
        lr = 1.0 - 0.9 * len(losses) / 100
        loss, phases = train_step(model, value_cls, data, lr)
        losses.append(loss)
        return phases
    return run


def nn_scalar_mlp(like: MicroMLP) -> Any:
    """nn.scalar.MLP (the library's own teaching MLP) with micrograd's initial parameters, or None
    when nn.scalar is not available."""
    try:
        from nn.scalar import MLP
    except ImportError:
        return None
    model = MLP(2, [16, 16, 1], seed=0)
    for layer, their_layer in zip(model.layers, like.layers):
        for neuron, theirs in zip(layer.neurons, their_layer.neurons):
            for w, tw in zip(neuron.w, theirs.w):
                w.data = float(tw.data)
            neuron.b.data = float(theirs.b.data)
    return model


def measure_mlp(gc_on: bool, repeats: int, data: tuple[list, list]) -> tuple[dict, dict]:
    """Timings {engine: Timing} and losses {engine: [loss per step]} for one gc setting."""
    random.seed(1337)
    theirs_model = MicroMLP(2, [16, 16, 1])
    models = {"ours": OurMLP(theirs_model), "nn.scalar": nn_scalar_mlp(theirs_model),
              "micrograd": theirs_model}
    timings, losses = {}, {}
    for name, model in models.items():
        if model is None:
            continue
        losses[name] = []
        cls = MicroValue if name == "micrograd" else Value
        timings[name] = measure(stepper(model, cls, data, losses[name]), repeats=runs_for(gc_on, repeats),
                                gc_enabled=gc_on)
    return timings, losses


def report_mlp(repeats: int) -> None:
    print(f"\nbench_scalar mlp: MLP(2, [16, 16, 1]) on {N_POINTS} two-moons points, one training step")
    data = two_moons()
    rows, agree = [], {}
    for gc_on in (True, False):
        timings, losses = measure_mlp(gc_on, repeats, data)
        theirs = timings["micrograd"]
        for name in timings:
            diffs = [abs(a - b) for a, b in zip(losses[name], losses["micrograd"])]
            agree[name] = max([agree.get(name, 0.0)] + diffs)
        label = "gc on " if gc_on else "gc off"
        for phase in ("forward", "backward", "update", "total"):
            rows.append(_mlp_row(f"{label} {phase}", timings["ours"], theirs, phase, gc_on))
        if "nn.scalar" in timings:
            rows.append(_mlp_row(f"{label} total, nn.scalar.MLP", timings["nn.scalar"], theirs, "total",
                                 gc_on))
    n_ops = count_ops_ours(_one_loss_graph(data))
    print(f"337 parameters; one step records {n_ops:,} ops; first loss {losses['micrograd'][0]:.6f}; "
          f"worst loss difference vs micrograd over all steps: "
          + ", ".join(f"{k} {v:.1e}" for k, v in agree.items() if k != "micrograd"))
    print_table(f"median of {repeats} steps with gc on, {runs_for(False, repeats)} with gc off (after 1 "
                f"warm-up step), {clock_name()} clock; "
                f"ratio = micrograd time / ours",
                ("phase", "autograd-core", "micrograd", "ratio", "target"), rows)


def _mlp_row(label: str, ours: Any, theirs: Any, phase: str, gc_on: bool) -> tuple:
    ratio = theirs.median(phase) / ours.median(phase)
    target = f">= {TARGET:g}x: {verdict(ratio >= TARGET)}" if gc_on and phase == "total" else "(info)"
    return (label, fmt_seconds(ours.median(phase)), fmt_seconds(theirs.median(phase)), f"{ratio:6.2f}x",
            target)


def _one_loss_graph(data: tuple[list, list]) -> Value:
    """The loss graph of one step, built once for counting its ops."""
    random.seed(1337)
    model = OurMLP(MicroMLP(2, [16, 16, 1]))
    points, labels = data
    scores = [model([Value(a), Value(b)]) for a, b in points]
    data_loss = sum((1 + -yi * si).relu() for yi, si in zip(labels, scores)) * (1.0 / len(scores))
    return data_loss + ALPHA * sum(p * p for p in model.parameters())


def profile_ours(top: int = 15) -> None:
    """cProfile one graph run and one MLP step of autograd-core (hot functions by own time)."""
    import cProfile
    import pstats

    random.seed(1337)
    model, data = OurMLP(MicroMLP(2, [16, 16, 1])), two_moons()
    profiler = cProfile.Profile()
    profiler.runcall(timed_run(Value))
    profiler.runcall(stepper(model, Value, data, []))
    print(f"\ncProfile of one graph run + one MLP step (autograd-core), top {top} by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per engine and gc setting")
    parser.add_argument("--only", choices=("graph", "mlp"), help="run one of the two benchmarks")
    parser.add_argument("--profile", action="store_true", help="cProfile autograd-core instead of timing")
    args = parse_args_with_clock(parser, argv)
    if args.profile:
        profile_ours()
        return
    print(environment_line())
    if args.only in (None, "graph"):
        report_graph(args.repeats)
    if args.only in (None, "mlp"):
        report_mlp(args.repeats)


if __name__ == "__main__":
    main()
