"""micrograd's demo on Tensors: nn.MLP(2, [16, 16, 1]) learns two moons to 100% training accuracy.

The same recipe as moons_scalar.py (100 points, noise 0.1, labels -1/+1, hinge loss + 1e-4 sum w^2,
100 full-batch SGD steps with learning rate 1.0 - 0.9 k / 100), but each layer is one matmul over
the whole batch, so a step costs ~20 graph nodes instead of ~100,000. Same initial weights as moons_scalar.py.

Run:  python examples/moons_tensor.py [--plot boundary.png]
"""
from __future__ import annotations

import argparse
import time
from typing import Any, Callable

import numpy as np

import nn
from autograd_core import Tensor
from nn.data import make_moons
from nn.optim import SGD
from nn.plot import plot_decision_boundary

STEPS = 100


def micrograd_init(model: nn.MLP, seed: int) -> None:
    """micrograd's initialization: weights ~ U(-1, 1), biases 0, drawn from default_rng(seed) layer by
    layer, row by row: the same numbers nn.scalar.MLP(..., seed=seed) gives its Neurons, so both
    examples train the very same network. (PyTorch's default init, weights ~ U(+-1/sqrt(fan_in)),
    starts smaller and needs more than 100 steps on this recipe.)"""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        layer.weight.data[...] = rng.uniform(-1.0, 1.0, size=layer.weight.shape)
        layer.bias.data[...] = 0.0


def accuracy(scores: Any, y: np.ndarray) -> float:
    """The fraction of points on the right side (score > 0 where y = +1); scores: a Tensor or a list of Values."""
    s = np.array([v.data for v in scores]) if isinstance(scores, list) else scores.data
    return float(np.mean((s.reshape(-1) > 0) == (y > 0)))


def train_like_micrograd(forward: Callable[[], Any], params: list, y: np.ndarray, steps: int,
                         verbose: bool) -> dict:
    """micrograd's loop, which moons_scalar.py runs too: `steps` full-batch SGD steps on hinge loss plus
    l2_penalty(params, 2e-4) = 1e-4 sum w^2, with lr = 1.0 - 0.9 k / 100 at step k. forward() gives
    the scores (a Tensor with one score per point, or a list of Values). Returns {"accuracy", "loss",
    "steps", "first_perfect_step", "seconds", "parameters"}."""
    optimizer = SGD(params, lr=1.0)
    start, first_perfect = time.perf_counter(), None
    for k in range(steps):
        scores = forward()
        loss = nn.hinge_loss(scores, y) + nn.l2_penalty(params, 2e-4)
        acc = accuracy(scores, y)
        if acc == 1.0 and first_perfect is None:
            first_perfect = k
        optimizer.zero_grad()
        loss.backward()
        optimizer.param_groups[0]["lr"] = 1.0 - 0.9 * k / 100
        optimizer.step()
        if verbose and (k % 10 == 0 or k == steps - 1):
            print(f"step {k:3d}  loss {float(loss.data):.4f}  accuracy {acc:.0%}")
    return {"accuracy": accuracy(forward(), y), "loss": float(loss.data), "steps": steps,
            "first_perfect_step": first_perfect, "seconds": time.perf_counter() - start,
            "parameters": sum(np.size(p.data) for p in params)}


def main(steps: int = STEPS, seed: int = 1, plot: str | None = None, verbose: bool = True) -> dict:
    """Train and return {"accuracy", "loss", "first_perfect_step", "seconds", ...}."""
    X, y01 = make_moons(100, noise=0.1, seed=seed)
    Xt, y = Tensor(X), 2.0 * y01 - 1.0
    model = nn.MLP(2, [16, 16, 1])
    micrograd_init(model, seed)
    result = train_like_micrograd(lambda: model(Xt).reshape(-1), list(model.parameters()), y, steps, verbose)
    if plot:
        plot_decision_boundary(model, X, y01, plot)
    if verbose:
        print(f"tensor MLP(2, [16, 16, 1]), {result['parameters']} parameters: training accuracy "
              f"{result['accuracy']:.0%} after {steps} steps ({result['seconds']:.2f} s; first 100% at "
              f"step {result['first_perfect_step']})" + (f"; decision boundary saved to {plot}" if plot else ""))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", help="save the decision boundary to this .png or .svg file")
    main(plot=parser.parse_args().plot)
