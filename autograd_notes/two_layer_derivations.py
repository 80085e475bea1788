"""two-layer-derivations: the notes' hand gradients of two-layer nets (MSE, BCE, softmax) against the engine."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, log_softmax, softmax

from .core import Context, Result


def sig(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def leaves(*arrays: np.ndarray) -> list[Tensor]:
    return [Tensor(a, requires_grad=True) for a in arrays]


def regression(X, y, W, V) -> dict[str, float]:
    """z = sigmoid(W x), y_hat = V.z, E = 1/2 sum (y_hat - y)^2:
    dE/dV = sum (y_hat - y) z,  dE/dW_j = sum (y_hat - y) V_j z_j (1 - z_j) x."""
    Wt, Vt = leaves(W, V)
    (((Tensor(X) @ Wt.T).sigmoid() @ Vt - y) ** 2 * 0.5).sum().backward()
    Z = sig(X @ W.T)
    r = Z @ V - y
    return {"max_error_mse_V": float(np.abs(Vt.grad - r @ Z).max()),
            "max_error_mse_W": float(np.abs(Wt.grad - ((r[:, None] * V * Z * (1 - Z)).T @ X)).max())}


def classifier(X, y, W, v) -> dict[str, float]:
    """z = sigmoid(W x), y_hat = sigmoid(v.z), E = -sum [y log y_hat + (1 - y) log(1 - y_hat)]:
    dE/dv = sum (y_hat - y) z,  dE/dw_j = sum (y_hat - y) v_j z_j (1 - z_j) x  (no y_hat (1 - y_hat))."""
    Wt, vt = leaves(W, v)
    p = ((Tensor(X) @ Wt.T).sigmoid() @ vt).sigmoid()
    (-(y * p.log() + (1 - y) * (1 - p).log())).sum().backward()
    Z = sig(X @ W.T)
    P = sig(Z @ v)
    right = ((P - y)[:, None] * v * Z * (1 - Z)).T @ X
    notes = (((P - y) * P * (1 - P))[:, None] * v * Z * (1 - Z)).T @ X
    return {"max_error_bce_v": float(np.abs(vt.grad - (P - y) @ Z).max()),
            "max_error_bce_w": float(np.abs(Wt.grad - right).max()),
            "notes_bce_w_relative_error": float(np.linalg.norm(notes - Wt.grad) / np.linalg.norm(Wt.grad))}


def softmax_net(X, labels, W, V) -> dict[str, float]:
    """z = sigmoid(W x), y_hat = softmax(V^T z), E = -sum_i log y_hat_(y_i):
    dE/dV = sum z (y_hat - y)^T,  dE/dW = sum ((V (y_hat - y)) * z (1 - z)) x^T."""
    Wt, Vt = leaves(W, V)
    (-log_softmax((Tensor(X) @ Wt.T).sigmoid() @ Vt, axis=1)[np.arange(len(X)), labels]).sum().backward()
    Z = sig(X @ W.T)
    R = softmax(Tensor(Z @ V)).data - np.eye(V.shape[1])[labels]
    return {"max_error_softmax_V": float(np.abs(Vt.grad - Z.T @ R).max()),
            "max_error_softmax_W": float(np.abs(Wt.grad - ((R @ V.T) * Z * (1 - Z)).T @ X).max())}


def input_gradient(ctx: Context, x, label, W1, b1, W2, b2) -> dict[str, float]:
    """Note 004's dJ/dx for J = CE(y, softmax(h W2 + b2)), h = sigmoid(x W1 + b1):
    delta1 = y_hat - y, delta2 = delta1 W2^T, delta3 = delta2 * sigma'(z), dJ/dx = delta3 W1^T."""
    xt = Tensor(x, requires_grad=True, label="x")
    names = dict(W1=W1, b1=b1, W2=W2, b2=b2)
    p = {k: Tensor(v, requires_grad=True, label=k) for k, v in names.items()}
    J = -log_softmax((xt @ p["W1"] + p["b1"]).sigmoid() @ p["W2"] + p["b2"])[label]
    J.label = "J"
    J.backward()
    ctx.graph(J, "two_layer_derivations_graph", view="backward",
              title="J = CE(y, softmax(sigmoid(x W1 + b1) W2 + b2)): dJ/dx = delta3 W1^T")
    z = x @ W1 + b1
    h = sig(z)
    d1 = softmax(Tensor(h @ W2 + b2)).data - np.eye(len(b2))[label]
    d3 = (d1 @ W2.T) * h * (1 - h)
    return {"max_error_dx": float(np.abs(xt.grad - d3 @ W1.T).max())}


def run(ctx: Context) -> Result:
    import nn

    rng = np.random.default_rng(ctx.seed)
    X = np.hstack([np.ones((8, 1)), rng.normal(size=(8, 3))])           # x0 = 1: the bias
    W, V = rng.normal(size=(4, 4)), rng.normal(size=4)
    out = {**regression(X, rng.normal(size=8), W, V), **classifier(X, rng.integers(0, 2, 8).astype(float), W, V),
           **softmax_net(X, rng.integers(0, 3, 8), W, rng.normal(size=(4, 3)))}
    out.update(input_gradient(ctx, rng.normal(size=5), 1, rng.normal(size=(5, 4)), rng.normal(size=4),
                              rng.normal(size=(4, 3)), rng.normal(size=3)))
    w1, w2, x1, y1 = Tensor(np.array(0.7), requires_grad=True), Tensor(np.array(-1.3), requires_grad=True), 0.5, 1.0
    yhat = w2 * (w1 * x1).sigmoid()                                      # y_hat = f2(w2, f1(w1, x))
    ((y1 - yhat) ** 2).backward()
    notes_dw2 = 2 * (y1 - yhat.item()) * (1 / (1 + np.exp(-0.7 * x1)))  # the notes' 2 sum (y - y_hat) dy/dw2
    out["notes_l2_sign_ratio"] = float(notes_dw2 / w2.grad)
    dx, H, dy = 784, 30, 10
    out["parameter_count"] = nn.MLP(dx, [H, dy]).num_parameters()
    out["parameter_formula"] = (dx + 1) * H + (H + 1) * dy
    lines = ["two-layer nets, hand gradients (the notes' formulas, corrected) vs the engine, max differences:",
             f"  linear output, MSE:      dE/dV {out['max_error_mse_V']:.0e}, dE/dW {out['max_error_mse_W']:.0e}",
             f"  sigmoid output, BCE:     dE/dv {out['max_error_bce_v']:.0e}, dE/dw {out['max_error_bce_w']:.0e}; "
             f"with the notes' extra y_hat (1 - y_hat) off by {out['notes_bce_w_relative_error']:.0%}",
             f"  softmax output, CE:      dE/dV {out['max_error_softmax_V']:.0e}, "
             f"dE/dW {out['max_error_softmax_W']:.0e}",
             f"  dJ/dx (note 004):        {out['max_error_dx']:.0e}",
             "  E = sum (y - y_hat)^2:   the notes' dE/dw2 = 2 sum (y - y_hat) dy/dw2 is "
             f"{out['notes_l2_sign_ratio']:+.0f} x the gradient",
             f"  MLP(784, [30, 10]) has {out['parameter_count']} parameters = (Dx + 1) H + (H + 1) Dy = "
             f"{out['parameter_formula']}"]
    return Result(out, lines)
