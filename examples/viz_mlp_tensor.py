"""An MLP drawn as a Tensor graph with one box per layer, collapsed to one node per layer, and why
the scalar graph of the same network is not the way to look at it.

Run:  python examples/viz_mlp_tensor.py [OUTPUT_FOLDER]      (default: out/viz)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import numpy as np  # noqa: E402

import nn  # noqa: E402
import viz  # noqa: E402
from autograd_core import Tensor, Value, topological_order  # noqa: E402


def tensor_mlp(out: Path) -> list[Path]:
    model = nn.MLP(4, [8, 8, 3], activation="tanh", seed=0)
    x = Tensor(np.random.default_rng(0).normal(size=(6, 4)), label="x batch")
    loss = nn.cross_entropy(model(x), np.array([0, 1, 2, 0, 1, 2]))
    loss.label = "loss"
    loss.backward()
    print(f"Tensor MLP(4, [8, 8, 3]): {len(topological_order(loss))} graph nodes")
    return [viz.save(loss, out / "mlp_tensor.svg", params=model, rankdir="TB",
                     title="MLP(4, [8, 8, 3]) on a batch of 6"),
            viz.save(loss, out / "mlp_tensor_collapsed.svg", params=model, collapse=True, rankdir="TB",
                     title="the same graph, one node per layer (collapse=True)")]


def scalar_mlp(out: Path) -> Path:
    model = nn.scalar.MLP(4, [16, 16, 3], seed=0)
    scores = model([Value(v, label=f"x{i}", requires_grad=False) for i, v in enumerate((0.5, -1.0, 2.0, 0.1))])
    loss = sum((s - t) ** 2 for s, t in zip(scores, (1.0, 0.0, 0.0)))
    loss.backward()
    try:
        viz.draw_graph(loss, params=model)
    except viz.GraphTooLargeError as err:
        print(f"scalar MLP(4, [16, 16, 3]): {err}")
    return viz.save(loss, out / "mlp_scalar_collapsed.svg", params=model, collapse=True,
                    title="the scalar MLP with each layer collapsed")


def main(out: Path) -> list[Path]:
    return tensor_mlp(out) + [scalar_mlp(out)]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/viz")):
        print(path)
