"""binary-entropy: C(a) = -[y ln a + (1 - y) ln(1 - a)] is smallest at a = y, where it is the binary entropy H(y)."""
from __future__ import annotations

import numpy as np

from autograd_core import Value

from .core import Context, Result


def minimise(y: float, steps: int = 400, eta: float = 2.0) -> tuple[float, float]:
    """Gradient descent on the logit z of a = sigma(z): the a and the C it ends at."""
    z = 0.0
    for _ in range(steps):
        v = Value(z)
        a = v.sigmoid()
        c = -(a.log() * y + (1 - a).log() * (1 - y))
        c.backward()
        z -= eta * v.grad
    a = 1 / (1 + np.exp(-z))
    return float(a), float(-(y * np.log(a) + (1 - y) * np.log(1 - a)))


def entropy(y: float) -> float:
    return float(-(y * np.log(y) + (1 - y) * np.log(1 - y))) if 0 < y < 1 else 0.0


def run(ctx: Context) -> Result:
    targets = [0.1, 0.3, 0.5, 0.9]
    found = [minimise(y) for y in targets]
    with ctx.figure("binary_entropy") as ax:
        a = np.linspace(0.005, 0.995, 400)
        for y, (a_min, c_min) in zip(targets, found):
            ax.plot(a, -(y * np.log(a) + (1 - y) * np.log(1 - a)), label=f"y = {y}")
            ax.plot(a_min, c_min, "k.")
        ax.set(xlabel="output a", ylabel="C", ylim=(0, 3), title="the minimum of each curve is H(y), at a = y")
        ax.legend()
    numbers = {"targets": targets, "argmin": [round(a, 6) for a, _ in found],
               "min_cost": [round(c, 6) for _, c in found], "binary_entropy": [round(entropy(y), 6) for y in targets]}
    lines = ["cross-entropy C(a) = -[y ln a + (1 - y) ln(1 - a)] minimised over a by gradient descent:"]
    lines += [f"  y = {y}: a = {a:.4f}, min C = {c:.4f}, H(y) = {entropy(y):.4f}" for y, (a, c) in zip(targets, found)]
    lines.append("  so C ~ 0 needs y in {0, 1}; for other y the floor is H(y) > 0 (and sum p ln q needs a minus sign)")
    return Result(numbers, lines)
