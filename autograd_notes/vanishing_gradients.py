"""vanishing-gradients: in a deep sigmoid net the early layers' gradients are orders of magnitude smaller."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result
from .data import digits


def bias_grad_norms(activation: str, X: np.ndarray, y: np.ndarray, seeds: range) -> list[float]:
    """|dC/db^l| for each layer l (first layer first) of 64-[30]x5-10, mean over `seeds`, C = softmax CE.

    By BP2 and BP3, dC/db^l = delta^l = ((W^{l+1})^T delta^{l+1}) * sigma'(z^l): each sigmoid layer
    multiplies by sigma' <= 1/4 and by a small weight, so the norms shrink towards the input.
    """
    import nn

    norms = []
    for seed in seeds:
        model = nn.MLP(64, [30] * 5 + [10], activation=activation, seed=seed)
        model.zero_grad()
        nn.cross_entropy(model(Tensor(X)), y).backward()
        norms.append([float(np.linalg.norm(layer.bias.grad)) for layer in model.layers if layer.bias is not None])
    return list(np.mean(norms, axis=0))


def run(ctx: Context) -> Result:
    X, _, y, _ = digits(ctx.seed)
    seeds = range(ctx.seed, ctx.seed + ctx.pick(3, 20))
    sig = bias_grad_norms("sigmoid", X, y, seeds)
    relu = bias_grad_norms("relu", X, y, seeds)
    with ctx.figure("vanishing_gradients") as ax:
        layers = np.arange(1, len(sig) + 1)
        ax.bar(layers - 0.2, sig, width=0.4, label="sigmoid")
        ax.bar(layers + 0.2, relu, width=0.4, label="ReLU")
        ax.set_yscale("log")
        ax.set(xlabel="layer (1 = first hidden)", ylabel="|dC/db| (log scale)",
               title=f"64-[30]x5-10 on digits, mean of {len(seeds)} initializations")
        ax.legend()
    numbers = {"layers": [f"layers.{i}" for i in range(len(sig))],
               "layer_grad_norms_sigmoid": [float(f"{v:.4g}") for v in sig],
               "layer_grad_norms_relu": [float(f"{v:.4g}") for v in relu],
               "ratio_last_to_first_sigmoid": sig[-1] / sig[0], "ratio_last_to_first_relu": relu[-1] / relu[0]}
    lines = ["bias gradient norm per layer of a 64-[30]x5-10 net on digits (first hidden layer first):",
             "  sigmoid: " + "  ".join(f"{v:.2e}" for v in sig),
             "  ReLU:    " + "  ".join(f"{v:.2e}" for v in relu),
             f"  last/first: sigmoid {sig[-1] / sig[0]:.3g}x, ReLU {relu[-1] / relu[0]:.3g}x "
             "(each sigmoid layer multiplies by sigma' <= 1/4)"]
    return Result(numbers, lines)
