"""The explorer's teaching graph: a neuron whose pre-activation reaches the output along two paths."""
from __future__ import annotations

from autograd_core import Value

B = 6.8813735870195432  # makes n = 0.8814 = atanh(1/sqrt(2)), so tanh(n) = 1/sqrt(2)


def two_path_neuron() -> tuple[Value, Value, dict[str, Value]]:
    """o = n * tanh(n), n = x1*w1 + x2*w2 + b, after backward: (o, n, the leaves by label).

    n is used twice, so its gradient arrives in two shares (1/sqrt(2) and 0.5 * 0.8814) and
    every leaf has two paths to o: the graph that shows gradients accumulating.
    """
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(B, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n * n.tanh()
    o.label = "o"
    o.backward()
    return o, n, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}
