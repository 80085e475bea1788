"""Parameter-free layers: activations (ReLU and its variants LeakyReLU, ELU, GELU, Softplus; Tanh, Sigmoid,
Step; Softmax, LogSoftmax), Flatten, Identity."""
from __future__ import annotations

from typing import Any

from autograd_core.functions.pointwise import as_node

from .module import Module


class _Pointwise(Module):
    """An elementwise layer without parameters: forward(x) = x.<method>(*options), where the options are
    what a subclass's __init__ passes up by keyword (kept as attributes, in order, and shown in the repr)."""

    method: str

    def __init__(self, **options: Any) -> None:
        super().__init__()
        self._options = tuple(options)
        for name, value in options.items():
            setattr(self, name, value)

    def forward(self, x: Any) -> Any:
        return getattr(as_node(x), self.method)(*(getattr(self, name) for name in self._options))

    def extra_repr(self) -> str:
        return ", ".join(f"{name}={getattr(self, name)!r}" for name in self._options)


class ReLU(_Pointwise):
    """max(x, 0) elementwise; relu'(0) = 0."""

    method = "relu"


class LeakyReLU(_Pointwise):
    """x for x > 0, else negative_slope * x."""

    method = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__(negative_slope=float(negative_slope))


class ELU(_Pointwise):
    """x for x > 0, else alpha (e^x - 1)."""

    method = "elu"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=float(alpha))


class GELU(_Pointwise):
    """x Phi(x) (approximate='none', through erf) or its tanh approximation (approximate='tanh')."""

    method = "gelu"

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        super().__init__(approximate=approximate)


class Softplus(_Pointwise):
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (as torch)."""

    method = "softplus"

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__(beta=float(beta), threshold=float(threshold))


class Tanh(_Pointwise):
    """tanh x elementwise; derivative 1 - tanh^2."""

    method = "tanh"


class Sigmoid(_Pointwise):
    """1 / (1 + e^-x) elementwise; derivative s (1 - s)."""

    method = "sigmoid"


class Step(_Pointwise):
    """The perceptron unit: 1 where x > 0, else 0 (its gradient is 0)."""

    method = "step"


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
