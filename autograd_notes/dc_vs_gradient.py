"""dc-vs-gradient: a small step -eta grad C lowers C by eta |grad C|^2; the gradient is the steepest ascent."""
from __future__ import annotations

import math

import numpy as np

from autograd_core import Value

from .core import Context, Result

V0 = (-1.0, 0.5)


def cost(v1, v2):
    """C(v1, v2) = (v1 - 1)^2 + 3 (v2 + 1)^2 + tanh(v1 v2): a valley, not a pure quadratic."""
    return (v1 - 1) ** 2 + 3 * (v2 + 1) ** 2 + (v1 * v2).tanh()


def at(v1: float, v2: float) -> float:
    """C at a point (a Value computation, no gradient needed)."""
    return cost(Value(v1), Value(v2)).data


def gradient(v: tuple[float, float]) -> tuple[float, np.ndarray]:
    a, b = Value(v[0]), Value(v[1])
    c = cost(a, b)
    c.backward()
    return c.data, np.array([a.grad, b.grad])


def local_minimum(v: float = 2.0, eta: float = 0.01, steps: int = 2000) -> tuple[float, float]:
    """Gradient descent on C(v) = (v^2 - 1)^2 + 0.3 v from v = 2: it stops in the nearer, local minimum."""
    for _ in range(steps):
        x = Value(v)
        c = (x * x - 1) ** 2 + 0.3 * x
        c.backward()
        v -= eta * x.grad
    return v, (v * v - 1) ** 2 + 0.3 * v


def run(ctx: Context) -> Result:
    c0, g = gradient(V0)
    etas = [1e-1, 1e-2, 1e-3, 1e-4]
    actual = [at(V0[0] - e * g[0], V0[1] - e * g[1]) - c0 for e in etas]
    predicted = [-e * float(g @ g) for e in etas]
    angles = np.linspace(0, 2 * math.pi, 3600, endpoint=False)
    eps = 1e-6
    slopes = [(at(V0[0] + eps * math.cos(t), V0[1] + eps * math.sin(t)) - c0) / eps for t in angles]
    best = angles[int(np.argmax(slopes))]
    best_cos = float((math.cos(best) * g[0] + math.sin(best) * g[1]) / np.linalg.norm(g))
    v_end, c_end = local_minimum()
    xs = np.linspace(-2, 2, 4001)
    global_min = float(((xs ** 2 - 1) ** 2 + 0.3 * xs).min())
    with ctx.figure("dc_vs_gradient", 2, width=4.6) as (ax1, ax2):
        ax1.loglog(etas, [-a for a in actual], "o-", label="actual -dC")
        ax1.loglog(etas, [-p for p in predicted], "k--", label="eta |grad C|^2")
        ax1.set(xlabel="eta", ylabel="decrease of C", title="dC ~ -eta |grad C|^2 as eta -> 0")
        ax1.legend()
        ax2.plot(np.degrees(angles), slopes)
        ax2.axvline(math.degrees(math.atan2(g[1], g[0]) % (2 * math.pi)), color="k", ls="--", label="grad C")
        ax2.set(xlabel="direction (degrees)", ylabel="slope of C", title="the steepest ascent is along grad C")
        ax2.legend()
    numbers = {"etas": etas, "delta_c": [float(f"{a:.6g}") for a in actual],
               "predicted": [float(f"{p:.6g}") for p in predicted],
               "ratio": [round(a / p, 6) for a, p in zip(actual, predicted)],
               "grad_norm": float(np.linalg.norm(g)), "steepest_direction_cosine": round(best_cos, 6),
               "max_slope_over_grad_norm": round(max(slopes) / float(np.linalg.norm(g)), 6),
               "gd_end": round(v_end, 4), "gd_end_cost": round(c_end, 4), "global_min_cost": round(global_min, 4)}
    lines = [f"C = (v1 - 1)^2 + 3 (v2 + 1)^2 + tanh(v1 v2) at v = {V0}: |grad C| = {numbers['grad_norm']:.4f}"]
    lines += [f"  eta = {e:g}: dC = {a:.6g}, -eta |grad C|^2 = {p:.6g}, ratio {a / p:.4f}"
              for e, a, p in zip(etas, actual, predicted)]
    lines += [f"  of 3600 unit directions the steepest has cos {best_cos:.6f} with grad C, slope "
              f"{numbers['max_slope_over_grad_norm']:.4f} |grad C|",
              f"  gradient descent on (v^2 - 1)^2 + 0.3 v from v = 2 stops at v = {v_end:.4f} (C = {c_end:.4f}): "
              f"a local minimum; the global one has C = {global_min:.4f}"]
    return Result(numbers, lines)
