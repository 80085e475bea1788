"""Graphs the viz and explorer tests share, built and already backpropagated."""
from __future__ import annotations

import numpy as np

import nn
from autograd_core import Tensor


def tanh_matmul_loss(seed: int) -> tuple[Tensor, Tensor]:
    """(loss, W) for loss = sum(h * h), h = tanh(x @ W), with x (4, 3) and W (3, 2) drawn from
    default_rng(seed), after loss.backward(). h is used twice, so W has two paths to the loss."""
    rng = np.random.default_rng(seed)
    x = Tensor(rng.normal(size=(4, 3)), label="x")
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True, label="W")
    h = (x @ w).tanh()
    loss = (h * h).sum()
    loss.backward()
    return loss, w


class Classifier(nn.Module):
    """notebooks/recurrent.ipynb's model: a recurrent layer over the sequence, a Linear head on its last state."""

    def __init__(self, kind, hidden=8, num_layers=1):
        super().__init__()
        self.rnn = kind(1, hidden, num_layers=num_layers, batch_first=True, seed=0)
        self.head = nn.Linear(hidden, 2, seed=0)

    def forward(self, x):
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1, :])


def notebook_loss(kind, steps, batch=2, num_layers=1):
    """(loss, model): the recurrent notebook's cross-entropy of a fresh Classifier(kind) on `batch`
    noisy +-1 sequences of `steps` steps, after loss.backward()."""
    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], size=(batch, steps, 1)) + 0.2 * rng.normal(size=(batch, steps, 1))
    model = Classifier(kind, num_layers=num_layers)
    loss = nn.cross_entropy(model(Tensor(x)), np.arange(batch) % 2)
    loss.backward()
    return loss, model
