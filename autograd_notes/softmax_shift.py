"""softmax-shift: softmax(x + c) = softmax(x); shifting by c = max x makes softmax and log-sum-exp overflow-free."""
from __future__ import annotations

import warnings

import numpy as np

from autograd_core import Tensor, logsumexp, softmax

from .core import Context, Result


def shifted(x: np.ndarray, c: float) -> np.ndarray:
    """exp(x_i - c - ln sum_j exp(x_j - c)) + c-correction, in plain numpy (to show what a shift buys)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lse = c + np.log(np.exp(x - c).sum())
        return np.exp(x - lse)      # inf - inf or exp(-inf): a wrong or NaN answer when c is badly chosen


def run(ctx: Context) -> Result:
    rng = np.random.default_rng(ctx.seed)
    x = rng.normal(size=5)
    shifts = [-100.0, -1.0, 3.0, 1000.0]
    diffs = [float(np.abs(softmax(Tensor(x + c)).data - softmax(Tensor(x)).data).max()) for c in shifts]
    big = np.array([-1000.0, 0.0, 1000.0])
    choices = {"none": 0.0, "max": big.max(), "min": big.min(), "mean": big.mean()}
    results = {k: shifted(big, c) for k, c in choices.items()}
    exact = np.array([0.0, 0.0, 1.0])                      # e^-2000, e^-1000 underflow to 0 exactly
    ok = {k: bool(np.allclose(r, exact)) for k, r in results.items()}
    t = Tensor(big, requires_grad=True)
    lse = logsumexp(t)
    lse.backward()
    with ctx.figure("softmax_shift") as ax:
        width = 0.25
        ax.bar(np.arange(5) - width, softmax(Tensor(x)).data, width, label="softmax(x)")
        ax.bar(np.arange(5), softmax(Tensor(x + 3.0)).data, width, label="softmax(x + 3)")
        ax.bar(np.arange(5) + width, softmax(Tensor(x + 1000.0)).data, width, label="softmax(x + 1000)")
        ax.set(xlabel="i", ylabel="probability", title="the same distribution for every shift c")
        ax.legend()
    numbers = {"shifts": shifts, "max_difference": diffs, "correct_by_shift": ok,
               "result_by_shift": {k: r.tolist() for k, r in results.items()},
               "logsumexp_big": float(lse.item()), "logsumexp_grad": t.grad.tolist(),
               "engine_softmax_big": softmax(Tensor(big)).data.tolist()}
    lines = [f"x = {np.round(x, 3).tolist()}: max |softmax(x + c) - softmax(x)| for c = {shifts}: "
             + ", ".join(f"{d:.1e}" for d in diffs),
             f"x = {big.tolist()}: exp(x - c - ln sum exp(x - c)) gives softmax correctly with c = "
             + ", ".join(f"{k}: {v}" for k, v in ok.items()),
             "  only c = max x keeps every exponent <= 0 and one term = 1 (so ln gets an argument >= 1)",
             f"  the engine (max-shifted): softmax = {numbers['engine_softmax_big']}, logsumexp = {lse.item()}, "
             f"its gradient = {numbers['logsumexp_grad']}"]
    return Result(numbers, lines)
