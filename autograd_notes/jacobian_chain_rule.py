"""jacobian-chain-rule: D(f o g o h)(x) = Df(g(h(x))) Dg(h(x)) Dh(x), with the notes' Jacobians of each piece."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, jacobian, softmax

from .core import Context, Result


def run(ctx: Context) -> Result:
    rng = np.random.default_rng(ctx.seed)
    n, h, k = 4, 3, 3
    W1, b1, W2, b2 = rng.normal(size=(h, n)), rng.normal(size=h), rng.normal(size=(k, h)), rng.normal(size=k)
    x = rng.normal(size=n)
    net = lambda t: softmax(Tensor(W2) @ (Tensor(W1) @ t + b1).sigmoid() + b2)  # noqa: E731
    J = jacobian(net)(x)                                                      # (k, n), the whole network
    z1 = W1 @ x + b1
    s1 = 1 / (1 + np.exp(-z1))
    s2 = softmax(Tensor(W2 @ s1 + b2)).data
    D_sigma = np.diag(s1 * (1 - s1))                                          # diag(sigma'(z))
    D_sm = np.diag(s2) - np.outer(s2, s2)                                     # diag(s) - s s^T
    product = D_sm @ W2 @ D_sigma @ W1
    engine_D_sigma = jacobian(lambda t: t.sigmoid())(z1)
    engine_D_sm = jacobian(lambda t: softmax(t))(W2 @ s1 + b2)
    D_x = jacobian(lambda t: Tensor(W1) @ t + b1)(x)                          # = W1
    D_W = jacobian(lambda w: w @ Tensor(x) + b1)(W1).reshape(h, h * n)        # rows [0.. x^T ..0]
    D_b = jacobian(lambda b: Tensor(W1 @ x) + b)(b1)                          # = I
    block = np.kron(np.eye(h), x[None, :])
    shapes = {"d scalar / d vector": list(np.shape(jacobian(lambda t: (t * t).sum())(x))),
              "d vector / d vector": list(J.shape),
              "d vector / d matrix": list(jacobian(lambda w: w @ Tensor(x))(W1).shape)}
    with ctx.figure("jacobian_chain_rule", 5, width=2.3, height=2.6) as axes:
        for ax, (title, M) in zip(axes, [("D softmax", D_sm), ("W2", W2), ("D sigma", D_sigma), ("W1", W1),
                                         ("= D net", product)]):
            ax.imshow(M, cmap="RdBu", vmin=-np.abs(M).max(), vmax=np.abs(M).max())
            ax.set(title=title, xticks=[], yticks=[])
    numbers = {"max_error_chain_rule": float(np.abs(J - product).max()),
               "max_error_D_sigma": float(np.abs(engine_D_sigma - D_sigma).max()),
               "max_error_D_softmax": float(np.abs(engine_D_sm - D_sm).max()),
               "max_error_D_x": float(np.abs(D_x - W1).max()), "max_error_D_W": float(np.abs(D_W - block).max()),
               "max_error_D_b": float(np.abs(D_b - np.eye(h)).max()), "shapes": shapes}
    lines = [f"net(x) = softmax(W2 sigma(W1 x + b1) + b2), x in R^{n}, {h} hidden, {k} outputs:",
             "  jacobian(net) vs D softmax . W2 . diag(sigma') . W1: max difference "
             f"{numbers['max_error_chain_rule']:.1e}",
             f"  D sigma = diag(sigma'(z)) to {numbers['max_error_D_sigma']:.0e}; D softmax = diag(s) - s s^T to "
             f"{numbers['max_error_D_softmax']:.0e}",
             f"  for f = W x + b: D_x f = W to {numbers['max_error_D_x']:.0e}, D_W f = rows of x^T blocks to "
             f"{numbers['max_error_D_W']:.0e}, D_b f = I to {numbers['max_error_D_b']:.0e}",
             "  shapes: " + "; ".join(f"{k}: {v}" for k, v in shapes.items())]
    return Result(numbers, lines)
