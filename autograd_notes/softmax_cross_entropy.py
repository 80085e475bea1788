"""softmax-cross-entropy: softmax makes k scores probabilities (not elementwise); with cross-entropy dL/dv = o - y."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, Value, jacobian, log_softmax, softmax

from .core import Context, Result

V, LABEL = np.array([2.0, 1.0, -1.0]), 0


def scalar_graph(ctx: Context) -> None:
    """The graph of L = -log o_y with o_j = exp(v_j) / sum_k exp(v_k), one Value per number: every
    v_i reaches L through the sum, so dL/dv_i = o_i - y_i collects two kinds of path."""
    v = [Value(x, label=f"v{i}") for i, x in enumerate(V)]
    e = [vi.exp() for vi in v]
    total = e[0] + e[1] + e[2]
    total.label = "sum exp"
    o = e[LABEL] / total
    o.label = f"o{LABEL}"
    L = -o.log()
    L.label = "L"
    L.backward()
    ctx.graph(L, "softmax_cross_entropy_graph", view="backward",
              title=f"L = -log softmax(v)_{LABEL}: dL/dv = o - y = " + ", ".join(f"{vi.grad:.4f}" for vi in v))


def run(ctx: Context) -> Result:
    o = softmax(Tensor(V)).data
    y = np.eye(3)[LABEL]
    v = Tensor(V, requires_grad=True)
    (-log_softmax(v)[LABEL]).backward()
    J = jacobian(lambda t: softmax(t))(V)                         # d o_j / d v_i
    J_log = jacobian(lambda t: log_softmax(t))(V)                  # d log o_i / d v_j
    notes_log = o[:, None] * (-np.eye(3) - o[None, :])             # the notes' softmax (-delta - softmax)
    lse = np.log(np.exp(V).sum())
    rng = np.random.default_rng(ctx.seed)                          # a softmax layer on a batch
    A, W, b, labels = rng.normal(size=(5, 4)), Tensor(rng.normal(size=(3, 4)), requires_grad=True), \
        Tensor(np.zeros(3), requires_grad=True), np.array([0, 2, 1, 1, 0])
    logits = Tensor(A) @ W.T + b
    (-log_softmax(logits, axis=1)[np.arange(5), labels]).sum().backward()
    P = softmax(Tensor(A @ W.data.T)).data - np.eye(3)[labels]     # h_j(x) - 1(y = j)
    scalar_graph(ctx)
    numbers = {"softmax": o.round(6).tolist(), "sum": float(o.sum()),
               "max_error_o_minus_y": float(np.abs(v.grad - (o - y)).max()),
               "jacobian_offdiagonal_max": float(np.abs(J - np.diag(np.diag(J))).max()),
               "max_error_jacobian": float(np.abs(J - (np.diag(o) - np.outer(o, o))).max()),
               "max_error_log_softmax_jacobian": float(np.abs(J_log - (np.eye(3) - o[None, :])).max()),
               "notes_log_softmax_error": float(np.abs(J_log - notes_log).max()),
               "max_error_ln_a": float(np.abs(np.log(o) - (V - lse)).max()),
               "notes_ln_a_error": float(np.abs(np.log(o) - (V + lse)).max()),
               "max_error_layer_weights": float(np.abs(W.grad - P.T @ A).max()),
               "max_error_layer_bias": float(np.abs(b.grad - P.sum(axis=0)).max())}
    lines = [f"v = {V.tolist()}, label {LABEL}: o = softmax(v) = {numbers['softmax']} (sums to {o.sum():.6f})",
             f"  do_j/dv_i off the diagonal up to {numbers['jacobian_offdiagonal_max']:.3f}: not elementwise; "
             f"J = diag(o) - o o^T to {numbers['max_error_jacobian']:.0e}",
             f"  dL/dv by the engine vs o - y: max difference {numbers['max_error_o_minus_y']:.0e}",
             f"  d log o_i / d v_j = delta_ij - o_j to {numbers['max_error_log_softmax_jacobian']:.0e}; "
             f"the notes' o_i(-delta_ij - o_j) is off by {numbers['notes_log_softmax_error']:.3f}",
             f"  ln o_j = v_j - ln sum_k e^v_k to {numbers['max_error_ln_a']:.0e}; with the notes' '+' off by "
             f"{numbers['notes_ln_a_error']:.3f}",
             f"  softmax layer on 5 inputs: dC/dW = sum (h - 1(y=j)) a^T to {numbers['max_error_layer_weights']:.0e}, "
             f"dC/db = sum (h - 1(y=j)) to {numbers['max_error_layer_bias']:.0e}"]
    return Result(numbers, lines)
