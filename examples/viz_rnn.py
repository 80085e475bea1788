"""An RNN unrolled over 3 time steps: one box per step, the shared weights outside the steps.

Each step computes h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh); the same W_hh feeds every
box, which is parameter sharing: its gradient is the sum over the steps' edges.

Run:  python examples/viz_rnn.py [OUTPUT_FOLDER]      (default: out/viz)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import numpy as np  # noqa: E402

import nn  # noqa: E402
import viz  # noqa: E402
from autograd_core import Tensor  # noqa: E402


def main(out: Path) -> list[Path]:
    rnn = nn.RNN(2, 3, seed=0)
    xs = Tensor(np.random.default_rng(1).normal(size=(3, 2)), label="x (3 steps)")
    outputs, h = rnn(xs)
    loss = (outputs[-1] ** 2).sum()
    loss.label = "loss"
    loss.backward()
    whh = rnn.weight_hh_l0
    print(f"RNN(2, 3) over 3 steps: loss {loss.item():.4f}, |dL/dW_hh| max {np.abs(whh.grad).max():.4f}")
    return [viz.save(loss, out / "rnn.svg", params=rnn, highlight=whh, rankdir="TB",
                     title="RNN unrolled over 3 steps; highlighted: the paths from the shared W_hh"),
            viz.save(loss, out / "rnn_steps.svg", params=rnn, collapse=["cell"], rankdir="TB",
                     title="one node per time step (collapse=['cell'])")]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/viz")):
        print(path)
