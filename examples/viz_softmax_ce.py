"""Softmax + cross-entropy, drawn twice: as scalar Values (every exp and log visible) and as a Tensor graph.

For logits z and true class c, L = -log softmax(z)_c and dL/dz = softmax(z) - onehot(c) (the notes'
o - y): the backward pictures show exactly these numbers on the logits.

Run:  python examples/viz_softmax_ce.py [OUTPUT_FOLDER]      (default: out/viz)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import numpy as np  # noqa: E402

import viz  # noqa: E402
from autograd_core import Tensor, Value, log_softmax  # noqa: E402

LOGITS, TARGET = [2.0, 1.0, 0.1], 0


def scalar_graph(out: Path) -> Path:
    """L = -(z_c - logsumexp(z)) with one Value per logit."""
    z = [Value(v, label=f"z{i}") for i, v in enumerate(LOGITS)]
    loss = -log_softmax(z)[TARGET]
    loss.label = "L"
    loss.backward()
    p = np.exp(LOGITS) / np.exp(LOGITS).sum()
    print("Value graph:  dL/dz =", [round(v.grad, 4) for v in z], " softmax(z) - y =",
          np.round(p - np.eye(3)[TARGET], 4).tolist())
    return viz.save(loss, out / "softmax_ce_scalar.svg", view="both", highlight=z[0],
                    title="L = -log softmax(z)_0; dL/dz = softmax(z) - onehot(0)")


def tensor_graph(out: Path) -> Path:
    """The same loss on a batch of two rows as a handful of Tensor nodes."""
    z = Tensor([LOGITS, [0.5, 2.5, -1.0]], requires_grad=True, label="logits")
    onehot = Tensor(np.eye(3)[[TARGET, 1]], label="onehot y")
    loss = -(log_softmax(z, dim=-1) * onehot).sum() / 2
    loss.label = "L"
    loss.backward()
    print("Tensor graph: dL/dz =", np.round(z.grad, 4).tolist())
    return viz.save(loss, out / "softmax_ce_tensor.svg", view="both",
                    title="mean cross-entropy over a batch of 2: dL/dz = (softmax(z) - y) / 2")


def main(out: Path) -> list[Path]:
    return [scalar_graph(out), tensor_graph(out)]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/viz")):
        print(path)
