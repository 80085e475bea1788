"""perceptron: a perceptron's output jumps between 0 and 1; a sigmoid neuron's moves by sigma'(z) dz."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, Value

from .core import Context, Result

W, X, THRESHOLD = np.array([0.6, -0.4, 0.3]), np.array([1.0, 1.0, 1.0]), 0.5


def run(ctx: Context) -> Result:
    s = float(W @ X)                                                    # 0.5: on the threshold
    thresholded = [float(s + d > THRESHOLD) for d in (-1e-3, 1e-3)]
    b = -THRESHOLD                                                      # bias = -threshold
    bias_form = [Tensor(np.array(s + d + b)).step().item() for d in (-1e-3, 1e-3)]
    dw = 1e-3                                                           # nudge w_1
    w = [Value(v) for v in W]
    z = w[0] * X[0] + w[1] * X[1] + w[2] * X[2] + b + 1e-4             # just above 0
    a = z.sigmoid()
    a.backward()
    predicted = w[0].grad * dw                                          # sigma'(z) x_1 dw
    actual = 1 / (1 + np.exp(-(z.data - dw))) - a.data
    perceptron_change = abs(float(z.data - dw > 0) - float(z.data > 0))
    notes_formula = 0.5 + np.exp(-z.data)                               # the notes' "1/2 + exp(-w.x - b)"
    big_bias = [Tensor(np.array(-5.0 + bias)).step().item() for bias in (0.0, 10.0)]
    with ctx.figure("perceptron") as ax:
        zs = np.linspace(-6, 6, 601)
        ax.plot(zs, zs > 0, label="perceptron: step(w.x + b)")
        ax.plot(zs, 1 / (1 + np.exp(-zs)), label="sigmoid neuron: sigma(w.x + b)")
        ax.set(xlabel="z = w.x + b", ylabel="output", title="a small change in z: a jump vs a small change")
        ax.legend()
    numbers = {"threshold_output": thresholded, "bias_output": bias_form,
               "perceptron_change": perceptron_change, "sigmoid_change": float(-actual),
               "predicted_sigmoid_change": float(predicted), "notes_sigmoid_formula": float(notes_formula),
               "sigmoid": float(a.data), "big_bias_output": big_bias}
    lines = [f"w = {W.tolist()}, x = {X.tolist()}: w.x = {s:.3f}, threshold {THRESHOLD} (bias b = -threshold = {b})",
             f"  w.x just below/above the threshold -> {thresholded}; step(w.x + b) -> {bias_form}: the same rule",
             f"  nudging w1 by -{dw} at z = w.x + b = 1e-4: the perceptron changes by {perceptron_change:.0f}, "
             f"the sigmoid by {-actual:.3e} (predicted sigma'(z) x1 dw = {predicted:.3e})",
             f"  sigma(z) = 1/(1 + e^-z) = {a.data:.4f}; the notes' 1/2 + exp(-z) = {notes_formula:.4f} "
             "(not a probability)",
             f"  a big bias makes 1 easy: w.x = -5 gives step(-5 + 0) = {big_bias[0]:.0f}, "
             f"step(-5 + 10) = {big_bias[1]:.0f}"]
    return Result(numbers, lines)
