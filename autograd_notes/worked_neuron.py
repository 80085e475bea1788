"""worked-neuron: weights (0.1, 0.2, 0.3) and input (1, 1) give y_hat = f(0.6), for each activation f."""
from __future__ import annotations

import math

from autograd_core import Value

from .core import Context, Result


def run(ctx: Context) -> Result:
    theta = [Value(0.1, label="theta0"), Value(0.2, label="theta1"), Value(0.3, label="theta2")]
    x = [1.0, 1.0, 1.0]                                                 # the bias trick: x = [1, x1, x2]
    z = theta[0] * x[0] + theta[1] * x[1] + theta[2] * x[2]
    z.label = "theta.x"
    outputs = {"step": z.step(), "sigmoid": z.sigmoid(), "tanh": z.tanh(), "relu": z.relu()}
    y = outputs["sigmoid"]
    y.label = "y_hat"
    y.backward()
    ctx.graph(y, "worked_neuron_graph", view="both",
              title="y_hat = sigmoid(theta0 + theta1 x1 + theta2 x2), x = (1, 1)")
    numbers = {"z": round(z.data, 12), **{f"y_{k}": round(v.data, 6) for k, v in outputs.items()},
               "grad_theta": [round(t.grad, 6) for t in theta],
               "sigmoid_prime": round(math.exp(-0.6) / (1 + math.exp(-0.6)) ** 2, 6)}
    lines = [f"theta = (0.1, 0.2, 0.3), x = (1, 1): z = 0.1 + 0.2*1 + 0.3*1 = {z.data:.4f}",
             "  y_hat = f(0.6): " + ", ".join(f"{k} {v.data:.4f}" for k, v in outputs.items()),
             f"  d y_hat / d theta (sigmoid) = {numbers['grad_theta']} = sigma'(0.6) * (1, 1, 1)"]
    return Result(numbers, lines)
