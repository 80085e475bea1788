"""Embedding: a lookup table of learned vectors, row i for index i (gradients add up on repeats)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node
from autograd_core.arrays import as_array
from autograd_core.jit import validated

from .init import get_rng
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """out[..., :] = weight[index[...], :]; weight (num_embeddings, embedding_dim) ~ N(0, 1) as in PyTorch.

    The gradient of a row is the sum of the upstream gradients of every position that looked it
    up (the engine's index rule accumulates repeated indices).
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, *, seed: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        data = get_rng(seed).standard_normal((self.num_embeddings, self.embedding_dim))
        self.weight = Parameter(data, dtype=dtype)

    def forward(self, indices: Any) -> Any:
        idx = as_array(indices.data if isinstance(indices, Node) else indices)
        if idx.dtype.kind not in "iuf":
            raise TypeError(f"Embedding: indices must be integers, got dtype {idx.dtype}")
        validated(_check_indices, idx, self.num_embeddings)  # while compiling: on every call's indices
        return self.weight[idx.astype(np.intp) if idx.dtype.kind == "f" else idx]

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"


def _check_indices(idx: np.ndarray, n: int) -> None:
    if idx.dtype.kind == "f" and not np.array_equal(idx, np.floor(idx)):
        raise TypeError("Embedding: indices must be whole numbers")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError(f"Embedding: indices must lie in [0, {n}), got min {idx.min()} and max {idx.max()}")
