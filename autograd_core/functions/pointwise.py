"""torch-style module functions: autograd_core.exp(x) is x.exp(), sum(x, dim) is x.sum(dim), ...

For Values and Tensors (array-likes become Tensors), plus matmul, argmax/argmin and allclose.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.node import Node
from ..tensor.tensor import Tensor


def as_node(x: Any) -> Any:
    """Values and Tensors pass through; numbers and array-likes become a Tensor."""
    return x if isinstance(x, Node) else Tensor(x)


def exp(x: Any) -> Any:
    """e**x elementwise."""
    return as_node(x).exp()


def log(x: Any) -> Any:
    """Natural log elementwise (x > 0)."""
    return as_node(x).log()


def sin(x: Any) -> Any:
    """sin x elementwise."""
    return as_node(x).sin()


def cos(x: Any) -> Any:
    """cos x elementwise."""
    return as_node(x).cos()


def tan(x: Any) -> Any:
    """tan x elementwise."""
    return as_node(x).tan()


def tanh(x: Any) -> Any:
    """tanh x elementwise."""
    return as_node(x).tanh()


def sigmoid(x: Any) -> Any:
    """1 / (1 + e**-x) elementwise."""
    return as_node(x).sigmoid()


def relu(x: Any) -> Any:
    """max(x, 0) elementwise."""
    return as_node(x).relu()


def abs(x: Any) -> Any:  # noqa: A001 - torch's name
    """|x| elementwise."""
    return as_node(x).abs()


def sqrt(x: Any) -> Any:
    """sqrt(x) elementwise (x >= 0)."""
    return as_node(x).sqrt()


def log1p(x: Any) -> Any:
    """log(1 + x) elementwise."""
    return as_node(x).log1p()


def expm1(x: Any) -> Any:
    """e**x - 1 elementwise."""
    return as_node(x).expm1()


def clamp(x: Any, min: Any = None, max: Any = None) -> Any:  # noqa: A002
    """x limited to [min, max]."""
    return as_node(x).clamp(min, max)


def matmul(a: Any, b: Any) -> Tensor:
    """a @ b (1-D, 2-D and batched)."""
    return as_node(a) @ b


def sum(x: Any, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:  # noqa: A001
    """x.sum(dim, keepdim)."""
    return as_node(x).sum(dim, keepdim, **aliases)


def mean(x: Any, dim: Any = None, keepdim: bool = False, **aliases: Any) -> Tensor:
    """x.mean(dim, keepdim)."""
    return as_node(x).mean(dim, keepdim, **aliases)


def argmax(x: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """x.argmax(dim, keepdim) (int64)."""
    return as_node(x).argmax(dim, keepdim)


def argmin(x: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """x.argmin(dim, keepdim) (int64)."""
    return as_node(x).argmin(dim, keepdim)


def gather(x: Any, dim: int, index: Any) -> Tensor:
    """x.gather(dim, index)."""
    return as_node(x).gather(dim, index)


def allclose(a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """|a - b| <= atol + rtol |b| everywhere (torch.allclose)."""
    da = a.data if isinstance(a, Node) else a
    db = b.data if isinstance(b, Node) else b
    return bool(np.allclose(da, db, rtol=rtol, atol=atol, equal_nan=equal_nan))


def numel(x: Any) -> int:
    """Number of elements."""
    return int(np.size(x.data if isinstance(x, Node) else x))
