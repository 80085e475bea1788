"""hidden-layer: with more hidden units than inputs (h > n) a net separates circles no linear model can."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def train(X: np.ndarray, y: np.ndarray, hidden: int, steps: int, seed: int):
    """hidden = 0: logistic regression; else 2-hidden-1 with tanh; Adam on the mean BCE."""
    import nn
    from nn.losses import binary_cross_entropy_with_logits

    model = nn.Linear(2, 1, seed=seed) if hidden == 0 else nn.MLP(2, [hidden, 1], activation="tanh", seed=seed)
    opt = nn.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        binary_cross_entropy_with_logits(model(Tensor(X)).reshape(-1), y).backward()
        opt.step()
    return model


def run(ctx: Context) -> Result:
    from nn.data import make_circles

    X, y = make_circles(400, noise=0.08, seed=ctx.seed)
    X_te, y_te = make_circles(400, noise=0.08, seed=ctx.seed + 1)
    widths = [0, 1, 2, 3, 8]
    models = {h: train(X, y.astype(float), h, ctx.pick(300, 1000), ctx.seed) for h in widths}
    acc = {h: round(float(((m(Tensor(X_te)).data.reshape(-1) > 0) == y_te).mean()), 4) for h, m in models.items()}
    with ctx.figure("hidden_layer", len(widths), width=2.8, height=2.9) as axes:
        g1, g2 = np.meshgrid(np.linspace(-1.5, 1.5, 120), np.linspace(-1.5, 1.5, 120))
        grid = Tensor(np.stack([g1.ravel(), g2.ravel()], axis=1))
        for ax, h in zip(axes, widths):
            ax.contourf(g1, g2, models[h](grid).data.reshape(g1.shape) > 0, levels=[-0.5, 0.5, 1.5],
                        colors=["#cfe2f3", "#fce5cd"])
            ax.scatter(*X.T, c=y, cmap="coolwarm", s=4)
            ax.set(title=f"h = {h}: {acc[h]:.0%}", xticks=[], yticks=[])
    numbers = {"hidden_units": widths, "inputs": 2, "test_accuracy": [acc[h] for h in widths]}
    lines = ["two concentric circles (2 inputs); test accuracy by hidden units h (h = 0: no hidden layer):"]
    lines += [f"  h = {h}: {acc[h]:.1%}" + ("   (h < n: a reduction, still one line's worth)" if 0 < h < 2 else "")
              for h in widths]
    return Result(numbers, lines)
