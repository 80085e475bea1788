"""backprop-equations: BP1-BP4 and the five-step algorithm, by hand in numpy, against the engine's backward."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result

SIZES = [3, 4, 5, 2]


def sigma(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def backprop(Ws: list, bs: list, x: np.ndarray, y: np.ndarray, prime=lambda z: sigma(z) * (1 - sigma(z))):
    """The notes' algorithm for C = 1/(2n) sum ||y - a^L||^2 over the n columns of x:
    feedforward z^l = W^l a^(l-1) + b^l, a^l = sigma(z^l); BP1 delta^L = (a^L - y)/n * sigma'(z^L);
    BP2 delta^l = ((W^(l+1))^T delta^(l+1)) * sigma'(z^l); BP3 dC/db^l = delta^l; BP4 dC/dW^l = delta^l (a^(l-1))^T."""
    acts, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ acts[-1] + b)
        acts.append(sigma(zs[-1]))
    deltas = [(acts[-1] - y) / x.shape[1] * prime(zs[-1])]
    for k in range(len(Ws) - 2, -1, -1):
        deltas.insert(0, (Ws[k + 1].T @ deltas[0]) * prime(zs[k]))
    return [d @ a.T for d, a in zip(deltas, acts)], [d.sum(axis=1, keepdims=True) for d in deltas], zs


def engine(Ws: list, bs: list, x: np.ndarray, y: np.ndarray, dz: tuple | None = None):
    """The same cost through the engine; dz = (layer, neuron, amount) adds a nudge to one z (the 'demon')."""
    Wt = [Tensor(W, requires_grad=True, label=f"W{k + 1}") for k, W in enumerate(Ws)]
    bt = [Tensor(b, requires_grad=True, label=f"b{k + 1}") for k, b in enumerate(bs)]
    a = Tensor(x, label="x")
    for k, (W, b) in enumerate(zip(Wt, bt)):
        z = W @ a + b
        if dz is not None and dz[0] == k:
            bump = np.zeros(z.shape)
            bump[dz[1]] = dz[2]
            z = z + bump
        a = z.sigmoid()
    cost = ((Tensor(y) - a) ** 2).sum() * (0.5 / x.shape[1])
    cost.backward()
    return cost, Wt, bt


def run(ctx: Context) -> Result:
    rng = np.random.default_rng(ctx.seed)
    Ws = [rng.normal(size=(m, k)) for k, m in zip(SIZES[:-1], SIZES[1:])]
    bs = [rng.normal(size=(m, 1)) for m in SIZES[1:]]
    x, y = rng.normal(size=(3, 6)), rng.uniform(size=(2, 6))
    x[1] = 1e-9                                              # an input that is (nearly) off in every example
    gW, gb, _ = backprop(Ws, bs, x, y)
    cost, Wt, bt = engine(Ws, bs, x, y)
    err_w = max(float(np.abs(g - t.grad).max()) for g, t in zip(gW, Wt))
    err_b = max(float(np.abs(g - t.grad).max()) for g, t in zip(gb, bt))
    slipW, _, _ = backprop(Ws, bs, x, y, prime=sigma)
    slip_rel = float(np.linalg.norm(slipW[0] - gW[0]) / np.linalg.norm(gW[0]))
    eps = 1e-6                                               # delta^1_0 = dC/dz^1_0: nudge z, watch C
    demon = (engine(Ws, bs, x, y, dz=(0, 0, eps))[0].item() - cost.item()) / eps
    hadamard = (Tensor(np.array([1.0, 2.0])) * Tensor(np.array([3.0, 4.0]))).data.tolist()
    ctx.graph(cost, "backprop_equations_graph", view="backward", rankdir="TB",
              title="3-4-5-2 sigmoid net, C = 1/(2n) sum ||y - a||^2: one matmul, add, sigmoid per layer")
    delta1 = gb[0][0, 0]
    numbers = {"max_error_weights": err_w, "max_error_biases": err_b, "hadamard": hadamard,
               "delta_1_0": float(delta1), "demon_dC_over_dz": float(demon),
               "grad_from_off_input": float(np.abs(Wt[0].grad[:, 1]).max()),
               "grad_from_on_inputs": float(np.abs(Wt[0].grad[:, [0, 2]]).max()),
               "notes_step4_relative_error": slip_rel}
    lines = [f"sigmoid net {'-'.join(map(str, SIZES))}, quadratic cost over 6 inputs:",
             f"  BP1-BP4 by hand vs the engine: max |dC/dW| difference {err_w:.1e}, max |dC/db| difference {err_b:.1e}",
             f"  Hadamard (1, 2) o (3, 4) = {hadamard}",
             f"  delta^1_0 = {delta1:.6f}; nudging z^1_0 by {eps} changes C by {demon:.6f} x the nudge",
             f"  BP4 dC/dw = a_in delta_out: weights from an input ~ 0 get |grad| <= "
             f"{numbers['grad_from_off_input']:.1e} (others up to {numbers['grad_from_on_inputs']:.3f})",
             f"  with the notes' step 4 as written (sigma(z) for sigma'(z)) dC/dW^1 is off by {slip_rel:.0%}"]
    return Result(numbers, lines)
