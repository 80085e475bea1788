"""Embedding: a lookup table of learned vectors, row i for index i (gradients add up on repeats)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node

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
        idx = np.asarray(indices.data if isinstance(indices, Node) else indices)
        if idx.dtype.kind == "f":
            if not np.array_equal(idx, np.floor(idx)):
                raise TypeError("Embedding: indices must be whole numbers")
            idx = idx.astype(np.intp)
        elif idx.dtype.kind not in "iu":
            raise TypeError(f"Embedding: indices must be integers, got dtype {idx.dtype}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.num_embeddings):
            raise IndexError(f"Embedding: indices must lie in [0, {self.num_embeddings}), got min {idx.min()} "
                             f"and max {idx.max()}")
        return self.weight[idx]

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
