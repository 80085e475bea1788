"""Parameter-free layers: activations (ReLU, Tanh, Sigmoid, LeakyReLU, GELU, ELU, Softplus, Softmax,
LogSoftmax, Step), Flatten, Identity."""
from __future__ import annotations

from typing import Any

from autograd_core.functions.pointwise import as_node

from .module import Module


class ReLU(Module):
    """max(x, 0) elementwise; relu'(0) = 0."""

    def forward(self, x: Any) -> Any:
        return as_node(x).relu()


class Tanh(Module):
    """tanh x elementwise; derivative 1 - tanh^2."""

    def forward(self, x: Any) -> Any:
        return as_node(x).tanh()


class Sigmoid(Module):
    """1 / (1 + e^-x) elementwise; derivative s (1 - s)."""

    def forward(self, x: Any) -> Any:
        return as_node(x).sigmoid()


class Step(Module):
    """The perceptron unit: 1 where x > 0, else 0 (its gradient is 0)."""

    def forward(self, x: Any) -> Any:
        return as_node(x).step()


class Softmax(Module):
    """exp(x_i) / sum_j exp(x_j) along `dim` (max-shifted, so softmax(x + c) = softmax(x)).

    dim=None means the last dim (torch would guess one from the ndim and warn)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return as_node(x).softmax(-1 if self.dim is None else self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """x_i - logsumexp(x) along `dim` (the last for None), computed stably."""

    def forward(self, x: Any) -> Any:
        return as_node(x).log_softmax(-1 if self.dim is None else self.dim)


class LeakyReLU(Module):
    """x for x > 0, else negative_slope * x."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x: Any) -> Any:
        return as_node(x).leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class GELU(Module):
    """x Phi(x) (approximate='none', through erf) or its tanh approximation (approximate='tanh')."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        return as_node(x).gelu(self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class ELU(Module):
    """x for x > 0, else alpha (e^x - 1)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x: Any) -> Any:
        return as_node(x).elu(self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (as torch)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = float(beta)
        self.threshold = float(threshold)

    def forward(self, x: Any) -> Any:
        return as_node(x).softplus(self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Flatten(Module):
    """Merge dimensions start_dim..end_dim into one: (B, 8, 8) -> (B, 64) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Any) -> Any:
        x = as_node(x)
        shape = x.shape
        start, end = self.start_dim % len(shape), self.end_dim % len(shape)
        return x.reshape(shape[:start] + (-1,) + shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Returns its input unchanged."""

    def forward(self, x: Any) -> Any:
        return x
