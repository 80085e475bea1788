"""Benchmark: one nn training step (forward, backward, optimizer update) against PyTorch CPU, side by side.

Run: python3 benchmarks/bench_nn.py [--repeats N] [--steps K] [--only NAME] [--clock wall|cpu] [--profile NAME]

Each row builds the same model twice, ours (nn) and torch's, with the same initial weights (copied
from ours), the same data and dtype, the same loss and plain SGD (lr 0.01); both sides run one
thread (torch.set_num_threads(1); numpy's BLAS limited to 1 thread through the environment before
numpy loads). A step is zero_grad, forward, loss, backward, optimizer.step. After a warm-up, the
two sides alternate: each of `repeats` rounds times K consecutive steps of ours, then K of torch's,
and the table reports the median time per step and ours / torch. Targets from the nn issue:

  moons-f64 / moons-f32   MLP 2-16-16-1, 100 two-moons points, hinge loss        target 1.0x
  mlp64                   MLP 64-128-10, batch 64, cross-entropy, float32        target 1.0x
  mlp784                  MLP 784-256-10, batch 128, cross-entropy, float32      target 1.1x
  rnn                     Elman RNN (tanh) input 16, hidden 32, 20 steps, batch 8,
                          loss mean(h_T^2), backprop through time; torch side is a
                          loop of torch.nn.RNNCell (float64)                     target 1.0x

Before timing, the first three steps of both sides must give the same losses (checked; rtol 1e-4).
Rows needing torch print "torch not installed" when it is absent. --profile NAME runs cProfile over
our side of one row and prints where the time goes.
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread, like torch.set_num_threads(1); before numpy loads

import argparse  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (clock_name, environment_line, parse_args_with_clock, print_table,  # noqa: E402
                               seconds_per_call, sgd_step, use_repo_checkout, verdict)

use_repo_checkout()

import nn  # noqa: E402
from autograd_core import Tensor  # noqa: E402
from nn.data import make_moons  # noqa: E402
from nn.optim import SGD  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the torch rows are skipped
    torch = None

LR = 0.01
Step = Callable[[], Any]


@dataclass
class Case:
    """One row: a description, the target ratio, and builders of our step and torch's step."""

    name: str
    what: str
    target: float
    ours: Callable[[], Step]
    theirs: Callable[[], Step] | None


# ---- data --------------------------------------------------------------------------------------


def _moons(dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_moons(100, noise=0.1, seed=0)
    return X.astype(dtype), (2.0 * y - 1.0).astype(dtype)


def _classes(n: int, d: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, d)).astype(np.float32), rng.integers(0, k, size=n)


def _sequence() -> np.ndarray:
    return np.random.default_rng(0).standard_normal((20, 8, 16))


# ---- our side ----------------------------------------------------------------------------------


def _our_step(model: nn.Module, loss_of: Callable[[], Tensor]) -> Step:
    return sgd_step(SGD(model.parameters(), lr=LR), loss_of)


def ours_mlp(sizes: list[int], X: np.ndarray, y: np.ndarray, loss: str) -> tuple[nn.MLP, Step]:
    model = nn.MLP(X.shape[1], sizes, seed=0, dtype=X.dtype)
    x = Tensor(X)
    if loss == "hinge":
        return model, _our_step(model, lambda: nn.hinge_loss(model(x).reshape(-1), y))
    return model, _our_step(model, lambda: nn.cross_entropy(model(x), y))


def ours_rnn(X: np.ndarray) -> tuple[nn.RNN, Step]:
    model = nn.RNN(16, 32, seed=0)
    x = Tensor(X)

    def loss() -> Tensor:
        _, h = model(x)
        return (h * h).mean()
    return model, _our_step(model, loss)


# ---- torch's side ------------------------------------------------------------------------------


def _torch_step(params: list, loss_of: Callable[[], Any]) -> Step:
    return sgd_step(torch.optim.SGD(params, lr=LR), loss_of)


def torch_mlp(ours: nn.MLP, X: np.ndarray, y: np.ndarray, loss: str) -> Step:
    layers: list = []
    for i, lin in enumerate(ours.layers):
        t = torch.nn.Linear(lin.in_features, lin.out_features, dtype=torch.from_numpy(X).dtype)
        with torch.no_grad():
            t.weight.copy_(torch.from_numpy(lin.weight.data))
            t.bias.copy_(torch.from_numpy(lin.bias.data))
        layers += [t, torch.nn.ReLU()] if i < len(ours.layers) - 1 else [t]
    model = torch.nn.Sequential(*layers)
    x, target = torch.from_numpy(X), torch.from_numpy(y)
    if loss == "hinge":
        return _torch_step(list(model.parameters()), lambda: torch.relu(1.0 - model(x).reshape(-1) * target).mean())
    return _torch_step(list(model.parameters()), lambda: F.cross_entropy(model(x), target))


