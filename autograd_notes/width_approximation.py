"""width-approximation: one hidden layer approximates a 1-Lipschitz function, better the wider it is."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def target(X: np.ndarray) -> np.ndarray:
    """f(x) = mean_i |sin(pi x_i)| / pi: 1-Lipschitz on [-1, 1]^m (|f(u) - f(v)| <= |u - v|), values in [0, 1]."""
    return np.abs(np.sin(np.pi * X)).mean(axis=1) / np.pi


def fit(m: int, width: int, steps: int, seed: int) -> float:
    """Train an m-width-1 ReLU net on 512 random points; the largest error on a test grid.

    Each hidden unit starts as a kink relu(d.(x - c)) with a random unit direction d through a random
    point c of the cube (the grid argument: kinks spread over the domain), then Adam trains all weights.
    """
    import nn

    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(512, m))
    y = target(X)
    model = nn.MLP(m, [width, 1], activation="relu", seed=seed)
    d = rng.normal(size=(width, m))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    c = rng.uniform(-1, 1, size=(width, m))
    first = model.layers[0]
    first.weight.data[...] = d
    if first.bias is not None:
        first.bias.data[...] = -(d * c).sum(axis=1)
    opt = nn.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        ((model(Tensor(X)).reshape(-1) - y) ** 2).mean().backward()
        opt.step()
    axes = np.meshgrid(*[np.linspace(-1, 1, 101 if m == 1 else 41)] * m)
    G = np.stack([a.ravel() for a in axes], axis=1)
    return float(np.abs(model(Tensor(G)).data.reshape(-1) - target(G)).max())


def run(ctx: Context) -> Result:
    widths = [2, 4, 8, 16, 32, 64] if not ctx.quick else [2, 8, 32]
    steps = ctx.pick(500, 1500)
    errors = {m: [fit(m, w, steps, ctx.seed) for w in widths] for m in (1, 2)}
    eps = [0.1, 0.05, 0.01]
    grid_units = {str(e): [int(round((2 / e) ** m)) for m in (1, 2, 3, 4)] for e in eps}
    with ctx.figure("width_approximation") as ax:
        for m, errs in errors.items():
            ax.loglog(widths, errs, "o-", label=f"m = {m}")
        ax.set_xticks(widths, [str(w) for w in widths])
        ax.tick_params(axis="x", which="minor", bottom=False, labelbottom=False)
        ax.set(xlabel="hidden units", ylabel="max |net - f| on a grid",
               title="f(x) = mean |sin(pi x_i)| / pi on [-1, 1]^m")
        ax.legend()
    numbers = {"widths": widths, "max_error_1d": [round(e, 4) for e in errors[1]],
               "max_error_2d": [round(e, 4) for e in errors[2]], "steps": steps,
               "grid_cells_for_precision": grid_units, "grid_dimensions": [1, 2, 3, 4]}
    lines = [f"one hidden ReLU layer, trained {steps} Adam steps on 512 points; largest error on a grid:"]
    lines += [f"  m = {m}: " + ", ".join(f"width {w}: {e:.3f}" for w, e in zip(widths, errs))
              for m, errs in errors.items()]
    lines.append("  a grid of cells of side eps covering [-1, 1]^m has (2/eps)^m cells, one unit-group each: "
                 + "; ".join(f"eps {e}: {v}" for e, v in grid_units.items()) + " for m = 1..4")
    return Result(numbers, lines)
