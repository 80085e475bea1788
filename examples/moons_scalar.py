"""micrograd's demo on the scalar path: an MLP(2, [16, 16, 1]) of Values learns two moons to 100%.

Exactly micrograd's recipe: 100 two-moons points (noise 0.1), labels -1/+1, max-margin (hinge) loss
mean_i relu(1 - y_i s_i) plus L2 regularization 1e-4 * sum_w w^2, full-batch SGD for 100 steps with
the learning rate decaying as 1.0 - 0.9 k / 100. Every weight is its own Value, so one step builds a
graph of about 100 x 1,000 scalar nodes: slow on purpose, to be read (see moons_tensor.py for speed).

Run:  python examples/moons_scalar.py
"""
from __future__ import annotations

import time

import numpy as np

import nn
from autograd_core import Value
from nn.data import make_moons
from nn.optim import SGD

STEPS = 100


def _scores(model: nn.scalar.MLP, X: np.ndarray) -> list[Value]:
    return [model([Value(float(a), requires_grad=False), Value(float(b), requires_grad=False)]) for a, b in X]


def _accuracy(scores: list[Value], y: np.ndarray) -> float:
    return float(np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, y)]))


def main(steps: int = STEPS, seed: int = 1, verbose: bool = True) -> dict:
    """Train and return {"accuracy", "loss", "steps", "first_perfect_step", "seconds"}."""
    X, y01 = make_moons(100, noise=0.1, seed=seed)
    y = 2.0 * y01 - 1.0
    model = nn.scalar.MLP(2, [16, 16, 1], seed=seed)
    params = list(model.parameters())
    optimizer = SGD(params, lr=1.0)
    start, first_perfect = time.perf_counter(), None
    for k in range(steps):
        scores = _scores(model, X)
        loss = nn.hinge_loss(scores, y.tolist()) + nn.l2_penalty(params, 2e-4)  # l2_penalty = lam/2 sum w^2
        acc = _accuracy(scores, y)
        if acc == 1.0 and first_perfect is None:
            first_perfect = k
        optimizer.zero_grad()
        loss.backward()
        optimizer.param_groups[0]["lr"] = 1.0 - 0.9 * k / 100
        optimizer.step()
        if verbose and (k % 10 == 0 or k == steps - 1):
            print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {acc:.0%}")
    final = _scores(model, X)
    result = {"accuracy": _accuracy(final, y), "loss": float(loss.data), "steps": steps,
              "first_perfect_step": first_perfect, "seconds": time.perf_counter() - start,
              "parameters": len(params)}
    if verbose:
        print(f"scalar MLP(2, [16, 16, 1]), {len(params)} parameters: training accuracy "
              f"{result['accuracy']:.0%} after {steps} steps ({result['seconds']:.1f} s; first 100% at step "
              f"{first_perfect})")
    return result


if __name__ == "__main__":
    main()
