"""zero-one-loss: the count of misclassified samples is piecewise constant, so its gradient is zero."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def losses(X: np.ndarray, y: np.ndarray, theta: Tensor) -> tuple[Tensor, Tensor]:
    """E(theta) = #{y = 0, theta.x > 0} + #{y = 1, theta.x < 0} (through the step op) and the BCE sum."""
    s = Tensor(X) @ theta
    predicted = s.step()                                  # 1 if theta.x > 0 else 0
    zero_one = (predicted * (1 - y) + (1 - predicted) * y).sum()
    p = s.sigmoid()
    bce = -(y * p.log() + (1 - y) * (1 - p).log()).sum()
    return zero_one, bce


def run(ctx: Context) -> Result:
    rng = np.random.default_rng(ctx.seed)
    X = np.hstack([np.ones((100, 1)), np.vstack([rng.normal(-1, 1, (50, 2)), rng.normal(1, 1, (50, 2))])])
    y = np.repeat([0.0, 1.0], 50)
    theta = Tensor(np.array([0.3, 0.5, -0.2]), requires_grad=True)
    e01, bce = losses(X, y, theta)
    e01.backward(retain_graph=True)                      # bce shares the graph of theta.x
    g01 = theta.grad.copy()
    theta.zero_grad()
    bce.backward()
    gbce = theta.grad.copy()
    ts = np.linspace(-3, 3, 601)
    direction = np.array([0.0, 1.0, 1.0])
    along = [[float(v.item()) for v in losses(X, y, Tensor(theta.data + t * direction))] for t in ts]
    e_line, bce_line = np.array(along).T
    eps = 1e-6
    fd = [(losses(X, y, Tensor(theta.data + eps * d))[0].item() - e01.item()) / eps for d in np.eye(3)]
    with ctx.figure("zero_one_loss", 2, width=4.6) as (ax1, ax2):
        ax1.step(ts, e_line, where="mid")
        ax1.set(xlabel="t", ylabel="E(theta + t d)  (# misclassified)", title="0-1 loss: flat steps")
        ax2.plot(ts, bce_line, color="tab:orange")
        ax2.set(xlabel="t", ylabel="binary cross-entropy", title="BCE: smooth, useful gradient")
    numbers = {"zero_one_loss": e01.item(), "gradient": [float(v) for v in g01],
               "gradient_norm": float(np.linalg.norm(g01)), "finite_difference": [float(v) for v in fd],
               "bce_gradient_norm": round(float(np.linalg.norm(gbce)), 6),
               "distinct_values_along_line": int(len(np.unique(e_line))), "points_along_line": len(ts)}
    lines = [f"100 points, theta = {[float(v) for v in theta.data]}: E = {e01.item():.0f} misclassified",
             f"  dE/dtheta by the engine (step' = 0): {numbers['gradient']}; "
             f"by finite differences: {numbers['finite_difference']}",
             f"  along a line through theta E takes only {numbers['distinct_values_along_line']} values "
             f"at {len(ts)} points",
             f"  the binary cross-entropy has |gradient| = {numbers['bce_gradient_norm']:.4f} there: "
             "gradient descent can use it"]
    return Result(numbers, lines)
