"""sign-network: one sign unit over k sign units computes their AND (bias -(k-1)) or their OR (bias k-1)."""
from __future__ import annotations

import itertools

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def sign(z: Tensor) -> Tensor:
    """sign(z) = 2 step(z) - 1 in {-1, +1} (z is never 0 here: the sums are odd integers)."""
    return z.step() * 2 - 1


def gate(G: np.ndarray, bias: float) -> np.ndarray:
    """f(g) = sign(sum_i g_i + bias) for every row g of G."""
    return sign(Tensor(G).sum(axis=1) + bias).data


def run(ctx: Context) -> Result:
    ks = [2, 3, 4, 5, 6]
    and_ok, or_ok, notes_ok = [], [], []
    for k in ks:
        G = np.array(list(itertools.product([-1.0, 1.0], repeat=k)))     # all 2^k inputs
        truth_and = np.where((G > 0).all(axis=1), 1.0, -1.0)
        truth_or = np.where((G > 0).any(axis=1), 1.0, -1.0)
        and_ok.append(float((gate(G, -(k - 1)) == truth_and).mean()))
        or_ok.append(float((gate(G, k - 1) == truth_or).mean()))
        notes_ok.append(float((gate(G, k + 1) == truth_and).mean()))     # the notes' "bias k+1" for AND
    with ctx.figure("sign_network", 2, width=3.8, height=3.6) as axes:
        g1, g2 = np.meshgrid(np.linspace(-1.5, 1.5, 300), np.linspace(-1.5, 1.5, 300))
        P, k = np.stack([g1.ravel(), g2.ravel()], axis=1), 5
        angles = 2 * np.pi * np.arange(k) / k
        inner = np.where(P @ np.stack([np.cos(angles), np.sin(angles)]) < 0.6, 1.0, -1.0)  # g_i = sign(0.6 - n_i.x)
        for ax, (name, units, bias) in zip(axes, (("AND", inner, -(k - 1)), ("OR", -inner, k - 1))):
            ax.contourf(g1, g2, gate(units, bias).reshape(g1.shape), levels=[-2, 0, 2], colors=["white", "#9fc5e8"])
            side = "inner" if name == "AND" else "outer"
            ax.set(title=f"{name} of {k} {side} half-planes: bias {bias}", xticks=[], yticks=[], aspect="equal")
    numbers = {"k": ks, "and_correct": and_ok, "or_correct": or_ok, "notes_bias_and_correct": notes_ok}
    lines = ["a sign unit over k sign units g_i in {-1, +1}, checked on all 2^k inputs:",
             "  k:                             " + "  ".join(f"{k:5d}" for k in ks),
             "  AND = sign(sum g_i - (k - 1)): " + "  ".join(f"{v:5.2f}" for v in and_ok),
             "  OR  = sign(sum g_i + (k - 1)): " + "  ".join(f"{v:5.2f}" for v in or_ok),
             "  the notes' bias k + 1 for AND: " + "  ".join(f"{v:5.2f}" for v in notes_ok) + "  (always +1)"]
    return Result(numbers, lines)
