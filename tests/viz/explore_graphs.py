"""Graphs the explorer tests share, built and already backpropagated."""
from __future__ import annotations

import numpy as np

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
