"""Functions over several Values (lists in, lists/Value out) or over Tensors along an axis."""
from __future__ import annotations

import builtins
from typing import Any, Sequence

from .node import Node
from .ops import elementwise as E
from .ops.apply import apply
from .tensor import Tensor
from .value import Value


def _values(name: str, args: Sequence[Any]) -> list[Any]:
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not items:
        raise ValueError(f"{name}: expected at least one value")
    return items


def _as_nodes(name: str, items: list[Any]) -> list[Node]:
    """Numbers become constant Values so a list of plain numbers still works."""
    if not builtins.any(isinstance(x, Node) for x in items):
        return [Value(x, requires_grad=False) for x in items]
    return items


def max(*args: Any) -> Any:  # noqa: A001 - mirrors the math name on purpose
    """max(a, b, ...) or max([a, b, ...]): the largest; ties split the gradient evenly.

    Two or more Tensors give the elementwise maximum; one Tensor its largest element.
    """
    items = _as_nodes("max", _values("max", args))
    if len(items) == 1 and isinstance(items[0], Tensor):
        return items[0].max()
    return items[0] if len(items) == 1 else apply(E.MAXIMUM, *items)


def min(*args: Any) -> Any:  # noqa: A001
    """min(a, b, ...) or min([a, b, ...]): the smallest; ties split the gradient evenly."""
    items = _as_nodes("min", _values("min", args))
    if len(items) == 1 and isinstance(items[0], Tensor):
        return items[0].min()
    return items[0] if len(items) == 1 else apply(E.MINIMUM, *items)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise max of two Values or Tensors."""
    return max(a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise min of two Values or Tensors."""
    return min(a, b)


def logsumexp(x: Any, axis: int | None = -1, keepdims: bool = False) -> Any:
    """log sum_i exp(x_i), stable: m + log sum exp(x_i - m) with m = max x.

    A list of Values gives a Value; a Tensor reduces along `axis`.
    """
    if isinstance(x, Tensor):
        return x.logsumexp(axis=axis, keepdims=keepdims)
    items = _as_nodes("logsumexp", _values("logsumexp", (x,)))
    return apply(E.LOGADDEXP, *items)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """x_i - logsumexp(x): never takes the log of an underflowed probability."""
    if isinstance(x, Tensor):
        return x.log_softmax(axis=axis)
    items: list[Any] = _as_nodes("log_softmax", _values("log_softmax", (x,)))
    lse = apply(E.LOGADDEXP, *items)
    return [v - lse for v in items]


def softmax(x: Any, axis: int = -1) -> Any:
    """exp(x_i) / sum_j exp(x_j), computed as exp(x_i - logsumexp(x)) so nothing overflows."""
    if isinstance(x, Tensor):
        return x.softmax(axis=axis)
    return [v.exp() for v in log_softmax(x)]
