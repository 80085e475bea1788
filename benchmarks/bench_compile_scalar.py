"""Benchmark: micrograd's Value MLP(2, [16, 16, 1]) on 100 moons points, eager Value step vs compile(batched=True).

Run: python3 benchmarks/bench_compile_scalar.py [--repeats N] [--clock wall|cpu]

Both sides train the same model (nn.scalar.MLP, seed 1) with the hinge loss mean_i relu(1 - y_i s_i)
and SGD (lr 0.05): zero_grad, forward over the batch, backward, step. The eager side builds one
graph of Values over all 100 points (as examples/moons_scalar.py does); the compiled side replays
the per-sample program traced once over arrays of 100. The first losses must agree to 1e-9.
Target from the compile issue: compiled at least 100x faster. Medians over interleaved rounds.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from typing import Callable  # noqa: E402


if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (clock_name, environment_line, parse_args_with_clock, print_table,  # noqa: E402
                               seconds_per_call, use_repo_checkout, verdict)

use_repo_checkout()

import autograd_core as ac  # noqa: E402
import nn  # noqa: E402
from autograd_core import Value  # noqa: E402
from nn.data import make_moons  # noqa: E402
from nn.optim import SGD  # noqa: E402


def sides() -> dict[str, Callable[[], float]]:
    X, y01 = make_moons(100, noise=0.1, seed=0)
    y = 2.0 * y01 - 1.0
    m_e, m_c = nn.scalar.MLP(2, [16, 16, 1], seed=1), nn.scalar.MLP(2, [16, 16, 1], seed=1)
    o_e, o_c = SGD(m_e.parameters(), lr=0.05), SGD(m_c.parameters(), lr=0.05)
    labels = y.tolist()

    def eager() -> float:
        o_e.zero_grad()
        scores = [m_e([Value(float(a), requires_grad=False), Value(float(b), requires_grad=False)]) for a, b in X]
        loss = nn.hinge_loss(scores, labels)
        loss.backward()
        o_e.step()
        return float(loss.data)

    per_sample = ac.compile(lambda x, t: (1.0 - t * m_c(x)).relu(), batched=True, reduction="mean")

    def compiled() -> float:
        o_c.zero_grad()
        loss = per_sample(X, y)
        o_c.step()
        return loss
    return {"eager": eager, "compiled": compiled}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (median reported)")
    args = parse_args_with_clock(parser, argv)
    print(environment_line())
    s = sides()
    for i in range(3):
        a, b = s["eager"](), s["compiled"]()
        if abs(a - b) > 1e-9 * max(1.0, abs(a)):
            raise RuntimeError(f"bench_compile_scalar: step {i}: eager loss {a!r} != compiled {b!r}")
    times: dict[str, list[float]] = {"eager": [], "compiled": []}
    for _ in range(args.repeats):
        for name, step in s.items():
            times[name].append(seconds_per_call(step, 1 if name == "eager" else 50))
    e, c = statistics.median(times["eager"]), statistics.median(times["compiled"])
    print_table(f"Value MLP(2, [16, 16, 1]), 100 moons points, one SGD step, median of {args.repeats} rounds, "
                f"{clock_name()} clock",
                ["row", "eager Value ms", "compiled batched ms", "speed-up", "target", "verdict"],
                [["micrograd", f"{e * 1e3:8.1f}", f"{c * 1e3:8.2f}", f"{e / c:6.0f}x", ">= 100x", verdict(e / c >= 100)]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
