"""Parameter-free layers: activation functions (ReLU, Tanh, Sigmoid, Softmax, Step), Flatten, Identity."""
from __future__ import annotations

from typing import Any

from autograd_core import Node, Tensor

from .module import Module


def _node(x: Any) -> Any:
    """Values and Tensors pass through; array-likes become a Tensor."""
    return x if isinstance(x, Node) else Tensor(x)


class ReLU(Module):
    """max(x, 0) elementwise; relu'(0) = 0."""

    def forward(self, x: Any) -> Any:
        return _node(x).relu()


class Tanh(Module):
    """tanh x elementwise; derivative 1 - tanh^2."""

    def forward(self, x: Any) -> Any:
        return _node(x).tanh()


class Sigmoid(Module):
    """1 / (1 + e^-x) elementwise; derivative s (1 - s)."""

    def forward(self, x: Any) -> Any:
        return _node(x).sigmoid()


class Step(Module):
    """The perceptron unit: 1 where x > 0, else 0 (its gradient is 0)."""

    def forward(self, x: Any) -> Any:
        return _node(x).step()


class Softmax(Module):
    """exp(x_i) / sum_j exp(x_j) along `dim` (max-shifted, so softmax(x + c) = softmax(x))."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return _node(x).softmax(axis=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Flatten(Module):
    """Merge dimensions start_dim..end_dim into one: (B, 8, 8) -> (B, 64) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Any) -> Any:
        x = _node(x)
        shape = x.shape
        start, end = self.start_dim % len(shape), self.end_dim % len(shape)
        return x.reshape(shape[:start] + (-1,) + shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Returns its input unchanged."""

    def forward(self, x: Any) -> Any:
        return x
