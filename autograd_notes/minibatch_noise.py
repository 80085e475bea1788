"""minibatch-noise: the mini-batch gradient points near the full gradient, closer the larger the batch."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result, cosine
from .data import digits, quadratic_cost, sgd


def flat_grad(model, cost, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """grad C over (X, y) as one vector (C is the mean cost over the rows)."""
    model.zero_grad()
    cost(model(Tensor(X)), y).backward()
    return np.concatenate([p.grad.ravel() for p in model.parameters()])


def run(ctx: Context) -> Result:
    import nn

    X, _, y, _ = digits(ctx.seed)
    model = nn.MLP(64, [30, 10], activation="sigmoid", seed=ctx.seed)
    cost = quadratic_cost(10)
    sgd(model, cost, X, y, epochs=2, lr=3.0, batch_size=10, seed=ctx.seed)   # past the trivial start
    full = flat_grad(model, cost, X, y)
    rng = np.random.default_rng(ctx.seed)
    sizes, draws = [1, 10, 100, 1000], ctx.pick(20, 100)
    cos = {m: [cosine(flat_grad(model, cost, X[i], y[i]), full)
               for i in (rng.choice(len(X), m, replace=False) for _ in range(draws))] for m in sizes}
    mean = [float(np.mean(cos[m])) for m in sizes]
    with ctx.figure("minibatch_noise") as ax:
        ax.boxplot([cos[m] for m in sizes], tick_labels=[str(m) for m in sizes])
        ax.set(xlabel="mini-batch size m", ylabel="cos(mini-batch grad, full grad)",
               title=f"64-30-10 after 2 epochs, {draws} batches per size")
    numbers = {"batch_sizes": sizes, "cosine": [round(c, 4) for c in mean], "draws": draws,
               "cosine_min": [round(float(np.min(cos[m])), 4) for m in sizes]}
    lines = [f"cosine between the mini-batch gradient and the full gradient over {len(X)} inputs "
             f"(mean of {draws} random batches):"]
    lines += [f"  m = {m:5d}: {c:.3f}" for m, c in zip(sizes, mean)]
    lines.append("  (1/m) sum_j grad C_xj estimates (1/n) sum_x grad C_x: the larger m, the closer")
    return Result(numbers, lines)
