"""Newton's method (the notes' "Hessian technique") against gradient descent on a logistic regression.

The loss is the mean cross-entropy of a logistic model plus an L2 term, which makes it strictly
convex with a unique minimum w*:

    C(w) = -1/n sum_i log softmax([0, x_i . w])[y_i] + lam/2 |w|^2

Newton:            w <- w - H(w)^-1 grad C(w)      (H from `hessian`, quadratic convergence)
Gradient descent:  w <- w - grad C(w) / L          (L bounds the curvature: linear convergence)

Both stop when |grad C(w)| < 1e-8. Run: python examples/newton_logistic.py
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from autograd_core import Tensor, grad, hessian, stack  # noqa: E402

Loss = Callable[[Tensor], Tensor]


@dataclass
class Result:
    """Where a method stopped, after how many steps, with the loss and gradient norm there."""

    w: np.ndarray
    steps: int
    loss: float
    grad_norm: float


def make_data(n: int = 100, d: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points with d features plus a bias column of ones, labels drawn from a logistic model."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, d))
    x = np.hstack([features, np.ones((n, 1))])
    w_true = np.concatenate([np.linspace(1.5, -1.0, d), [0.3]])
    p = 1.0 / (1.0 + np.exp(-(x @ w_true)))
    y = (rng.random(n) < p).astype(np.int64)
    return x, y


def make_loss(x: np.ndarray, y: np.ndarray, lam: float = 0.01) -> Loss:
    """C(w): mean cross-entropy of softmax([0, x.w]) against y, plus lam/2 |w|^2."""
    n = x.shape[0]
    onehot = Tensor(np.eye(2)[y])
    zeros = Tensor(np.zeros(n))
    inputs = Tensor(x)

    def loss(w: Tensor) -> Tensor:
        logits = stack([zeros, inputs @ w], dim=1)
        cross_entropy = -(onehot * logits.log_softmax(dim=1)).sum() * (1.0 / n)
        return cross_entropy + (w * w).sum() * (0.5 * lam)

    return loss


def curvature_bound(x: np.ndarray, lam: float) -> float:
    """L >= largest Hessian eigenvalue: sigmoid' <= 1/4, so H <= X^T X / (4n) + lam I."""
    return float(np.linalg.eigvalsh(x.T @ x / (4.0 * x.shape[0])).max() + lam)


def _result(loss: Loss, w: np.ndarray, steps: int, g: np.ndarray) -> Result:
    return Result(w=w, steps=steps, loss=loss(Tensor(w)).item(), grad_norm=float(np.linalg.norm(g)))


def newton(loss: Loss, w0: np.ndarray, tol: float = 1e-8, max_steps: int = 50) -> Result:
    """Newton steps w <- w - H^-1 g until |g| < tol."""
    w = np.array(w0, dtype=np.float64)
    for steps in range(max_steps + 1):
        g = grad(loss)(w)
        if np.linalg.norm(g) < tol:
            return _result(loss, w, steps, g)
        w = w - np.linalg.solve(hessian(loss)(w), g)
    raise RuntimeError(f"newton: no convergence in {max_steps} steps (|g| = {np.linalg.norm(g):.3g})")


def gradient_descent(loss: Loss, w0: np.ndarray, lr: float, tol: float = 1e-8,
                     max_steps: int = 100_000) -> Result:
    """Steps w <- w - lr g until |g| < tol."""
    w = np.array(w0, dtype=np.float64)
    for steps in range(max_steps + 1):
        g = grad(loss)(w)
        if np.linalg.norm(g) < tol:
            return _result(loss, w, steps, g)
        w = w - lr * g
    raise RuntimeError(f"gradient_descent: no convergence in {max_steps} steps (|g| = {np.linalg.norm(g):.3g})")


def compare(n: int = 100, d: int = 3, lam: float = 0.01, seed: int = 0, tol: float = 1e-8) -> tuple[Result, Result]:
    """Minimize the same loss from w = 0 with both methods."""
    x, y = make_data(n, d, seed)
    loss = make_loss(x, y, lam)
    w0 = np.zeros(x.shape[1])
    return newton(loss, w0, tol), gradient_descent(loss, w0, 1.0 / curvature_bound(x, lam), tol)


def main() -> None:
    by_newton, by_gd = compare()
    print(f"Newton's method:  {by_newton.steps:4d} steps to |grad| = {by_newton.grad_norm:.2e}")
    print(f"gradient descent: {by_gd.steps:4d} steps to |grad| = {by_gd.grad_norm:.2e}")
    print(f"minimum loss {by_newton.loss:.12f} at w = {np.array2string(by_newton.w, precision=8)}")
    print(f"max |w_newton - w_gd| = {np.abs(by_newton.w - by_gd.w).max():.2e}")


if __name__ == "__main__":
    main()
