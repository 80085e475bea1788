"""A single neuron o = tanh(x1*w1 + x2*w2 + b) drawn forward (before backward) and backward (after).

The backward picture shows on every edge its local derivative ∂ and the gradient it carries,
upstream × ∂; each gradient in a box is the sum of what its outgoing edges carry.

Run:  python examples/viz_neuron.py [OUTPUT_FOLDER]      (default: out/viz)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import viz  # noqa: E402
from autograd_core import Value  # noqa: E402


def main(out: Path) -> list[Path]:
    x1, x2 = Value(2.0, label="x1", requires_grad=False), Value(0.0, label="x2", requires_grad=False)
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    params = {"w1": w1, "w2": w2, "b": b}
    paths = [viz.save(o, out / "neuron_forward.svg", view="forward", params=params,
                      title="forward: o = tanh(x1 w1 + x2 w2 + b), before backward()")]
    o.backward()
    paths.append(viz.save(o, out / "neuron_backward.svg", view="backward", params=params,
                          title="backward: each edge shows ∂ (local derivative) and upstream × ∂"))
    paths.append(viz.save(o, out / "neuron_both.svg", view="both", params=params, highlight=w1,
                          title="both views; the path from w1 to o and its product of rate factors"))
    print(f"o = {o.data:.4f}; do/dw1 = {w1.grad:.4f}, do/dw2 = {w2.grad:.4f}, do/db = {b.grad:.4f}")
    return paths


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/viz")):
        print(path)
