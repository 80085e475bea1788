"""logistic-log-odds: a linear log-odds gives the sigmoid; maximum likelihood is BCE with gradient sum (h - y) x."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result

THETA = np.array([-0.5, 1.5])   # log P(y=1|x) / P(y=0|x) = -0.5 + 1.5 x


def sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    X = np.stack([np.ones(n), x], axis=1)                       # the bias trick: x = [1, x1]
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ THETA))).astype(float)
    return X, y


def nll_and_bce(X: np.ndarray, y: np.ndarray, theta: Tensor) -> tuple[Tensor, Tensor]:
    """-log prod P(y=1|x)^y P(y=0|x)^(1-y)  (a product, then its log) and the BCE sum."""
    h = (Tensor(X) @ theta).sigmoid()
    likelihood = (h ** y * (1 - h) ** (1 - y)).log().sum()
    bce = -(y * h.log() + (1 - y) * (1 - h).log()).sum()
    return -likelihood, bce


def run(ctx: Context) -> Result:
    n = ctx.pick(2000, 20000)
    X, y = sample(n, ctx.seed)
    theta = Tensor(np.zeros(2), requires_grad=True)
    grad_error = 0.0
    for _ in range(ctx.pick(300, 1000)):
        nll, bce = nll_and_bce(X, y, theta)
        theta.zero_grad()
        bce.backward()
        h = 1 / (1 + np.exp(-X @ theta.data))
        grad_error = max(grad_error, float(np.abs(theta.grad - ((h - y) @ X)).max()))  # sum (h - y) x
        theta.data -= (1.0 / n) * theta.grad            # the notes' theta <- theta - eta sum (h - y) x
    nll, bce = nll_and_bce(X, y, theta)
    bins = np.linspace(-3, 3, 13)
    mids, emp = 0.5 * (bins[1:] + bins[:-1]), []
    for lo, hi in zip(bins[:-1], bins[1:]):
        inside = y[(X[:, 1] >= lo) & (X[:, 1] < hi)]
        p = np.clip(inside.mean(), 0.5 / len(inside), 1 - 0.5 / len(inside))   # no log(0) in a bin
        emp.append(np.log(p / (1 - p)))
    with ctx.figure("logistic_log_odds", 2, width=4.6) as (ax1, ax2):
        ax1.plot(mids, emp, "o", label="log(p / (1 - p)) per bin")
        ax1.plot(bins, theta.data[0] + theta.data[1] * bins, label="fitted theta0 + theta1 x")
        ax1.set(xlabel="x", ylabel="log-odds", title="the log-odds is linear in x")
        ax1.legend()
        ax2.plot(mids, 1 / (1 + np.exp(-np.array(emp))), "o", label="fraction y = 1 per bin")
        ax2.plot(bins, 1 / (1 + np.exp(-(theta.data[0] + theta.data[1] * bins))), label="sigmoid(theta.x)")
        ax2.set(xlabel="x", ylabel="P(y = 1 | x)", title="so P(y = 1 | x) is the sigmoid")
        ax2.legend()
    agree_update = float(-(0.9 - 1.0) * 1.0)
    numbers = {"true_theta": [float(v) for v in THETA], "fitted_theta": [round(float(v), 4) for v in theta.data],
               "n": n,
               "nll_minus_bce": float(abs(nll.item() - bce.item())), "max_gradient_error": grad_error,
               "update_when_agree": agree_update}
    lines = [f"{n} samples with log P(y=1|x)/P(y=0|x) = {THETA[0]} + {THETA[1]} x; fitted by the notes' rule "
             f"theta <- theta - eta sum (h - y) x:",
             f"  fitted theta = {numbers['fitted_theta']} (true {numbers['true_theta']})",
             f"  -log likelihood - BCE = {numbers['nll_minus_bce']:.2e}; engine gradient vs sum (h - y) x: "
             f"max difference {grad_error:.2e}",
             "  a correct, confident prediction still moves theta: h = 0.9, y = 1, x = 1 gives "
             f"-(h - y) x = {agree_update:.1f}"]
    return Result(numbers, lines)