def torch_rnn(ours: nn.RNN, X: np.ndarray) -> Step:
    cell = torch.nn.RNNCell(16, 32, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(torch.from_numpy(getattr(ours.cell, name).data))
    x = torch.from_numpy(X)

    def loss() -> Any:
        h = torch.zeros(8, 32, dtype=torch.float64)
        for t in range(x.shape[0]):
            h = cell(x[t], h)
        return (h * h).mean()
    return _torch_step(list(cell.parameters()), loss)


# ---- the rows ----------------------------------------------------------------------------------


def _mlp_case(name: str, what: str, target: float, sizes: list[int], data: Callable, loss: str) -> Case:
    built: dict[str, Any] = {}

    def ours() -> Step:
        built["X"], built["y"] = data()
        built["model"], step = ours_mlp(sizes, built["X"], built["y"], loss)
        return step

    def theirs() -> Step:
        return torch_mlp(built["model"], built["X"], built["y"], loss)
    return Case(name, what, target, ours, theirs if torch is not None else None)


def _rnn_case() -> Case:
    built: dict[str, Any] = {}

    def ours() -> Step:
        built["X"] = _sequence()
        built["model"], step = ours_rnn(built["X"])
        return step

    def theirs() -> Step:
        return torch_rnn(built["model"], built["X"])
    return Case("rnn", "Elman RNN 16->32, T=20, batch 8, BPTT, f64 (torch: RNNCell loop)", 1.0, ours,
                theirs if torch is not None else None)


def cases() -> list[Case]:
    return [
        _mlp_case("moons-f64", "MLP 2-16-16-1, 100 moons, hinge, f64", 1.0, [16, 16, 1],
                  lambda: _moons(np.float64), "hinge"),
        _mlp_case("moons-f32", "MLP 2-16-16-1, 100 moons, hinge, f32", 1.0, [16, 16, 1],
                  lambda: _moons(np.float32), "hinge"),
        _mlp_case("mlp64", "MLP 64-128-10, batch 64, cross-entropy, f32", 1.0, [128, 10],
                  lambda: _classes(64, 64, 10), "ce"),
        _mlp_case("mlp784", "MLP 784-256-10, batch 128, cross-entropy, f32", 1.1, [256, 10],
                  lambda: _classes(128, 784, 10), "ce"),
        _rnn_case(),
    ]


# ---- timing ------------------------------------------------------------------------------------


def check_same_losses(case: Case, ours: Step, theirs: Step, steps: int = 3) -> None:
    """The first steps of both sides must give the same losses (same model, data and update)."""
    for i in range(steps):
        a, b = float(ours().data), float(theirs().item())
        if not np.isclose(a, b, rtol=1e-4, atol=1e-6):
            raise RuntimeError(f"bench_nn: row {case.name}: step {i} loss {a!r} (ours) != {b!r} (torch)")


def time_pair(ours: Step, theirs: Step | None, repeats: int, k: int, warmup: int) -> tuple[float, float | None]:
    """Median seconds per step of each side over `repeats` alternating rounds of k steps."""
    for _ in range(warmup):
        ours()
        if theirs is not None:
            theirs()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        gc.collect()
        a.append(seconds_per_call(ours, k))
        if theirs is not None:
            gc.collect()
            b.append(seconds_per_call(theirs, k))
    return statistics.median(a), (statistics.median(b) if b else None)


def run(selected: list[Case], repeats: int, k: int, warmup: int) -> list[list[str]]:
    rows = []
    for case in selected:
        ours = case.ours()
        theirs = case.theirs() if case.theirs is not None else None
        if theirs is not None:
            check_same_losses(case, ours, theirs)
        t_ours, t_torch = time_pair(ours, theirs, repeats, k, warmup)
        if t_torch is None:
            rows.append([case.name, case.what, f"{t_ours * 1e6:9.1f}", "torch not installed", "-",
                         f"{case.target:.1f}x", "-"])
            continue
        ratio = t_ours / t_torch
        rows.append([case.name, case.what, f"{t_ours * 1e6:9.1f}", f"{t_torch * 1e6:9.1f}", f"{ratio:5.2f}x",
                     f"{case.target:.1f}x", verdict(ratio <= case.target)])
    return rows


def profile(case: Case, steps: int, top: int = 25) -> None:
    """cProfile our side of one row for `steps` steps and print the most expensive functions."""
    step = case.ours()
    for _ in range(5):
        step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    print(f"\ncProfile of our side of '{case.name}' ({case.what}), {steps} steps, sorted by own time:")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="alternating timing rounds (median reported)")
    parser.add_argument("--steps", type=int, default=50, help="training steps per timing round")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps per side first")
    parser.add_argument("--only", action="append", help="run only this row (repeatable)")
    parser.add_argument("--profile", help="cProfile our side of this row instead of timing")
    args = parse_args_with_clock(parser, argv)
    all_cases = {c.name: c for c in cases()}
    unknown = [n for n in (args.only or []) + ([args.profile] if args.profile else []) if n not in all_cases]
    if unknown:
        parser.error(f"unknown row {unknown[0]!r}; rows: {', '.join(all_cases)}")
    if args.profile:
        profile(all_cases[args.profile], args.steps * 4)
        return 0
    print(environment_line())
    if torch is not None:
        torch.set_num_threads(1)
        print(f"torch {torch.__version__}, {torch.get_num_threads()} thread; numpy {np.__version__}, "
              f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    else:
        print("torch is not installed: only our times are printed")
    selected = [all_cases[n] for n in args.only] if args.only else list(all_cases.values())
    rows = run(selected, args.repeats, args.steps, args.warmup)
    print_table(f"nn training step (zero_grad, forward, loss, backward, SGD step): median of {args.repeats} x "
                f"{args.steps} steps, {clock_name()} clock",
                ["row", "what", "ours us/step", "torch us/step", "ratio", "target", "verdict"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
