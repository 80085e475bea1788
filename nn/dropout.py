"""Dropout: inverted dropout in training (zero with probability p, scale the rest by 1/(1-p)), identity in eval."""
from __future__ import annotations

from typing import Any

from autograd_core import Node, Tensor
from autograd_core.jit import replayed

from .init import get_rng
from .module import Module


class Dropout(Module):
    """y = x * m / (1 - p) with m_i ~ Bernoulli(1 - p) while training; y = x in eval mode.

    The scaling keeps E[y] = x, so nothing changes at evaluation. `seed` (int or Generator)
    fixes the masks; without it they come from nn.init's global generator.
    """

    def __init__(self, p: float = 0.5, *, seed: Any = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must lie in [0, 1], got {p}")
        self.p = float(p)
        self._rng = None if seed is None else get_rng(seed)

    def forward(self, x: Any) -> Any:
        if not self.training or self.p == 0.0:
            return x
        x = x if isinstance(x, Node) else Tensor(x)
        if self.p == 1.0:
            return x * 0.0
        keep = replayed(_uniform, self, x.shape) >= self.p  # compiled steps draw afresh on every replay
        return x * (keep.astype(x.dtype) * (1.0 / (1.0 - self.p)))

    def extra_repr(self) -> str:
        return f"p={self.p}"


def _uniform(module: Dropout, shape: tuple[int, ...]) -> Any:
    """U[0, 1) draws from the module's generator, else the seeded global one (looked up on each call,
    so manual_seed between replays of a compiled step takes effect)."""
    rng = module._rng if module._rng is not None else get_rng(None)
    return rng.random(shape)
