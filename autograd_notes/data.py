"""Data and training loops the notes experiments share: digits (or MNIST) in [0, 1], plain mini-batch SGD."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from autograd_core import Tensor, no_grad


def digits(seed: int = 0, test_fraction: float = 0.25) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 8x8 digits scaled to [0, 1] like MNIST pixels: X_train, X_test, y_train, y_test."""
    from nn.data import load_digits, train_test_split

    X, y = load_digits()
    return train_test_split(X / 16.0, y, test_fraction=test_fraction, seed=seed)


def mnist(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST from a folder of IDX files: X_train, X_test, y_train, y_test (pixels in [0, 1])."""
    from nn.data import load_mnist

    X_train, y_train = load_mnist(folder, "train")
    X_test, y_test = load_mnist(folder, "test")
    return X_train, X_test, y_train, y_test


def one_hot(y: np.ndarray, k: int) -> np.ndarray:
    """Rows e_{y_i} of the k x k identity."""
    return np.eye(k)[y]


def accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows whose largest output is the label."""
    with no_grad():
        return float((model(Tensor(X)).data.argmax(axis=1) == y).mean())


def sgd(model: Any, loss_fn: Callable[[Tensor, np.ndarray], Tensor], X: np.ndarray, y: np.ndarray, *,
        epochs: int, lr: float, batch_size: int, seed: int,
        after_epoch: Callable[[int], None] | None = None, penalty: Callable[[], Tensor] | None = None) -> None:
    """Plain mini-batch SGD (the notes' w <- w - eta/m sum_j dC_xj/dw): shuffle, sweep, repeat.

    `loss_fn(output, y_batch)` is the mean cost over the batch; `penalty()` is added to it if given.
    """
    from nn.optim import SGD

    opt = SGD(model.parameters(), lr=lr)
    order_rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = order_rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            loss = loss_fn(model(Tensor(X[idx])), y[idx])
            if penalty is not None:
                loss = loss + penalty()
            opt.zero_grad()
            loss.backward()
            opt.step()
        if after_epoch is not None:
            after_epoch(epoch)


def quadratic_cost(k: int) -> Callable[[Tensor, np.ndarray], Tensor]:
    """Nielsen's C = 1/(2m) sum_x ||y(x) - a||^2 with sigmoid outputs a = sigma(logits)."""
    def cost(logits: Tensor, y: np.ndarray) -> Tensor:
        a = logits.sigmoid()
        return ((a - one_hot(y, k)) ** 2).sum() * (0.5 / len(y))
    return cost


def cross_entropy_cost(k: int) -> Callable[[Tensor, np.ndarray], Tensor]:
    """Nielsen's C = -1/m sum_x sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)], a = sigma(logits), computed stably."""
    from nn.losses import binary_cross_entropy_with_logits

    def cost(logits: Tensor, y: np.ndarray) -> Tensor:
        return binary_cross_entropy_with_logits(logits, one_hot(y, k), reduction="sum") * (1.0 / len(y))
    return cost
