"""newton: the Hessian technique w <- w - H^-1 grad C converges in a few steps; the notes' two slips do not."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Tensor, grad, hessian

from .core import Context, Result


def data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian blobs with a bias column: logistic regression has a unique minimum."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(-1, 1.2, size=(100, 2)), rng.normal(1, 1.2, size=(100, 2))])
    return np.hstack([np.ones((200, 1)), X]), np.repeat([0.0, 1.0], 100)


def make_cost(X: np.ndarray, y: np.ndarray):
    """C(w) = mean binary cross-entropy of sigmoid(X w), computed from the logits (finite for any w)."""
    from nn.losses import binary_cross_entropy_with_logits

    def cost(w: Tensor) -> Tensor:
        return binary_cross_entropy_with_logits(Tensor(X) @ w, y)
    return cost


def solve(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """H^-1 g, or NaNs once H is singular (a climbing step ends where the sigmoid saturates)."""
    try:
        return np.linalg.solve(H, g)
    except np.linalg.LinAlgError:
        return np.full_like(g, np.nan)


def iterate(cost, step, w0: np.ndarray, steps: int) -> list[float]:
    """C after each of `steps` updates w <- step(w, grad, H)."""
    g, H = grad(cost), hessian(cost)
    w, out = w0.copy(), []
    for _ in range(steps):
        if not np.all(np.isfinite(w)):
            out.append(float("nan"))
            continue
        w = step(w, np.asarray(g(w)), np.asarray(H(w)))
        out.append(float(cost(Tensor(w)).item()) if np.all(np.isfinite(w)) else float("nan"))
    return out


def run(ctx: Context) -> Result:
    X, y = data(ctx.seed)
    cost = make_cost(X, y)
    w0, steps = np.zeros(3), 20
    rules = {
        "newton": lambda w, g, H: w - solve(H, g),          # w - H^-1 grad C
        "gradient_descent": lambda w, g, H: w - 1.0 * g,              # eta = 1
        "notes_no_minus": lambda w, g, H: w + solve(H, g),  # the notes' dw = H^-1 grad C
        "notes_no_inverse": lambda w, g, H: w - H @ g,                # the notes' w - H grad C
    }
    curves = {name: iterate(cost, rule, w0, steps) for name, rule in rules.items()}
    best = min(curves["newton"])
    reach = {name: next((i + 1 for i, c in enumerate(cv) if c - best < 1e-10), None) for name, cv in curves.items()}
    with ctx.figure("newton") as ax:
        for name, cv in curves.items():
            ax.semilogy(range(1, steps + 1), np.array(cv) - best + 1e-16, marker=".", label=name)
        ax.set(xlabel="step", ylabel="C - min C (log)", title="logistic regression, 3 parameters, from w = 0")
        ax.legend()
    initial = float(cost(Tensor(w0)).item())
    numbers: dict[str, Any] = {"initial_loss": round(initial, 6), "min_loss": round(best, 10),
               "loss_after": {k: [float(f"{c:.10g}") for c in (v[0], v[4], v[-1])] for k, v in curves.items()},
               "loss_after_steps": [1, 5, steps], "steps_to_min": reach}
    lines = [f"logistic regression on 200 points (3 parameters), C(0) = {initial:.4f}, min C = {best:.6f}; "
             f"C after steps 1, 5, {steps}:"]
    lines += [f"  {k:17s}: " + ", ".join(f"{c:.6g}" for c in numbers["loss_after"][k])
              + (f"   (within 1e-10 of the minimum after {reach[k]} steps)" if reach[k] else "")
              for k in curves]
    lines.append("  the notes' dw = H^-1 grad C climbs (it needs a minus sign); w - H grad C lacks the inverse")
    return Result(numbers, lines)
