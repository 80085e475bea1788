"""sigmoid-derivative: sigma' = sigma (1 - sigma), the log-sigmoid rules, tanh as a rescaled sigmoid, ReLU."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def derivative(f, z: np.ndarray) -> np.ndarray:
    """d f(z)_i / d z_i for an elementwise f, by the engine (backward of the sum)."""
    t = Tensor(z, requires_grad=True)
    f(t).sum().backward()
    return t.grad


def theta_rules() -> dict[str, float]:
    """The notes' rules w.r.t. theta at x = (1, 2), theta = (0.3, -0.4), h = sigma(theta.x); first components."""
    x, theta0 = np.array([1.0, 2.0]), np.array([0.3, -0.4])
    h = 1 / (1 + np.exp(-(theta0 @ x)))
    out = {}
    rules = (("log_h", lambda s: s.log()), ("one_minus_h", lambda s: 1 - s),
             ("log_one_minus_h", lambda s: (1 - s).log()))
    for name, f in rules:
        theta = Tensor(theta0, requires_grad=True)
        f((theta * x).sum().sigmoid()).backward()
        out[name] = float(theta.grad[0])
    out.update(formula_log_h=float((1 - h) * x[0]), formula_one_minus_h=float(-h * (1 - h) * x[0]),
               notes_one_minus_h=float(-h * x[0]), formula_log_one_minus_h=float(-h * x[0]))
    return out


def run(ctx: Context) -> Result:
    z = np.linspace(-8, 8, 1601)
    s = 1 / (1 + np.exp(-z))
    d_sigmoid = derivative(Tensor.sigmoid, z)
    d_relu = derivative(Tensor.relu, np.array([-1.0, 0.0, 1.0]))
    rules = theta_rules()
    tanh_identity = float(np.abs(s - (1 + np.tanh(z / 2)) / 2).max())
    with ctx.figure("sigmoid_derivative", 2, width=4.4) as (ax1, ax2):
        ax1.plot(z, s, label="sigma(z)")
        ax1.plot(z, d_sigmoid, label="sigma'(z) (engine)")
        ax1.plot(z[::80], (s * (1 - s))[::80], "k.", label="sigma (1 - sigma)")
        ax1.set(xlabel="z", title="sigma' = sigma (1 - sigma) <= 1/4")
        ax1.legend()
        ax2.plot(z, np.tanh(z), label="tanh(z)")
        ax2.plot(z, 2 * 1 / (1 + np.exp(-2 * z)) - 1, "k:", label="2 sigma(2z) - 1")
        ax2.plot(z, np.maximum(z, 0) / 8, label="relu(z) / 8")
        ax2.set(xlabel="z", title="tanh is a rescaled sigmoid; ReLU = max(0, z)")
        ax2.legend()
    numbers = {"max_error_sigma_prime": float(np.abs(d_sigmoid - s * (1 - s)).max()),
               "max_sigma_prime": float(d_sigmoid.max()), "max_error_tanh_identity": tanh_identity,
               "relu_grad_at": {"-1": float(d_relu[0]), "0": float(d_relu[1]), "1": float(d_relu[2])},
               "notes_sigma_e_plus_x_at_2": float(1 / (1 + np.exp(2.0))), "sigma_at_2": float(1 / (1 + np.exp(-2.0))),
               "theta_rules": {k: round(v, 10) for k, v in rules.items()}}
    lines = ["sigma'(z) by the engine vs sigma (1 - sigma) on [-8, 8]: max difference "
             f"{numbers['max_error_sigma_prime']:.1e}; largest sigma' = {numbers['max_sigma_prime']:.4f} (at z = 0)",
             f"  sigma(z) = (1 + tanh(z/2)) / 2: max difference {tanh_identity:.1e}; "
             f"relu' at -1, 0, 1 = {d_relu.tolist()}",
             "  the notes' sigma(x) = 1/(1 + e^x) is sigma(-x): at x = 2 it gives "
             f"{numbers['notes_sigma_e_plus_x_at_2']:.4f}, sigma(2) = {numbers['sigma_at_2']:.4f}",
             f"  d/dtheta log h = (1 - h) x: engine {rules['log_h']:.6f}, formula {rules['formula_log_h']:.6f}",
             f"  d/dtheta (1 - h) = -h (1 - h) x: engine {rules['one_minus_h']:.6f}, "
             f"formula {rules['formula_one_minus_h']:.6f} (the notes' -h x = {rules['notes_one_minus_h']:.6f} "
             f"is d/dtheta log(1 - h) = {rules['log_one_minus_h']:.6f})"]
    return Result(numbers, lines)
