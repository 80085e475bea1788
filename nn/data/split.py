"""Preparing arrays for training: a seeded train/test split and standardization by training statistics."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.random import numpy_rng


def train_test_split(X: Any, y: Any, test_fraction: float = 0.25,
                     seed: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with ``default_rng(seed)`` (the default Generator for None) and cut off
    round(test_fraction * n) samples for testing.

    Returns (X_train, X_test, y_train, y_test), scikit-learn's order.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"train_test_split: X has {len(X)} samples but y has {len(y)}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"train_test_split: test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = int(round(test_fraction * len(X)))
    if n_test == 0 or n_test == len(X):
        raise ValueError(f"train_test_split: test_fraction {test_fraction} of {len(X)} samples leaves "
                         f"an empty {'test' if n_test == 0 else 'training'} set")
    order = numpy_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


class Standardizer:
    """z = (x - mean) / std per feature, with mean and std taken from the data given to ``fit``.

    Features with zero spread (constant pixels) get std 1, so they map to 0 instead of dividing by 0.
    """

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, X: Any) -> "Standardizer":
        X = np.asarray(X, dtype=np.float64)
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: Any) -> np.ndarray:
        if self.mean is None:
            raise RuntimeError("Standardizer.transform: call fit(X_train) first")
        X = np.asarray(X, dtype=np.float64)
        if X.shape[1:] != self.mean.shape:
            raise ValueError(f"Standardizer.transform: fitted on features of shape {self.mean.shape}, "
                             f"got data of shape {X.shape}")
        return (X - self.mean) / self.std

    def fit_transform(self, X: Any) -> np.ndarray:
        return self.fit(X).transform(X)
