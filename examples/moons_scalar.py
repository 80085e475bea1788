"""micrograd's demo on the scalar path: an MLP(2, [16, 16, 1]) of Values learns two moons to 100%.

Exactly micrograd's recipe: 100 two-moons points (noise 0.1), labels -1/+1, max-margin (hinge) loss
mean_i relu(1 - y_i s_i) plus L2 regularization 1e-4 * sum_w w^2, full-batch SGD for 100 steps with
the learning rate decaying as 1.0 - 0.9 k / 100. Every weight is its own Value, so one step builds a
graph of about 100 x 1,000 scalar nodes: slow on purpose, to be read (see moons_tensor.py for speed;
its train_like_micrograd is the training loop both examples run).

Run:  python examples/moons_scalar.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import nn
from autograd_core import Value
from nn.data import make_moons

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # moons_tensor.py, beside this file, holds the training loop both examples run
from moons_tensor import train_like_micrograd  # noqa: E402

STEPS = 100


def _scores(model: nn.scalar.MLP, X: np.ndarray) -> list[Value]:
    return [model([Value(float(a), requires_grad=False), Value(float(b), requires_grad=False)]) for a, b in X]


def main(steps: int = STEPS, seed: int = 1, verbose: bool = True) -> dict:
    """Train and return {"accuracy", "loss", "steps", "first_perfect_step", "seconds", "parameters"}."""
    X, y01 = make_moons(100, noise=0.1, seed=seed)
    y = 2.0 * y01 - 1.0
    model = nn.scalar.MLP(2, [16, 16, 1], seed=seed)
    result = train_like_micrograd(lambda: _scores(model, X), list(model.parameters()), y, steps, verbose)
    if verbose:
        print(f"scalar MLP(2, [16, 16, 1]), {result['parameters']} parameters: training accuracy "
              f"{result['accuracy']:.0%} after {steps} steps ({result['seconds']:.1f} s; first 100% at step "
              f"{result['first_perfect_step']})")
    return result


if __name__ == "__main__":
    main()
