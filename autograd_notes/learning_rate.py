"""learning-rate: gradient descent with a too small rate crawls, a good one converges, a too large one diverges."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def problem(seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Linear regression with two correlated features; C(w) = mean (Xw - y)^2, its Hessian 2 X^T X / n,
    whose largest eigenvalue L sets the limit: gradient descent diverges for eta > 2 / L."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(200, 2)) @ np.array([[1.0, 0.6], [0.0, 0.5]])
    y = X @ np.array([2.0, -1.0]) + 0.1 * rng.normal(size=200)
    L = float(np.linalg.eigvalsh(2 * X.T @ X / len(X)).max())
    return X, y, L


def descend(X: np.ndarray, y: np.ndarray, eta: float, steps: int) -> tuple[list[float], np.ndarray]:
    """Losses after each of `steps` updates w <- w - eta grad C from w = 0, and the path of w."""
    w = Tensor(np.zeros(2), requires_grad=True)
    losses, path = [], [w.data.copy()]
    for _ in range(steps):
        loss = ((Tensor(X) @ w - y) ** 2).mean()
        w.zero_grad()
        loss.backward()
        w.data -= eta * w.grad
        losses.append(float(((X @ w.data - y) ** 2).mean()))
        path.append(w.data.copy())
    return losses, np.array(path)


def run(ctx: Context) -> Result:
    X, y, L = problem(ctx.seed)
    rates = [round(0.02 / L, 4), round(1.0 / L, 4), round(2.2 / L, 4)]
    names = ["too small", "good", "too large"]
    steps = 30
    runs = [descend(X, y, eta, steps) for eta in rates]
    with ctx.figure("learning_rate", 2, width=4.6) as (ax1, ax2):
        for (losses, _), eta, name in zip(runs, rates, names):
            ax1.semilogy(range(1, steps + 1), losses, label=f"eta={eta} ({name})")
        ax1.set(xlabel="step", ylabel="loss (log)", title=f"2/L = {2 / L:.3f}: beyond it, divergence")
        ax1.legend()
        g1, g2 = np.meshgrid(np.linspace(-1, 4, 120), np.linspace(-3, 2, 120))
        grid = np.stack([g1.ravel(), g2.ravel()], axis=1)
        ax2.contour(g1, g2, ((grid @ X.T - y) ** 2).mean(axis=1).reshape(g1.shape), levels=20, linewidths=0.6)
        for (_, path), name in zip(runs, names):
            ax2.plot(*path[:8].T, marker=".", label=name)
        ax2.set(xlabel="w1", ylabel="w2", title="the first 7 steps on the contours of C", xlim=(-1, 4), ylim=(-3, 2))
        ax2.legend(loc="lower left")
    final = [float(f"{r[0][-1]:.6g}") for r in runs]
    numbers = {"rates": rates, "final_loss": final, "steps": steps, "divergence_rate": round(2 / L, 4),
               "initial_loss": round(float((y ** 2).mean()), 4)}
    lines = [f"linear regression, C = mean (Xw - y)^2, {steps} steps of w <- w - eta grad C from w = 0 "
             f"(C = {numbers['initial_loss']}); the largest curvature L = {L:.3f}, "
             f"so eta > 2/L = {2 / L:.3f} diverges:"]
    lines += [f"  eta = {eta:<7} ({name:9s}): loss {f:.4g}" for eta, name, f in zip(rates, names, final)]
    return Result(numbers, lines)
